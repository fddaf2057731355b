"""Status messages of the status box and the approvals checklist (registered as
"projects.<key>")."""

from klynge.i18n import N_

NOTICES: dict[str, str] = {
    "lifecycle-changed": N_("The project's status was changed."),
    "lifecycle-refused": N_(
        "The project's status could not be changed. See what is missing under Status."
    ),
    "lifecycle-reason-needed": N_("Write why the project is stopped."),
    "approvals-saved": N_("The approvals checklist was saved."),
}
