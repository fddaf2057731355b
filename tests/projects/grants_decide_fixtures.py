"""A submitted application to funder A's call from cluster A's project (Askøy takes part), with
budget lines; officers of funder A and of another funder B (rows inserted directly: the
applications part is built by another helper)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.conftest import World
from tests.projects.test_workspace_codesign import build_ws

CRITERIA = ["Relevans", "Kvalitet"]
CONDITIONS = [
    {"kind": "no_existing_positions", "params": {}, "hard": True},
    {"kind": "min_rnd_share", "params": {"percent": 20}, "hard": True},
]


async def officer(app: Any, world: World, key: str, funder_id: int) -> int:
    from klynge.auth.passwords import hash_password
    from klynge.auth.tables import Account, RoleAssignment

    row = await Account.insert(
        Account(
            name=key.replace("_", " ").title(),
            email=f"{key}@test.klynge.no",
            password_hash=hash_password(world.password),
        )
    ).returning(Account.id)
    account_id = int(row[0]["id"])
    await RoleAssignment.insert(
        RoleAssignment(account=account_id, role="funder_officer", funder=funder_id)
    )
    world.accounts[key] = account_id
    world.headers[key] = {"Authorization": f"Bearer {app.state.codec.issue(account_id)}"}
    return account_id


async def build_grants(world: World, app: Any, *, written_standard: str = "nb") -> World:
    from klynge.orgs.tables import Funder
    from projects.grants.loading import link_funder
    from projects.grants.tables import Application, BudgetLine, Call

    await build_ws(world, app)
    funders = await Funder.insert(
        Funder(name="Stiftelsen Vest", org_number="912345678"),
        Funder(name="Fondet Midt", org_number="987654321"),
    ).returning(Funder.id)
    world.ids["funder_a"], world.ids["funder_b"] = funders[0]["id"], funders[1]["id"]
    await officer(app, world, "officer_a", world.ids["funder_a"])
    await officer(app, world, "officer_b", world.ids["funder_b"])
    call = await Call.insert(
        Call(
            funder=world.ids["funder_a"],
            title="Tidlig innsats 2027",
            opens_on=dt.date(2026, 1, 1),
            closes_on=dt.date(2026, 12, 31),
            budget_ore=500_000_000,
            conditions=CONDITIONS,
            report_schedule={"progress_months": 6, "final": True},
            criteria=CRITERIA,
            status="published",
        )
    ).returning(Call.id)
    world.ids["call"] = call[0]["id"]
    application = await Application.insert(
        Application(
            call=world.ids["call"],
            project=world.ids["project"],
            cluster=world.ids["cluster_a"],
            title="Skolefravær i Askøy",
            written_standard=written_standard,
            status="submitted",
            requested_ore=100_000_000,
            submitted_at=dt.datetime.now(dt.UTC),
        )
    ).returning(Application.id)
    world.ids["application"] = application[0]["id"]
    lines = await BudgetLine.insert(
        BudgetLine(application=world.ids["application"], year=2027, category="rnd",
                   description="Følgeforskning", amount_ore=40_000_000),
        BudgetLine(application=world.ids["application"], year=2027, category="new_position",
                   description="Prosjektstilling", amount_ore=60_000_000, fte_percent=50),
    ).returning(BudgetLine.id)  # fmt: skip
    world.ids["line_rnd"], world.ids["line_position"] = lines[0]["id"], lines[1]["id"]
    await link_funder(world.ids["project"], world.ids["funder_a"])
    return world


GRANT = {
    "decision": "granted",
    "amount_ore": 90_000_000,
    "starts_on": "2027-01-01",
    "ends_on": "2028-12-31",
    "extra_conditions": "Rapportene skal omtale brukermedvirkning.",
}


async def grant(client: Any, w: World) -> dict[str, Any]:
    """Grant the application (funder A); the decision's body."""
    response = await client.post(
        f"/api/applications/{w.ids['application']}/decision",
        json=GRANT,
        headers=w.headers["officer_a"],
    )
    assert response.status_code == 200, response.text
    w.ids["grant"] = response.json()["grant_id"]
    return dict(response.json())


async def notices(account_id: int) -> list[dict[str, Any]]:
    from klynge.notifications import Notification

    return list(await Notification.select().where(Notification.account == account_id))
