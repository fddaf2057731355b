"""Status messages of the co-design section (shown as "projects.codesign-<key>")."""

from klynge.i18n import N_

NOTICES: dict[str, str] = {
    "codesign-session-saved": N_("The co-design session was saved."),
    "codesign-action-saved": N_("The action was saved, and its owner told."),
    "codesign-action-done": N_("The action is marked as done."),
}
