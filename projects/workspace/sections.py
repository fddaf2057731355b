"""The project page's sections, in the order the page shows them; each part gives its template
and context (`section(actor, access) -> Section`)."""

from __future__ import annotations

from klynge.apps import Section
from klynge.auth.principal import Principal
from projects.workspace import approvals, codesign, documents, participants, pdsa, plan
from projects.workspace.access import Access

PARTS = (approvals, participants, plan, codesign, pdsa, documents)


async def page_sections(actor: Principal | None, access: Access) -> list[Section]:
    """The sections of the full workspace page (not the public summary)."""
    return [await part.section(actor, access) for part in PARTS]
