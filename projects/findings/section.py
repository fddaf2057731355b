"""The findings section of the project page (the "project" slot of klynge.apps): the project's
outcomes, what to do next, and the findings report (placeholder: filled in by the outcomes work)."""

from __future__ import annotations

from klynge.apps import Section
from klynge.auth.principal import Principal


async def project_section(actor: Principal, project_id: int) -> Section | None:
    return None
