"""Status messages of the plan section (shown as "projects.plan-<key>")."""

from klynge.i18n import N_

NOTICES: dict[str, str] = {
    "plan-item-saved": N_("The plan was saved."),
}
