"""What the outcome pages show: the new/edit form's choices, the outcome page (with labels,
its deliveries and the forms managers and advisers may use) and the project page's section."""

from __future__ import annotations

from typing import Any

from klynge.apps import Section
from klynge.auth.principal import Principal
from klynge.i18n import N_
from klynge.i18n import gettext as _
from klynge.settings import get_settings
from literature import api as literature
from projects.findings import publishing
from projects.findings.outcomes import list_outcomes, public_only, read_outcome
from projects.findings.outcomes_rules import KINDS, MEASURE_LABELS, STATUS_LABELS
from projects.findings.outcomes_schemas import OutcomeOut
from projects.workspace import api as workspace

LANGUAGE_LABELS = {"nb": N_("Bokmål"), "nn": N_("Nynorsk")}


def choices() -> dict[str, Any]:
    """The form's options (translated), and the labels the pages show (msgids)."""
    return {
        "kind_options": [(k, _(v)) for k, v in KINDS.items()],
        "language_options": [(k, _(v)) for k, v in LANGUAGE_LABELS.items()],
        "evidence_options": [("", _("Not given"))]
        + [(k, _(v)) for k, v in literature.EVIDENCE_LABELS.items()],
        "scale_options": [(k, s.name) for k, s in literature.SCALES.items()],
        "kinds": KINDS,
        "statuses": STATUS_LABELS,
        "measure_labels": MEASURE_LABELS,
        "evidence_labels": literature.EVIDENCE_LABELS,
        "languages": LANGUAGE_LABELS,
    }


async def new_form(actor: Principal, project_id: int) -> dict[str, Any]:
    """The new-outcome page: the project leader and adviser only."""
    access = await workspace.load_access(actor, project_id)
    workspace.require_manage(access)
    project = await workspace.project_summary(project_id)
    return {"project": project, **choices()}


def form_values(outcome: OutcomeOut) -> dict[str, Any]:
    """The edit form's values of an outcome (links one per line: "title | url")."""
    values: dict[str, Any] = {
        name: getattr(outcome, name)
        for name in ("kind", "title", "summary", "summary_language", "summary_en", "practice")
    }
    values |= {
        "evidence_type": outcome.evidence_type,
        "evidence_note": outcome.evidence_note,
        "doi": outcome.doi,
        "links": "\n".join(f"{k.title} | {k.url}" for k in outcome.links),
    }
    if outcome.is_public:  # the checkbox is checked when its name is among the values
        values["is_public"] = "1"
    return values


async def outcome_page(actor: Principal | None, outcome_id: int) -> dict[str, Any]:
    access, outcome = await read_outcome(actor, outcome_id)
    public_view = await public_only(actor, access)
    project = await workspace.project_summary(outcome.project_id)
    level = ""
    if outcome.measure_scale in literature.SCALES and outcome.measure_level:
        level = literature.evidence_label(outcome.measure_scale, outcome.measure_level)
    return {
        "outcome": outcome,
        "access": access,
        "project_title": project.title,
        "public_view": public_view,
        "may_manage": access.manage,
        "may_advise": access.advise,
        "measure_level_label": level,
        "deliveries": [] if public_view else await publishing.outcome_deliveries(actor, access),
        "max_megabytes": get_settings().files.max_bytes // (1024 * 1024),
        **choices(),
    }


async def project_section(actor: Principal, project_id: int) -> Section | None:
    """The findings section of the project page: the outcomes with kind and status, "Record an
    outcome" for the leader and the adviser, and the findings report."""
    access = await workspace.load_access(actor, project_id)
    if not access.see:
        return None
    context = {
        "project_id": project_id,
        "outcomes": await list_outcomes(actor, project_id),
        "may_manage": access.manage,
        **choices(),
    }
    return Section(
        "projects/findings/_outcomes_section.html",
        context,
        anchor="resultater",
        label=N_("Outcomes"),
    )
