"""What the projects pages share: guards, the display labels (English msgids translated in the
templates with _()), and small parsing helpers for form fields."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from klynge.auth.guards import Guard, requires_item_in_cluster, requires_role
from klynge.auth.principal import Principal
from klynge.auth.roles import Role
from klynge.errors import NotFound
from klynge.jobs import service as jobs
from klynge.jobs.schemas import JobOut
from klynge.orgs.schemas import SECTOR_LABELS, SERVICE_TYPE_LABELS
from klynge.scoping import can_manage_cluster
from klynge.views.common import N_
from priorities import api as priorities
from projects.workspace.api import STATUS_LABELS

ADVISERS = requires_role(Role.ADVISER, Role.PLATFORM_ADMIN)
RESEARCHERS = requires_role(Role.RESEARCHER, Role.PLATFORM_ADMIN)
# Who may choose a group's publications: its researchers, advisers (of a cluster it is matched
# in: the use case decides).
CURATORS = requires_role(Role.RESEARCHER, Role.ADVISER, Role.PLATFORM_ADMIN)


async def _need_cluster(need_id: int) -> int | None:
    return (await priorities.need_clusters([need_id])).get(need_id)


async def _is_researcher(principal: Principal, need_id: int, cluster_id: int | None) -> bool:
    return cluster_id is not None and bool(principal.org_ids(Role.RESEARCHER))


def requires_need_reader() -> Guard:
    """The caller belongs to the need's cluster, or is a researcher (whose group the match
    use case then restricts them to); anyone else gets 404, as on the need's page."""
    return requires_item_in_cluster(
        "need_id", _need_cluster, unless=_is_researcher, name="requires_need_reader(need_id)"
    )


NEED_READER = requires_need_reader()


def manages(actor: Principal | None, cluster_id: int) -> bool:
    return actor is not None and can_manage_cluster(actor, cluster_id)


def managed_clusters(actor: Principal) -> list[int]:
    return sorted(c for c in actor.cluster_ids if can_manage_cluster(actor, c))


METHOD_LABELS: dict[str, str] = {
    "qualitative": N_("Qualitative methods"),
    "survey": N_("Surveys"),
    "register": N_("Register data"),
    "rct": N_("Randomised controlled trials"),
    "quasi_experimental": N_("Quasi-experimental designs"),
    "implementation": N_("Implementation research"),
    "participatory": N_("Participatory research / co-design"),
    "economic": N_("Economic evaluation"),
    "systematic_reviews": N_("Systematic reviews"),
}
ETHICS_LABELS: dict[str, str] = {
    "rek": N_("REK (regional committee for medical and health research ethics)"),
    "sikt": N_("Sikt (data protection assessment)"),
    "bufdir_exemption": N_("Bufdir: exemption from the duty of confidentiality"),
    "dpia": N_("DPIA (data protection impact assessment)"),
}
INTEREST_LABELS: dict[str, str] = {
    "interested": N_("Interested"),
    "declined": N_("Declined"),
}
PROPOSAL_STATUS_LABELS: dict[str, str] = {
    "submitted": N_("Submitted, waiting for review"),
    "changes_requested": N_("Changes requested"),
    "accepted": N_("Accepted"),
    "declined": N_("Declined"),
}
# The lifecycle's statuses (projects.workspace.lifecycle holds them).
PROJECT_STATUS_LABELS: dict[str, str] = dict(STATUS_LABELS)
ASSIGNMENT_STATUS_LABELS: dict[str, str] = {
    "queued": N_("Waiting to start"),
    "running": N_("Running"),
    "done": N_("Finished"),
    "failed": N_("Failed"),
}
PART_LABELS: dict[str, str] = {
    "text": N_("Subject fit (text and publications)"),
    "method": N_("Method fit"),
    "target": N_("Service fit"),
    "capacity": N_("Capacity"),
    "distance": N_("Distance"),
}
DECISION_LABELS: dict[str, str] = {
    "accept": N_("Accept the proposal"),
    "changes": N_("Ask for changes"),
    "decline": N_("Decline"),
}
PUBLICATION_FORMAT_LABELS: dict[str, str] = {
    "ris": N_("RIS (EndNote, Zotero, Mendeley, Cochrane, Epistemonikos)"),
    "bibtex": N_("BibTeX"),
    "medline": N_("MEDLINE / PubMed (.nbib, .txt)"),
    "csljson": N_("CSL-JSON (Zotero)"),
    "xlsx": N_("Excel (.xlsx)"),
    "csv": N_("CSV"),
}
JOB_STATES: dict[str, str] = {
    "queued": N_("Waiting to start"),
    "running": N_("Running"),
    "done": N_("Finished"),
    "failed": N_("Failed"),
}


def labels() -> dict[str, Any]:
    return {
        "method_labels": METHOD_LABELS,
        "ethics_labels": ETHICS_LABELS,
        "interest_labels": INTEREST_LABELS,
        "proposal_status_labels": PROPOSAL_STATUS_LABELS,
        "project_status_labels": PROJECT_STATUS_LABELS,
        "assignment_status_labels": ASSIGNMENT_STATUS_LABELS,
        "part_labels": PART_LABELS,
        "decision_labels": DECISION_LABELS,
        "publication_format_labels": PUBLICATION_FORMAT_LABELS,
        "job_states": JOB_STATES,
        "service_type_labels": {k.value: v for k, v in SERVICE_TYPE_LABELS.items()},
        "sector_labels": {k.value: v for k, v in SECTOR_LABELS.items()},
        "percent": percent,
    }


def percent(value: Any) -> int:
    """A 0–1 score as a whole percentage (for the bar and its text)."""
    try:
        return max(0, min(100, round(float(value) * 100)))
    except (TypeError, ValueError):
        return 0


async def job_or_none(actor: Principal, job_id: str | None) -> JobOut | None:
    """The job named in the query string (`?jobb=`), when the caller may see it."""
    if not job_id:
        return None
    try:
        return await jobs.get_job(actor, job_id)
    except NotFound:
        return None


def int_or_none(value: Any) -> int | None:
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    if isinstance(value, int):
        return value
    return None


def int_list(value: Any) -> list[int]:
    values = value if isinstance(value, list) else [value]
    return [int(v) for v in values if isinstance(v, str) and v.strip().isdigit()]


def str_list(value: Any) -> list[str]:
    values = value if isinstance(value, list) else [value]
    return [v for v in values if isinstance(v, str) and v.strip()]


def lines(value: Any) -> list[str]:
    """One item per line of a textarea."""
    text = value[0] if isinstance(value, list) and value else value
    if not isinstance(text, str):
        return []
    return [line.strip() for line in text.splitlines() if line.strip()]


def field_of(name: str) -> str:
    """A use case's field path ("members.0.orcid") as a form field name ("members-0-orcid")."""
    return name.replace(".", "-")


def as_list(data: Mapping[str, Any], name: str) -> list[str]:
    value = data.get(name, [])
    return [value] if isinstance(value, str) else [v for v in value if isinstance(v, str)]
