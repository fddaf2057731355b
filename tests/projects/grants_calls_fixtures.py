"""Funders, funder officers and a valid call body for the calls tests."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import World


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


@pytest.fixture
async def fw(app: Any, world: World) -> World:
    """Two funders, each with an officer."""
    from klynge.orgs.tables import Funder

    for key, name, org in (
        ("funder_a", "Forskningsrådet", "919908006"),
        ("funder_b", "Stiftelsen", "999999999"),
    ):
        row = await Funder.insert(Funder(name=name, org_number=org)).returning(Funder.id)
        world.ids[key] = row[0]["id"]
    await account(app, world, "officer_a", role="funder_officer", funder=world.ids["funder_a"])
    await account(app, world, "officer_b", role="funder_officer", funder=world.ids["funder_b"])
    return world


def body(w: World, **over: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "funder_id": w.ids["funder_a"],
        "title": "Kunnskapsbaserte tiltak",
        "description": "Tiltak for barn og unge.",
        "opens_on": "2026-01-01",
        "closes_on": "2099-12-31",
        "budget": "10 000 000",
        "max_per_application": "1 500 000",
        "eligible_kinds": ["cluster"],
        "criteria": ["Relevans", "Kvalitet"],
        "report_schedule": {"progress_months": 6, "final": True},
        "conditions": [
            {"kind": "full_financing"},
            {"kind": "min_rnd_share", "params": {"percent": 20}},
            {"kind": "approvals", "params": {"kinds": ["data_protection"]}},
            {"kind": "max_amount", "hard": True},
        ],
        "is_public": True,
    }
    return data | over
