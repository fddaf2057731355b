"""Matching with stored embeddings: a Norwegian need finds the group whose English papers answer
it; the match page explains it (the papers that drove it with their similarity, the shared
terms, a sentence in the reader's language); an adviser of the cluster takes a paper out of the
group's profile from there, and the next run leaves it out."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tests.conftest import World
from tests.platform.test_views import HTML, login, submit
from tests.priorities.conftest import need_body
from tests.projects.test_api import _group, _researcher, _run_matching, needs_world
from tests.projects.test_views import plain

__all__ = ["needs_world"]

SLEEP = [
    ("Insomnia among secondary school pupils", "Sleep problems predict tiredness at school."),
    (
        "Evening smartphone use and sleep duration in adolescents",
        "Screen time before bed delays sleep onset in teenagers.",
    ),
]
# Four other groups: with few groups, their own papers calibrate the combined matcher and even
# the right group scores barely above the average one (two groups: below it, no match at all).
OTHERS = {
    "Labour Economics Unit": [("Unemployment benefits and re-employment of older workers", "")],
    "Oral Health Group": [("Dental caries in preschool children", "Fluoride varnish.")],
    "Coastal Engineering": [("Wave loads on offshore wind foundations", "Flume tests.")],
    "Elderly Care Research": [("Dementia care in nursing homes", "Staffing and medication.")],
}


async def _wait_for_embedding_jobs() -> None:
    from klynge.jobs.tables import Job
    from projects.publications import EMBED_PUBLICATIONS

    for _ in range(500):
        jobs = await Job.select(Job.status).where(Job.name == EMBED_PUBLICATIONS)
        if jobs and all(j["status"] in ("done", "failed") for j in jobs):
            assert {j["status"] for j in jobs} == {"done"}
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the embedding jobs did not finish")


@pytest.fixture
async def sleep_world(app: Any, client: Any, needs_world: World) -> World:
    """Three groups with English papers (one on adolescents' sleep, added by its researcher
    through the API) and one prioritised need of cluster A written in bokmål."""
    from klynge.auth.passwords import hash_password
    from klynge.auth.service import load_principal
    from klynge.auth.tables import Account
    from priorities import needs
    from priorities import schemas as ps
    from projects.tables import GroupPublication

    w = needs_world
    for name in ["Adolescent Health Lab", *OTHERS]:
        made = await client.post(
            "/api/research-groups/", json=_group(name), headers=w.headers["admin"]
        )
        assert made.status_code == 201, made.text
        w.ids[name] = made.json()["id"]
        for title, abstract in OTHERS.get(name, []):
            await GroupPublication.insert(
                GroupPublication(group=w.ids[name], title=title, abstract=abstract, year=2023)
            )
    w.ids["sleep"] = w.ids["Adolescent Health Lab"]
    await _researcher(app, w, "researcher_sleep", w.ids["sleep"])
    await Account.update({Account.password_hash: hash_password(w.password)}).where(
        Account.id == w.accounts["researcher_sleep"]
    )
    for title, abstract in SLEEP:
        added = await client.post(
            f"/api/research-groups/{w.ids['sleep']}/publications",
            json={"title": title, "abstract": abstract, "year": 2024},
            headers=w.headers["researcher_sleep"],
        )
        assert added.status_code == 201, added.text
        w.ids[title] = added.json()["id"]
    await _wait_for_embedding_jobs()  # each addition embeds the group's papers after commit
    body = need_body(
        w,
        title="Ungdom som sover for lite",
        question="Hvordan påvirker mobilbruk om kvelden søvnen til elever i ungdomsskolen?",
        background="Helsesykepleierne møter mange slitne elever med søvnvansker.",
    )
    made = await client.post("/api/needs/", json=body, headers=w.headers["leader_askoy"])
    w.ids["need"] = made.json()["id"]
    adviser = await load_principal(w.accounts["adviser_a"])
    assert adviser is not None
    await needs.set_status(adviser, w.ids["need"], ps.NeedStatus.UNDER_ASSESSMENT, "Vurderes")
    await needs.set_status(adviser, w.ids["need"], ps.NeedStatus.PRIORITISED, "Viktig", rank=1)
    return w


async def _top_match(client: Any, w: World) -> dict[str, Any]:
    listed = await client.get(f"/api/needs/{w.ids['need']}/matches", headers=w.headers["adviser_a"])
    assert listed.status_code == 200, listed.text
    top: dict[str, Any] = listed.json()["matches"][0]
    return top


async def test_a_norwegian_need_finds_the_english_papers_and_the_page_says_why(
    client: Any, sleep_world: World
) -> None:
    from projects.tables import PublicationVector

    w = sleep_world
    job = await _run_matching(client, w)
    assert job["status"] == "done", job
    # Every publication embedded with both models, stored (the sleep group's by its jobs).
    assert await PublicationVector.count() == 6 * 2
    top = await _top_match(client, w)
    assert top["group_id"] == w.ids["sleep"]
    papers = top["explanation"]["publications"]
    assert [p["id"] for p in papers] == [w.ids[SLEEP[0][0]], w.ids[SLEEP[1][0]]]
    assert papers[0]["score"] > papers[1]["score"] > 0.5  # cosine, best first
    assert any("sleep" in t["label"] for t in top["explanation"]["shared"])

    page = f"/behov/{w.ids['need']}/matcher"
    await login(client, w, "adviser_a")
    shown = plain(await client.get(page, headers=HTML))
    assert f"Matchet hovedsakelig på 2 publikasjoner, nærmest «{SLEEP[0][0]}»" in shown
    assert "likhet 0,8" in shown
    await submit(client, page, "/language", {"language": "en", "next": page})
    shown = plain(await client.get(page, headers=HTML))
    assert f"Matched mainly on 2 publications, the closest «{SLEEP[0][0]}», and the shared" in shown
    assert "similarity 0.8" in shown

    # The matched group's researcher reads the same sentence in their inbox.
    await login(client, w, "researcher_sleep")
    inbox = plain(await client.get("/forsker/innboks", headers=HTML))
    assert f"Matchet hovedsakelig på 2 publikasjoner, nærmest «{SLEEP[0][0]}»" in inbox


async def test_an_adviser_of_the_cluster_excludes_a_paper_and_the_next_run_leaves_it_out(
    client: Any, sleep_world: World
) -> None:
    from klynge.audit import AuditEvent
    from klynge.db import json_value

    w = sleep_world
    smartphones = w.ids[SLEEP[1][0]]
    await _run_matching(client, w)
    # An adviser of another cluster, where the group is not matched, may not.
    refused = await client.post(
        f"/api/research-groups/{w.ids['sleep']}/publications/curation",
        json={"exclude": [smartphones]},
        headers=w.headers["adviser_b"],
    )
    assert refused.status_code == 403

    page = f"/behov/{w.ids['need']}/matcher"
    await login(client, w, "adviser_a")
    response = await submit(client, page, f"{page}/utelat", {"publication_id": str(smartphones)})
    assert response.status_code == 303, response.text
    assert response.headers["location"].endswith(f"#gruppe-{w.ids['sleep']}")
    shown = plain(await client.get(page, headers=HTML))
    assert "Tatt ut av gruppens profil" in shown
    event = (
        await AuditEvent.select()
        .where(AuditEvent.action == "research_group.curate")
        .order_by(AuditEvent.id, ascending=False)
        .first()
    )
    assert event is not None
    assert event["actor_id"] == w.accounts["adviser_a"]
    assert event["cluster_id"] == w.ids["cluster_a"]
    assert json_value(event["after"], {})["exclude"] == [smartphones]
    listed = plain(
        await client.get(f"/forskergrupper/{w.ids['sleep']}/publikasjoner", headers=HTML)
    )
    assert "Ekskludert" in listed

    await _run_matching(client, w)
    top = await _top_match(client, w)
    assert top["group_id"] == w.ids["sleep"]  # the other paper still carries it
    assert [p["id"] for p in top["explanation"]["publications"]] == [w.ids[SLEEP[0][0]]]
