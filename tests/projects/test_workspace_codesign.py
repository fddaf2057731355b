"""Co-design sessions and follow-up actions: the API, the pages, "My actions", the owner's
notice, the privacy guard, and tenancy (another cluster gets 404)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from tests.conftest import World
from tests.platform.test_views import HTML, login, submit, text_of

TODAY = dt.date.today()


@pytest.fixture
async def ws(world: World, app: Any) -> World:
    return await build_ws(world, app)


async def build_ws(world: World, app: Any) -> World:
    """Cluster A's project led by a researcher of its group, with Askøy taking part; a second
    project in cluster B."""
    from klynge.auth.passwords import hash_password
    from klynge.auth.tables import Account, RoleAssignment
    from klynge.orgs.tables import ResearchGroup
    from projects.tables import Project
    from projects.workspace.tables import Participant

    groups = await ResearchGroup.insert(
        ResearchGroup(name="Gruppe A", institution="HVL", org_number="974718002", sector="uoh"),
        ResearchGroup(name="Gruppe B", institution="NTNU", org_number="974767880", sector="uoh"),
    ).returning(ResearchGroup.id)
    world.ids["group_a"], world.ids["group_b"] = groups[0]["id"], groups[1]["id"]
    pw = hash_password(world.password)
    for key, group in (("researcher_a", "group_a"), ("member_a", "group_a")):
        row = await Account.insert(
            Account(
                name=key.replace("_", " ").title(), email=f"{key}@test.klynge.no", password_hash=pw
            )
        ).returning(Account.id)
        world.accounts[key] = row[0]["id"]
        await RoleAssignment.insert(
            RoleAssignment(account=row[0]["id"], role="researcher", research_group=world.ids[group])
        )
        world.headers[key] = {"Authorization": f"Bearer {app.state.codec.issue(row[0]['id'])}"}
    projects = await Project.insert(
        Project(
            cluster=world.ids["cluster_a"],
            group=world.ids["group_a"],
            title="Skolefravær i Askøy",
            leader=world.accounts["researcher_a"],
        ),
        Project(cluster=world.ids["cluster_b"], group=world.ids["group_b"], title="Midt"),
    ).returning(Project.id)
    world.ids["project"], world.ids["project_b"] = projects[0]["id"], projects[1]["id"]
    await Participant.insert(
        Participant(
            project=world.ids["project"], kind="municipality", municipality=world.ids["askoy"]
        )
    )
    return world


def _session(**extra: Any) -> dict[str, Any]:
    return {
        "held_on": "2026-03-02",
        "mode": "hybrid",
        "place": "Askøy rådhus og Teams",
        "attendance": {"leaders": 2, "employees": 5, "researchers": 2, "youth": 3, "parents": 1},
        "agenda": "Kartlegging av fravær",
        "decisions": "Vi prøver ut tidlig kontakt med hjemmet.",
        **extra,
    }


async def test_sessions_are_recorded_listed_newest_first_and_changed(
    client: Any, ws: World
) -> None:
    pid, lead = ws.ids["project"], ws.headers["researcher_a"]
    first = await client.post(f"/api/projects/{pid}/sessions", json=_session(), headers=lead)
    assert first.status_code == 201, first.text
    body = first.json()
    assert body["user_representatives"] == 4
    assert body["attendance"]["employees"] == 5
    assert body["attendance"]["others"] == 0
    later = await client.post(
        f"/api/projects/{pid}/sessions", json=_session(held_on="2026-04-10"), headers=lead
    )
    assert later.status_code == 201
    listed = await client.get(f"/api/projects/{pid}/sessions", headers=ws.headers["adviser_a"])
    assert [s["held_on"] for s in listed.json()] == ["2026-04-10", "2026-03-02"]
    changed = await client.patch(
        f"/api/projects/{pid}/sessions/{body['id']}",
        json={"attendance": {"user_organisations": 2}, "decisions": "Endret."},
        headers=lead,
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["user_representatives"] == 2
    assert changed.json()["decisions"] == "Endret."
    assert changed.json()["agenda"] == "Kartlegging av fravær"
    from klynge.audit import AuditEvent

    events = await AuditEvent.select(AuditEvent.action).where(
        AuditEvent.object_type == "codesign_session"
    )
    assert sorted(e["action"] for e in events) == ["create", "create", "update"]


async def test_who_may_see_and_change_sessions(client: Any, ws: World) -> None:
    pid = ws.ids["project"]
    url = f"/api/projects/{pid}/sessions"
    assert (await client.get(url, headers=ws.headers["coordinator_askoy"])).status_code == 200
    refused = await client.post(url, json=_session(), headers=ws.headers["coordinator_askoy"])
    assert refused.status_code == 403
    for key in ("adviser_b", "coordinator_trondheim", "nobody"):
        assert (await client.get(url, headers=ws.headers[key])).status_code == 404
        assert (await client.post(url, json=_session(), headers=ws.headers[key])).status_code == 404
    created = await client.post(url, json=_session(), headers=ws.headers["adviser_a"])
    sid = created.json()["id"]
    other = await client.patch(f"{url}/{sid}", json={"place": "x"}, headers=ws.headers["adviser_b"])
    assert other.status_code == 404
    # A session id of this project under another project's path is not found either.
    wrong = await client.get(
        f"/api/projects/{ws.ids['project_b']}/sessions/{sid}", headers=ws.headers["adviser_b"]
    )
    assert wrong.status_code == 404
    assert (await client.get(url)).status_code == 401


async def test_national_id_in_a_session_is_refused(client: Any, ws: World) -> None:
    from tests.priorities.conftest import synthetic_fnr

    response = await client.post(
        f"/api/projects/{ws.ids['project']}/sessions",
        json=_session(decisions=f"Eleven {synthetic_fnr()} deltok"),
        headers=ws.headers["researcher_a"],
    )
    assert response.status_code == 422
    assert "decisions" in response.text


async def test_attendance_counts_are_whole_numbers(client: Any, ws: World) -> None:
    response = await client.post(
        f"/api/projects/{ws.ids['project']}/sessions",
        json=_session(attendance={"youth": -1}),
        headers=ws.headers["researcher_a"],
    )
    assert response.status_code in (400, 422)


async def test_actions_go_to_their_owner_until_done(client: Any, ws: World) -> None:
    pid, lead = ws.ids["project"], ws.headers["researcher_a"]
    session = await client.post(f"/api/projects/{pid}/sessions", json=_session(), headers=lead)
    owners = await client.get(f"/api/projects/{pid}/actions/owners", headers=lead)
    assert {o["account_id"] for o in owners.json()} == {
        ws.accounts["researcher_a"],
        ws.accounts["adviser_a"],
    }
    past = (TODAY - dt.timedelta(days=3)).isoformat()
    created = await client.post(
        f"/api/projects/{pid}/actions",
        json={
            "title": "Lage invitasjon til foreldremøte",
            "owner_id": ws.accounts["adviser_a"],
            "due": past,
            "session_id": session.json()["id"],
        },
        headers=lead,
    )
    assert created.status_code == 201, created.text
    action = created.json()
    assert action["overdue"] is True
    assert action["owner_name"] == "Adviser A"
    from klynge.notifications import Notification

    told = await Notification.select().where(Notification.account == ws.accounts["adviser_a"])
    assert [n["kind"] for n in told] == ["project_action_assigned"]
    mine = await client.get("/api/me/actions", headers=ws.headers["adviser_a"])
    assert [a["id"] for a in mine.json()] == [action["id"]]
    assert mine.json()[0]["project_title"] == "Skolefravær i Askøy"
    # The same action is on the owner's task list (the core's "My tasks"), overdue.
    tasks = (await client.get("/api/me/tasks", headers=ws.headers["adviser_a"])).json()
    assert [(t["kind"], t["subject"], t["overdue"]) for t in tasks] == [
        ("projects.action", "Skolefravær i Askøy", True)
    ]
    assert tasks[0]["text"] == "Gjør oppfølgingspunktet «Lage invitasjon til foreldremøte»"
    assert (await client.get("/api/me/tasks", headers=lead)).json() == []
    listed = await client.get(f"/api/projects/{pid}/sessions", headers=lead)
    assert [a["id"] for a in listed.json()[0]["actions"]] == [action["id"]]
    done = await client.patch(
        f"/api/projects/{pid}/actions/{action['id']}", json={"done": True}, headers=lead
    )
    assert done.json()["done"] is True
    assert done.json()["overdue"] is False
    assert (await client.get("/api/me/actions", headers=ws.headers["adviser_a"])).json() == []
    assert (await client.get("/api/me/tasks", headers=ws.headers["adviser_a"])).json() == []
    from projects.workspace.codesign_actions import open_actions_for

    assert await open_actions_for(ws.accounts["adviser_a"]) == []


async def test_an_action_owner_must_take_part(client: Any, ws: World) -> None:
    pid, lead = ws.ids["project"], ws.headers["researcher_a"]
    outsider = await client.post(
        f"/api/projects/{pid}/actions",
        json={"title": "Noe", "owner_id": ws.accounts["adviser_b"]},
        headers=lead,
    )
    assert outsider.status_code == 422
    assert "owner_id" in outsider.text
    other_session = await client.post(
        f"/api/projects/{ws.ids['project_b']}/sessions",
        json=_session(),
        headers=ws.headers["adviser_b"],
    )
    wrong = await client.post(
        f"/api/projects/{pid}/actions",
        json={"title": "Noe", "session_id": other_session.json()["id"]},
        headers=lead,
    )
    assert wrong.status_code == 422
    hidden = await client.get(f"/api/projects/{pid}/actions", headers=ws.headers["adviser_b"])
    assert hidden.status_code == 404


# --- the pages -------------------------------------------------------------------------------


async def test_session_and_action_forms(client: Any, ws: World) -> None:
    pid = ws.ids["project"]
    await login(client, ws, "researcher_a")
    page = f"/prosjekter/{pid}/moter/ny"
    form = await client.get(page, headers=HTML)
    assert form.status_code == 200
    assert 'for="session-attendance-youth"' in form.text
    bad = await submit(client, page, page, {"held_on": "", "mode": "video"})
    assert bad.status_code == 422
    assert "session-held_on-error" in bad.text
    data = {
        "held_on": "2026-05-05",
        "mode": "video",
        "place": "Teams",
        "attendance-youth": "2",
        "attendance-leaders": "1",
        "agenda": "Plan",
        "decisions": "Besluttet",
    }
    saved = await submit(client, page, page, data)
    assert saved.status_code == 303, saved.text
    location = saved.headers["location"]
    assert location.startswith(f"/prosjekter/{pid}?notice=projects.codesign-session-saved#mote-")
    sid = int(location.rsplit("-", 1)[1])
    edit_page = f"/prosjekter/{pid}/moter/{sid}/endre"
    edit = await client.get(edit_page, headers=HTML)
    assert 'value="2026-05-05"' in edit.text
    assert 'value="2"' in edit.text
    changed = await submit(client, edit_page, edit_page, {**data, "place": "Askøy"})
    assert changed.status_code == 303
    action_page = f"/prosjekter/{pid}/handlinger/ny?mote={sid}"
    form = await client.get(action_page, headers=HTML)
    assert "Adviser A" in text_of(form)
    posted = await submit(
        client,
        action_page,
        f"/prosjekter/{pid}/handlinger/ny",
        {
            "title": "Ring skolen",
            "owner_id": str(ws.accounts["researcher_a"]),
            "due": "2026-01-01",
            "session_id": str(sid),
        },
    )
    assert posted.status_code == 303, posted.text
    mine = await client.get("/mine-handlinger", headers=HTML)
    assert mine.status_code == 200
    assert "Ring skolen" in text_of(mine)
    assert "Skolefravær i Askøy" in text_of(mine)
    action_id = re.search(r"/handlinger/(\d+)/ferdig", mine.text).group(1)  # type: ignore[union-attr]
    done = await submit(
        client,
        "/mine-handlinger",
        f"/prosjekter/{pid}/handlinger/{action_id}/ferdig",
        {"next": "/mine-handlinger"},
    )
    assert done.status_code == 303
    assert done.headers["location"].startswith("/mine-handlinger?notice=")
    assert "Ring skolen" not in text_of(await client.get("/mine-handlinger", headers=HTML))


async def test_forms_refuse_those_who_only_see_and_other_clusters(client: Any, ws: World) -> None:
    pid = ws.ids["project"]
    await login(client, ws, "coordinator_askoy")
    assert (await client.get(f"/prosjekter/{pid}/moter/ny", headers=HTML)).status_code == 403
    await login(client, ws, "adviser_b")
    for path in (f"/prosjekter/{pid}/moter/ny", f"/prosjekter/{pid}/handlinger/ny"):
        assert (await client.get(path, headers=HTML)).status_code == 404
    assert (await client.get("/mine-handlinger", headers=HTML)).status_code == 200


async def test_the_section_shows_sessions_and_actions(client: Any, ws: World, app: Any) -> None:
    from projects.workspace import codesign
    from projects.workspace.codesign_actions import create_action
    from projects.workspace.codesign_schemas import ActionCreate, SessionCreate
    from projects.workspace.loading import load_access
    from tests.projects.test_workspace_plan import principal, render_section

    lead = await principal(ws.accounts["researcher_a"])
    pid = ws.ids["project"]
    session = await codesign.create_session(
        lead, pid, SessionCreate(held_on=dt.date(2026, 2, 1), agenda="Agenda her")
    )
    await create_action(lead, pid, ActionCreate(title="Fra møtet", session_id=session.id))
    await create_action(lead, pid, ActionCreate(title="Løs handling"))
    html = await render_section(app, codesign.section(lead, await load_access(lead, pid)))
    assert '<section aria-labelledby="codesign-heading"' in html
    assert "Fra møtet" in html
    assert "Løs handling" in html
    assert "Agenda her" in html
    assert html.index("Fra møtet") < html.index("Løs handling")
    assert '<th scope="col">' in html
    assert "<caption" in html
