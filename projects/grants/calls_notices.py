"""Status messages of the calls pages (registered as "projects.<key>")."""

from klynge.i18n import N_

NOTICES: dict[str, str] = {
    "grants-calls-created": N_("The call was created as a draft."),
    "grants-calls-saved": N_("The call was saved."),
    "grants-calls-published": N_("The call was published."),
    "grants-calls-closed": N_("The call was closed."),
}
