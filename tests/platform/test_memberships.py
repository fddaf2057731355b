"""The membership lifecycle over HTTP: request, decide, withdraw, leave, request again."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from klynge.orgs.tables import ClusterMembership, MembershipEvent
from tests.platform.conftest import assert_problem, field_names


async def ask(client: Any, world: Any, who: str, cluster: str, municipality: str) -> Any:
    return await client.post(
        f"/api/clusters/{world.ids[cluster]}/membership-requests",
        headers=world.headers[who],
        json={"municipality_id": world.ids[municipality], "note": "Vi vil gjerne være med."},
    )


async def act(client: Any, world: Any, who: str, membership: int, verb: str, **body: Any) -> Any:
    return await client.post(
        f"/api/memberships/{membership}/{verb}", headers=world.headers[who], json=body
    )


def seeded(world: Any, cluster: str, municipality: str) -> int:
    return world.ids[f"membership_{cluster}_{world.ids[municipality]}"]


def transitions(body: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [(e["from_status"], e["to_status"], e["actor"]) for e in body["history"]]


async def test_full_lifecycle(client, world) -> None:
    # The seeded pending request is still open: a second one is a conflict.
    assert_problem(await ask(client, world, "coordinator_alver", "cluster_a", "alver"), 409)

    pending = seeded(world, "cluster_a", "alver")
    withdrawn = await act(client, world, "coordinator_alver", pending, "withdraw", reason="Feil")
    assert withdrawn.status_code == 200, withdrawn.text
    assert withdrawn.json()["status"] == "withdrawn"
    assert withdrawn.json()["ended_at"] is not None

    # A new request after withdrawing is a new membership row.
    created = await ask(client, world, "coordinator_alver", "cluster_a", "alver")
    assert created.status_code == 201, created.text
    request = created.json()
    assert request["id"] != pending
    assert request["status"] == "requested"
    assert transitions(request) == [("", "requested", "Coordinator Alver")]

    # The other cluster's adviser can neither decide nor see it.
    foreign = await act(client, world, "adviser_b", request["id"], "decision", approve=True)
    assert foreign.status_code == 404, foreign.text
    assert_problem(foreign, foreign.status_code)
    # Nor can the municipality approve itself.
    assert_problem(
        await act(client, world, "coordinator_alver", request["id"], "decision", approve=True), 403
    )

    approved = await act(client, world, "adviser_a", request["id"], "decision", approve=True)
    assert approved.status_code == 200, approved.text
    body = approved.json()
    assert body["status"] == "member"
    assert body["decided_at"] is not None
    assert transitions(body) == [
        ("", "requested", "Coordinator Alver"),
        ("requested", "member", "Adviser A"),
    ]
    # Deciding twice is a conflict, not a second transition.
    assert_problem(
        await act(client, world, "adviser_a", request["id"], "decision", approve=False, reason="x"),
        409,
    )

    # Membership now shows up for the municipality's people.
    clusters = await client.get("/api/clusters", headers=world.headers["coordinator_alver"])
    assert [c["name"] for c in clusters.json()] == ["Klynge Vest"]
    # A member cannot ask again.
    assert_problem(await ask(client, world, "coordinator_alver", "cluster_a", "alver"), 409)

    left = await act(client, world, "coordinator_alver", request["id"], "leave", reason="Slutt")
    assert left.status_code == 200, left.text
    assert left.json()["status"] == "left"
    assert transitions(left.json())[-1] == ("member", "left", "Coordinator Alver")
    clusters = await client.get("/api/clusters", headers=world.headers["coordinator_alver"])
    assert clusters.json() == []

    # Asking again after leaving: a new membership, and every old one keeps its history.
    again = await ask(client, world, "coordinator_alver", "cluster_a", "alver")
    assert again.status_code == 201, again.text
    assert again.json()["id"] not in (pending, request["id"])
    history = await client.get(
        f"/api/municipalities/{world.ids['alver']}/memberships",
        headers=world.headers["coordinator_alver"],
    )
    assert history.status_code == 200, history.text
    rows = {m["id"]: m for m in history.json()}
    assert [rows[i]["status"] for i in sorted(rows)] == ["withdrawn", "left", "requested"]
    assert [t[1] for t in transitions(rows[request["id"]])] == ["requested", "member", "left"]
    assert await MembershipEvent.count().where(MembershipEvent.membership == request["id"]) == 3


async def test_decline_needs_a_reason(client, world) -> None:
    request = (await ask(client, world, "coordinator_trondheim", "cluster_a", "trondheim")).json()
    for reason in ("", "   "):
        response = await act(
            client, world, "adviser_a", request["id"], "decision", approve=False, reason=reason
        )
        assert field_names(assert_problem(response, 422)) == {"reason"}
    row = await ClusterMembership.select().where(ClusterMembership.id == request["id"]).first()
    assert row["status"] == "requested"
    declined = await act(
        client,
        world,
        "adviser_a",
        request["id"],
        "decision",
        approve=False,
        reason="Kommunen ligger utenfor regionen.",
    )
    assert declined.status_code == 200, declined.text
    body = declined.json()
    assert body["status"] == "declined"
    assert body["decision_reason"] == "Kommunen ligger utenfor regionen."
    assert transitions(body)[-1] == ("requested", "declined", "Adviser A")
    # After a decline the municipality may ask again (a new row).
    again = await ask(client, world, "coordinator_trondheim", "cluster_a", "trondheim")
    assert again.status_code == 201, again.text


async def test_only_the_municipality_coordinator_may_ask(client, world) -> None:
    # coordinator_askoy coordinates Askøy, not Alver.
    response = await ask(client, world, "coordinator_askoy", "cluster_b", "alver")
    assert_problem(response, 403)
    assert_problem(await ask(client, world, "adviser_a", "cluster_b", "askoy"), 403)
    assert_problem(await ask(client, world, "nobody", "cluster_b", "askoy"), 403)
    ok = await ask(client, world, "coordinator_askoy", "cluster_b", "askoy")
    assert ok.status_code == 201, ok.text


async def test_request_to_unknown_cluster_or_municipality(client, world) -> None:
    response = await client.post(
        "/api/clusters/9999/membership-requests",
        headers=world.headers["coordinator_askoy"],
        json={"municipality_id": world.ids["askoy"]},
    )
    assert_problem(response, 404)
    response = await client.post(
        f"/api/clusters/{world.ids['cluster_b']}/membership-requests",
        headers=world.headers["admin"],
        json={"municipality_id": 9999},
    )
    assert field_names(assert_problem(response, 422)) == {"municipality_id"}


async def test_withdraw_only_own_pending_request(client, world) -> None:
    pending = seeded(world, "cluster_a", "alver")
    # Askøy's coordinator sees cluster A's memberships but may not withdraw Alver's request.
    assert_problem(await act(client, world, "coordinator_askoy", pending, "withdraw"), 403)
    assert_problem(await act(client, world, "coordinator_trondheim", pending, "withdraw"), 404)
    # A member cannot "withdraw" (that would be leaving).
    member = seeded(world, "cluster_a", "askoy")
    assert_problem(await act(client, world, "coordinator_askoy", member, "withdraw"), 409)
    row = await ClusterMembership.select().where(ClusterMembership.id == pending).first()
    assert row["status"] == "requested"


async def test_adviser_may_record_a_member_leaving(client, world) -> None:
    member = seeded(world, "cluster_a", "askoy")
    assert_problem(await act(client, world, "adviser_b", member, "leave"), 404)
    left = await act(client, world, "adviser_a", member, "leave", reason="Vedtak i kommunestyret")
    assert left.status_code == 200, left.text
    assert left.json()["status"] == "left"
    assert_problem(await act(client, world, "adviser_a", member, "leave"), 409)


async def test_motor_municipality_cannot_leave(client, world) -> None:
    motor = seeded(world, "cluster_a", "bergen")
    assert_problem(await act(client, world, "adviser_a", motor, "leave"), 409)
    assert_problem(await act(client, world, "admin", motor, "leave"), 409)
    row = await ClusterMembership.select().where(ClusterMembership.id == motor).first()
    assert row["status"] == "member"


async def test_foreign_callers_learn_nothing_about_a_membership(client, world) -> None:
    # Another cluster's adviser gets the same answer for a motor membership, an ordinary one
    # and one that does not exist: nothing reveals which is which.
    motor = seeded(world, "cluster_a", "bergen")
    member = seeded(world, "cluster_a", "askoy")
    answers = []
    for membership in (motor, member, 9999):
        response = await act(client, world, "adviser_b", membership, "leave")
        answers.append((response.status_code, response.json()["detail"]))
    assert answers[0] == answers[1] == answers[2], answers
    assert answers[0][0] == 404


@pytest.mark.parametrize("status", ["requested", "member"])
async def test_database_refuses_a_second_open_membership(db, world, status: str) -> None:
    # Askøy is a member of cluster A and Alver has a pending request: the partial unique index
    # refuses another open row even when the service's own check is bypassed.
    for municipality in ("askoy", "alver"):
        with pytest.raises(Exception, match=r"(?i)unique"):
            await ClusterMembership.insert(
                ClusterMembership(
                    cluster=world.ids["cluster_a"],
                    municipality=world.ids[municipality],
                    status=status,
                )
            )
    # Closed rows are history and may repeat.
    for closed in ("declined", "withdrawn", "left", "left"):
        await ClusterMembership.insert(
            ClusterMembership(
                cluster=world.ids["cluster_a"], municipality=world.ids["askoy"], status=closed
            )
        )
    # Opening a row in another cluster is fine.
    await ClusterMembership.insert(
        ClusterMembership(
            cluster=world.ids["cluster_b"], municipality=world.ids["askoy"], status=status
        )
    )
    assert (
        await ClusterMembership.count().where(
            ClusterMembership.municipality == world.ids["askoy"],
            ClusterMembership.status.is_in(["requested", "member"]),
        )
        == 2
    )


async def test_reopening_a_closed_row_is_refused_by_the_database(db, world) -> None:
    member = seeded(world, "cluster_a", "askoy")
    await ClusterMembership.update({ClusterMembership.status: "left"}).where(
        ClusterMembership.id == member
    )
    await ClusterMembership.insert(
        ClusterMembership(
            cluster=world.ids["cluster_a"], municipality=world.ids["askoy"], status="requested"
        )
    )
    with pytest.raises(Exception, match=r"(?i)unique"):
        await ClusterMembership.update({ClusterMembership.status: "member"}).where(
            ClusterMembership.id == member
        )


async def test_concurrent_requests_give_one_membership_and_conflicts(db, world) -> None:
    # Called on the service directly so the requests really overlap (one transaction each).
    from klynge.auth.service import load_principal
    from klynge.errors import Conflict
    from klynge.orgs import schemas, service

    actor = await load_principal(world.accounts["coordinator_trondheim"])
    assert actor is not None
    data = schemas.MembershipRequest(municipality_id=world.ids["trondheim"])
    results = await asyncio.gather(
        *(service.request_membership(actor, world.ids["cluster_a"], data) for _ in range(4)),
        return_exceptions=True,
    )
    created = [r for r in results if isinstance(r, schemas.MembershipOut)]
    conflicts = [r for r in results if isinstance(r, Conflict)]
    assert len(created) == 1, results
    assert len(conflicts) == 3, results
    assert (
        await ClusterMembership.count().where(
            ClusterMembership.municipality == world.ids["trondheim"],
            ClusterMembership.cluster == world.ids["cluster_a"],
        )
        == 1
    )


async def test_concurrent_decisions_do_not_overwrite_each_other(db, world) -> None:
    from klynge.auth.service import load_principal
    from klynge.errors import Conflict
    from klynge.orgs import schemas, service

    adviser = await load_principal(world.accounts["adviser_a"])
    admin = await load_principal(world.accounts["admin"])
    assert adviser is not None
    assert admin is not None
    pending = seeded(world, "cluster_a", "alver")
    results = await asyncio.gather(
        service.decide_membership(adviser, pending, schemas.MembershipDecision(approve=True)),
        service.decide_membership(
            admin, pending, schemas.MembershipDecision(approve=False, reason="Nei")
        ),
        return_exceptions=True,
    )
    decided = [r for r in results if isinstance(r, schemas.MembershipOut)]
    assert len(decided) == 1, results
    assert isinstance(next(r for r in results if r not in decided), Conflict), results
    row = await ClusterMembership.select().where(ClusterMembership.id == pending).first()
    assert row["status"] == decided[0].status
    events = await MembershipEvent.select().where(MembershipEvent.membership == pending)
    assert len(events) == 1
