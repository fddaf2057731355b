"""The funder's dashboard and the adviser's grants view: loads one funder's (or one cluster's)
calls, applications, budgets, grants and reports in a fixed number of queries and hands them to
the pure figures (dashboard_rules)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from klynge.auth import access as core_access
from klynge.auth.principal import Principal
from klynge.auth.roles import Role
from klynge.errors import NotFound
from klynge.i18n import N_
from klynge.orgs.tables import Cluster, Funder
from projects.grants import dashboard_rules as rules
from projects.grants.dashboard_schemas import DashboardOut, to_out
from projects.grants.tables import (
    Application,
    BudgetLine,
    Call,
    FinancingLine,
    GrantAgreement,
    GrantReport,
)

NO_FUNDER = N_("No such funder.")
NO_CLUSTER = N_("No such cluster.")


def today() -> dt.date:
    """The day the deadlines count from (a function, so tests can fix it)."""
    return dt.date.today()


def may_see_funder(actor: Principal | None, funder_id: int) -> bool:
    return actor is not None and (actor.is_admin or actor.has(Role.FUNDER_OFFICER, funder_id))


async def funders_of(actor: Principal) -> list[tuple[int, str]]:
    """The funders whose dashboard the caller may see: an admin every one, an officer theirs."""
    query = Funder.select(Funder.id, Funder.name).order_by(Funder.name)
    if not actor.is_admin:
        ids = sorted({g.org_id for g in actor.grants if g.role is Role.FUNDER_OFFICER and g.org_id})
        if not ids:
            return []
        query = query.where(Funder.id.is_in(ids))
    return [(r["id"], r["name"]) for r in await query]


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _spent(spending: Any) -> int:
    values = _json(spending) or {}
    return sum(
        int(v)
        for v in values.values()
        if isinstance(v, int | float | str) and str(v).lstrip("-").isdigit()
    )


async def _calls(where: Any) -> list[rules.CallRow]:
    rows = (
        await Call.select(Call.id, Call.title, Call.status, Call.budget_ore, Call.conditions)
        .where(where)
        .order_by(Call.opens_on)
        .order_by(Call.id)
    )
    return [
        rules.CallRow(
            r["id"], r["title"], r["status"], r["budget_ore"], _json(r["conditions"]) or []
        )
        for r in rows
    ]


async def _rows(apps_where: Any, calls_where: Any | None, *, by: Any) -> rules.Rows:
    """`by(table_path)` gives the filter on a joined application (funder or cluster)."""
    apps = await Application.select(
        Application.id,
        Application.call,
        Application.title,
        Application.status,
        Application.requested_ore,
    ).where(apps_where)
    applications = [
        rules.ApplicationRow(a["id"], a["call"], a["title"], a["status"], a["requested_ore"])
        for a in apps
    ]
    if calls_where is None:
        ids = sorted({a.call_id for a in applications})
        calls = await _calls(Call.id.is_in(ids)) if ids else []
    else:
        calls = await _calls(calls_where)
    return await _money_rows(calls, applications, by)


async def _money_rows(
    calls: list[rules.CallRow], applications: list[rules.ApplicationRow], by: Any
) -> rules.Rows:
    budget = await BudgetLine.select(
        BudgetLine.application, BudgetLine.category, BudgetLine.amount_ore, BudgetLine.year
    ).where(by(BudgetLine.application))
    financing = await FinancingLine.select(
        FinancingLine.application, FinancingLine.source, FinancingLine.amount_ore
    ).where(by(FinancingLine.application))
    grants = await GrantAgreement.select(
        GrantAgreement.id,
        GrantAgreement.application,
        GrantAgreement.amount_ore,
        GrantAgreement.starts_on,
        GrantAgreement.ends_on,
    ).where(by(GrantAgreement.application))
    reports = await GrantReport.select(
        GrantReport.id,
        GrantReport.grant,
        GrantReport.kind,
        GrantReport.due,
        GrantReport.status,
        GrantReport.rnd_spent_ore,
        GrantReport.spending,
    ).where(by(GrantReport.grant.application))
    return rules.Rows(
        calls=calls,
        applications=applications,
        budget=[
            rules.BudgetRow(b["application"], b["category"], b["amount_ore"], b["year"])
            for b in budget
        ],
        financing=[
            rules.FinancingRow(f["application"], f["source"], f["amount_ore"]) for f in financing
        ],
        grants=[
            rules.GrantRow(g["id"], g["application"], g["amount_ore"], g["starts_on"], g["ends_on"])
            for g in grants
        ],
        reports=[
            rules.ReportRow(
                r["id"],
                r["grant"],
                r["kind"],
                r["due"],
                r["status"],
                r["rnd_spent_ore"],
                _spent(r["spending"]),
            )
            for r in reports
        ],
    )


async def funder_dashboard(
    actor: Principal, funder_id: int, when: dt.date | None = None
) -> DashboardOut:
    """A funder's dashboard: its officers and admins; anyone else gets 404."""
    if not may_see_funder(actor, funder_id):
        raise NotFound(NO_FUNDER)
    funder = await Funder.select(Funder.name).where(Funder.id == funder_id).first()
    if funder is None:
        raise NotFound(NO_FUNDER)
    rows = await _rows(
        (Application.call.funder == funder_id) & (Application.status != "draft"),
        Call.funder == funder_id,
        by=lambda app: (app.call.funder == funder_id) & (app.status != "draft"),
    )
    day = when or today()
    return to_out("funder", funder_id, funder["name"], day, rules.figures(rows, day))


async def cluster_dashboard(
    actor: Principal, cluster_id: int, when: dt.date | None = None
) -> DashboardOut:
    """The grants of a cluster's projects, to any funder: its advisers and admins (404 else)."""
    if not core_access.manages_cluster(actor, cluster_id):
        raise NotFound(NO_CLUSTER)
    cluster = await Cluster.select(Cluster.name).where(Cluster.id == cluster_id).first()
    if cluster is None:
        raise NotFound(NO_CLUSTER)
    rows = await _rows(
        Application.cluster == cluster_id, None, by=lambda app: app.cluster == cluster_id
    )
    day = when or today()
    return to_out("cluster", cluster_id, cluster["name"], day, rules.figures(rows, day))
