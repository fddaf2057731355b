"""The return-rate dashboard: how published findings came back, per cluster, project and
municipality, for those who may see them (`dashboard_rules.Scope`): an adviser their clusters,
an admin everything, a funder officer the projects of its grants (`Project.funder_ids`), a
coordinator the deliveries to their municipality. Others see an empty dashboard.

A fixed number of queries whatever the number of rows: the candidate projects (with their
cluster's name), the published outcomes, the deliveries, and the municipalities' names. The
public portal's figures are each public cluster's aggregates only (numbers, never answers)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from klynge import directory
from klynge.auth.principal import Principal
from klynge.auth.roles import Role
from projects.findings import dashboard_rules as rules
from projects.findings.dashboard_schemas import (
    FiguresOut,
    GroupOut,
    PublicReturnRatesOut,
    ReturnRatesOut,
)
from projects.findings.schedule import load_schedule
from projects.findings.tables import Delivery, Outcome
from projects.tables import Project


@dataclass(frozen=True, slots=True)
class Filters:
    cluster_id: int | None = None
    project_id: int | None = None
    municipality_id: int | None = None


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def scope_of(actor: Principal) -> rules.Scope:
    return rules.Scope(
        everything=actor.is_admin,
        clusters=actor.org_ids(Role.ADVISER),
        funders=actor.org_ids(Role.FUNDER_OFFICER),
        municipalities=actor.org_ids(Role.COORDINATOR),
    )


def _aware(value: Any) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, str):  # SQLite
        value = dt.datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _list(value: Any) -> list[int]:
    if isinstance(value, str):  # SQLite keeps arrays as JSON text
        import json

        value = json.loads(value or "[]")
    return [int(v) for v in value or []]


async def _projects(f: Filters, public: bool = False) -> list[dict[str, Any]]:
    """Projects with a published outcome (one query), with their cluster's name."""
    where = Project.id.is_in(Outcome.select(Outcome.project).where(Outcome.status == "published"))
    if f.cluster_id is not None:
        where &= Project.cluster == f.cluster_id
    if f.project_id is not None:
        where &= Project.id == f.project_id
    if public:
        where &= Project.cluster.is_public == True  # noqa: E712 - SQL
    return list(
        await Project.select(
            Project.id,
            Project.title,
            Project.cluster,
            Project.cluster.name.as_alias("cluster_name"),
            Project.funder_ids,
        ).where(where)
    )


def _delivery_row(r: Mapping[str, Any]) -> rules.DeliveryRow:
    return rules.DeliveryRow(
        delivery_id=r["id"],
        outcome_id=r["outcome"],
        cluster_id=r["cluster"],
        project_id=r["project"],
        municipality_id=r["municipality"],
        created_at=_aware(r["created_at"]) or now(),
        read_at=_aware(r["read_at"]),
        answered_at=_aware(r["answered_at"]),
        will_use=r["will_use"] or "",
    )


async def _rows(
    full: list[int], municipalities: list[int], f: Filters
) -> tuple[list[rules.OutcomeRow], list[rules.DeliveryRow]]:
    """The published outcomes of the `full` projects and the deliveries the caller sees: all of
    the `full` projects' and those to `municipalities` (two queries)."""
    seen = Delivery.project.is_in(full or [-1])
    if municipalities:
        seen |= Delivery.municipality.is_in(municipalities)
    where = (Delivery.outcome.status == "published") & seen
    if f.cluster_id is not None:
        where &= Delivery.cluster == f.cluster_id
    if f.project_id is not None:
        where &= Delivery.project == f.project_id
    if f.municipality_id is not None:
        where &= Delivery.municipality == f.municipality_id
    columns = (Delivery.id, Delivery.outcome, Delivery.cluster, Delivery.project)
    more = (Delivery.municipality, Delivery.created_at, Delivery.read_at, Delivery.answered_at)
    rows = await Delivery.select(*columns, *more, Delivery.will_use).where(where)
    deliveries = [_delivery_row(r) for r in rows]
    # Distinct as plain tuples first: hashing thousands of frozen dataclasses is slow.
    keys = {(d.outcome_id, d.cluster_id, d.project_id) for d in deliveries}
    if f.municipality_id is None:  # a municipality's outcomes: those delivered to it
        published = await Outcome.select(Outcome.id, Outcome.cluster, Outcome.project).where(
            (Outcome.status == "published") & Outcome.project.is_in(full or [-1])
        )
        keys |= {(o["id"], o["cluster"], o["project"]) for o in published}
    return [rules.OutcomeRow(*key) for key in sorted(keys)], deliveries


def figures_out(f: rules.Figures) -> FiguresOut:
    return FiguresOut(
        outcomes=f.outcomes,
        deliveries=f.deliveries,
        acknowledged=f.acknowledged,
        answered=f.answered,
        will_use_yes=f.will_use_yes,
        will_use_partly=f.will_use_partly,
        overdue=f.overdue,
        median_days=f.median_days,
        answered_percent=f.answered_percent,
    )


def _groups(figures: dict[int, rules.Figures], names: Mapping[int, str]) -> list[GroupOut]:
    items = [GroupOut(k, names.get(k, str(k)), figures_out(v)) for k, v in figures.items()]
    return sorted(items, key=lambda g: (g.name.casefold(), g.id))


async def return_rates(actor: Principal, f: Filters | None = None) -> ReturnRatesOut:
    """The caller's return-rate dashboard (empty when they may see nothing)."""
    f = f or Filters()
    scope = scope_of(actor)
    projects = [] if scope.empty else await _projects(f)
    full = [
        p["id"] for p in projects if rules.sees_project(scope, p["cluster"], _list(p["funder_ids"]))
    ]
    outcomes, deliveries = await _rows(full, sorted(scope.municipalities), f)
    b = rules.breakdown(outcomes, deliveries, now(), load_schedule())
    municipality_names = await directory.municipality_names(sorted(b.municipalities))
    return ReturnRatesOut(
        total=figures_out(b.total),
        clusters=_groups(b.clusters, {p["cluster"]: p["cluster_name"] for p in projects}),
        projects=_groups(b.projects, {p["id"]: p["title"] for p in projects}),
        municipalities=_groups(b.municipalities, municipality_names),
    )


async def public_return_rates() -> PublicReturnRatesOut:
    """Each public cluster's aggregate figures (numbers only; no project, no municipality)."""
    projects = await _projects(Filters(), public=True)
    outcomes, deliveries = await _rows([p["id"] for p in projects], [], Filters())
    b = rules.breakdown(outcomes, deliveries, now(), load_schedule())
    names = {p["cluster"]: p["cluster_name"] for p in projects}
    return PublicReturnRatesOut(clusters=_groups(b.clusters, names))
