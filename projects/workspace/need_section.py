"""The originating need's page shows the projects that answer it, with their status (a section
the projects app adds to the priorities app's need page; declared in projects.app)."""

from __future__ import annotations

from klynge.apps import Section
from klynge.auth.principal import Principal
from priorities import api as priorities
from projects.tables import Project
from projects.workspace.listing import json_contains, visible_where
from projects.workspace.overview_rules import status_label


async def need_projects(actor: Principal | None, need_id: int) -> list[dict[str, object]]:
    """The need's projects (the need page has already decided the caller sees the need); a
    project links to its page only for those who may open it."""
    cluster = (await priorities.need_clusters([need_id])).get(need_id)
    if cluster is None:
        return []
    rows = (
        await Project.select(Project.id, Project.title, Project.status, Project.is_public)
        .where((Project.cluster == cluster) & json_contains("need_ids", need_id))
        .order_by(Project.id)
    )
    visible = visible_where(actor)
    ids = [r["id"] for r in rows]
    query = Project.select(Project.id).where(Project.id.is_in(ids or [-1]))
    opened = {r["id"] for r in await (query if visible is None else query.where(visible))}
    return [
        {
            "id": r["id"],
            "title": r["title"],
            "status": r["status"],
            "status_label": status_label(r["status"]),
            "link": r["id"] in opened or bool(r["is_public"]),
        }
        for r in rows
    ]


async def need_section(actor: Principal, need_id: int) -> Section:
    return Section(
        "projects/workspace/_need_projects.html", {"projects": await need_projects(actor, need_id)}
    )
