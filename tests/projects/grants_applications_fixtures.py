"""A world for the applications tests: a project of cluster A (leader, researcher, two
municipalities, a research group), a project of cluster B, two funders with an officer each,
and an open call of funder 1 with a minimum R&D share and no existing positions."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.conftest import World

TODAY = dt.datetime.now(dt.UTC).date()
CONDITIONS = [
    {"kind": "min_rnd_share", "params": {"percent": 20}, "hard": True},
    {"kind": "no_existing_positions", "params": {}, "hard": True},
    {"kind": "rnd_partner", "params": {}, "hard": True},
]


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


async def _project(world: World, cluster: str, title: str, leader: int | None) -> int:
    from projects.tables import Project
    from projects.workspace.approvals import on_project_created

    row = await Project.insert(
        Project(
            cluster=world.ids[cluster],
            group=world.ids["group"],
            title=title,
            leader=leader,
            starts_on=dt.date(TODAY.year, 1, 1),
            ends_on=dt.date(TODAY.year + 1, 12, 31),
            municipality_ids=[world.ids["bergen"], world.ids["askoy"]],
            summary_language="nn",
        )
    ).returning(Project.id)
    await on_project_created(row[0]["id"])
    return int(row[0]["id"])


async def _call(world: World, funder: int, title: str, **extra: Any) -> int:
    from projects.grants.tables import Call

    values: dict[str, Any] = {
        "funder": funder,
        "title": title,
        "opens_on": TODAY - dt.timedelta(days=10),
        "closes_on": TODAY + dt.timedelta(days=30),
        "status": "published",
        "max_per_application_ore": 200_000_000,
        "conditions": CONDITIONS,
    }
    values.update(extra)
    row = await Call.insert(Call(**values)).returning(Call.id)
    return int(row[0]["id"])


@pytest.fixture
async def ga(app: Any, world: World) -> World:
    from klynge.orgs.tables import Funder, ResearchGroup

    group = await ResearchGroup.insert(
        ResearchGroup(
            name="Skole og samarbeid", institution="UiB", org_number="974760673", sector="uoh"
        )
    ).returning(ResearchGroup.id)
    world.ids["group"] = group[0]["id"]
    for key, name in (("funder", "Stiftelsen Vest"), ("funder_2", "Fondet Nord")):
        row = await Funder.insert(Funder(name=name, org_number="999999999")).returning(Funder.id)
        world.ids[key] = row[0]["id"]
    await account(app, world, "officer", role="funder_officer", funder=world.ids["funder"])
    await account(app, world, "officer_2", role="funder_officer", funder=world.ids["funder_2"])
    leader = await account(
        app, world, "leader", role="researcher", research_group=world.ids["group"]
    )
    world.ids["project"] = await _project(world, "cluster_a", "Samarbeid om skolefravær", leader)
    world.ids["project_b"] = await _project(world, "cluster_b", "Midt-prosjekt", None)
    world.ids["call"] = await _call(world, world.ids["funder"], "Utlysning 2027")
    world.ids["closed_call"] = await _call(
        world,
        world.ids["funder"],
        "Gammel utlysning",
        opens_on=TODAY - dt.timedelta(days=90),
        closes_on=TODAY - dt.timedelta(days=1),
    )
    return world


async def start(client: Any, w: World, who: str = "leader", **body: Any) -> dict[str, Any]:
    payload = {"project_id": w.ids["project"], "call_id": w.ids["call"], **body}
    response = await client.post("/api/applications", json=payload, headers=w.headers[who])
    assert response.status_code == 201, response.text
    return response.json()


def year() -> int:
    return TODAY.year


BUDGET_14 = [  # R&D share 14 %
    {
        "year": TODAY.year,
        "category": "new_position",
        "fte_percent": 50,
        "amount": "600 000",
        "description": "Prosjektleder",
    },
    {"year": TODAY.year, "category": "rnd", "amount": "140 000", "description": "Følgeforskning"},
    {"year": TODAY.year + 1, "category": "operations", "amount": 260000, "description": "Drift"},
]
