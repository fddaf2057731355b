"""Project workspace part: codesign (placeholder; its owner replaces this module)."""

from __future__ import annotations

from klynge.apps import Section
from klynge.auth.principal import Principal
from projects.workspace.access import Access


async def section(actor: Principal | None, access: Access) -> Section:
    """The project page's codesign section."""
    return Section("projects/workspace/_codesign.html", {})
