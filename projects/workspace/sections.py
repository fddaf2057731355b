"""The project page's sections, in the order the page shows them; each part gives its template
and context (`section(actor, access) -> Section`).

Convention for a part's template (`projects/workspace/_<part>.html`): it is included with
`{% with ctx = section.context %}`, so it reads its own data from `ctx`; it also sees the page's
`project` (ProjectOverview), `access` (Access) and `user`. It starts with
`<section id="<anchor>" aria-labelledby="<anchor>-heading">` and `<h2 id="<anchor>-heading">`,
the anchor being the part's entry in `ANCHORS` (the page's nav links there; forms redirect to
`/prosjekter/{id}#<anchor>`)."""

from __future__ import annotations

from klynge import apps
from klynge.apps import Section
from klynge.auth.principal import Principal
from klynge.i18n import N_
from projects.workspace import approvals, codesign, documents, participants, pdsa, plan
from projects.workspace.access import Access

PARTS = (approvals, participants, plan, codesign, pdsa, documents)
# Part module name -> (anchor on the project page, the nav's label).
ANCHORS: dict[str, tuple[str, str]] = {
    "approvals": ("godkjenninger", N_("Approvals")),
    "participants": ("deltakere", N_("Participants")),
    "plan": ("plan", N_("Plan")),
    "codesign": ("samskaping", N_("Co-design")),
    "pdsa": ("pdsa", N_("PDSA cycles")),
    "documents": ("dokumenter", N_("Documents")),
}


def section_nav(sections: list[Section] | None = None) -> list[tuple[str, str]]:
    """(anchor, label) of each section, in the page's order (the workspace's own parts, then
    those other parts add through the "project" slot, e.g. the findings)."""
    own = [ANCHORS[part.__name__.rsplit(".", 1)[-1]] for part in PARTS]
    return own + [(s.anchor, s.label) for s in sections or [] if s.anchor and s.label]


async def page_sections(actor: Principal | None, access: Access) -> list[Section]:
    """The sections of the full workspace page (not the public summary): the workspace's parts,
    then what other parts add to the "project" slot (klynge.apps.App.sections)."""
    own = [await part.section(actor, access) for part in PARTS]
    added = await apps.page_sections("project", actor, access.project_id) if actor else []
    return own + added
