"""Status messages of the workspace pages (registered as "projects.<key>"; keys start with
the part's name so parts never collide)."""

from klynge.i18n import N_

NOTICES: dict[str, str] = {
    "project-saved": N_("The project was saved."),
}
