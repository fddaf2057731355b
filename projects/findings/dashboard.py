"""The return-rate dashboard: how published findings came back, per cluster, project and
municipality, for those who may see them (`dashboard_rules.Scope`): an adviser their clusters,
an admin everything, a funder officer the projects of its grants (`Project.funder_ids`), a
coordinator the deliveries to their municipality. Others see an empty dashboard.

One statement whatever the number of rows: the figures are aggregated in SQL
(`dashboard_sql`). The public portal's figures are each public cluster's aggregates only
(numbers, never answers)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from klynge.auth.principal import Principal
from klynge.auth.roles import Role
from projects.findings import dashboard_rules as rules
from projects.findings import dashboard_sql
from projects.findings.dashboard_schemas import (
    FiguresOut,
    GroupOut,
    PublicReturnRatesOut,
    ReturnRatesOut,
)
from projects.findings.schedule import load_schedule


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


def _groups(named: dashboard_sql.Named, level: str) -> list[GroupOut]:
    figures: dict[int, rules.Figures] = getattr(named.breakdown, level)
    items = [GroupOut(k, named.names[(level, k)], figures_out(v)) for k, v in figures.items()]
    return sorted(items, key=lambda g: (g.name.casefold(), g.id))


async def return_rates(actor: Principal, f: Filters | None = None) -> ReturnRatesOut:
    """The caller's return-rate dashboard (empty when they may see nothing)."""
    f = f or Filters()
    scope = scope_of(actor)
    if scope.empty:
        return ReturnRatesOut(
            total=figures_out(rules.Figures()), clusters=[], projects=[], municipalities=[]
        )
    seen = dashboard_sql.Seen(
        everything=scope.everything,
        clusters=scope.clusters,
        funders=scope.funders,
        municipalities=scope.municipalities,
        cluster_id=f.cluster_id,
        project_id=f.project_id,
        municipality_id=f.municipality_id,
    )
    named = await dashboard_sql.aggregate(seen, now(), load_schedule())
    return ReturnRatesOut(
        total=figures_out(named.breakdown.total),
        clusters=_groups(named, "clusters"),
        projects=_groups(named, "projects"),
        municipalities=_groups(named, "municipalities"),
    )


async def public_return_rates() -> PublicReturnRatesOut:
    """Each public cluster's aggregate figures (numbers only; no project, no municipality)."""
    named = await dashboard_sql.aggregate(
        dashboard_sql.Seen(public=True), now(), load_schedule(), (dashboard_sql.CLUSTER,)
    )
    return PublicReturnRatesOut(clusters=_groups(named, "clusters"))
