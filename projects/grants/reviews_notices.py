"""Status messages of the review panel (registered as "projects.<key>")."""

from klynge.i18n import N_

NOTICES: dict[str, str] = {
    "grants-reviews-saved": N_("The review is saved."),
    "grants-reviews-changes-requested": N_("The application is sent back to the applicants."),
    "grants-reviews-decided": N_("The decision is made and the applicants are told."),
}
