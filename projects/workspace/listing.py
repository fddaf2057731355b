"""The list of projects a caller may see, filtered and paged in SQL. `visible_where` is the SQL
form of `access.decide`'s `see` (a test holds the two to the same answer): admin all; the
cluster's adviser; coordinators in the cluster; the leader; members of the project's research
group or of an active participating group, service or municipality; named participants."""

from __future__ import annotations

import json
from typing import Any

from piccolo.columns.combination import WhereRaw
from piccolo.engine.sqlite import SQLiteEngine

from klynge.auth.principal import Principal
from klynge.auth.roles import Role
from klynge.db import engine, json_value
from klynge.directory import municipality_names
from projects.paging import PAGE_SIZE, Page, pages_for
from projects.tables import Project
from projects.workspace.overview_rules import status_label
from projects.workspace.project_schemas import NamedRef, ProjectFilter, ProjectListItem
from projects.workspace.tables import Participant

NOTHING = Project.id == -1


def _any(clauses: list[Any]) -> Any:
    where = clauses[0]
    for clause in clauses[1:]:
        where = where | clause
    return where


def _participating(actor: Principal) -> Any:
    """A sub-select of the projects where the caller's group, service, municipality or own
    account takes part (actively)."""
    clauses: list[Any] = [Participant.account == actor.account_id]
    groups = sorted(actor.org_ids(Role.RESEARCHER))
    services = sorted(actor.org_ids(Role.SERVICE_LEADER, Role.SERVICE_EMPLOYEE))
    municipalities = sorted(actor.municipality_ids)
    if groups:
        clauses.append(Participant.group.is_in(groups))
    if services:
        clauses.append(Participant.service.is_in(services))
    if municipalities:
        clauses.append(Participant.municipality.is_in(municipalities))
    return Participant.select(Participant.project).where(
        (Participant.status == "active") & _any(clauses)
    )


def visible_where(actor: Principal | None) -> Any | None:
    """A where-clause admitting the projects `actor` sees in full; None = all (admin). Pure
    SQL (a sub-select for participation): no query runs until it is used."""
    if actor is None:
        return NOTHING
    if actor.is_admin:
        return None
    clauses: list[Any] = [Project.leader == actor.account_id]
    advised = sorted(actor.org_ids(Role.ADVISER))
    if advised:
        clauses.append(Project.cluster.is_in(advised))
    if actor.has(Role.COORDINATOR) and actor.cluster_ids:
        clauses.append(Project.cluster.is_in(sorted(actor.cluster_ids)))
    groups = sorted(actor.org_ids(Role.RESEARCHER))
    if groups:
        clauses.append(Project.group.is_in(groups))
    clauses.append(Project.id.is_in(_participating(actor)))
    # A funder reads the projects with an application to one of its calls.
    clauses += [json_contains("funder_ids", f) for f in sorted(actor.org_ids(Role.FUNDER_OFFICER))]
    return _any(clauses)


# The JSON list columns the filters read, as literal SQL on each engine (never built from input).
_SQLITE_CONTAINS = {
    "need_ids": 'EXISTS (SELECT 1 FROM json_each("project"."need_ids") AS j WHERE j.value = {})',
    "municipality_ids": (
        'EXISTS (SELECT 1 FROM json_each("project"."municipality_ids") AS j WHERE j.value = {})'
    ),
    "service_areas": (
        'EXISTS (SELECT 1 FROM json_each("project"."service_areas") AS j WHERE j.value = {})'
    ),
    "funder_ids": (
        'EXISTS (SELECT 1 FROM json_each("project"."funder_ids") AS j WHERE j.value = {})'
    ),
}
_PG_CONTAINS = {
    "need_ids": '"project"."need_ids" @> {}::jsonb',
    "municipality_ids": '"project"."municipality_ids" @> {}::jsonb',
    "service_areas": '"project"."service_areas" @> {}::jsonb',
    "funder_ids": '"project"."funder_ids" @> {}::jsonb',
}


def json_contains(column: str, value: int | str) -> WhereRaw:
    """`project.<column>` (a JSON list) holds `value`, on PostgreSQL and SQLite alike."""
    if isinstance(engine(), SQLiteEngine):
        return WhereRaw(_SQLITE_CONTAINS[column], value)
    return WhereRaw(_PG_CONTAINS[column], json.dumps([value]))


def _filters(actor: Principal | None, f: ProjectFilter) -> list[Any]:
    where: list[Any] = []
    visible = visible_where(actor)
    if visible is not None:
        where.append(visible)
    if f.status:
        where.append(Project.status == f.status)
    if f.group_id is not None:
        where.append(Project.group == f.group_id)
    if f.cluster_id is not None:
        where.append(Project.cluster == f.cluster_id)
    if f.q.strip():
        pattern = f"%{_like(f.q.strip())}%"
        if isinstance(engine(), SQLiteEngine):
            # SQLite's LIKE ignores case for ASCII letters only: the lower- and upper-case
            # forms of the query also catch "FRAVÆR" for "fravær" (æ, ø, å, é, ...).
            forms = {pattern, pattern.lower(), pattern.upper()}
            clause = None
            for form in sorted(forms):
                like = Project.title.like(form)
                clause = like if clause is None else clause | like
            where.append(clause)
        else:
            where.append(Project.title.ilike(pattern))
    if f.service_area:
        where.append(json_contains("service_areas", f.service_area))
    if f.municipality_id is not None:
        joined = Participant.select(Participant.project).where(
            (Participant.status == "active") & (Participant.municipality == f.municipality_id)
        )
        contains = json_contains("municipality_ids", f.municipality_id)
        where.append(contains | Project.id.is_in(joined))
    return where


def _like(text: str) -> str:
    # LIKE's wildcards typed by the user are taken literally.
    return text.replace("\\", "").replace("%", "").replace("_", "")


def _query(query: Any, where: list[Any]) -> Any:
    for clause in where:
        query = query.where(clause)
    return query


async def count_projects(actor: Principal | None, f: ProjectFilter) -> int:
    return int(await _query(Project.count(), _filters(actor, f)))


async def list_items(
    actor: Principal | None, f: ProjectFilter, *, limit: int, offset: int = 0
) -> list[ProjectListItem]:
    """A page of the caller's visible projects, newest first."""
    where = _filters(actor, f)
    query = Project.select(
        *Project.all_columns(exclude=[Project.summary_popular, Project.summary_academic]),
        Project.group.name.as_alias("group_name"),
    ).order_by(Project.id, ascending=False)
    rows = await _query(query, where).limit(limit).offset(offset)
    return await _items(rows)


async def _items(rows: list[dict[str, Any]]) -> list[ProjectListItem]:
    ids = [r["id"] for r in rows]
    joined = await Participant.select(Participant.project, Participant.municipality).where(
        (Participant.project.is_in(ids or [-1]))
        & (Participant.status == "active")
        & Participant.municipality.is_not_null()
    )
    per_project: dict[int, list[int]] = {}
    for r in rows:
        per_project[r["id"]] = [int(i) for i in json_value(r["municipality_ids"], [])]
    for p in joined:
        if p["municipality"] not in per_project[p["project"]]:
            per_project[p["project"]].append(p["municipality"])
    names = await municipality_names(sorted({m for ms in per_project.values() for m in ms}))
    return [_item(r, per_project[r["id"]], names) for r in rows]


def _item(r: dict[str, Any], municipalities: list[int], names: dict[int, str]) -> ProjectListItem:
    return ProjectListItem(
        id=r["id"],
        cluster_id=r["cluster"],
        title=r["title"],
        status=r["status"],
        status_label=status_label(r["status"]),
        group_id=r["group"],
        group_name=r["group_name"] or "",
        proposal_id=r["proposal"],
        need_ids=[int(i) for i in json_value(r["need_ids"], [])],
        municipality_ids=municipalities,
        municipalities=[NamedRef(m, names.get(m, "")) for m in municipalities],
        service_areas=[str(a) for a in json_value(r["service_areas"], [])],
        starts_on=r["starts_on"],
        ends_on=r["ends_on"],
        is_public=bool(r["is_public"]),
        created_at=r["created_at"],
    )


async def list_page(
    actor: Principal | None, f: ProjectFilter, number: int, size: int = PAGE_SIZE
) -> Page:
    """One page of the list for the browser, with the pager's numbers."""
    total = await count_projects(actor, f)
    number = min(max(number, 1), pages_for(total, size))
    items = await list_items(actor, f, limit=size, offset=(number - 1) * size)
    return Page(items, number, pages_for(total, size), total)


async def filter_choices(actor: Principal | None) -> dict[str, list[tuple[int, str]]]:
    """The municipalities and research groups of the caller's visible projects (the list's
    filter choices), by name."""
    visible = visible_where(actor)
    query = Project.select(
        Project.municipality_ids, Project.group, Project.group.name.as_alias("group_name")
    )
    rows = await (query if visible is None else query.where(visible))
    groups = {r["group"]: r["group_name"] or "" for r in rows}
    ids = sorted({int(m) for r in rows for m in json_value(r["municipality_ids"], [])})
    names = await municipality_names(ids)
    return {
        "municipalities": sorted(names.items(), key=lambda m: m[1]),
        "groups": sorted(groups.items(), key=lambda g: g[1]),
    }
