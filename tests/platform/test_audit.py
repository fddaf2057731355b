"""The audit log: written by use cases, append-only in the database, read per cluster."""

from __future__ import annotations

import json
from typing import Any

import pytest

from klynge import audit
from klynge.audit import AuditEvent
from tests.platform.conftest import assert_problem


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


async def events(action: str) -> list[dict[str, Any]]:
    rows = await AuditEvent.select().where(AuditEvent.action == action).order_by(AuditEvent.id)
    for row in rows:
        row["before"], row["after"] = _json(row["before"]), _json(row["after"])
    return rows


async def test_creating_a_cluster_is_audited(client, world) -> None:
    response = await client.post(
        "/api/clusters",
        headers=world.headers["admin"],
        json={
            "name": "Klynge Nord",
            "motor_municipality_id": world.ids["alver"],
            "description": "Ny klynge",
            "adviser_ids": [world.accounts["nobody"]],
        },
    )
    assert response.status_code == 201, response.text
    cluster_id = response.json()["id"]
    [created] = await events("cluster.create")
    assert created["actor_id"] == world.accounts["admin"]
    assert created["actor_name"] == "Admin"
    assert created["object_type"] == "cluster"
    assert created["object_id"] == str(cluster_id)
    assert created["cluster_id"] == cluster_id
    assert created["before"] is None
    assert created["after"]["name"] == "Klynge Nord"
    assert created["after"]["description"] == "Ny klynge"
    [grant] = await events("role.grant")
    assert grant["actor_id"] == world.accounts["admin"]
    assert grant["object_id"] == str(world.accounts["nobody"])
    assert grant["after"] == {"role": "adviser", "cluster": cluster_id}


async def test_refused_change_leaves_no_audit_record(client, world) -> None:
    response = await client.post(
        "/api/clusters",
        headers=world.headers["admin"],
        json={"name": "Klynge Vest", "motor_municipality_id": world.ids["alver"]},
    )
    assert response.status_code == 409
    assert await AuditEvent.count() == 0


async def test_approving_a_membership_is_audited_with_before_and_after(client, world) -> None:
    pending = world.ids[f"membership_cluster_a_{world.ids['alver']}"]
    response = await client.post(
        f"/api/memberships/{pending}/decision",
        headers=world.headers["adviser_a"],
        json={"approve": True, "reason": "Velkommen"},
    )
    assert response.status_code == 200, response.text
    [approved] = await events("membership.approve")
    assert approved["actor_id"] == world.accounts["adviser_a"]
    assert approved["actor_name"] == "Adviser A"
    assert approved["object_type"] == "membership"
    assert approved["object_id"] == str(pending)
    assert approved["cluster_id"] == world.ids["cluster_a"]
    assert approved["before"]["status"] == "requested"
    assert approved["before"]["decided_by"] is None
    assert approved["after"]["status"] == "member"
    assert approved["after"]["decided_by"] == world.accounts["adviser_a"]
    assert approved["after"]["decision_reason"] == "Velkommen"


async def test_account_audit_never_holds_the_password_hash(client, world) -> None:
    response = await client.post(
        "/api/accounts",
        headers=world.headers["admin"],
        json={"name": "Ny Bruker", "email": "ny@test.klynge.no", "password": "et-langt-passord"},
    )
    assert response.status_code == 201, response.text
    [created] = await events("account.create")
    assert "password_hash" not in created["after"]
    assert "argon2" not in json.dumps(created["after"])
    assert "et-langt-passord" not in json.dumps(created["after"])


# --- append-only -----------------------------------------------------------------------------


@pytest.fixture
async def one_event(db) -> int:
    await audit.record(None, "test.event", "thing", 1, after={"x": 1})
    row = await AuditEvent.select(AuditEvent.id).first()
    return int(row["id"])


async def test_update_is_refused(one_event: int) -> None:
    with pytest.raises(Exception, match="append-only"):
        await AuditEvent.raw("UPDATE audit_event SET action = 'forged' WHERE id = {}", one_event)
    with pytest.raises(Exception, match="append-only"):
        await AuditEvent.update({AuditEvent.actor_name: "someone else"}).where(
            AuditEvent.id == one_event
        )
    row = await AuditEvent.select().where(AuditEvent.id == one_event).first()
    assert row["action"] == "test.event"
    assert row["actor_name"] == ""


async def test_delete_is_refused(one_event: int) -> None:
    with pytest.raises(Exception, match="append-only"):
        await AuditEvent.raw("DELETE FROM audit_event WHERE id = {}", one_event)
    with pytest.raises(Exception, match="append-only"):
        await AuditEvent.delete(force=True)
    assert await AuditEvent.count() == 1


async def test_inserting_still_works(one_event: int) -> None:
    await AuditEvent.raw(
        "INSERT INTO audit_event (at, actor_name, action, object_type, object_id) "
        "VALUES (CURRENT_TIMESTAMP, '', 'test.raw', 'thing', '2')"
    )
    assert await AuditEvent.count() == 2


# --- reading it ------------------------------------------------------------------------------


async def _seed_events(world: Any) -> None:
    await audit.record(None, "a.one", "cluster", 1, cluster_id=world.ids["cluster_a"])
    await audit.record(None, "a.two", "cluster", 1, cluster_id=world.ids["cluster_a"])
    await audit.record(None, "b.one", "cluster", 2, cluster_id=world.ids["cluster_b"])
    await audit.record(None, "platform.one", "municipality", 3)


async def actions(client: Any, headers: dict[str, str], query: str = "") -> list[str]:
    response = await client.get(f"/api/audit{query}", headers=headers)
    assert response.status_code == 200, response.text
    return [e["action"] for e in response.json()]


async def test_admin_sees_everything_newest_first(client, world) -> None:
    await _seed_events(world)
    admin = world.headers["admin"]
    assert await actions(client, admin) == ["platform.one", "b.one", "a.two", "a.one"]
    assert await actions(client, admin, f"?cluster_id={world.ids['cluster_b']}") == ["b.one"]
    assert await actions(client, admin, "?limit=2") == ["platform.one", "b.one"]
    first = (await client.get("/api/audit?limit=2", headers=admin)).json()
    assert await actions(client, admin, f"?before_id={first[-1]['id']}") == ["a.two", "a.one"]


async def test_adviser_sees_only_their_clusters(client, world) -> None:
    await _seed_events(world)
    a, b = world.ids["cluster_a"], world.ids["cluster_b"]
    assert await actions(client, world.headers["adviser_a"]) == ["a.two", "a.one"]
    assert await actions(client, world.headers["adviser_b"]) == ["b.one"]
    # Asking for another cluster by id gives nothing.
    assert await actions(client, world.headers["adviser_a"], f"?cluster_id={b}") == []
    assert await actions(client, world.headers["adviser_a"], f"?cluster_id={a}") == [
        "a.two",
        "a.one",
    ]


@pytest.mark.parametrize(
    "key", ["coordinator_askoy", "coordinator_trondheim", "leader_askoy", "nobody"]
)
async def test_others_get_403(client, world, key: str) -> None:
    await _seed_events(world)
    assert_problem(await client.get("/api/audit", headers=world.headers[key]), 403)


async def test_audit_needs_login(client, world) -> None:
    assert_problem(await client.get("/api/audit"), 401)


async def test_bad_query_values_are_400(client, world) -> None:
    for query in ("?limit=abc", "?cluster_id=x", "?before_id=1.5"):
        response = await client.get(f"/api/audit{query}", headers=world.headers["admin"])
        assert_problem(response, 400)
