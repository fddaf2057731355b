"""The workspace's start: the Project an accepted proposal creates, the list of projects, and
the in-app notices to the services that asked for the needs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from klynge import notifications
from klynge.auth.principal import Principal
from klynge.db import json_value
from klynge.i18n import N_
from klynge.orgs.tables import Service
from priorities import api as priorities
from projects.tables import Project
from projects.workspace import approvals, participants
from projects.workspace.listing import list_items
from projects.workspace.project_schemas import ProjectFilter, ProjectListItem


async def create_project(actor: Principal, row: Mapping[str, Any]) -> int:
    """The planned project an accepted proposal (`row`) creates: its needs' asking
    municipalities and the proposal's co-design municipalities, the proposer as leader, the
    proposal's period, and the asking services' types as service areas."""
    need_ids = [int(i) for i in json_value(row["need_ids"], [])]
    codesign = json_value(row["codesign"], {})
    municipalities: list[int] = list(codesign.get("municipality_ids", []))
    services: set[int] = set()
    for need_id in need_ids:
        # The submitters take part from the start; endorsers are invited (participants).
        endorsers = set(await priorities.endorsing_municipalities(need_id))
        for muni, service in await priorities.asker_orgs(need_id):
            if muni in endorsers:
                continue
            if muni not in municipalities:
                municipalities.append(muni)
            if service is not None:
                services.add(service)
    inserted = await Project.insert(
        Project(
            cluster=row["cluster"],
            proposal=row["id"],
            group=row["group"],
            title=row["title"],
            status="planned",
            need_ids=need_ids,
            municipality_ids=municipalities,
            leader=row.get("created_by"),
            starts_on=row.get("start"),
            ends_on=row.get("end"),
            service_areas=await _service_types(sorted(services)),
        )
    ).returning(Project.id)
    project_id = int(inserted[0]["id"])
    await approvals.on_project_created(project_id)
    await participants.on_project_created(actor, project_id, services=sorted(services))
    for need_id in need_ids:
        need = await priorities.load_need(need_id)
        if need["status"] != "matched":
            await priorities.mark_matched(
                actor, need_id, priorities.need_reason(priorities.PROPOSAL_ACCEPTED, id=row["id"])
            )
        await _notify_askers(
            need_id,
            row["cluster"],
            "proposal_accepted",
            N_("A research project will answer the need «%(need)s»: «%(title)s» is accepted."),
            {"need": need["title"], "title": row["title"]},
            f"/prosjekter/{project_id}",
        )
    return project_id


async def _service_types(service_ids: list[int]) -> list[str]:
    rows = await Service.select(Service.service_type).where(Service.id.is_in(service_ids or [-1]))
    return sorted({str(r["service_type"]) for r in rows if r["service_type"]})


async def _notify_askers(
    need_id: int, cluster_id: int, kind: str, text: str, params: dict[str, Any], link: str
) -> None:
    for municipality, service in await priorities.asker_orgs(need_id):
        await notifications.notify(
            kind,
            text,
            params=params,
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
        N_("Research groups matched to the need «%(title)s»: %(num)s."),
        {"title": need["title"], "num": groups},
        f"/behov/{need_id}/matcher",
    )


async def list_projects(
    actor: Principal, cluster_id: int | None = None, *, limit: int = 500, offset: int = 0
) -> list[ProjectListItem]:
    """The caller's visible projects, newest first (optionally one cluster's)."""
    return await list_items(actor, ProjectFilter(cluster_id=cluster_id), limit=limit, offset=offset)


async def add_project_funder(project_id: int, funder_id: int) -> None:
    """The funder may read the project from now on (grants: an application to its call). In the
    caller's transaction."""
    row = await Project.select(Project.funder_ids).where(Project.id == project_id).first()
    if row is None:
        return
    funders = [int(f) for f in json_value(row["funder_ids"], [])]
    if funder_id not in funders:
        await Project.update({Project.funder_ids: [*funders, funder_id]}).where(
            Project.id == project_id
        )
