"""Status messages of the findings outcomes pages (registered as
"projects.findings-outcomes-...")."""

from klynge.i18n import N_

NOTICES: dict[str, str] = {
    "findings-outcomes-created": N_("The outcome was recorded as a draft."),
    "findings-outcomes-saved": N_("The outcome was saved."),
    "findings-outcomes-deleted": N_("The draft outcome was deleted."),
    "findings-outcomes-file-added": N_("The attachment was added."),
    "findings-outcomes-file-deleted": N_("The attachment was deleted."),
    "findings-outcomes-measure-proposed": N_(
        "The recommendation was proposed to the knowledge bank. The R&D adviser has been told."
    ),
    "findings-outcomes-measure-decided": N_("The decision on the proposal was saved."),
}
