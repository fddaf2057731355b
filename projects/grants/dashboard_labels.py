"""The dashboard's labels (English msgids, translated at render): application and call
statuses, condition kinds, outcomes and report kinds and statuses."""

from __future__ import annotations

from klynge.i18n import N_
from projects.grants.conditions import CATALOGUE

STATUS_LABELS = {
    "draft": N_("Draft"),
    "submitted": N_("Submitted"),
    "changes_requested": N_("Changes requested"),
    "granted": N_("Granted"),
    "declined": N_("Declined"),
    "withdrawn": N_("Withdrawn"),
    "published": N_("Published"),
    "closed": N_("Closed"),
}
KIND_LABELS = {str(kind): label for kind, (label, _) in CATALOGUE.items()}
OUTCOME_LABELS = {
    "met": N_("Met"),
    "not_met": N_("Not met"),
    "needs_evidence": N_("Needs evidence"),
    "not_evaluated": N_("Not evaluated"),
}
REPORT_KINDS = {"progress": N_("Progress report"), "final": N_("Final report")}
REPORT_STATUS = {
    "due": N_("Due"),
    "submitted": N_("Submitted"),
    "approved": N_("Approved"),
    "returned": N_("Returned"),
}
