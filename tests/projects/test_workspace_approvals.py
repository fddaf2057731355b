"""The approvals checklist and the project's lifecycle through the API and the HTML forms:
seeding from the proposal, who may update and decide, the transition to running refused with
the missing items named (409) and allowed once they are in place, notifications and tenancy."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import World
from tests.platform.test_views import HTML, login, submit


async def _account(app: Any, world: World, key: str, **grant: Any) -> int:
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
async def pw(app: Any, world: World) -> World:
    """A planned project of cluster A from a proposal naming REK and a Bufdir exemption, with
    its checklist seeded; a researcher of its group."""
    from klynge.orgs.tables import ResearchGroup
    from projects.tables import Project, Proposal
    from projects.workspace.approvals import on_project_created

    group = await ResearchGroup.insert(
        ResearchGroup(
            name="Skole og samarbeid", institution="UiB", org_number="974760673", sector="uoh"
        )
    ).returning(ResearchGroup.id)
    world.ids["group"] = group[0]["id"]
    proposal = await Proposal.insert(
        Proposal(
            cluster=world.ids["cluster_a"],
            group=world.ids["group"],
            title="Fravær",
            ethics=["rek", "bufdir_exemption"],
            status="accepted",
        )
    ).returning(Proposal.id)
    project = await Project.insert(
        Project(
            cluster=world.ids["cluster_a"],
            proposal=proposal[0]["id"],
            group=world.ids["group"],
            title="Samarbeid om skolefravær",
        )
    ).returning(Project.id)
    world.ids["project"] = project[0]["id"]
    await on_project_created(world.ids["project"])
    await _account(app, world, "researcher", role="researcher", research_group=world.ids["group"])
    return world


def url(w: World, tail: str = "") -> str:
    return f"/api/projects/{w.ids['project']}{tail}"


async def items(client: Any, w: World, who: str = "adviser_a") -> dict[str, Any]:
    response = await client.get(url(w, "/approvals"), headers=w.headers[who])
    assert response.status_code == 200, response.text
    return {i["kind"]: i for i in response.json()["items"]} | {"_": response.json()}


async def test_the_checklist_is_seeded_from_the_catalogue_and_the_proposal(client, pw) -> None:
    from projects.workspace.approvals import on_project_created

    await on_project_created(pw.ids["project"])  # twice: still one checklist
    got = await items(client, pw)
    body = got.pop("_")
    assert list(got) == ["rek", "data_protection", "confidentiality", "consent", "owner"]
    assert got["rek"]["required"] is True
    assert got["rek"]["required_reason"] == "Oppgitt i forslaget."
    assert got["confidentiality"]["required"] is True
    assert got["consent"]["required"] is None
    assert got["rek"]["name"] == "REK-godkjenning"
    assert all(i["status"] == "missing" for i in got.values())
    assert len(body["missing"]) == 5
    assert body["project_status"] == "planned"


async def test_another_cluster_gets_404_everywhere(client, pw) -> None:
    other = pw.headers["adviser_b"]
    rek = (await items(client, pw))["rek"]["id"]
    assert (await client.get(url(pw, "/approvals"), headers=other)).status_code == 404
    patch = await client.patch(
        url(pw, f"/approvals/{rek}"), json={"status": "applied"}, headers=other
    )
    assert patch.status_code == 404
    add = await client.post(url(pw, "/approvals"), json={"label": "X"}, headers=other)
    assert add.status_code == 404
    move = await client.post(url(pw, "/transition"), json={"to": "preparation"}, headers=other)
    assert move.status_code == 404
    assert move.headers["content-type"].startswith("application/problem+json")
    await login(client, pw, "adviser_b")
    page = await client.get(f"/prosjekter/{pw.ids['project']}/godkjenninger", headers=HTML)
    assert page.status_code == 404


async def test_the_team_updates_and_only_the_adviser_decides(client, pw) -> None:
    got = await items(client, pw, "researcher")
    rek = got["rek"]["id"]
    team = pw.headers["researcher"]
    response = await client.patch(
        url(pw, f"/approvals/{rek}"),
        json={"status": "approved", "reference": "REK 2026/123456", "decided_on": "2026-03-01"},
        headers=team,
    )
    assert response.status_code == 200, response.text
    assert response.json()["reference"] == "REK 2026/123456"
    refused = await client.patch(
        url(pw, f"/approvals/{rek}"),
        json={"required": "no", "required_reason": "Ikke helse"},
        headers=team,
    )
    assert refused.status_code == 403
    no_reason = await client.patch(
        url(pw, f"/approvals/{rek}"), json={"required": "no"}, headers=pw.headers["adviser_a"]
    )
    assert no_reason.status_code == 422
    assert no_reason.json()["errors"][0]["field"] == "required_reason"
    decided = await client.patch(
        url(pw, f"/approvals/{rek}"),
        json={"required": "no", "required_reason": "Ikke medisinsk og helsefaglig forskning"},
        headers=pw.headers["adviser_a"],
    )
    assert decided.status_code == 200
    assert decided.json()["required"] is False
    cleared = await client.patch(
        url(pw, f"/approvals/{rek}"), json={"clear": ["decided_on"]}, headers=team
    )
    assert cleared.json()["decided_on"] is None
    # a service that takes no part in the project sees nothing of it
    outsider = await client.get(url(pw, "/approvals"), headers=pw.headers["leader_askoy"])
    assert outsider.status_code == 404


async def test_documents_are_the_projects_own(client, pw) -> None:
    from projects.workspace.tables import ProjectDocument

    doc = await ProjectDocument.insert(
        ProjectDocument(
            project=pw.ids["project"],
            filename="rek-vedtak.pdf",
            content_type="application/pdf",
            size=10,
            sha256="0" * 64,
            storage_key="x",
        )
    ).returning(ProjectDocument.id)
    rek = (await items(client, pw))["rek"]["id"]
    team = pw.headers["researcher"]
    wrong = await client.patch(
        url(pw, f"/approvals/{rek}"), json={"document_id": 999}, headers=team
    )
    assert wrong.status_code == 422
    right = await client.patch(
        url(pw, f"/approvals/{rek}"), json={"document_id": doc[0]["id"]}, headers=team
    )
    assert right.status_code == 200
    assert right.json()["document_name"] == "rek-vedtak.pdf"


async def test_the_adviser_adds_an_item(client, pw) -> None:
    body = {"label": "Rektors godkjenning", "required": "yes", "required_reason": "Skoledata"}
    denied = await client.post(url(pw, "/approvals"), json=body, headers=pw.headers["researcher"])
    assert denied.status_code == 403
    added = await client.post(url(pw, "/approvals"), json=body, headers=pw.headers["adviser_a"])
    assert added.status_code == 201, added.text
    assert added.json()["kind"] == "other"
    assert added.json()["name"] == "Rektors godkjenning"
    missing = (await items(client, pw))["_"]["missing"]
    assert "approval-missing:other" in [m["code"] for m in missing]


async def _ready(client: Any, w: World) -> None:
    """Everything running needs: a leader, a municipality, every item decided and approved."""
    from projects.tables import Project
    from projects.workspace.tables import Participant

    await Project.update({Project.leader: w.accounts["researcher"]}).where(
        Project.id == w.ids["project"]
    )
    await Participant.insert(
        Participant(
            project=w.ids["project"],
            kind="municipality",
            municipality=w.ids["askoy"],
            status="active",
        )
    )
    adviser = w.headers["adviser_a"]
    for item in (await items(client, w)).values():
        if "id" not in item:
            continue
        response = await client.patch(
            url(w, f"/approvals/{item['id']}"),
            json={"required": "yes", "required_reason": "Barnevernsdata", "status": "approved"},
            headers=adviser,
        )
        assert response.status_code == 200, response.text


async def test_running_is_refused_with_the_missing_items_then_allowed(client, pw) -> None:
    from klynge.audit import AuditEvent
    from klynge.notifications import Notification

    adviser = pw.headers["adviser_a"]
    skip = await client.post(url(pw, "/transition"), json={"to": "running"}, headers=adviser)
    assert skip.status_code == 409
    assert [e["code"] for e in skip.json()["errors"]] == ["not-allowed"]
    prep = await client.post(url(pw, "/transition"), json={"to": "preparation"}, headers=adviser)
    assert prep.status_code == 200, prep.text
    assert prep.json()["status"] == "preparation"
    refused = await client.post(url(pw, "/transition"), json={"to": "running"}, headers=adviser)
    assert refused.status_code == 409
    problem = refused.json()
    assert refused.headers["content-type"].startswith("application/problem+json")
    codes = [e["code"] for e in problem["errors"]]
    assert codes == [
        "approval-missing:rek",
        "approval-undecided:data_protection",
        "approval-missing:confidentiality",
        "approval-undecided:consent",
        "approval-undecided:owner",
        "no-leader",
        "no-municipality",
    ]
    assert "«REK-godkjenning» er påkrevd" in problem["errors"][0]["message"]
    assert "«Pågår»" in problem["detail"]
    from klynge.auth.tables import Account

    await Account.update({Account.language: "nn"}).where(Account.id == pw.accounts["adviser_a"])
    nynorsk = await client.post(url(pw, "/transition"), json={"to": "running"}, headers=adviser)
    assert nynorsk.json()["errors"][0]["message"] == (
        "«REK-godkjenning» er påkravd og enno ikkje godkjent."
    )
    await _ready(client, pw)
    running = await client.post(url(pw, "/transition"), json={"to": "running"}, headers=adviser)
    assert running.status_code == 200, running.text
    assert running.json()["status_changed_at"]
    sent = await Notification.select().where(Notification.kind == "project_status")
    assert {(n["municipality"], n["account"]) for n in sent} >= {
        (pw.ids["askoy"], None),
        (None, pw.accounts["researcher"]),
    }
    events = await AuditEvent.select().where(AuditEvent.action == "project.status")
    assert [e["object_id"] for e in events] == [str(pw.ids["project"])] * 2


async def test_stopping_needs_a_reason_and_is_final(client, pw) -> None:
    adviser = pw.headers["adviser_a"]
    bare = await client.post(url(pw, "/transition"), json={"to": "stopped"}, headers=adviser)
    assert bare.status_code == 409
    assert bare.json()["errors"] == [
        {
            "field": "reason",
            "message": "Skriv hvorfor prosjektet stanses.",
            "code": "reason-required",
        }
    ]
    stop = await client.post(
        url(pw, "/transition"),
        json={"to": "stopped", "reason": "Finansieringen falt bort"},
        headers=adviser,
    )
    assert stop.status_code == 200
    back = await client.post(url(pw, "/transition"), json={"to": "planned"}, headers=adviser)
    assert back.status_code == 409


async def test_only_the_leader_or_adviser_moves_the_project(client, pw) -> None:
    move = await client.post(
        url(pw, "/transition"), json={"to": "preparation"}, headers=pw.headers["researcher"]
    )
    assert move.status_code == 403
    bad = await client.post(
        url(pw, "/transition"), json={"to": "archived"}, headers=pw.headers["adviser_a"]
    )
    assert bad.status_code == 400


async def test_the_status_box_and_checklist_in_the_browser(client, pw) -> None:
    pid = pw.ids["project"]
    page = f"/prosjekter/{pid}/godkjenninger"
    await login(client, pw, "adviser_a")
    shown = await client.get(page, headers=HTML)
    assert shown.status_code == 200, shown.text
    assert "Godkjenninger og tillatelser" in shown.text
    assert "Planlagt" in shown.text
    moved = await submit(client, page, f"/prosjekter/{pid}/status", {"to": "preparation"})
    assert moved.status_code == 303
    assert moved.headers["location"] == (
        f"/prosjekter/{pid}?notice=projects.lifecycle-changed#prosjektstatus"
    )
    refused = await submit(client, page, f"/prosjekter/{pid}/status", {"to": "running"})
    assert refused.status_code == 303
    assert "notice=projects.lifecycle-refused" in refused.headers["location"]
    again = await client.get(page, headers=HTML)
    assert "Prosjektet har ingen prosjektleder." in again.text
    rek = (await items(client, pw))["rek"]["id"]
    no_reason = await submit(client, page, f"{page}/{rek}/krav", {"required": "no"})
    assert no_reason.status_code == 422
    assert f'id="decision-{rek}-required_reason-error"' in no_reason.text
    saved = await submit(
        client,
        page,
        f"{page}/{rek}",
        {"status": "applied", "reference": "REK 2026/1", "decided_on": "", "document_id": ""},
    )
    assert saved.status_code == 303
    assert "notice=projects.approvals-saved" in saved.headers["location"]
    added = await submit(
        client, page, page, {"label": "Rektors godkjenning", "required": "undecided"}
    )
    assert added.status_code == 303
    assert "Rektors godkjenning" in (await client.get(page, headers=HTML)).text


async def test_the_section_of_someone_who_may_not_see_is_empty(pw) -> None:
    from projects.workspace.access import decide
    from projects.workspace.approvals import section
    from projects.workspace.loading import load_facts

    facts = await load_facts(pw.ids["project"])
    assert facts is not None
    shown = await section(None, decide(None, facts))
    assert shown.context == {"visible": False}


async def test_the_refusal_is_documented_in_the_openapi_document(client) -> None:
    document = (await client.get("/schema/openapi.json")).json()
    operation = document["paths"]["/api/projects/{project_id}/transition"]["post"]
    assert operation["operationId"] == "TransitionProject"
    conflict = operation["responses"]["409"]["content"]["application/problem+json"]
    assert conflict["schema"]["properties"]["errors"]["type"] == "array"


async def test_a_project_without_a_proposal_starts_with_every_item_undecided(client, pw) -> None:
    from projects.tables import Project
    from projects.workspace.approvals import on_project_created

    row = await Project.insert(
        Project(cluster=pw.ids["cluster_a"], group=pw.ids["group"], title="Uten forslag")
    ).returning(Project.id)
    await on_project_created(row[0]["id"])
    response = await client.get(
        f"/api/projects/{row[0]['id']}/approvals", headers=pw.headers["adviser_a"]
    )
    assert [i["required"] for i in response.json()["items"]] == [None] * 5
