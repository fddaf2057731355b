"""The PDSA section's forms: their fields, their values from the saved cycles, and the one
that failed (shown again with its problems)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from klynge.views.common import Form
from projects.workspace import pdsa_schemas as s

NEW_CYCLE = ("title", "change_idea", "prediction", "measure_ids")
PHASE_FIELDS: dict[str, tuple[str, ...]] = {
    "plan": NEW_CYCLE,
    "do": ("done_what", "started_on", "ended_on"),
    "study": ("study", "learned"),
    "act": ("decision", "next_test"),
}
MEASURE = ("name", "kind", "unit", "better", "baseline", "cycle_id")
VALUE = ("measured_on", "value", "note")
PASTE = ("lines",)


def cycle_form_id(cycle_id: int, phase: str) -> str:
    return f"pdsa-{cycle_id}-{phase}"


def value_form_id(measure_id: int) -> str:
    return f"pdsa-value-{measure_id}"


def paste_form_id(measure_id: int) -> str:
    return f"pdsa-paste-{measure_id}"


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _cycle_values(cycle: s.CycleOut, fields: tuple[str, ...]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in fields:
        if name == "measure_ids":
            values[name] = [str(m) for m in cycle.measure_ids]
        else:
            values[name] = _text(getattr(cycle, name))
    return values


def section_forms(
    cycles: Sequence[s.CycleOut], measure_ids: Sequence[int], failed: Form | None = None
) -> dict[str, Form]:
    """Every form of the section by its id; a failed form replaces its fresh copy."""
    forms: dict[str, Form] = {
        "pdsa-new": Form("pdsa-new", NEW_CYCLE),
        "pdsa-measure": Form("pdsa-measure", MEASURE, values={"kind": "outcome", "better": "up"}),
    }
    for cycle in cycles:
        for phase, fields in PHASE_FIELDS.items():
            form_id = cycle_form_id(cycle.id, phase)
            forms[form_id] = Form(form_id, fields, values=_cycle_values(cycle, fields))
    for measure_id in measure_ids:
        forms[value_form_id(measure_id)] = Form(value_form_id(measure_id), VALUE)
        forms[paste_form_id(measure_id)] = Form(paste_form_id(measure_id), PASTE)
    if failed is not None:
        forms[failed.id] = failed
    return forms
