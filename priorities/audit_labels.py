"""The priorities app's labels for the audit log (see klynge.audit_labels): every event name it
records, its object types and the status values its changes hold."""

from __future__ import annotations

from klynge.i18n import N_
from priorities.schemas import NeedStatus
from priorities.views.common import STATUS_LABELS

ACTIONS: dict[str, str] = {
    "need.create": N_("Need created"),
    "need.update": N_("Need changed"),
    "need.endorse": N_("Need endorsed"),
    "need.merge": N_("Needs merged"),
    "need.answered": N_("Need answered by research"),
    "need.submitted": N_("Need submitted"),
    "need.under_assessment": N_("Need under assessment"),
    "need.prioritised": N_("Need prioritised"),
    "need.not_prioritised": N_("Need not prioritised"),
    "need.deferred": N_("Need deferred"),
    "need.literature_checked": N_("Need checked against the literature"),
    "need.matched": N_("Need matched with research"),
    "need.in_project": N_("Need taken up in a project"),
    "need.archived": N_("Need archived"),
    "need.withdrawn": N_("Need withdrawn"),
    "need.merged": N_("Need merged into another"),
    "need.draft": N_("Need back to draft"),
    "round.create": N_("Priority round created"),
    "round.close": N_("Priority round closed"),
    "round.decision": N_("Priority decision made"),
}
# Every status a need can move to is an event "need.<status>".
assert {f"need.{s.value}" for s in NeedStatus} <= set(ACTIONS)
OBJECTS: dict[str, str] = {"need": N_("Need"), "round": N_("Priority round")}
VALUES: dict[str, str] = dict(STATUS_LABELS)
