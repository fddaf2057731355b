"""Project participants through the API and the pages: the participants a new project starts
with (leading group, asking municipalities active, endorsing municipalities invited), the
invited municipality's answer, requests to join and the leader's decision, adding partners,
services and user representatives (privacy-guarded labels), leaving, tenancy (404), audit and
notifications; and the pure status rules."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klynge.notifications import render_text
from projects.workspace.participants_rules import (
    OPEN,
    TRANSITIONS,
    Event,
    Kind,
    Status,
    acts_for,
    next_status,
    role_allowed,
)
from tests.conftest import World
from tests.platform.test_views import HTML, login, submit
from tests.priorities.conftest import needs_world, synthetic_fnr

__all__ = ["needs_world"]


async def _account(app: Any, world: World, key: str, role: str, **org: int) -> int:
    from klynge.auth.passwords import hash_password
    from klynge.auth.tables import Account, RoleAssignment

    row = await Account.insert(
        Account(
            name=key.replace("_", " ").title(),
            email=f"{key}@test.klynge.no",
            password_hash=hash_password(world.password),
        )
    ).returning(Account.id)
    account = int(row[0]["id"])
    world.accounts[key] = account
    if role:
        await RoleAssignment.insert(RoleAssignment(account=account, role=role, **org))
    world.headers[key] = {"Authorization": f"Bearer {app.state.codec.issue(account)}"}
    return account


@pytest.fixture
async def project_world(app: Any, needs_world: World) -> World:
    """Cluster A's project on a need Askøy asked and Bergen endorsed, led by a researcher of
    "Barn og unge" (another group, "Skole", is a possible partner); a youth representative and
    a service employee in Askøy; the project's starting participants made."""
    from klynge.auth.passwords import hash_password
    from klynge.auth.tables import Account
    from klynge.orgs.tables import ResearchGroup
    from priorities.tables import Need, NeedEndorsement
    from projects.tables import Project
    from projects.workspace.participants import on_project_created

    w = needs_world
    await Account.update({Account.password_hash: hash_password(w.password)}).where(
        Account.id == w.accounts["coordinator_bergen"]
    )
    for key, name in (("group", "Barn og unge"), ("group_school", "Skole og samarbeid")):
        row = await ResearchGroup.insert(
            ResearchGroup(name=name, institution="UiB", org_number="974760673", sector="uoh")
        ).returning(ResearchGroup.id)
        w.ids[key] = row[0]["id"]
    leader = await _account(app, w, "researcher", "researcher", research_group=w.ids["group"])
    await _account(app, w, "youth_askoy", "user_representative", municipality=w.ids["askoy"])
    await _account(app, w, "employee_ppt", "service_employee", service=w.ids["askoy_ppt"])
    await _account(app, w, "leader_skole", "service_leader", service=w.ids["bergen_skole"])
    row = await Need.insert(
        Need(
            cluster=w.ids["cluster_a"],
            municipality=w.ids["askoy"],
            service=w.ids["askoy_barnevern"],
            title="Skolefravær",
            question="Hva virker mot skolefravær?",
            prevention_level="selected",
            intended_use="service_development",
            status="matched",
        )
    ).returning(Need.id)
    need = row[0]["id"]
    await NeedEndorsement.insert(NeedEndorsement(need=need, municipality=w.ids["bergen"]))
    row = await Project.insert(
        Project(
            cluster=w.ids["cluster_a"],
            group=w.ids["group"],
            leader=leader,
            title="Tilbake til skolen",
            summary_popular="Vi prøver ut tiltak mot skolefravær sammen med elevene.",
            need_ids=[need],
            municipality_ids=[w.ids["askoy"]],
        )
    ).returning(Project.id)
    w.ids["project"] = row[0]["id"]
    await on_project_created(None, w.ids["project"])
    return w


def url(w: World, tail: str = "") -> str:
    return f"/api/projects/{w.ids['project']}{tail}"


async def participants(client: Any, w: World, key: str = "researcher") -> list[dict[str, Any]]:
    response = await client.get(url(w, "/participants"), headers=w.headers[key])
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def by_org(found: list[dict[str, Any]], name: str) -> dict[str, Any]:
    return next(
        p for p in found if name in (p["group_name"], p["municipality_name"], p["service_name"])
    )


async def notifications_of(model_filter: Any) -> list[dict[str, Any]]:
    from klynge.notifications import Notification

    return list(await Notification.select().where(model_filter))


def plain(response: Any) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.text)).split())


# --- the project's start ---------------------------------------------------------------------


async def test_project_starts_with_leader_asking_municipalities_and_invitations(
    client: Any, project_world: World
) -> None:
    from klynge.audit import AuditEvent
    from klynge.notifications import Notification
    from projects.workspace.participants import on_project_created

    w = project_world
    found = await participants(client, w)
    assert [(p["kind"], p["status"], p["role"]) for p in found] == [
        ("research_group", "active", "leader"),
        ("municipality", "active", ""),
        ("municipality", "invited", ""),
    ]
    assert by_org(found, "Barn og unge")["account_id"] == w.accounts["researcher"]
    assert by_org(found, "Askøy")["status"] == "active"
    assert by_org(found, "Bergen")["status"] == "invited"
    invitations = await notifications_of(Notification.municipality == w.ids["bergen"])
    assert [n["link"] for n in invitations] == [f"/prosjekter/{w.ids['project']}/bli-med"]
    audited = await AuditEvent.select(AuditEvent.action).where(
        AuditEvent.object_type == "project_participant"
    )
    assert sorted(a["action"] for a in audited) == [
        "participant.active",
        "participant.active",
        "participant.invited",
    ]
    await on_project_created(None, w.ids["project"])  # again: nothing new
    assert len(await participants(client, w)) == 3


async def test_other_cluster_and_outsiders_get_404(client: Any, project_world: World) -> None:
    w = project_world
    for key in ("coordinator_trondheim", "adviser_b", "nobody", "coordinator_alver"):
        for path in ("/participants",):
            response = await client.get(url(w, path), headers=w.headers[key])
            assert response.status_code == 404, key
        response = await client.post(
            url(w, "/join-requests"),
            json={"municipality_id": w.ids["trondheim"]},
            headers=w.headers[key],
        )
        assert response.status_code == 404, key
    response = await client.post(
        url(w, "/participants"),
        json={"kind": "municipality", "municipality_id": w.ids["bergen"]},
        headers=w.headers["adviser_b"],
    )
    assert response.status_code == 404
    assert (await client.get(url(w, "/participants"))).status_code == 401


# --- invitations and requests ------------------------------------------------------------------


async def test_invited_municipality_accepts_and_then_sees_the_project(
    client: Any, project_world: World
) -> None:
    from klynge.notifications import Notification

    w = project_world
    # A service leader in Bergen answers for Bergen; before that they do not see the project.
    bergen = w.headers["leader_skole"]
    assert (await client.get(url(w, "/participants"), headers=bergen)).status_code == 404
    invited = by_org(await participants(client, w), "Bergen")
    answer = url(w, f"/participants/{invited['id']}/response")
    # Askøy's coordinator cannot answer for Bergen.
    refused = await client.post(
        answer, json={"response": "accept"}, headers=w.headers["coordinator_askoy"]
    )
    assert refused.status_code == 403
    accepted = await client.post(answer, json={"response": "accept"}, headers=bergen)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["status"] == "active"
    assert accepted.json()["account_id"] == w.accounts["leader_skole"]
    assert (await client.get(url(w, "/participants"), headers=bergen)).status_code == 200
    again = await client.post(answer, json={"response": "decline"}, headers=bergen)
    assert again.status_code == 409
    told = await notifications_of(Notification.kind == "project_invitation_answered")
    assert {n["account"] for n in told} == {w.accounts["researcher"], w.accounts["adviser_a"]}


async def test_declined_invitation_then_request_and_decision(
    client: Any, project_world: World
) -> None:
    from klynge.audit import AuditEvent
    from klynge.notifications import Notification

    w = project_world
    bergen = w.headers["coordinator_bergen"]
    invited = by_org(await participants(client, w), "Bergen")
    declined = await client.post(
        url(w, f"/participants/{invited['id']}/response"),
        json={"response": "decline", "note": "Ikke nå"},
        headers=bergen,
    )
    assert declined.json()["status"] == "declined"
    asked = await client.post(
        url(w, "/join-requests"),
        json={"municipality_id": w.ids["bergen"], "note": "Vi vil likevel være med."},
        headers=bergen,
    )
    assert asked.status_code == 201, asked.text
    assert (asked.json()["status"], asked.json()["id"]) == ("requested", invited["id"])
    twice = await client.post(
        url(w, "/join-requests"), json={"municipality_id": w.ids["bergen"]}, headers=bergen
    )
    assert twice.status_code == 409
    told = await notifications_of(Notification.kind == "project_join_requested")
    assert {n["account"] for n in told} == {w.accounts["researcher"], w.accounts["adviser_a"]}
    decision = url(w, f"/participants/{invited['id']}/decision")
    not_manager = await client.post(
        decision, json={"decision": "approve"}, headers=w.headers["coordinator_askoy"]
    )
    assert not_manager.status_code == 403
    rejected = await client.post(
        decision,
        json={"decision": "decline", "reason": "Prosjektet er fullt."},
        headers=w.headers["researcher"],
    )
    assert rejected.status_code == 200, rejected.text
    assert (rejected.json()["status"], rejected.json()["note"]) == (
        "declined",
        "Prosjektet er fullt.",
    )
    decided = await notifications_of(Notification.kind == "project_join_decided")
    assert [n["municipality"] for n in decided] == [w.ids["bergen"]]
    assert "Prosjektet er fullt." in render_text(decided[0]["text"], decided[0]["params"])
    await client.post(
        url(w, "/join-requests"), json={"municipality_id": w.ids["bergen"]}, headers=bergen
    )
    approved = await client.post(
        decision, json={"decision": "approve"}, headers=w.headers["adviser_a"]
    )
    assert approved.json()["status"] == "active"
    actions = await AuditEvent.select(AuditEvent.action).where(
        AuditEvent.object_id == str(invited["id"])
    )
    assert [a["action"] for a in actions][-5:] == [
        "participant.refuse",
        "participant.request",
        "participant.reject",
        "participant.request",
        "participant.approve",
    ]


async def test_request_needs_a_member_municipality_one_acts_for(
    client: Any, project_world: World
) -> None:
    w = project_world
    response = await client.post(
        url(w, "/join-requests"),
        json={"municipality_id": w.ids["bergen"]},
        headers=w.headers["coordinator_askoy"],
    )
    assert response.status_code == 403
    response = await client.post(
        url(w, "/join-requests"),
        json={"municipality_id": w.ids["askoy"]},
        headers=w.headers["coordinator_askoy"],
    )
    assert response.status_code == 409  # Askøy is in already


# --- the team adds and removes ------------------------------------------------------------------


async def test_team_adds_service_partner_and_user_representative(
    client: Any, project_world: World
) -> None:
    w = project_world
    team = w.headers["researcher"]
    service = await client.post(
        url(w, "/participants"),
        json={
            "kind": "service",
            "service_id": w.ids["askoy_ppt"],
            "account_id": w.accounts["employee_ppt"],
        },
        headers=team,
    )
    assert service.status_code == 201, service.text
    assert (service.json()["status"], service.json()["account_name"]) == ("active", "Employee Ppt")
    wrong_contact = await client.post(
        url(w, "/participants"),
        json={
            "kind": "service",
            "service_id": w.ids["askoy_barnevern"],
            "account_id": w.accounts["employee_ppt"],
        },
        headers=team,
    )
    assert wrong_contact.status_code == 422
    assert wrong_contact.json()["errors"][0]["field"] == "account_id"
    partner = await client.post(
        url(w, "/participants"),
        json={"kind": "research_group", "group_id": w.ids["group_school"], "role": "partner"},
        headers=team,
    )
    assert partner.status_code == 201, partner.text
    youth = await client.post(
        url(w, "/participants"),
        json={
            "kind": "user_representative",
            "role": "youth",
            "label": "Ungdomsrådet i Askøy",
            "account_id": w.accounts["youth_askoy"],
        },
        headers=team,
    )
    assert youth.status_code == 201, youth.text
    assert youth.json()["label"] == "Ungdomsrådet i Askøy"
    roles = {p["role"] for p in await participants(client, w)}
    assert {"leader", "partner", "youth"} <= roles


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "user_representative", "role": "youth", "label": ""}, "label"),
        ({"kind": "user_representative", "role": "leader", "label": "Foreldre"}, "role"),
        ({"kind": "municipality", "municipality_id": -5}, "municipality_id"),
        ({"kind": "research_group", "group_id": -1, "role": "partner"}, "group_id"),
    ],
)
async def test_add_refuses_wrong_choices(
    client: Any, project_world: World, body: dict[str, Any], field: str
) -> None:
    w = project_world
    response = await client.post(
        url(w, "/participants"), json=body, headers=w.headers["researcher"]
    )
    assert response.status_code == 422, response.text
    assert field in {e["field"] for e in response.json()["errors"]}


async def test_label_with_a_national_id_is_refused(client: Any, project_world: World) -> None:
    w = project_world
    number = synthetic_fnr()
    response = await client.post(
        url(w, "/participants"),
        json={"kind": "user_representative", "role": "parent", "label": f"Mor til {number}"},
        headers=w.headers["researcher"],
    )
    assert response.status_code == 422
    assert number not in response.text
    assert response.json()["errors"][0]["field"] == "label"


async def test_only_the_team_adds_and_removes(client: Any, project_world: World) -> None:
    w = project_world
    askoy = w.headers["coordinator_askoy"]  # sees the project (Askøy takes part), not the team
    response = await client.post(
        url(w, "/participants"),
        json={"kind": "research_group", "group_id": w.ids["group_school"], "role": "partner"},
        headers=askoy,
    )
    assert response.status_code == 403
    twice = await client.post(
        url(w, "/participants"),
        json={"kind": "municipality", "municipality_id": w.ids["bergen"]},
        headers=w.headers["researcher"],
    )
    assert twice.status_code == 409  # Bergen is invited already
    found = await participants(client, w)
    leader = by_org(found, "Barn og unge")
    response = await client.post(
        url(w, f"/participants/{leader['id']}/leave"), headers=w.headers["adviser_a"]
    )
    assert response.status_code == 409
    askoy_row = by_org(found, "Askøy")
    askoy = w.headers["leader_askoy"]  # a service leader there may end Askøy's participation
    left = await client.post(url(w, f"/participants/{askoy_row['id']}/leave"), headers=askoy)
    assert left.status_code == 200, left.text
    assert left.json()["status"] == "left"
    # Askøy no longer takes part, so the service leader no longer sees the project.
    assert (await client.get(url(w, "/participants"), headers=askoy)).status_code == 404


# --- the pages ------------------------------------------------------------------------------


async def test_join_page_accept_through_the_form(client: Any, project_world: World) -> None:
    w = project_world
    project = w.ids["project"]
    await login(client, w, "leader_skole")
    page = await client.get(f"/prosjekter/{project}/bli-med", headers=HTML)
    assert page.status_code == 200, page.text
    text = plain(page)
    assert "Tilbake til skolen" in text
    assert "skolefravær sammen med elevene" in text
    invited = re.search(r'/deltakere/(\d+)/svar"', page.text)
    assert invited
    response = await submit(
        client,
        f"/prosjekter/{project}/bli-med",
        f"/prosjekter/{project}/deltakere/{invited.group(1)}/svar",
        {"response": "accept", "contact_id": "", "note": ""},
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"].startswith(f"/prosjekter/{project}?notice=")
    await login(client, w, "coordinator_alver")
    assert (await client.get(f"/prosjekter/{project}/bli-med", headers=HTML)).status_code == 404


async def test_participants_page_form_errors_and_add(client: Any, project_world: World) -> None:
    w = project_world
    project = w.ids["project"]
    await login(client, w, "researcher")
    page = await client.get(f"/prosjekter/{project}/deltakere", headers=HTML)
    assert page.status_code == 200, page.text
    assert 'aria-labelledby="deltakere"' in page.text
    assert "Barn og unge" in plain(page)
    assert "Bergen" in plain(page)
    failed = await submit(
        client,
        f"/prosjekter/{project}/deltakere",
        f"/prosjekter/{project}/deltakere",
        {"kind": "user_representative", "form": "user_representative", "role": "youth"},
    )
    assert failed.status_code == 422, failed.text
    assert 'id="participant-user_representative-label"' in failed.text
    assert 'aria-invalid="true"' in failed.text
    added = await submit(
        client,
        f"/prosjekter/{project}/deltakere",
        f"/prosjekter/{project}/deltakere",
        {"kind": "user_representative", "role": "parent", "label": "Foreldreutvalget"},
    )
    assert added.status_code == 303, added.text
    assert added.headers["location"].endswith("#deltakere")
    page = await client.get(f"/prosjekter/{project}/deltakere", headers=HTML)
    assert "Foreldreutvalget" in plain(page)


async def test_manager_decides_a_request_on_the_page(client: Any, project_world: World) -> None:
    w = project_world
    project = w.ids["project"]
    bergen = w.headers["coordinator_bergen"]
    invited = by_org(await participants(client, w), "Bergen")
    await client.post(
        url(w, f"/participants/{invited['id']}/response"),
        json={"response": "decline"},
        headers=bergen,
    )
    await login(client, w, "coordinator_bergen")
    asked = await submit(
        client,
        f"/prosjekter/{project}/bli-med",
        f"/prosjekter/{project}/bli-med",
        {"municipality_id": str(w.ids["bergen"]), "note": "Gjerne"},
    )
    assert asked.status_code == 303, asked.text
    await login(client, w, "adviser_a")
    page = await client.get(f"/prosjekter/{project}/deltakere", headers=HTML)
    assert f"/deltakere/{invited['id']}/beslutning" in page.text
    decided = await submit(
        client,
        f"/prosjekter/{project}/deltakere",
        f"/prosjekter/{project}/deltakere/{invited['id']}/beslutning",
        {"decision": "approve", "reason": ""},
    )
    assert decided.status_code == 303, decided.text
    assert by_org(await participants(client, w), "Bergen")["status"] == "active"


# --- the pure rules ------------------------------------------------------------------------------


def test_transitions() -> None:
    assert next_status(None, Event.INVITE) is Status.INVITED
    assert next_status("invited", Event.ACCEPT) is Status.ACTIVE
    assert next_status("invited", Event.REFUSE) is Status.DECLINED
    assert next_status("requested", Event.APPROVE) is Status.ACTIVE
    assert next_status("requested", Event.REJECT) is Status.DECLINED
    assert next_status("declined", Event.REQUEST) is Status.REQUESTED
    assert next_status("active", Event.ACCEPT) is None
    assert next_status("invited", Event.APPROVE) is None  # the team cannot accept for them
    assert next_status("requested", Event.ACCEPT) is None  # nor they approve themselves
    assert next_status("left", Event.LEAVE) is None


@given(st.lists(st.sampled_from(list(Event)), max_size=12))
def test_any_sequence_of_events_keeps_to_the_rules(events: list[Event]) -> None:
    status: Status | None = None
    for event in events:
        after = next_status(status, event)
        if after is None:
            continue
        if after is Status.ACTIVE:
            # Only an answer to an invitation or a decision on a request makes one active.
            assert (status, event) in {
                (Status.INVITED, Event.ACCEPT),
                (Status.REQUESTED, Event.APPROVE),
            }
        if event is Event.LEAVE:
            assert status in OPEN
            assert after is Status.LEFT
        status = after
    assert status is None or status in set(Status)


def test_every_transition_starts_from_a_closed_or_open_status() -> None:
    for (before, _event), after in TRANSITIONS.items():
        assert before is None or before in set(Status)
        assert after in set(Status)


def test_roles_and_acting_for() -> None:
    assert role_allowed(Kind.USER_REPRESENTATIVE, "youth")
    assert not role_allowed(Kind.USER_REPRESENTATIVE, "")
    assert role_allowed(Kind.MUNICIPALITY, "")
    assert not role_allowed(Kind.RESEARCH_GROUP, "youth")
    assert acts_for(1, [1], {})
    assert acts_for(2, [], {7: 2})
    assert not acts_for(3, [1], {7: 2})


async def test_contact_person_is_someone_of_the_organisation(
    client: Any, project_world: World
) -> None:
    from klynge.audit import AuditEvent

    w = project_world
    found = await participants(client, w)
    askoy, leader = by_org(found, "Askøy"), by_org(found, "Barn og unge")
    contact = url(w, f"/participants/{askoy['id']}/contact")
    chosen = await client.put(
        contact, json={"account_id": w.accounts["leader_askoy"]}, headers=w.headers["researcher"]
    )
    assert chosen.status_code == 200, chosen.text
    assert chosen.json()["account_name"] == "Leader Askoy"
    outsider = await client.put(
        contact,
        json={"account_id": w.accounts["coordinator_trondheim"]},
        headers=w.headers["researcher"],
    )
    assert outsider.status_code == 422
    # Askøy's own coordinator may choose (not on the team, but acting for Askøy).
    own = await client.put(
        contact,
        json={"account_id": w.accounts["coordinator_askoy"]},
        headers=w.headers["coordinator_askoy"],
    )
    assert own.status_code == 200, own.text
    not_org = await client.put(
        url(w, f"/participants/{leader['id']}/contact"),
        json={"account_id": None},
        headers=w.headers["researcher"],
    )
    assert not_org.status_code == 422
    other = await client.put(contact, json={}, headers=w.headers["coordinator_trondheim"])
    assert other.status_code == 404
    audited = await AuditEvent.select(AuditEvent.action).where(
        AuditEvent.action == "participant.contact"
    )
    assert len(audited) == 2
    await login(client, w, "researcher")
    page = f"/prosjekter/{w.ids['project']}/deltakere"
    listing = await client.get(page, headers=HTML)
    assert f'id="contact-{askoy["id"]}"' in listing.text
    saved = await submit(client, page, f"{page}/{askoy['id']}/kontakt", {"account_id": ""})
    assert saved.status_code == 303, saved.text
    assert by_org(await participants(client, w), "Askøy")["account_id"] is None


def assert_labelled(page: str) -> None:
    """Every visible field has a label (for=its id) and no id is used twice."""
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    labels = set(re.findall(r'<label[^>]*\sfor="([^"]+)"', page))
    for tag in re.findall(r"<(?:input|select|textarea)\b[^>]*>", page):
        if 'type="hidden"' in tag:
            continue
        found = re.search(r'\sid="([^"]+)"', tag)
        assert found, tag
        assert found.group(1) in labels, tag


async def test_pages_label_every_field(client: Any, project_world: World) -> None:
    w = project_world
    project = w.ids["project"]
    await login(client, w, "adviser_a")
    page = await client.get(f"/prosjekter/{project}/deltakere", headers=HTML)
    assert_labelled(page.text)
    assert "<caption" in page.text
    await login(client, w, "leader_skole")
    assert_labelled((await client.get(f"/prosjekter/{project}/bli-med", headers=HTML)).text)


async def test_research_groups_are_offered_a_page_at_a_time_and_searched(
    client: Any, project_world: World
) -> None:
    """Thousands of research groups at national scale: the form offers the first ones by name
    and finds the others by a search on the participants page; any group can be added."""
    from klynge.orgs.tables import ResearchGroup
    from projects.workspace.participants import GROUP_CHOICES

    w = project_world
    project = w.ids["project"]
    await ResearchGroup.insert(
        *[
            ResearchGroup(
                name=f"Aa gruppe {i:03}", institution="UiB", org_number="974760673", sector="uoh"
            )
            for i in range(GROUP_CHOICES)
        ]
    )
    await login(client, w, "researcher")
    page = (await client.get(f"/prosjekter/{project}", headers=HTML)).text
    assert "Skole og samarbeid" not in page  # past the first ones by name
    assert "Aa gruppe 000" in page
    assert "søk på navnet for å finne de andre" in html.unescape(page)
    found = await client.get(f"/prosjekter/{project}/deltakere?gruppe=samarbeid", headers=HTML)
    assert found.status_code == 200, found.text
    assert "Skole og samarbeid" in found.text
    assert "Aa gruppe 000" not in found.text
    added = await submit(
        client,
        f"/prosjekter/{project}/deltakere",
        f"/prosjekter/{project}/deltakere",
        {
            "kind": "research_group",
            "form": "research_group",
            "role": "partner",
            "group_id": str(w.ids["group_school"]),
        },
    )
    assert added.status_code == 303, added.text
