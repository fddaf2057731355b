"""Rows for the dashboard tests: two funders with an officer each, projects in clusters A and B,
calls, applications with budgets and financing, grants and reports (inserted directly)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.conftest import World

TODAY = dt.date(2026, 6, 1)


async def account(app: Any, world: World, key: str, **grant: Any) -> int:
    from klynge.auth.passwords import hash_password
    from klynge.auth.tables import Account, RoleAssignment

    row = await Account.insert(
        Account(
            name=key.title(),
            email=f"{key}@test.klynge.no",
            password_hash=hash_password(world.password),
        )
    ).returning(Account.id)
    account_id = int(row[0]["id"])
    if grant:
        await RoleAssignment.insert(RoleAssignment(account=account_id, **grant))
    world.accounts[key] = account_id
    world.headers[key] = {"Authorization": f"Bearer {app.state.codec.issue(account_id)}"}
    return account_id


async def project(world: World, cluster: str, title: str) -> int:
    from klynge.orgs.tables import ResearchGroup
    from projects.tables import Project, Proposal

    if "group" not in world.ids:
        group = await ResearchGroup.insert(
            ResearchGroup(name="Skole", institution="UiB", org_number="974760673", sector="uoh")
        ).returning(ResearchGroup.id)
        world.ids["group"] = group[0]["id"]
    proposal = await Proposal.insert(
        Proposal(
            cluster=world.ids[cluster], group=world.ids["group"], title=title, status="accepted"
        )
    ).returning(Proposal.id)
    row = await Project.insert(
        Project(
            cluster=world.ids[cluster],
            proposal=proposal[0]["id"],
            group=world.ids["group"],
            title=title,
        )
    ).returning(Project.id)
    return int(row[0]["id"])


async def call(
    world: World, funder: str, title: str, budget_ore: int, conditions: list[Any]
) -> int:
    from projects.grants.tables import Call

    row = await Call.insert(
        Call(
            funder=world.ids[funder], title=title, opens_on=dt.date(2026, 1, 1),
            closes_on=dt.date(2026, 3, 1), budget_ore=budget_ore, status="published",
            conditions=conditions,
        )
    ).returning(Call.id)  # fmt: skip
    return int(row[0]["id"])


async def application(
    world: World, call_id: int, project_id: int, cluster: str, title: str, status: str,
    requested_ore: int, budget: list[tuple[str, int]] = (), financing: list[tuple[str, int]] = (),
) -> int:  # fmt: skip
    from projects.grants.tables import Application, BudgetLine, FinancingLine

    row = await Application.insert(
        Application(
            call=call_id, project=project_id, cluster=world.ids[cluster], title=title,
            status=status, requested_ore=requested_ore,
        )
    ).returning(Application.id)  # fmt: skip
    app_id = int(row[0]["id"])
    for category, amount in budget:
        await BudgetLine.insert(
            BudgetLine(application=app_id, year=2026, category=category, amount_ore=amount)
        )
    for source, amount in financing:
        await FinancingLine.insert(
            FinancingLine(application=app_id, source=source, amount_ore=amount)
        )
    return app_id


async def grant(app_id: int, amount_ore: int, starts_on: dt.date) -> int:
    from projects.grants.tables import GrantAgreement

    row = await GrantAgreement.insert(
        GrantAgreement(
            application=app_id, amount_ore=amount_ore, starts_on=starts_on,
            ends_on=starts_on + dt.timedelta(days=365),
        )
    ).returning(GrantAgreement.id)  # fmt: skip
    return int(row[0]["id"])


async def report(
    grant_id: int, due: dt.date, status: str = "due", rnd_spent_ore: int = 0,
    spending: dict[str, int] | None = None, kind: str = "progress",
) -> int:  # fmt: skip
    from projects.grants.tables import GrantReport

    row = await GrantReport.insert(
        GrantReport(
            grant=grant_id, kind=kind, period_start=due - dt.timedelta(days=180),
            period_end=due, due=due, status=status, rnd_spent_ore=rnd_spent_ore,
            spending=spending or {},
        )
    ).returning(GrantReport.id)  # fmt: skip
    return int(row[0]["id"])


async def build(app: Any, world: World) -> World:
    """Funder "Forskingsfondet" (officer_f1) with two calls; funder "Annet fond" (officer_f2)
    with one. Applications from cluster A's project and cluster B's."""
    from klynge.orgs.tables import Funder

    for key, name in (("funder_1", "Forskingsfondet"), ("funder_2", "Annet fond")):
        row = await Funder.insert(Funder(name=name, org_number="999888777")).returning(Funder.id)
        world.ids[key] = row[0]["id"]
    await account(app, world, "officer_f1", role="funder_officer", funder=world.ids["funder_1"])
    await account(app, world, "officer_f2", role="funder_officer", funder=world.ids["funder_2"])
    pa = await project(world, "cluster_a", "Skolefravær")
    pb = await project(world, "cluster_b", "Hjemmetjenester")
    conditions = [
        {"kind": "min_rnd_share", "params": {"percent": 20}, "hard": True},
        {"kind": "co_financing", "params": {"own_percent": 20}, "hard": True},
        {"kind": "rnd_partner", "params": {}, "hard": True},
    ]
    c1 = await call(world, "funder_1", "Innovasjon i skolen", 1_000_000_00, conditions)
    c2 = await call(world, "funder_1", "Helse og omsorg", 500_000_00, [])
    c3 = await call(world, "funder_2", "Annet fonds utlysning", 300_000_00, [])
    world.ids |= {"call_1": c1, "call_2": c2, "call_3": c3}
    a1 = await application(
        world, c1, pa, "cluster_a", "Fravær A", "granted", 400_000_00,
        [("rnd", 100_000_00), ("operations", 300_000_00)],
        [("this_funder", 320_000_00), ("own", 80_000_00)],
    )  # fmt: skip
    a2 = await application(
        world, c1, pb, "cluster_b", "Fravær B", "granted", 200_000_00,
        [("rnd", 20_000_00), ("operations", 180_000_00)], [("this_funder", 200_000_00)],
    )  # fmt: skip
    a3 = await application(world, c2, pa, "cluster_a", "Omsorg A", "submitted", 150_000_00)
    a4 = await application(world, c2, pa, "cluster_a", "Utkast A", "draft", 10_000_00)
    a5 = await application(world, c3, pa, "cluster_a", "Annet A", "granted", 50_000_00)
    world.ids |= {"app_1": a1, "app_2": a2, "app_3": a3, "app_4": a4, "app_5": a5}
    g1 = await grant(a1, 350_000_00, dt.date(2026, 4, 1))
    g2 = await grant(a2, 150_000_00, dt.date(2025, 9, 1))
    g5 = await grant(a5, 50_000_00, dt.date(2026, 4, 1))
    world.ids |= {"grant_1": g1, "grant_2": g2, "grant_5": g5}
    world.ids["report_due"] = await report(g1, TODAY + dt.timedelta(days=10))
    world.ids["report_later"] = await report(g1, TODAY + dt.timedelta(days=90), kind="final")
    world.ids["report_overdue"] = await report(g2, TODAY - dt.timedelta(days=5))
    world.ids["report_approved"] = await report(
        g2, TODAY - dt.timedelta(days=60), "approved", 30_000_00, {"1": 100_000_00}
    )
    world.ids["report_other"] = await report(g5, TODAY - dt.timedelta(days=5))
    return world
