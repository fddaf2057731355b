"""Research groups, matching, assignment and proposals through the API: profiles with ORCID,
publication import and curation, stored explained matches, conflicts, a capacity-aware
assignment for a closed round, interest, proposals, review, projects and notifications."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tests.conftest import World
from tests.priorities.conftest import need_body, needs_world

__all__ = ["needs_world"]

PUBLICATIONS_RIS = """TY  - JOUR
TI  - School absenteeism and cooperation between schools and child welfare services
AU  - Havik, Trude
PY  - 2022
AB  - We studied how schools and child protection services work together on pupils with
  high absence. Interprofessional collaboration reduced absenteeism.
ER  -

TY  - JOUR
TI  - Marine sediment transport in fjords
AU  - Havik, Trude
PY  - 2019
AB  - Sediment transport was measured in three fjords.
ER  -
"""


async def wait_job(client: Any, url: str, headers: dict[str, str]) -> dict[str, Any]:
    for _ in range(500):
        job = (await client.get(url, headers=headers)).json()
        if job["status"] in ("done", "failed"):
            return job
        await asyncio.sleep(0.02)
    raise AssertionError(f"job did not finish: {job}")


async def _researcher(app: Any, world: World, key: str, group_id: int) -> None:
    from klynge.auth.tables import Account, RoleAssignment

    row = await Account.insert(
        Account(name=key, email=f"{key}@test.klynge.no", password_hash="x")
    ).returning(Account.id)
    world.accounts[key] = row[0]["id"]
    await RoleAssignment.insert(
        RoleAssignment(account=row[0]["id"], role="researcher", research_group=group_id)
    )
    world.headers[key] = {"Authorization": f"Bearer {app.state.codec.issue(row[0]['id'])}"}


def _group(name: str, **profile: Any) -> dict[str, Any]:
    return {
        "name": name,
        "institution": "Universitetet i Bergen",
        "org_number": "974760673",
        "sector": "uoh",
        **profile,
    }


@pytest.fixture
async def groups_world(app: Any, client: Any, needs_world: World) -> World:
    """Two research groups (school absence / fjords), each with a researcher, and three
    prioritised needs of cluster A."""
    from klynge.auth.service import load_principal
    from priorities import needs
    from priorities import schemas as ps

    w = needs_world
    admin = w.headers["admin"]
    school = await client.post(
        "/api/research-groups/",
        json=_group(
            "Skole og samarbeid",
            expertise="Skolefravær, samarbeid mellom skole og barnevern",
            keywords=["skolefravær", "tverrfaglig samarbeid"],
            methods=["qualitative", "implementation"],
            service_types=["skole", "barnevern"],
            capacity=1,
            members=[{"name": "Trude Havik", "orcid": "0000-0002-1825-0097"}],
        ),
        headers=admin,
    )
    assert school.status_code == 201, school.text
    sea = await client.post(
        "/api/research-groups/",
        json=_group("Havforskning", expertise="Marine sediments and fjords", capacity=2),
        headers=admin,
    )
    w.ids["group_school"] = school.json()["id"]
    w.ids["group_sea"] = sea.json()["id"]
    await _researcher(app, w, "researcher_school", w.ids["group_school"])
    await _researcher(app, w, "researcher_sea", w.ids["group_sea"])
    adviser = await load_principal(w.accounts["adviser_a"])
    assert adviser is not None
    titles = [
        "Samarbeid mellom skole og barnevern om elever med høyt fravær",
        "Skulefråvær på ungdomstrinnet",
        "Fosterhjem og skolegang",
    ]
    w.ids["needs"] = []  # type: ignore[assignment]
    for title in titles:
        response = await client.post(
            "/api/needs/", json=need_body(w, title=title), headers=w.headers["leader_askoy"]
        )
        need_id = response.json()["id"]
        await needs.set_status(adviser, need_id, ps.NeedStatus.UNDER_ASSESSMENT, "Vurderes")
        await needs.set_status(adviser, need_id, ps.NeedStatus.PRIORITISED, "Prioritert", rank=1)
        w.ids["needs"].append(need_id)  # type: ignore[attr-defined]
    return w


async def _run_matching(client: Any, w: World) -> dict[str, Any]:
    response = await client.post(
        f"/api/clusters/{w.ids['cluster_a']}/matching", headers=w.headers["adviser_a"]
    )
    assert response.status_code == 202, response.text
    return await wait_job(client, response.json()["url"], w.headers["adviser_a"])


async def test_profile_validates_orcid_and_only_the_groups_researchers_edit(
    client: Any, groups_world: World
) -> None:
    w = groups_world
    url = f"/api/research-groups/{w.ids['group_school']}/profile"
    bad = await client.put(
        url,
        json={"members": [{"name": "X", "orcid": "0000-0002-1825-0098"}]},
        headers=w.headers["researcher_school"],
    )
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "members.0.orcid"
    other = await client.put(url, json={"capacity": 3}, headers=w.headers["researcher_sea"])
    assert other.status_code == 403
    ok = await client.put(
        url,
        json={
            "capacity": 3,
            "members": [{"name": "Trude", "orcid": "https://orcid.org/0000-0002-1825-0097"}],
        },
        headers=w.headers["researcher_school"],
    )
    assert ok.status_code == 200, ok.text
    assert ok.json()["members"][0]["orcid"] == "0000-0002-1825-0097"
    assert ok.json()["capacity"] == 3


async def test_publication_import_and_curation_drive_the_match(
    client: Any, groups_world: World
) -> None:
    w = groups_world
    group = w.ids["group_school"]
    headers = w.headers["researcher_school"]
    response = await client.post(
        f"/api/research-groups/{group}/publications/import",
        files={"file": ("pubs.ris", PUBLICATIONS_RIS.encode(), "text/plain")},
        data={"format": "ris"},
        headers=headers,
    )
    assert response.status_code == 202, response.text
    job = await wait_job(client, response.json()["url"], headers)
    assert job["result"]["imported"] == 2, job
    again = await client.post(
        f"/api/research-groups/{group}/publications/import",
        files={"file": ("pubs.ris", PUBLICATIONS_RIS.encode(), "text/plain")},
        data={"format": "ris"},
        headers=headers,
    )
    job = await wait_job(client, again.json()["url"], headers)
    assert job["result"]["duplicates"] == 2  # re-import keeps what is there (and its curation)
    pubs = (await client.get(f"/api/research-groups/{group}/publications", headers=headers)).json()
    fjords = next(p for p in pubs if "fjords" in p["title"])
    curated = await client.post(
        f"/api/research-groups/{group}/publications/curation",
        json={"exclude": [fjords["id"]]},
        headers=headers,
    )
    assert next(p for p in curated.json() if p["id"] == fjords["id"])["included"] is False

    job = await _run_matching(client, w)
    assert job["status"] == "done", job
    need = w.ids["needs"][0]  # type: ignore[index]
    listed = (await client.get(f"/api/needs/{need}/matches", headers=w.headers["adviser_a"])).json()
    top = listed["matches"][0]
    assert top["group_id"] == group
    explanation = top["explanation"]
    assert explanation["shared"], explanation
    assert explanation["publications"][0]["title"].startswith("School absenteeism")
    assert explanation["publications"][0]["id"] != fjords["id"]
    assert {"text", "method", "capacity"} <= set(explanation["parts"])
    # The services that asked were told.
    notes = (await client.get("/api/notifications", headers=w.headers["leader_askoy"])).json()
    assert any(n["kind"] == "need_matched" for n in notes)


async def test_conflict_of_interest_is_a_hard_constraint(client: Any, groups_world: World) -> None:
    w = groups_world
    # A member employed by the submitting service: excluded by rule.
    await client.put(
        f"/api/research-groups/{w.ids['group_school']}/profile",
        json={
            "expertise": "Skolefravær og barnevern",
            "capacity": 1,
            "members": [{"name": "Ansatt", "employer_service_id": w.ids["askoy_barnevern"]}],
        },
        headers=w.headers["researcher_school"],
    )
    manual = await client.post(
        f"/api/clusters/{w.ids['cluster_a']}/conflicts",
        json={"group_id": w.ids["group_sea"], "reason": "Oppdragsgiver"},
        headers=w.headers["adviser_a"],
    )
    assert manual.status_code == 201, manual.text
    await _run_matching(client, w)
    for need in w.ids["needs"]:  # type: ignore[attr-defined]
        listed = (
            await client.get(f"/api/needs/{need}/matches", headers=w.headers["adviser_a"])
        ).json()
        assert listed["matches"] == []


async def test_researchers_see_only_their_groups_matches(client: Any, groups_world: World) -> None:
    w = groups_world
    await _run_matching(client, w)
    need = w.ids["needs"][0]  # type: ignore[index]
    mine = await client.get(f"/api/needs/{need}/matches", headers=w.headers["researcher_school"])
    assert mine.status_code == 200
    assert {m["group_id"] for m in mine.json()["matches"]} == {w.ids["group_school"]}
    inbox = (
        await client.get("/api/researcher/inbox", headers=w.headers["researcher_school"])
    ).json()
    assert {row["group"] for row in inbox} == {w.ids["group_school"]}
    outsider = await client.get(f"/api/needs/{need}/matches", headers=w.headers["adviser_b"])
    assert outsider.status_code == 404


async def test_proposal_lifecycle_creates_a_project(client: Any, groups_world: World) -> None:
    w = groups_world
    await _run_matching(client, w)
    need = w.ids["needs"][0]  # type: ignore[index]
    researcher = w.headers["researcher_school"]
    decline = await client.post(
        f"/api/needs/{need}/interest",
        json={"group_id": w.ids["group_school"], "interested": False},
        headers=researcher,
    )
    assert decline.status_code == 422  # a decline needs a reason
    body = {
        "group_id": w.ids["group_school"],
        "need_ids": [need],
        "title": "Sammen mot fravær",
        "aims": "Redusere fravær",
        "research_questions": "Hva virker?",
        "design": "Stegvis innføring med kontrollgruppe",
        "methods": ["quasi_experimental", "participatory"],
        "codesign": {
            "municipality_ids": [w.ids["askoy"]],
            "service_ids": [w.ids["askoy_barnevern"]],
            "user_representatives": "Ungdomsrådet",
            "how": "Verksteder hvert halvår",
        },
        "ethics": ["sikt", "dpia"],
        "budget_nok": 2_500_000,
        "start": "2027-01-01",
        "end": "2029-12-31",
    }
    wrong_group = await client.post(
        "/api/proposals/", json=body, headers=w.headers["researcher_sea"]
    )
    assert wrong_group.status_code == 403
    created = await client.post("/api/proposals/", json=body, headers=researcher)
    assert created.status_code == 201, created.text
    proposal = created.json()
    # The service that asked the need reads the proposal made for it (API, list and page);
    # a municipality that did not ask, and another cluster, do not.
    url = f"/api/proposals/{proposal['id']}"
    asker = w.headers["leader_askoy"]
    assert (await client.get(url, headers=asker)).json()["title"] == "Sammen mot fravær"
    listed = await client.get("/api/proposals/", headers=asker)
    assert [p["id"] for p in listed.json()] == [proposal["id"]]
    page = await client.get(f"/forslag/{proposal['id']}", headers=asker)
    assert page.status_code == 200
    assert "Sammen mot fravær" in page.text
    assert (await client.get(url, headers=w.headers["coordinator_bergen"])).status_code == 404
    assert (await client.get(url, headers=w.headers["coordinator_trondheim"])).status_code == 404
    assert (
        await client.get("/api/proposals/", headers=w.headers["coordinator_bergen"])
    ).json() == []
    refused = await client.post(
        f"/api/proposals/{proposal['id']}/review",
        json={"decision": "accept"},
        headers=w.headers["researcher_school"],
    )
    assert refused.status_code == 403
    changes = await client.post(
        f"/api/proposals/{proposal['id']}/review",
        json={"decision": "changes"},
        headers=w.headers["adviser_a"],
    )
    assert changes.status_code == 422  # needs a reason
    changes = await client.post(
        f"/api/proposals/{proposal['id']}/review",
        json={"decision": "changes", "reason": "Beskriv brukermedvirkningen bedre"},
        headers=w.headers["adviser_a"],
    )
    assert changes.json()["status"] == "changes_requested"
    revised = await client.put(
        f"/api/proposals/{proposal['id']}",
        json={**body, "codesign": {**body["codesign"], "how": "Ungdomsrådet deltar i alle faser"}},
        headers=researcher,
    )
    assert revised.json()["status"] == "submitted"
    accepted = await client.post(
        f"/api/proposals/{proposal['id']}/review",
        json={"decision": "accept"},
        headers=w.headers["adviser_a"],
    )
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["status"] == "accepted"
    assert accepted.json()["project_id"] is not None
    projects = (await client.get("/api/projects", headers=w.headers["adviser_a"])).json()
    assert projects[0]["status"] == "planned"
    assert projects[0]["need_ids"] == [need]
    assert w.ids["askoy"] in projects[0]["municipality_ids"]
    need_out = (await client.get(f"/api/needs/{need}", headers=w.headers["adviser_a"])).json()
    assert need_out["status"] == "matched"
    notes = (await client.get("/api/notifications", headers=w.headers["leader_askoy"])).json()
    assert any(n["kind"] == "proposal_accepted" for n in notes)
    # A later matching run leaves the matched need's list (and the group's view of it) alone.
    await _run_matching(client, w)
    kept = await client.get(f"/api/needs/{need}/matches", headers=researcher)
    assert kept.status_code == 200
    assert [m["group_id"] for m in kept.json()["matches"]] == [w.ids["group_school"]]
    # The group's capacity (1) is now used.
    group = (
        await client.get(f"/api/research-groups/{w.ids['group_school']}", headers=researcher)
    ).json()
    assert group["capacity_left"] == 0


async def test_assignment_for_a_closed_round(client: Any, groups_world: World) -> None:
    from priorities.tables import Decision, PriorityRound, RoundNeed

    w = groups_world
    needs = w.ids["needs"]  # type: ignore[assignment]
    row = await PriorityRound.insert(
        PriorityRound(
            cluster=w.ids["cluster_a"],
            name="Lukket",
            weights={},
            weighting="group",
            status="closed",
            result=[{"need_id": n, "rank": i + 1} for i, n in enumerate(needs)],
        )
    ).returning(PriorityRound.id)
    round_id = row[0]["id"]
    for need in needs:  # type: ignore[attr-defined]
        await RoundNeed.insert(RoundNeed(round=round_id, need=need))
        await Decision.insert(
            Decision(round=round_id, need=need, decision="prioritised", justification="Viktig")
        )
    early = await client.post(
        f"/api/rounds/{round_id}/assignment", json={"k": 2}, headers=w.headers["adviser_a"]
    )
    job = await wait_job(client, f"/api/assignments/{early.json()['id']}", w.headers["adviser_a"])
    assert job["status"] == "failed"  # no stored matches yet
    await _run_matching(client, w)
    response = await client.post(
        f"/api/rounds/{round_id}/assignment",
        json={"k": 2, "forbids": [[needs[0], w.ids["group_sea"]]]},  # type: ignore[index]
        headers=w.headers["adviser_a"],
    )
    assert response.status_code == 202, response.text
    done = await wait_job(
        client, f"/api/assignments/{response.json()['id']}", w.headers["adviser_a"]
    )
    assert done["status"] == "done", done
    result = done["result"]
    load = {int(g): n for g, n in result["load"].items()}
    assert load.get(w.ids["group_school"], 0) <= 1  # capacity 1
    assert load.get(w.ids["group_sea"], 0) <= 2
    chosen = {(int(n), g) for n, cands in result["pairs"].items() for g, _ in cands}
    assert (needs[0], w.ids["group_sea"]) not in chosen  # type: ignore[index]
    assert result["weakest_need"] is not None
    # The school group accepts a project for the first need: a new run leaves that need out
    # (taken) and counts the project against the group's capacity (1: nothing left to give).
    from projects.tables import Project

    await Project.insert(
        Project(
            cluster=w.ids["cluster_a"],
            group=w.ids["group_school"],
            title="Tatt",
            need_ids=[needs[0]],  # type: ignore[index]
        )
    )
    again = await client.post(
        f"/api/rounds/{round_id}/assignment", json={"k": 2}, headers=w.headers["adviser_a"]
    )
    redone = await wait_job(
        client, f"/api/assignments/{again.json()['id']}", w.headers["adviser_a"]
    )
    assert redone["status"] == "done", redone
    given = redone["result"]
    listed = set(given["pairs"]) | set(given["alternates"]) | {str(n) for n in given["unassigned"]}
    assert str(needs[0]) not in listed  # type: ignore[index]
    assert {int(g): n for g, n in given["load"].items()}.get(w.ids["group_school"], 0) == 0
    other = await client.get(
        f"/api/assignments/{response.json()['id']}", headers=w.headers["adviser_b"]
    )
    assert other.status_code == 404


async def test_national_id_numbers_are_refused_in_proposals(
    client: Any, groups_world: World
) -> None:
    from tests.priorities.conftest import synthetic_fnr

    w = groups_world
    await _run_matching(client, w)
    fnr = synthetic_fnr()
    response = await client.post(
        "/api/proposals/",
        json={
            "group_id": w.ids["group_school"],
            "need_ids": [w.ids["needs"][0]],  # type: ignore[index]
            "title": "Prosjekt",
            "aims": "Mål",
            "research_questions": "Spørsmål",
            "design": "Design",
            "codesign": {"user_representatives": f"Eleven med fødselsnummer {fnr}"},
        },
        headers=w.headers["researcher_school"],
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["codesign.user_representatives"]
    assert fnr not in response.text
    assert (await client.get("/api/proposals/", headers=w.headers["adviser_a"])).json() == []


async def test_an_over_long_or_invalid_doi_is_refused_not_emptied(
    client: Any, groups_world: World
) -> None:
    w = groups_world
    url = f"/api/research-groups/{w.ids['group_school']}/publications"
    headers = w.headers["researcher_school"]
    for doi in ("10.1234/" + "x" * 1_000_000, "10.1234/" + "x" * 250, "ikke en doi"):
        response = await client.post(url, json={"title": "Fravær", "doi": doi}, headers=headers)
        assert response.status_code == 422, response.text[:300]
        assert response.headers["content-type"].startswith("application/problem+json")
        assert [e["field"] for e in response.json()["errors"]] == ["doi"]
    ok = await client.post(
        url, json={"title": "Fravær", "doi": "https://doi.org/10.1234/ABC"}, headers=headers
    )
    assert ok.status_code == 201, ok.text
    assert ok.json()["doi"] == "10.1234/abc"
