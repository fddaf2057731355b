"""The workspace's start: the Project an accepted proposal creates, the list of projects, and
the in-app notices to the services that asked for the needs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from klynge import notifications
from klynge.auth.principal import Principal
from klynge.auth.roles import Role
from klynge.db import json_value
from klynge.scoping import cluster_filter
from priorities import api as priorities
from projects import schemas as s
from projects.tables import Project


async def create_project(actor: Principal, row: Mapping[str, Any]) -> int:
    need_ids = [int(i) for i in json_value(row["need_ids"], [])]
    codesign = json_value(row["codesign"], {})
    municipalities: list[int] = list(codesign.get("municipality_ids", []))
    for need_id in need_ids:
        for muni, _ in await priorities.asker_orgs(need_id):
            if muni not in municipalities:
                municipalities.append(muni)
    inserted = await Project.insert(
        Project(
            cluster=row["cluster"],
            proposal=row["id"],
            group=row["group"],
            title=row["title"],
            status="planned",
            need_ids=need_ids,
            municipality_ids=municipalities,
        )
    ).returning(Project.id)
    project_id = int(inserted[0]["id"])
    for need_id in need_ids:
        need = await priorities.load_need(need_id)
        if need["status"] != "matched":
            await priorities.mark_matched(actor, need_id, f"Prosjektforslag {row['id']} er godtatt")
        await _notify_askers(
            need_id,
            row["cluster"],
            "proposal_accepted",
            f"Et forskningsprosjekt skal svare på behovet «{need['title']}»: "
            f"«{row['title']}» er godtatt.",
            f"/behov/{need_id}",
        )
    return project_id


async def _notify_askers(need_id: int, cluster_id: int, kind: str, text: str, link: str) -> None:
    for municipality, service in await priorities.asker_orgs(need_id):
        await notifications.notify(
            kind,
            text,
            link=link,
            cluster_id=cluster_id,
            service_id=service,
            municipality_id=None if service else municipality,
        )


async def notify_matched(need_id: int, cluster_id: int, groups: int) -> None:
    """Tell the services that asked: research groups have been matched to their need."""
    need = await priorities.load_need(need_id)
    await _notify_askers(
        need_id,
        cluster_id,
        "need_matched",
        f"Behovet «{need['title']}» er matchet med {groups} forskergrupper.",
        f"/behov/{need_id}/matcher",
    )


async def list_projects(actor: Principal, cluster_id: int | None = None) -> list[s.ProjectOut]:
    query = Project.select().order_by(Project.id, ascending=False)
    where = cluster_filter(Project.cluster, actor)
    groups = sorted(actor.org_ids(Role.RESEARCHER))
    if where is not None:
        query = query.where(where | Project.group.is_in(groups or [-1]))
    if cluster_id is not None:
        query = query.where(Project.cluster == cluster_id)
    return [
        s.ProjectOut(
            id=r["id"],
            cluster_id=r["cluster"],
            title=r["title"],
            status=r["status"],
            group_id=r["group"],
            proposal_id=r["proposal"],
            need_ids=[int(i) for i in json_value(r["need_ids"], [])],
            municipality_ids=[int(i) for i in json_value(r["municipality_ids"], [])],
            created_at=r["created_at"],
        )
        for r in await query.limit(500)
    ]
