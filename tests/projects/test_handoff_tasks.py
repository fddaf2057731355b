"""Task providers of the workspace and grants: approvals that block a project's start (the
adviser decides, the leader gets them in place), milestones falling due (the leader) and grant
reports due (the leader) — shown to those people only, and gone once done."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.conftest import World
from tests.handoffs import tasks
from tests.projects.grants_decide_fixtures import build_grants, grant

OUTSIDERS = ("member_a", "adviser_b", "coordinator_trondheim", "officer_b", "nobody")
PROJECT = "Skolefravær i Askøy"


@pytest.fixture
async def gw(world: World, app: Any, client: Any) -> World:
    await build_grants(world, app)
    await grant(client, world)
    reports = (
        await client.get(f"/api/grants/{world.ids['grant']}", headers=world.headers["officer_a"])
    ).json()["reports"]
    world.ids["report"] = reports[0]["id"]
    return world


async def _seed_approvals(w: World) -> None:
    from klynge.db import transaction
    from projects.workspace.approvals import on_project_created

    async with transaction():
        await on_project_created(w.ids["project"])
        await on_project_created(w.ids["project_b"])


async def _items(client: Any, w: World) -> list[dict[str, Any]]:
    response = await client.get(
        f"/api/projects/{w.ids['project']}/approvals", headers=w.headers["adviser_a"]
    )
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


async def _patch(client: Any, w: World, key: str, item: int, **body: Any) -> None:
    response = await client.patch(
        f"/api/projects/{w.ids['project']}/approvals/{item}", json=body, headers=w.headers[key]
    )
    assert response.status_code == 200, response.text


async def test_approvals_blocking_the_start_go_to_the_adviser_then_the_leader(
    client: Any, gw: World
) -> None:
    w = gw
    await _seed_approvals(w)
    decide = await tasks(client, w, "adviser_a", "nb", prefix="projects.approvals")
    assert [(t["text"], t["link"]) for t in decide] == [
        (
            f"Avgjør hvilke godkjenninger prosjektet «{PROJECT}» trenger før det starter",
            f"/prosjekter/{w.ids['project']}#godkjenninger",
        )
    ]
    en = await tasks(client, w, "adviser_a", "en", prefix="projects.approvals")
    assert [t["text"] for t in en] == [
        f"Decide which approvals the project «{PROJECT}» needs before it starts"
    ]
    # The other cluster's adviser sees their own project's checklist only.
    other = await tasks(client, w, "adviser_b", prefix="projects.approvals")
    assert [t["link"] for t in other] == [f"/prosjekter/{w.ids['project_b']}#godkjenninger"]
    for key in ("researcher_a", "member_a", "coordinator_trondheim", "nobody"):
        assert await tasks(client, w, key, prefix="projects.approvals") == [], key

    items = await _items(client, w)
    await _patch(client, w, "adviser_a", items[0]["id"], required="yes", required_reason="Sikt")
    for item in items[1:]:
        await _patch(client, w, "adviser_a", item["id"], required="no", required_reason="Ikke")
    assert await tasks(client, w, "adviser_a", prefix="projects.approvals") == []
    missing = await tasks(client, w, "researcher_a", "nb", prefix="projects.approvals")
    assert [t["text"] for t in missing] == [
        f"Få på plass godkjenningene for prosjektet «{PROJECT}»: 1 mangler"
    ]
    for key in OUTSIDERS:
        assert [
            t
            for t in await tasks(client, w, key, prefix="projects.approvals")
            if t["link"].startswith(f"/prosjekter/{w.ids['project']}#")
        ] == [], key
    await _patch(client, w, "researcher_a", items[0]["id"], status="approved")
    assert await tasks(client, w, "researcher_a", prefix="projects.approvals") == []


async def test_a_milestone_due_soon_is_the_leaders_task_until_done(client: Any, gw: World) -> None:
    w = gw
    today = dt.date.today()
    url = f"/api/projects/{w.ids['project']}/plan/items"
    lead = w.headers["researcher_a"]
    soon = await client.post(
        url,
        json={"kind": "milestone", "title": "Data samlet inn", "due": str(today + dt.timedelta(5))},
        headers=lead,
    )
    assert soon.status_code == 201, soon.text
    later = await client.post(
        url,
        json={"kind": "milestone", "title": "Sluttrapport", "due": str(today + dt.timedelta(90))},
        headers=lead,
    )
    assert later.status_code == 201, later.text
    mine = await tasks(client, w, "researcher_a", "nb", prefix="projects.milestone")
    assert [(t["text"], t["subject"], t["due"]) for t in mine] == [
        ("Nå milepælen «Data samlet inn»", PROJECT, str(today + dt.timedelta(5)))
    ]
    assert mine[0]["link"] == f"/prosjekter/{w.ids['project']}#plan-{soon.json()['id']}"
    en = await tasks(client, w, "researcher_a", "en", prefix="projects.milestone")
    assert [t["text"] for t in en] == ["Reach the milestone «Data samlet inn»"]
    for key in ("adviser_a", *OUTSIDERS):
        assert await tasks(client, w, key, prefix="projects.milestone") == [], key
    done = await client.patch(f"{url}/{soon.json()['id']}", json={"status": "done"}, headers=lead)
    assert done.status_code == 200, done.text
    assert await tasks(client, w, "researcher_a", prefix="projects.milestone") == []


async def test_a_grant_report_due_is_the_leaders_task_until_submitted(
    client: Any, gw: World
) -> None:
    from projects.grants.tables import GrantReport

    w = gw
    assert await tasks(client, w, "researcher_a", prefix="projects.grant_report") == []
    due = dt.date.today() + dt.timedelta(days=10)
    await GrantReport.update({GrantReport.due: due}).where(GrantReport.id == w.ids["report"])
    mine = await tasks(client, w, "researcher_a", "nb", prefix="projects.grant_report")
    assert [(t["text"], t["link"], t["due"]) for t in mine] == [
        (
            f"Skriv rapporten for tilskuddet «{PROJECT}»",
            f"/tilskudd/{w.ids['grant']}/rapporter/{w.ids['report']}",
            str(due),
        )
    ]
    en = await tasks(client, w, "researcher_a", "en", prefix="projects.grant_report")
    assert [t["text"] for t in en] == [f"Write the report for the grant «{PROJECT}»"]
    for key in ("adviser_a", "officer_a", *OUTSIDERS):
        assert await tasks(client, w, key, prefix="projects.grant_report") == [], key
    await GrantReport.update({GrantReport.status: "submitted"}).where(
        GrantReport.id == w.ids["report"]
    )
    assert await tasks(client, w, "researcher_a", prefix="projects.grant_report") == []
