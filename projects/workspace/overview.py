"""The project page's overview: read (the whole overview, or the public summary for anonymous
and public-only callers) and edit (the team; publishing only the leader or adviser, and only text
the privacy guard does not warn about unless confirmed)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from klynge import audit
from klynge.auth.principal import Principal
from klynge.db import json_value, transaction
from klynge.directory import municipality_names
from klynge.errors import NotFound
from klynge.schemas import ensure_publishable
from priorities import api as priorities
from projects.tables import Project
from projects.workspace.access import NOT_FOUND, Access, require_edit, require_manage
from projects.workspace.loading import load_access
from projects.workspace.overview_rules import clean_keywords, clean_registrations, status_label
from projects.workspace.project_schemas import (
    NamedRef,
    ProjectOverview,
    ProjectPublic,
    ProjectUpdate,
)
from projects.workspace.tables import Participant

EDITABLE = (
    "title",
    "starts_on",
    "ends_on",
    "summary_popular",
    "summary_language",
    "summary_en",
    "summary_academic",
    "keywords",
    "service_areas",
    "registrations",
    "is_public",
)
PUBLIC_TEXT = ("title", "summary_popular", "summary_en", "keywords")


async def _row(project_id: int) -> dict[str, Any]:
    row = await (
        Project.select(
            *Project.all_columns(),
            Project.group.name.as_alias("group_name"),
            Project.leader.name.as_alias("leader_name"),
        )
        .where(Project.id == project_id)
        .first()
    )
    if row is None:
        raise NotFound(NOT_FOUND)
    return row


async def _municipalities(row: dict[str, Any]) -> list[NamedRef]:
    ids = [int(i) for i in json_value(row["municipality_ids"], [])]
    joined = await Participant.select(Participant.municipality).where(
        (Participant.project == row["id"])
        & (Participant.status == "active")
        & Participant.municipality.is_not_null()
    )
    ids += [p["municipality"] for p in joined if p["municipality"] not in ids]
    names = await municipality_names(ids)
    return sorted((NamedRef(i, names.get(i, "")) for i in ids), key=lambda m: m.name)


def _public(row: dict[str, Any], municipalities: list[NamedRef]) -> ProjectPublic:
    return ProjectPublic(
        id=row["id"],
        title=row["title"],
        status=row["status"],
        status_label=status_label(row["status"]),
        summary_popular=row["summary_popular"],
        summary_language=row["summary_language"],
        summary_en=row["summary_en"],
        keywords=[str(k) for k in json_value(row["keywords"], [])],
        municipalities=municipalities,
    )


async def _overview(row: dict[str, Any], access: Access | None) -> ProjectOverview:
    need_ids = [int(i) for i in json_value(row["need_ids"], [])]
    titles = await priorities.need_titles(need_ids)
    leader = row["leader"]
    return ProjectOverview(
        id=row["id"],
        cluster_id=row["cluster"],
        title=row["title"],
        status=row["status"],
        status_label=status_label(row["status"]),
        leader=None if leader is None else NamedRef(leader, row["leader_name"] or ""),
        group=NamedRef(row["group"], row["group_name"] or ""),
        proposal_id=row["proposal"],
        starts_on=row["starts_on"],
        ends_on=row["ends_on"],
        summary_popular=row["summary_popular"],
        summary_language=row["summary_language"],
        summary_en=row["summary_en"],
        summary_academic=row["summary_academic"],
        keywords=[str(k) for k in json_value(row["keywords"], [])],
        service_areas=[str(a) for a in json_value(row["service_areas"], [])],
        registrations={str(k): str(v) for k, v in json_value(row["registrations"], {}).items()},
        is_public=bool(row["is_public"]),
        municipalities=await _municipalities(row),
        needs=[NamedRef(n, titles.get(n, "")) for n in need_ids],
        status_changed_at=row["status_changed_at"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        may_edit=access is not None and access.edit,
        may_manage=access is not None and access.manage,
    )


async def project_view(
    actor: Principal | None, project_id: int
) -> tuple[Access, ProjectOverview | ProjectPublic]:
    """The caller's access and what they may read: the overview, or only the public summary
    (404 when they may see neither)."""
    access = await load_access(actor, project_id)
    row = await _row(project_id)
    if access.public_only:
        return access, _public(row, await _municipalities(row))
    return access, await _overview(row, access)


async def project_overview(
    actor: Principal | None, project_id: int
) -> ProjectOverview | ProjectPublic:
    return (await project_view(actor, project_id))[1]


async def project_summary(project_id: int) -> ProjectOverview:
    """The overview as plain data for other parts (grants, findings), with no access check:
    the caller has already decided the reader may see it."""
    return await _overview(await _row(project_id), None)


def _changes(data: ProjectUpdate) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for name in EDITABLE:
        value = getattr(data, name)
        if value is None:
            continue
        if name == "keywords":
            value = clean_keywords(value)
        elif name == "service_areas":
            value = sorted({str(a) for a in value})
        elif name == "registrations":
            value = clean_registrations({k: getattr(value, k) for k in value.__struct_fields__})
        elif name == "title":
            value = " ".join(value.split())
        changes[name] = value
    return changes


def _comparable(row: dict[str, Any], name: str) -> Any:
    value = row[name]
    if name in ("keywords", "service_areas"):
        return json_value(value, [])
    if name == "registrations":
        return json_value(value, {})
    return bool(value) if name == "is_public" else value


def _publishable(row: dict[str, Any], changes: dict[str, Any], confirmed: bool) -> list[str]:
    """Text that will be on the public page: what the guard warns about needs confirmation."""
    if not changes.get("is_public", row["is_public"]):
        return []
    becoming = "is_public" in changes and not row["is_public"]
    fields: dict[str, str | None] = {}
    for name in PUBLIC_TEXT:
        if name in changes or becoming:
            value = changes.get(name, _comparable(row, name))
            if name == "keywords":
                fields.update({f"keywords.{i}": str(k) for i, k in enumerate(value)})
            else:
                fields[name] = value
    return ensure_publishable(fields, confirmed=confirmed)


async def update_overview(
    actor: Principal, project_id: int, data: ProjectUpdate
) -> ProjectOverview:
    """Change the overview (the team); publishing or unpublishing needs the leader or adviser."""
    access = await load_access(actor, project_id)
    require_edit(access)
    async with transaction():
        row = await _row(project_id)
        changes = {k: v for k, v in _changes(data).items() if _comparable(row, k) != v}
        if "is_public" in changes:
            require_manage(access)
        confirmed = _publishable(row, changes, data.confirm_warnings and access.manage)
        if changes:
            values = {**changes, "updated_at": dt.datetime.now(dt.UTC)}
            await Project.update(values).where(Project.id == project_id)
            await audit.record(
                actor,
                "project.update",
                "project",
                project_id,
                cluster_id=access.cluster_id,
                before={k: _comparable(row, k) for k in changes},
                after={**changes, "confirmed_warnings": confirmed},
            )
    return await _overview(await _row(project_id), access)


async def overview_for_edit(actor: Principal, project_id: int) -> ProjectOverview:
    """The overview to fill the edit form with (the team only)."""
    access = await load_access(actor, project_id)
    require_edit(access)
    return await _overview(await _row(project_id), access)
