"""Status messages of the grant and report pages (registered as "projects.<key>"), and the
labels of report kinds, statuses, payment kinds and attesting roles."""

from klynge.i18n import N_

NOTICES: dict[str, str] = {
    "grants-reports-saved": N_("The report is saved."),
    "grants-reports-attested": N_("The attestation is signed."),
    "grants-reports-submitted": N_("The report is submitted to the funder."),
    "grants-reports-reviewed": N_("Your review of the report is saved."),
    "grants-reports-payment-saved": N_("The payment is recorded."),
}

LABELS: dict[str, str] = {
    "progress": N_("Progress report"),
    "final": N_("Final report"),
    "due": N_("Not submitted"),
    "submitted": N_("Submitted"),
    "approved": N_("Approved"),
    "returned": N_("Returned"),
    "request": N_("Payment request"),
    "disbursement": N_("Disbursement"),
    "coordinator": N_("Municipal coordinator"),
    "service_leader": N_("Service leader"),
    "rnd": N_("R&D"),
    "new_position": N_("New position"),
    "existing_position": N_("Existing position"),
    "operations": N_("Operations"),
    "travel": N_("Travel"),
    "equipment": N_("Equipment"),
    "indirect": N_("Indirect costs"),
    "met": N_("Met"),
    "not_met": N_("Not met"),
    "needs_evidence": N_("Needs evidence"),
}
