"""What the literature app adds to other apps' pages (declared in literature.app)."""

from __future__ import annotations

from klynge.apps import Section
from klynge.auth.principal import Principal
from literature.checks import list_checks


async def need_section(actor: Principal, need_id: int) -> Section:
    """The need page's list of literature checks."""
    checks = await list_checks(actor, need_id=need_id)
    return Section("literature/_need_section.html", {"checks": checks})
