"""What the priorities pages share: guards on a need's or round's cluster, labels, choices."""

from __future__ import annotations

from typing import Any

from klynge.auth.guards import Guard, requires_item_in_cluster
from klynge.auth.principal import Principal
from klynge.views.common import N_
from priorities import access


def requires_cluster_member(kind: str) -> Guard:
    """The caller belongs to the cluster of the need or round in the path (or is an admin; a
    round's panel members pass too). Another cluster's users get 404: its needs and rounds do
    not admit to existing."""
    if kind == "need":
        return requires_item_in_cluster("need_id", access.need_cluster)
    return requires_item_in_cluster(f"{kind}_id", access.round_cluster, unless=_on_panel)


async def _on_panel(principal: Principal, round_id: int, cluster_id: int | None) -> bool:
    """A round's panel members may see it, also from outside the cluster."""
    return cluster_id is not None and await access.rates_in(round_id, principal.account_id)


STATUS_LABELS: dict[str, str] = {
    "draft": N_("Draft"),
    "submitted": N_("Submitted"),
    "under_assessment": N_("Under assessment"),
    "prioritised": N_("Prioritised"),
    "not_prioritised": N_("Not prioritised"),
    "deferred": N_("Deferred"),
    "literature_checked": N_("Literature checked"),
    "matched": N_("Matched with research"),
    "in_project": N_("In a project"),
    "answered": N_("Answered"),
    "archived": N_("Archived"),
    "withdrawn": N_("Withdrawn"),
    "merged": N_("Merged"),
}
PREVENTION_LABELS: dict[str, str] = {
    "universal": N_("Universal"),
    "selected": N_("Selected"),
    "indicated": N_("Indicated"),
}
USE_LABELS: dict[str, str] = {
    "service_development": N_("Service development"),
    "decision": N_("A decision"),
    "evaluate_measure": N_("Evaluating a measure"),
    "other": N_("Other"),
}
GROUP_LABELS: dict[str, str] = {
    "leaders": N_("Service leaders"),
    "staff": N_("Staff"),
    "users": N_("User representatives and youth"),
    "researchers": N_("Researchers"),
}
WEIGHTING_LABELS: dict[str, str] = {
    "group": N_("Equal voice per stakeholder group"),
    "municipality": N_("Equal voice per municipality"),
    "none": N_("Every rater counts the same"),
}
DECISION_LABELS: dict[str, str] = {
    "prioritised": N_("Prioritised"),
    "not_prioritised": N_("Not prioritised"),
    "deferred": N_("Deferred"),
}
CRITERION_LABELS: dict[str, str] = {
    "nytte": N_("Benefit"),
    "alvorlighet": N_("Severity"),
    "ressurs": N_("Resources"),
    "kunnskapsgap": N_("Knowledge gap"),
}
# The rater's question and the anchors of the 1-5 scale (domain.md §2).
CRITERION_QUESTIONS: dict[str, str] = {
    "nytte": N_(
        "How much would an answer improve children's coping (mestring), function and quality "
        "of life?"
    ),
    "alvorlighet": N_("How serious, lasting and urgent is the situation the need concerns?"),
    "ressurs": N_("How much would it take to get and use the answer?"),
}
ANCHORS: dict[str, tuple[str, str]] = {
    "nytte": (N_("marginal"), N_("large, for many")),
    "alvorlighet": (N_("mild, passing"), N_("life, lasting loss, urgent")),
    "ressurs": (N_("little"), N_("very much")),
}
EVENT_LABELS: dict[str, str] = {
    "status": N_("Status changed"),
    "edit": N_("Edited"),
    "endorse": N_("Same need reported"),
    "merge": N_("Merged"),
}


def labels() -> dict[str, Any]:
    """The label dictionaries, for templates (translated there with _())."""
    return {
        "status_labels": STATUS_LABELS,
        "prevention_labels": PREVENTION_LABELS,
        "use_labels": USE_LABELS,
        "group_labels": GROUP_LABELS,
        "weighting_labels": WEIGHTING_LABELS,
        "decision_labels": DECISION_LABELS,
        "criterion_labels": CRITERION_LABELS,
        "criterion_questions": CRITERION_QUESTIONS,
        "anchors": ANCHORS,
        "event_labels": EVENT_LABELS,
    }


def int_or_none(value: Any) -> int | None:
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def int_list(value: Any) -> list[int]:
    values = value if isinstance(value, list) else [value]
    return [int(v) for v in values if isinstance(v, str) and v.strip().isdigit()]
