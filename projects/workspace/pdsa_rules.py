"""PDSA rules: which phase a cycle is in (from what is filled in), when a decision may start the
next cycle, and reading pasted "date;value" lines. Pure."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from klynge.errors import FieldError
from klynge.i18n import N_

Phase = Literal["plan", "do", "study", "act", "done"]
PHASES: tuple[Phase, ...] = ("plan", "do", "study", "act")
DECISIONS = ("adopt", "adapt", "abandon")
# A decision that keeps the change (as it is or adapted) leads to a next cycle testing it further.
CONTINUING = frozenset({"adopt", "adapt"})
MEASURE_KINDS = ("outcome", "process", "balancing")
DIRECTIONS = ("up", "down")
MAX_PASTED_LINES = 500


def _filled(cycle: Mapping[str, Any], *names: str) -> bool:
    return all(bool(cycle.get(name)) for name in names)


def phase_done(cycle: Mapping[str, Any]) -> dict[Phase, bool]:
    """Whether each phase is filled in: Plan = change idea and prediction; Do = what was done
    and when it started; Study = what the data showed against the prediction and what was
    learned; Act = the decision."""
    return {
        "plan": _filled(cycle, "change_idea", "prediction"),
        "do": _filled(cycle, "done_what", "started_on"),
        "study": _filled(cycle, "study", "learned"),
        "act": _filled(cycle, "decision"),
    }


def current_phase(cycle: Mapping[str, Any]) -> Phase:
    """The first phase not yet filled in; "done" when all four are."""
    done = phase_done(cycle)
    for phase in PHASES:
        if not done[phase]:
            return phase
    return "done"


def may_continue(cycle: Mapping[str, Any], latest_number: int) -> bool:
    """An adopt/adapt decision on the project's latest cycle, with a next test written, may
    start the next cycle (pre-filled with that test as its change idea)."""
    return (
        cycle.get("decision") in CONTINUING
        and bool(str(cycle.get("next_test") or "").strip())
        and cycle.get("number") == latest_number
    )


def date_problems(started: dt.date | None, ended: dt.date | None) -> list[FieldError]:
    if started is not None and ended is not None and ended < started:
        return [FieldError("ended_on", N_("The end date cannot be before the start date."))]
    return []


@dataclass(frozen=True, slots=True)
class Pasted:
    measured_on: dt.date
    value: float
    note: str


_DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y", "%d/%m/%Y")
_SEPARATOR = re.compile(r"[;\t]")


def parse_date(text: str) -> dt.date | None:
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


def parse_value(text: str) -> float | None:
    """A number written the Norwegian or the English way ("12,5", "12.5", "1 200")."""
    clean = text.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        value = float(clean)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def parse_lines(text: str, field: str = "lines") -> tuple[list[Pasted], list[FieldError]]:
    """Values pasted one a line as "date;value" or "date;value;note" (a tab works too, as from
    a spreadsheet). Empty lines are skipped; each bad line is one error naming its number."""
    found: list[Pasted] = []
    problems: list[FieldError] = []
    lines = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    if len(lines) > MAX_PASTED_LINES:
        msg = N_("Paste at most %(count)s lines at a time.")
        return [], [FieldError(field, msg, params={"count": MAX_PASTED_LINES})]
    for number, line in lines:
        parts = _SEPARATOR.split(line, maxsplit=2)
        on = parse_date(parts[0])
        value = parse_value(parts[1]) if len(parts) > 1 else None
        if on is None or value is None:
            msg = N_('Line %(line)s: write a date and a number, like "2026-01-31;12,5".')
            problems.append(FieldError(field, msg, row=number, params={"line": number}))
            continue
        note = parts[2].strip()[:300] if len(parts) > 2 else ""
        found.append(Pasted(on, value, note))
    if not found and not problems:
        problems.append(FieldError(field, N_("Paste at least one line.")))
    return found, problems
