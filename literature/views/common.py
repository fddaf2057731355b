"""What the literature pages share: guards on a reference's, import's or check's cluster, the
display labels (translated in the templates with _()), and small parsing helpers."""

from __future__ import annotations

from typing import Any

from klynge.auth import access
from klynge.auth.guards import Guard, requires_item_in_cluster, requires_role
from klynge.auth.principal import Principal
from klynge.auth.roles import Role
from klynge.i18n import current_language
from klynge.scoping import can_manage_cluster
from klynge.views.common import N_
from literature import evidence, people, service
from literature.labels import EVIDENCE_LABELS

MANAGERS = requires_role(Role.ADVISER, Role.PLATFORM_ADMIN)
ADOPTERS = requires_role(Role.COORDINATOR, Role.SERVICE_LEADER, Role.ADVISER, Role.PLATFORM_ADMIN)


def requires_cluster_member(kind: str) -> Guard:
    """The caller belongs to the cluster of the reference, import or check in the path (or is
    an admin). Another cluster's users get 404, as for the priorities pages."""

    async def cluster_of(item_id: int) -> int | None:
        return await people.cluster_of(kind, item_id)

    return requires_item_in_cluster(f"{kind}_id", cluster_of)


def manages(actor: Principal | None, cluster_id: int) -> bool:
    return actor is not None and can_manage_cluster(actor, cluster_id)


def manages_any(actor: Principal | None) -> bool:
    return actor is not None and (
        access.is_admin(actor) or any(can_manage_cluster(actor, c) for c in actor.cluster_ids)
    )


VERDICT_LABELS: dict[str, str] = {
    "answered": N_("Answered"),
    "partly": N_("Partly answered"),
    "unanswered": N_("Unanswered"),
}
REASON_CODE_LABELS: dict[str, str] = {
    "A": N_("No systematic review"),
    "B": N_("A review found no randomised controlled trials"),
    "C": N_("Randomised controlled trials, but no meta-analysis"),
    "D": N_("A meta-analysis, but uncertainty remains"),
    "E": N_("An inconclusive Cochrane or Campbell review"),
}
CERTAINTY_LABELS: dict[str, str] = {
    "high": N_("High"),
    "moderate": N_("Moderate"),
    "low": N_("Low"),
    "very_low": N_("Very low"),
}
SCALE_LABELS: dict[str, str] = {
    "ungsinn": N_("Ungsinn (current scale, 0–5)"),
    "ungsinn_old": N_("Ungsinn (old scale before 2015, 1–4)"),
    "grade": N_("GRADE"),
    "eif": N_("Foundations/EIF"),
}
SHOW_LABELS: dict[str, str] = {  # the screening lists' filter (?vis=)
    "alle": N_("All"),
    "ubehandlet": N_("Not screened yet"),
    "inkludert": N_("Included"),
    "usikker": N_("Uncertain"),
    "ekskludert": N_("Excluded"),
    "uenighet": N_("Disagreement"),
}
STATE_LABELS: dict[str, str] = {
    "include": N_("Included"),
    "exclude": N_("Excluded"),
    "uncertain": N_("Uncertain"),
    "conflict": N_("Screeners disagree"),
    "pending": N_("Not decided"),
}
CHOICE_LABELS: dict[str, str] = {
    "include": N_("Include"),
    "exclude": N_("Exclude"),
    "uncertain": N_("Uncertain"),
}
FORMAT_LABELS: dict[str, str] = {
    "ris": N_("RIS (EndNote, Zotero, Mendeley, Cochrane, Epistemonikos)"),
    "bibtex": N_("BibTeX"),
    "medline": N_("MEDLINE / PubMed (.nbib, .txt)"),
    "csljson": N_("CSL-JSON (Zotero)"),
    "xlsx": N_("Excel (.xlsx)"),
    "csv": N_("CSV"),
}
EXPORT_LABELS: dict[str, str] = {
    "ris": N_("RIS"),
    "bibtex": N_("BibTeX"),
    "csljson": N_("CSL-JSON"),
    "xlsx": N_("Excel"),
}
IMPORT_STATUS_LABELS: dict[str, str] = {
    "queued": N_("Waiting to start"),
    "running": N_("Running"),
    "done": N_("Finished"),
    "failed": N_("Failed"),
    "undone": N_("Undone"),
}
DUPLICATE_STATUS_LABELS: dict[str, str] = {
    "open": N_("Waiting for a decision"),
    "merged": N_("Merged"),
    "not_duplicate": N_("Not a duplicate"),
    "unmerged": N_("Merge undone"),
}
CHECK_STATUS_LABELS: dict[str, str] = {
    "open": N_("Open"),
    "completed": N_("Completed"),
}
SELECTION_LABELS: dict[str, str] = {
    "all": N_("All unique records"),
    "included": N_("Included at full text"),
    "reviews": N_("The reviews behind the verdict"),
}
PRISMA_ROWS: tuple[tuple[str, str], ...] = (
    ("identified_total", N_("Records identified")),
    ("duplicates_removed", N_("Duplicates removed")),
    ("records_screened", N_("Records screened")),
    ("records_excluded", N_("Records excluded")),
    ("reports_sought", N_("Reports sought for retrieval")),
    ("reports_not_retrieved", N_("Reports not retrieved")),
    ("reports_assessed", N_("Reports assessed for eligibility")),
    ("studies_included", N_("Studies included")),
    ("awaiting_title", N_("Awaiting title and abstract screening")),
    ("awaiting_fulltext", N_("Awaiting full-text screening")),
)


def scale_name(scale: str) -> str:
    """The scale's name for `_()` in templates (an English msgid), or the scale's own name."""
    return SCALE_LABELS.get(scale) or evidence.SCALES[scale].name


def reason_text(reason: str) -> str:
    """An exclusion reason as shown: the PRISMA keys in the page's language."""
    return service.reason_labels(current_language()).get(reason, reason)


def labels() -> dict[str, Any]:
    return {
        "evidence_labels": EVIDENCE_LABELS,
        "verdict_labels": VERDICT_LABELS,
        "reason_code_labels": REASON_CODE_LABELS,
        "certainty_labels": CERTAINTY_LABELS,
        "scale_labels": SCALE_LABELS,
        "state_labels": STATE_LABELS,
        "show_labels": SHOW_LABELS,
        "choice_labels": CHOICE_LABELS,
        "format_labels": FORMAT_LABELS,
        "export_labels": EXPORT_LABELS,
        "import_status_labels": IMPORT_STATUS_LABELS,
        "duplicate_status_labels": DUPLICATE_STATUS_LABELS,
        "check_status_labels": CHECK_STATUS_LABELS,
        "selection_labels": SELECTION_LABELS,
        "prisma_rows": PRISMA_ROWS,
        "scales": evidence.SCALES,
        "reason_text": reason_text,
        "citation": service.citation,
    }


def int_or_none(value: Any) -> int | None:
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    if isinstance(value, int):
        return value
    return None


def int_list(value: Any) -> list[int]:
    values = value if isinstance(value, list) else [value]
    return [int(v) for v in values if isinstance(v, str) and v.strip().isdigit()]


def str_list(value: Any) -> list[str]:
    values = value if isinstance(value, list) else [value]
    return [v.strip() for v in values if isinstance(v, str) and v.strip()]
