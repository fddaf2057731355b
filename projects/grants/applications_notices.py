"""Status messages of the application pages (joined into projects.grants.notices)."""

from __future__ import annotations

from klynge.i18n import N_

NOTICES: dict[str, str] = {
    "grants-applications-started": N_("The application was started."),
    "grants-applications-saved": N_("The application was saved."),
    "grants-applications-budget-saved": N_("The budget was saved."),
    "grants-applications-budget-uploaded": N_("The budget was replaced by the uploaded file."),
    "grants-applications-financing-saved": N_("The financing plan was saved."),
    "grants-applications-submitted": N_("The application was submitted."),
    "grants-applications-withdrawn": N_("The application was withdrawn."),
}
