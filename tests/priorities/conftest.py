"""Fixtures for the priorities app: the core's two-cluster world plus services and raters."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import World


@pytest.fixture
async def needs_world(app, world: World) -> World:  # type: ignore[no-untyped-def]
    """Adds services in Bergen and Askøy (cluster A) and Trondheim (cluster B), and a
    coordinator for Bergen."""
    from klynge.auth.tables import Account, RoleAssignment
    from klynge.orgs.tables import Service

    for key, muni, kind, name in (
        ("bergen_skole", "bergen", "skole", "Skolene i Bergen"),
        ("bergen_helsestasjon", "bergen", "helsestasjon", "Helsestasjon Bergen"),
        ("askoy_ppt", "askoy", "ppt", "PPT Askøy"),
        ("trondheim_nav", "trondheim", "nav", "NAV Trondheim"),
    ):
        row = await Service.insert(
            Service(municipality=world.ids[muni], service_type=kind, name=name)
        ).returning(Service.id)
        world.ids[key] = row[0]["id"]
    row = await Account.insert(
        Account(
            name="Coordinator Bergen", email="coordinator_bergen@test.klynge.no", password_hash="x"
        )
    ).returning(Account.id)
    world.accounts["coordinator_bergen"] = row[0]["id"]
    await RoleAssignment.insert(
        RoleAssignment(account=row[0]["id"], role="coordinator", municipality=world.ids["bergen"])
    )
    world.headers["coordinator_bergen"] = {
        "Authorization": f"Bearer {app.state.codec.issue(row[0]['id'])}"
    }
    return world


def need_body(world: World, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "cluster_id": world.ids["cluster_a"],
        "municipality_id": world.ids["askoy"],
        "service_id": world.ids["askoy_barnevern"],
        "title": "Samarbeid mellom skole og barnevern om elever med høyt fravær",
        "question": "Hvordan kan skole og barnevern samarbeide bedre om elever med høyt "
        "skolefravær?",
        "background": "Vi ser økende fravær på ungdomsskolen og vet lite om hva som virker.",
        "age_from": 12,
        "age_to": 16,
        "target_group": "Elever i ungdomsskolen med bekymringsfullt fravær",
        "service_ids": [world.ids["askoy_barnevern"], world.ids["bergen_skole"]],
        "prevention_level": "selected",
        "intended_use": "service_development",
        "submit": True,
    }
    body.update(overrides)
    return body


def synthetic_fnr() -> str:
    """A valid synthetic fødselsnummer (month + 80, as in test-person registers)."""
    base = "0185" + "90" + "123"  # 1 May 1990 as a synthetic (month 05 + 80)
    w1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
    w2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
    for serial in range(100, 1000):
        digits = base[:6] + str(serial)
        k1 = (11 - sum(w * int(d) for w, d in zip(w1, digits, strict=True)) % 11) % 11
        if k1 == 10:
            continue
        digits += str(k1)
        k2 = (11 - sum(w * int(d) for w, d in zip(w2, digits, strict=True)) % 11) % 11
        if k2 == 10:
            continue
        return digits + str(k2)
    raise AssertionError("no synthetic number found")
