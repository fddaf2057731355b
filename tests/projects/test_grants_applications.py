"""Applications from projects through the API: starting one to an open call, the money path
(NOK as typed -> øre -> Norwegian display), live conditions, submit refused with the failed
conditions named and accepted once they hold, withdraw, the list, and tenancy (another cluster
and another funder get 404)."""

from __future__ import annotations

from typing import Any

from tests.conftest import World
from tests.projects.grants_applications_fixtures import BUDGET_14, TODAY, ga, start

__all__ = ["ga"]
NBSP = "\u00a0"


def api(app_id: int, tail: str = "") -> str:
    return f"/api/applications/{app_id}{tail}"


async def _budget(client: Any, w: World, app_id: int, lines: list[dict[str, Any]]) -> Any:
    return await client.put(
        api(app_id, "/budget"), json={"lines": lines}, headers=w.headers["leader"]
    )


async def _financing(client: Any, w: World, app_id: int, amount: Any) -> Any:
    lines = [{"source": "this_funder", "amount": amount, "description": "Søkt"}]
    return await client.put(
        api(app_id, "/financing"), json={"lines": lines}, headers=w.headers["leader"]
    )


async def test_start_defaults_title_and_written_standard_from_the_project(client, ga) -> None:
    body = await start(client, ga)
    assert body["title"] == "Samarbeid om skolefravær"
    assert body["written_standard"] == "nn"
    assert body["status"] == "draft"
    assert body["call"]["funder_name"] == "Stiftelsen Vest"
    assert body["may_edit"]
    assert body["may_submit"]
    again = await client.post(
        "/api/applications",
        json={"project_id": ga.ids["project"], "call_id": ga.ids["call"]},
        headers=ga.headers["leader"],
    )
    assert again.status_code == 409


async def test_a_closed_call_and_a_mere_participant_are_refused(client, ga) -> None:
    closed = await client.post(
        "/api/applications",
        json={"project_id": ga.ids["project"], "call_id": ga.ids["closed_call"]},
        headers=ga.headers["leader"],
    )
    assert closed.status_code == 409
    other = await client.post(
        "/api/applications",
        json={"project_id": ga.ids["project"], "call_id": ga.ids["call"]},
        headers=ga.headers["adviser_b"],
    )
    assert other.status_code == 404


async def test_the_money_path_from_typed_nok_to_ore_to_display(client, ga) -> None:
    app_id = (await start(client, ga))["id"]
    lines = [{"year": TODAY.year, "category": "rnd", "amount": "1 234 567,50"}]
    response = await _budget(client, ga, app_id, lines)
    assert response.status_code == 200, response.text
    line = response.json()["budget"][0]
    assert line["amount_ore"] == 123_456_750
    assert line["amount"] == f"1{NBSP}234{NBSP}567,50{NBSP}kr"
    assert response.json()["totals"]["total_ore"] == 123_456_750
    money = await _financing(client, ga, app_id, "kr 500 000,-")
    assert money.json()["requested_ore"] == 50_000_000
    assert money.json()["totals"]["requested"] == f"500{NBSP}000{NBSP}kr"


async def test_bad_lines_are_named_and_change_nothing(client, ga) -> None:
    app_id = (await start(client, ga))["id"]
    assert (await _budget(client, ga, app_id, BUDGET_14)).status_code == 200
    bad = [
        {"year": TODAY.year + 5, "category": "rnd", "amount": "10"},
        {"year": TODAY.year, "category": "travel", "amount": "1,234"},
        {"year": TODAY.year, "category": "travel", "amount": "10", "fte_percent": 20},
        {"year": TODAY.year, "category": "new_position", "amount": "10"},
    ]
    response = await _budget(client, ga, app_id, bad)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {
        "lines.0.year", "lines.1.amount", "lines.2.fte_percent", "lines.3.fte_percent"
    }  # fmt: skip
    kept = await client.get(api(app_id), headers=ga.headers["leader"])
    assert len(kept.json()["budget"]) == 3


async def test_submit_refused_while_rnd_share_is_14_percent_then_accepted(client, ga) -> None:
    app_id = (await start(client, ga))["id"]
    await _budget(client, ga, app_id, BUDGET_14)
    await _financing(client, ga, app_id, "1 000 000")
    live = await client.get(api(app_id, "/conditions"), headers=ga.headers["leader"])
    by_kind = {c["kind"]: c for c in live.json()["conditions"]}
    assert by_kind["min_rnd_share"]["outcome"] == "not_met"
    assert by_kind["min_rnd_share"]["numbers"]["share"] == "14.0"
    assert by_kind["max_amount"]["outcome"] == "met"  # the call's maximum, implicitly
    assert live.json()["may_submit"] is False
    refused = await client.post(api(app_id, "/submit"), headers=ga.headers["leader"])
    assert refused.status_code == 422
    errors = refused.json()["errors"]
    assert [e["field"] for e in errors] == ["min_rnd_share"]
    assert "14" in errors[0]["message"]
    assert "20" in errors[0]["message"]
    more = [*BUDGET_14, {"year": TODAY.year + 1, "category": "rnd", "amount": "160 000"}]
    assert (await _budget(client, ga, app_id, more)).status_code == 200
    done = await client.post(api(app_id, "/submit"), headers=ga.headers["leader"])
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "submitted"
    assert done.json()["submitted_at"]
    locked = await _budget(client, ga, app_id, BUDGET_14)
    assert locked.status_code == 403


async def test_submitting_links_the_funder_audits_and_notifies(client, ga) -> None:
    from klynge.audit import AuditEvent
    from klynge.notifications import Notification

    app_id = (await start(client, ga))["id"]
    more = [*BUDGET_14, {"year": TODAY.year + 1, "category": "rnd", "amount": "160 000"}]
    await _budget(client, ga, app_id, more)
    assert (await client.get(api(app_id), headers=ga.headers["officer"])).status_code == 404
    project = f"/api/projects/{ga.ids['project']}"
    assert (await client.get(project, headers=ga.headers["officer"])).status_code in (403, 404)
    assert (
        await client.post(api(app_id, "/submit"), headers=ga.headers["leader"])
    ).status_code == 200
    seen = await client.get(api(app_id), headers=ga.headers["officer"])
    assert seen.status_code == 200
    assert seen.json()["may_edit"] is False
    assert (await client.get(project, headers=ga.headers["officer"])).status_code == 200
    told = await Notification.select(Notification.account).where(
        Notification.kind == "grants.application_submitted"
    )
    assert {r["account"] for r in told} == {ga.accounts["officer"], ga.accounts["adviser_a"]}
    actions = await AuditEvent.select(AuditEvent.action).where(AuditEvent.object_id == str(app_id))
    assert "application.submitted" in {r["action"] for r in actions}
    listed = await client.get("/api/applications", headers=ga.headers["officer"])
    assert [a["id"] for a in listed.json()] == [app_id]


async def test_another_cluster_and_another_funder_get_404(client, ga) -> None:
    app_id = (await start(client, ga))["id"]
    await _budget(
        client,
        ga,
        app_id,
        [*BUDGET_14, {"year": TODAY.year, "category": "rnd", "amount": "200 000"}],
    )
    await client.post(api(app_id, "/submit"), headers=ga.headers["leader"])
    for who in ("adviser_b", "officer_2"):
        headers = ga.headers[who]
        assert (await client.get(api(app_id), headers=headers)).status_code == 404
        assert (await client.get(api(app_id, "/conditions"), headers=headers)).status_code == 404
        assert (await client.get(api(app_id, "/budget.xlsx"), headers=headers)).status_code == 404
        withdraw = await client.post(api(app_id, "/withdraw"), headers=headers)
        assert withdraw.status_code == 404
        assert withdraw.headers["content-type"].startswith("application/problem+json")
        assert (await client.get("/api/applications", headers=headers)).json() == []


async def test_list_filters_and_withdraw(client, ga) -> None:
    app_id = (await start(client, ga))["id"]
    mine = await client.get(
        "/api/applications",
        params={"status": "draft", "call_id": ga.ids["call"]},
        headers=ga.headers["leader"],
    )
    assert [a["id"] for a in mine.json()] == [app_id]
    none = await client.get(
        "/api/applications", params={"status": "submitted"}, headers=ga.headers["leader"]
    )
    assert none.json() == []
    gone = await client.post(api(app_id, "/withdraw"), headers=ga.headers["leader"])
    assert gone.json()["status"] == "withdrawn"
    again = await client.post(api(app_id, "/withdraw"), headers=ga.headers["leader"])
    assert again.status_code == 409


async def test_patch_title_and_summary(client, ga) -> None:
    app_id = (await start(client, ga))["id"]
    response = await client.patch(
        api(app_id),
        json={"title": "Ny tittel", "summary": "Kort om søknaden."},
        headers=ga.headers["leader"],
    )
    assert response.status_code == 200
    assert response.json()["title"] == "Ny tittel"
    blocked = await client.patch(api(app_id), json={"title": "X"}, headers=ga.headers["officer"])
    assert blocked.status_code == 404


async def test_docx_export_in_the_written_standard(client, ga) -> None:
    import io
    import zipfile

    app_id = (await start(client, ga))["id"]
    await _budget(client, ga, app_id, BUDGET_14)
    response = await client.get(api(app_id, "/document.docx"), headers=ga.headers["leader"])
    assert response.status_code == 200
    xml = zipfile.ZipFile(io.BytesIO(response.content)).read("word/document.xml").decode()
    assert "Samarbeid om skolefravær" in xml
    assert "Følgeforskning" in xml


# --- the pages ---------------------------------------------------------------------------------


async def test_the_pages_start_edit_and_refuse_submission_on_the_page(client, ga) -> None:
    from tests.platform.test_views import HTML, login, submit, text_of

    await login(client, ga, "leader")
    new = await client.get(f"/soknader/ny?project_id={ga.ids['project']}", headers=HTML)
    assert new.status_code == 200
    assert "Utlysning 2027" in text_of(new)
    started = await submit(
        client, "/soknader/ny", "/soknader/ny",
        {"project_id": ga.ids["project"], "call_id": ga.ids["call"], "title": ""},
    )  # fmt: skip
    assert started.status_code == 303
    page = started.headers["location"].split("?")[0]
    app_id = int(page.rsplit("/", 1)[1])
    for line in BUDGET_14:
        added = await submit(
            client, page, f"{page}/budsjett", {**line, "fte_percent": line.get("fte_percent", "")}
        )
        assert added.status_code == 303, added.text
    bad = await submit(
        client, page, f"{page}/budsjett", {"year": TODAY.year, "category": "rnd", "amount": "tusen"}
    )
    assert bad.status_code == 422
    assert 'id="line-new-amount"' in bad.text
    assert 'aria-invalid="true"' in bad.text
    refused = await submit(client, page, f"{page}/send-inn", {})
    assert refused.status_code == 422
    body = text_of(refused)
    assert "14" in body
    assert "Minimum R&D share" in body or "FoU" in body
    shown = await client.get(page, headers=HTML)
    assert "600\u00a0000\u00a0kr" in text_of(shown)
    assert shown.status_code == 200
    lines = (await client.get(api(app_id), headers=ga.headers["leader"])).json()["budget"]
    rnd = next(line for line in lines if line["category"] == "rnd")
    edited = await submit(
        client, page, f"{page}/budsjett/{rnd['id']}",
        {"year": TODAY.year, "category": "rnd", "amount": "400 000", "description": "Mer"},
    )  # fmt: skip
    assert edited.status_code == 303
    money = await submit(
        client, page, f"{page}/finansiering", {"source": "this_funder", "amount": "1 000 000"}
    )
    assert money.status_code == 303
    done = await submit(client, page, f"{page}/send-inn", {})
    assert done.status_code == 303
    listed = await client.get("/soknader", headers=HTML)
    assert "Innsendt" in text_of(listed) or "Submitted" in text_of(listed)


async def test_another_cluster_gets_404_on_the_page(client, ga) -> None:
    from tests.platform.test_views import HTML, login

    app_id = (await start(client, ga))["id"]
    await login(client, ga, "adviser_b")
    assert (await client.get(f"/soknader/{app_id}", headers=HTML)).status_code == 404
    assert (await client.get(f"/soknader/{app_id}/soknad.docx", headers=HTML)).status_code == 404


async def test_a_team_member_edits_but_only_leader_or_adviser_submits_and_resubmits(
    client, ga
) -> None:
    from projects.grants.tables import Application
    from tests.projects.grants_applications_fixtures import account

    await account(client.app, ga, "member", role="researcher", research_group=ga.ids["group"])
    app_id = (await start(client, ga, who="adviser_a"))["id"]
    more = [*BUDGET_14, {"year": TODAY.year + 1, "category": "rnd", "amount": "160 000"}]
    edit = await client.put(
        api(app_id, "/budget"), json={"lines": more}, headers=ga.headers["member"]
    )
    assert edit.status_code == 200
    assert (
        await client.post(api(app_id, "/submit"), headers=ga.headers["member"])
    ).status_code == 403
    listed = await client.get("/api/applications", headers=ga.headers["officer"])
    assert listed.json() == []  # drafts stay with the applicants
    assert (
        await client.post(api(app_id, "/submit"), headers=ga.headers["adviser_a"])
    ).status_code == 200
    await Application.update({Application.status: "changes_requested"}).where(
        Application.id == app_id
    )
    again = await client.post(api(app_id, "/submit"), headers=ga.headers["leader"])
    assert again.status_code == 200
    assert again.json()["status"] == "submitted"
