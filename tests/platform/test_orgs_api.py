"""Organisations over HTTP: tenant isolation, identifier validation, the privacy guard."""

from __future__ import annotations

from typing import Any

import pytest

from klynge.orgs.tables import Cluster, Funder, Municipality, ResearchGroup
from tests.conftest import BACKEND
from tests.platform.conftest import assert_problem, field_names

K1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
K2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def synthetic_fnr(day: int = 14, month: int = 3, year: int = 95) -> str:
    """A synthetic test person's number (month + 80) with correct check digits."""
    for individual in range(100, 500):
        base = f"{day:02d}{month + 80:02d}{year:02d}{individual:03d}"
        k1 = (11 - sum(w * int(d) for w, d in zip(K1, base, strict=True)) % 11) % 11
        if k1 == 10:
            continue
        k2 = (11 - sum(w * int(d) for w, d in zip(K2, base + str(k1), strict=True)) % 11) % 11
        if k2 == 10:
            continue
        return base + str(k1) + str(k2)
    raise AssertionError("no valid number")


def test_synthetic_fnr_has_valid_check_digits() -> None:
    number = synthetic_fnr()
    digits = [int(d) for d in number]
    assert sum(w * d for w, d in zip((*K1, 1), digits[:10], strict=True)) % 11 == 0
    assert sum(w * d for w, d in zip((*K2, 1), digits, strict=True)) % 11 == 0
    assert int(number[2:4]) > 80


# --- tenant isolation ------------------------------------------------------------------------


async def test_adviser_cannot_read_another_cluster(client, world) -> None:
    a, b = world.ids["cluster_a"], world.ids["cluster_b"]
    assert_problem(await client.get(f"/api/clusters/{a}", headers=world.headers["adviser_b"]), 403)
    assert_problem(
        await client.get(f"/api/clusters/{a}/memberships", headers=world.headers["adviser_b"]), 403
    )
    own = await client.get(f"/api/clusters/{b}", headers=world.headers["adviser_b"])
    assert own.status_code == 200
    assert own.json()["name"] == "Klynge Midt"


async def test_cluster_list_shows_only_own_clusters(client, world) -> None:
    async def names(key: str) -> list[str]:
        response = await client.get("/api/clusters", headers=world.headers[key])
        assert response.status_code == 200, response.text
        return [c["name"] for c in response.json()]

    assert await names("adviser_a") == ["Klynge Vest"]
    assert await names("adviser_b") == ["Klynge Midt"]
    assert await names("coordinator_askoy") == ["Klynge Vest"]  # a member municipality
    assert await names("leader_askoy") == ["Klynge Vest"]  # through the municipality's service
    assert await names("coordinator_trondheim") == ["Klynge Midt"]
    assert await names("coordinator_alver") == []  # only a pending request
    assert await names("nobody") == []
    assert await names("admin") == ["Klynge Midt", "Klynge Vest"]


async def test_coordinator_of_a_non_member_cannot_see_the_cluster(client, world) -> None:
    a = world.ids["cluster_a"]
    for key in ("coordinator_alver", "coordinator_trondheim", "nobody"):
        assert_problem(await client.get(f"/api/clusters/{a}", headers=world.headers[key]), 403)
        assert_problem(
            await client.get(f"/api/clusters/{a}/memberships", headers=world.headers[key]), 403
        )
    ok = await client.get(f"/api/clusters/{a}", headers=world.headers["coordinator_askoy"])
    assert ok.status_code == 200
    assert {m["name"] for m in ok.json()["members"]} == {"Bergen", "Askøy"}


async def test_memberships_of_another_cluster_are_not_readable(client, world) -> None:
    askoy_membership = world.ids[f"membership_cluster_a_{world.ids['askoy']}"]
    for key in ("adviser_b", "coordinator_trondheim", "nobody"):
        assert_problem(
            await client.get(f"/api/memberships/{askoy_membership}", headers=world.headers[key]),
            404,
        )
        assert_problem(
            await client.get(
                f"/api/municipalities/{world.ids['askoy']}/memberships", headers=world.headers[key]
            ),
            403,
        )
    ok = await client.get(
        f"/api/memberships/{askoy_membership}", headers=world.headers["adviser_a"]
    )
    assert ok.status_code == 200
    assert ok.json()["municipality"]["name"] == "Askøy"


async def test_adviser_cannot_change_another_cluster(client, world) -> None:
    a = world.ids["cluster_a"]
    response = await client.patch(
        f"/api/clusters/{a}", headers=world.headers["adviser_b"], json={"description": "Kapret"}
    )
    assert_problem(response, 403)
    row = await Cluster.select(Cluster.description).where(Cluster.id == a).first()
    assert row["description"] == ""
    ok = await client.patch(
        f"/api/clusters/{a}", headers=world.headers["adviser_a"], json={"description": "Vest"}
    )
    assert ok.status_code == 200, ok.text
    assert ok.json()["description"] == "Vest"


async def test_only_admins_create_organisations(client, world) -> None:
    for key in ("adviser_a", "coordinator_askoy", "nobody"):
        headers = world.headers[key]
        assert_problem(
            await client.post(
                "/api/clusters",
                headers=headers,
                json={"name": "Ny", "motor_municipality_id": world.ids["askoy"]},
            ),
            403,
        )
        assert_problem(
            await client.post(
                "/api/municipalities", headers=headers, json={"number": "4602", "name": "Kinn"}
            ),
            403,
        )
    assert await Cluster.count() == 2


async def test_unauthenticated_requests_are_401(client, world) -> None:
    for path in ("/api/clusters", "/api/municipalities", "/api/research-groups", "/api/funders"):
        assert_problem(await client.get(path), 401)


async def test_ids_that_are_not_numbers_do_not_crash(client, world) -> None:
    for path in ("/api/clusters/abc", "/api/clusters/1.5", "/api/memberships/x"):
        response = await client.get(path, headers=world.headers["admin"])
        assert response.status_code == 404, (path, response.text)
    admin = world.headers["admin"]
    huge = 99_999_999_999_999_999_999
    # An id beyond the database's integer range is a 400 (klynge.errors maps the driver's range
    # error); 2**31 still fits SQLite's integers and finds nothing there.
    for method, path, payload, status in (
        ("GET", f"/api/clusters/{huge}", None, 400),
        ("GET", f"/api/memberships/{huge}", None, 400),
        ("GET", f"/api/municipalities/{2**31}", None, 404 if BACKEND == "sqlite" else 400),
        ("POST", "/api/clusters", {"name": "Ny", "motor_municipality_id": huge}, 400),
        (
            "POST",
            "/api/municipalities",
            {"number": "4602", "name": "K", "population": huge},
            400,
        ),
        (
            "POST",
            f"/api/clusters/{world.ids['cluster_a']}/membership-requests",
            {"municipality_id": huge},
            400,
        ),
    ):
        response = await client.request(method, path, headers=admin, json=payload)
        assert_problem(response, status)
    assert await Municipality.count() == 4


# --- identifiers -----------------------------------------------------------------------------


@pytest.mark.parametrize("number", ["0000", "9901", "46O1", "460", "46011", "", " 4601x"])
async def test_bad_kommunenummer_is_422_on_number(client, world, number: str) -> None:
    response = await client.post(
        "/api/municipalities",
        headers=world.headers["admin"],
        json={"number": number, "name": "Prøvekommune"},
    )
    body = assert_problem(response, 422)
    assert field_names(body) == {"number"}
    assert await Municipality.count() == 4


async def test_good_kommunenummer_is_created_with_its_county(client, world) -> None:
    response = await client.post(
        "/api/municipalities",
        headers=world.headers["admin"],
        json={"number": "4602", "name": "Kinn", "population": 17000, "language": "nynorsk"},
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["number"] == "4602"
    assert body["county"] == "Vestland"
    duplicate = await client.post(
        "/api/municipalities", headers=world.headers["admin"], json={"number": "4602", "name": "K"}
    )
    assert "number" in field_names(assert_problem(duplicate, 409))


def group(org_number: str, **extra: Any) -> dict[str, Any]:
    return {
        "name": "Forskningsgruppe for barn og unge",
        "institution": "Universitetet i Bergen",
        "org_number": org_number,
        "sector": "uoh",
        **extra,
    }


@pytest.mark.parametrize("org_number", ["974760672", "97476067", "abcdefghi", "9747606730", ""])
async def test_bad_org_number_is_422(client, world, org_number: str) -> None:
    response = await client.post(
        "/api/research-groups", headers=world.headers["admin"], json=group(org_number)
    )
    assert field_names(assert_problem(response, 422)) == {"org_number"}
    funder = await client.post(
        "/api/funders",
        headers=world.headers["admin"],
        json={"name": "Forskningsrådet", "org_number": org_number},
    )
    assert field_names(assert_problem(funder, 422)) == {"org_number"}
    assert await ResearchGroup.count() == 0
    assert await Funder.count() == 0


async def test_good_org_number_is_accepted(client, world) -> None:
    response = await client.post(
        "/api/research-groups", headers=world.headers["admin"], json=group("974760673")
    )
    assert response.status_code == 201, response.text
    assert response.json()["org_number"] == "974760673"
    listed = await client.get("/api/research-groups", headers=world.headers["nobody"])
    assert [g["org_number"] for g in listed.json()] == ["974760673"]


# --- privacy guard ---------------------------------------------------------------------------


async def test_national_id_in_cluster_description_is_refused(client, world) -> None:
    number = synthetic_fnr()
    for text in (
        f"Gjelder gutten med fødselsnummer {number}.",
        f"Se {number[:6]} {number[6:]} i saken.",
    ):
        response = await client.post(
            "/api/clusters",
            headers=world.headers["admin"],
            json={
                "name": "Klynge Nord",
                "motor_municipality_id": world.ids["askoy"],
                "description": text,
            },
        )
        body = assert_problem(response, 422)
        assert field_names(body) == {"description"}
        assert number not in response.text
        assert number[:6] not in response.text
    assert await Cluster.count() == 2
    assert not await Cluster.exists().where(Cluster.name == "Klynge Nord")


async def test_national_id_in_cluster_update_is_refused(client, world) -> None:
    number = synthetic_fnr(day=2, month=11, year=7)
    a = world.ids["cluster_a"]
    response = await client.patch(
        f"/api/clusters/{a}",
        headers=world.headers["adviser_a"],
        json={"description": f"Barnet {number}"},
    )
    assert field_names(assert_problem(response, 422)) == {"description"}
    assert number not in response.text
    row = await Cluster.select(Cluster.description).where(Cluster.id == a).first()
    assert row["description"] == ""


async def test_national_id_in_other_free_text_is_refused(client, world) -> None:
    number = synthetic_fnr(day=30, month=6, year=12)
    response = await client.post(
        "/api/research-groups",
        headers=world.headers["admin"],
        json=group("974760673", description=f"Kontakt {number}"),
    )
    assert field_names(assert_problem(response, 422)) == {"description"}
    assert number not in response.text
    response = await client.post(
        f"/api/clusters/{world.ids['cluster_a']}/membership-requests",
        headers=world.headers["coordinator_trondheim"],
        json={"municipality_id": world.ids["trondheim"], "note": f"Jenta {number} trenger"},
    )
    assert field_names(assert_problem(response, 422)) == {"note"}
    assert number not in response.text


async def test_phone_number_is_only_a_warning(client, world) -> None:
    response = await client.post(
        "/api/clusters",
        headers=world.headers["admin"],
        json={
            "name": "Klynge Nord",
            "motor_municipality_id": world.ids["askoy"],
            "description": "Ring FoU-rådgiveren på 55 56 60 00 eller +47 412 34 567.",
        },
    )
    assert response.status_code == 201, response.text
    assert "55 56 60 00" in response.json()["description"]


# --- request shapes --------------------------------------------------------------------------


async def test_unknown_fields_are_400(client, world) -> None:
    admin = world.headers["admin"]
    cases = [
        ("POST", "/api/municipalities", {"number": "4602", "name": "Kinn", "id": 99}),
        (
            "POST",
            "/api/clusters",
            {"name": "Ny", "motor_municipality_id": world.ids["askoy"], "is_admin": True},
        ),
        ("PATCH", f"/api/clusters/{world.ids['cluster_a']}", {"name": "Omdøpt"}),
        ("POST", "/api/research-groups", group("974760673", owner=1)),
    ]
    for method, path, payload in cases:
        response = await client.request(method, path, headers=admin, json=payload)
        body = assert_problem(response, 400)
        assert body.get("errors"), body
    assert await Municipality.count() == 4
    assert await Cluster.count() == 2
    assert await ResearchGroup.count() == 0


async def test_create_cluster_checks_its_motor_and_name(client, world) -> None:
    admin = world.headers["admin"]
    missing = await client.post(
        "/api/clusters", headers=admin, json={"name": "Ny", "motor_municipality_id": 9999}
    )
    assert field_names(assert_problem(missing, 422)) == {"motor_municipality_id"}
    taken = await client.post(
        "/api/clusters",
        headers=admin,
        json={"name": "Klynge Vest", "motor_municipality_id": world.ids["askoy"]},
    )
    assert field_names(assert_problem(taken, 409)) == {"name"}
    created = await client.post(
        "/api/clusters",
        headers=admin,
        json={
            "name": "Klynge Nord",
            "motor_municipality_id": world.ids["alver"],
            "adviser_ids": [world.accounts["nobody"]],
        },
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["motor_municipality"]["name"] == "Alver"
    assert [m["name"] for m in body["members"]] == ["Alver"]
    assert [a["id"] for a in body["advisers"]] == [world.accounts["nobody"]]
    # The new adviser now sees the cluster (roles are read per request, not baked into tokens).
    seen = await client.get(f"/api/clusters/{body['id']}", headers=world.headers["nobody"])
    assert seen.status_code == 200, seen.text
