"""Project workspace part: plan (placeholder; its owner replaces this module)."""

from __future__ import annotations

from klynge.apps import Section
from klynge.auth.principal import Principal
from projects.workspace.access import Access


async def section(actor: Principal | None, access: Access) -> Section:
    """The project page's plan section."""
    return Section("projects/workspace/_plan.html", {})
