"""The findings section of the project page (the "project" slot of klynge.apps): the project's
outcomes, what to do next, and the link to the findings report."""

from __future__ import annotations

from klynge.apps import Section
from klynge.auth.principal import Principal
from projects.findings import outcome_pages


async def project_section(actor: Principal, project_id: int) -> Section | None:
    return await outcome_pages.project_section(actor, project_id)
