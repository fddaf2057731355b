"""Grants, reports and payments through the API: the grant's reports with overdue flags, the
team writes a report, a municipal leader of the project attests it (the same condition engine
judges it), the team submits and the funder approves or returns it; payments add up; the
reminder job sends each step once (in-process, and on an arq burst worker when Redis is
there); another funder and another cluster get 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from projects.grants import report_rules
from tests.conftest import World
from tests.projects.grants_decide_fixtures import build_grants, grant, notices


@pytest.fixture
async def gw(world: World, app: Any, client: Any) -> World:
    await build_grants(world, app)
    await grant(client, world)
    reports = (
        await client.get(f"/api/grants/{world.ids['grant']}", headers=world.headers["officer_a"])
    ).json()["reports"]
    world.ids["report"] = reports[0]["id"]
    return world


def rurl(w: World, tail: str = "") -> str:
    return f"/api/grants/{w.ids['grant']}/reports/{w.ids['report']}{tail}"


def test_who_may_attest() -> None:
    from klynge.auth.principal import Grant, Principal
    from klynge.auth.roles import OrgKind, Role

    def who(*grants: tuple[Role, OrgKind, int]) -> Principal:
        return Principal(1, "A", "a@x.no", "nb", tuple(Grant(r, k, o) for r, k, o in grants))

    coordinator = who((Role.COORDINATOR, OrgKind.MUNICIPALITY, 2))
    assert report_rules.may_attest(coordinator, {2}, set(), {})
    assert not report_rules.may_attest(coordinator, {3}, set(), {})
    leader = who((Role.SERVICE_LEADER, OrgKind.SERVICE, 7))
    assert report_rules.may_attest(leader, set(), {7}, {})
    assert report_rules.may_attest(leader, {2}, set(), {7: 2})
    assert not report_rules.may_attest(leader, {3}, set(), {7: 2})
    employee = who((Role.SERVICE_EMPLOYEE, OrgKind.SERVICE, 7))
    assert not report_rules.may_attest(employee, {2}, {7}, {7: 2})


def test_the_report_is_judged_by_the_condition_engine() -> None:
    conditions = [{"kind": "min_rnd_share", "params": {"percent": 50}}]
    results = report_rules.evaluate_report(
        conditions, {"1": 100, "2": 300}, {1: "rnd", 2: "travel"}, None
    )
    assert [(r.kind.value, r.outcome) for r in results] == [
        ("no_existing_positions", "needs_evidence"),
        ("min_rnd_share", "not_met"),
    ]
    results = report_rules.evaluate_report([], {"1": 100}, {1: "rnd"}, False)
    assert results[0].outcome == "not_met"
    results = report_rules.evaluate_report([], {"9": 100}, {1: "rnd"}, True)
    assert results[0].outcome == "met"


async def test_the_grant_lists_reports_and_the_caller_sees_only_their_grants(client, gw) -> None:
    mine = await client.get("/api/grants", headers=gw.headers["researcher_a"])
    assert [g["id"] for g in mine.json()] == [gw.ids["grant"]]
    assert mine.json()[0]["overdue_reports"] == 0
    for who in ("officer_b", "adviser_b", "coordinator_trondheim"):
        assert (await client.get("/api/grants", headers=gw.headers[who])).json() == []
        assert (
            await client.get(f"/api/grants/{gw.ids['grant']}", headers=gw.headers[who])
        ).status_code == 404
        assert (await client.get(rurl(gw), headers=gw.headers[who])).status_code == 404
        pay = await client.post(
            f"/api/grants/{gw.ids['grant']}/payments",
            json={"kind": "request", "amount_ore": 100, "on_date": "2027-02-01"},
            headers=gw.headers[who],
        )
        assert pay.status_code == 404
    assert (
        await client.get(
            f"/api/grants/{gw.ids['grant']}/reports/999999", headers=gw.headers["officer_a"]
        )
    ).status_code == 404


async def _write(client: Any, gw: World) -> dict[str, Any]:
    """The team writes the first report: texts and spending on both budget lines."""
    spent = [
        {"budget_line_id": gw.ids["line_rnd"], "amount_ore": 10_000_000},
        {"budget_line_id": gw.ids["line_position"], "amount_ore": 20_000_000},
    ]
    response = await client.patch(
        rurl(gw),
        json={
            "progress": "Kartlegging ferdig.",
            "rnd_activity": "Intervjuer",
            "spending": spent,
            "rnd_spent_ore": 10_000_000,
        },
        headers=gw.headers["researcher_a"],
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


async def test_a_report_is_written_attested_submitted_and_approved(client, gw) -> None:
    team = gw.headers["researcher_a"]
    body = await _write(client, gw)
    assert body["progress"] == "Kartlegging ferdig."
    assert [line["spent_ore"] for line in body["spending"]] == [10_000_000, 20_000_000]
    assert body["conditions"][0]["outcome"] == "needs_evidence"
    assert body["can_edit"]
    assert not body["can_attest"]
    bad = await client.patch(
        rurl(gw), json={"spending": [{"budget_line_id": 999, "amount_ore": 1}]}, headers=team
    )
    assert bad.status_code == 422
    early = await client.post(rurl(gw, "/submit"), headers=team)
    assert early.status_code == 409
    refused = await client.post(
        rurl(gw, "/attestation"), json={"no_existing_positions": True}, headers=team
    )
    assert refused.status_code == 403
    signed = await client.post(
        rurl(gw, "/attestation"),
        json={"no_existing_positions": True},
        headers=gw.headers["coordinator_askoy"],
    )
    assert signed.status_code == 200, signed.text
    assert signed.json()["attestation_name"] == "Coordinator Askoy"
    assert signed.json()["attestation_role"] == "coordinator"
    assert [c["outcome"] for c in signed.json()["conditions"]] == ["met", "met"]
    submitted = await client.post(rurl(gw, "/submit"), headers=team)
    assert submitted.status_code == 200
    assert submitted.json()["status"] == "submitted"
    assert [n["kind"] for n in await notices(gw.accounts["officer_a"])] == [
        "grant_report_submitted"
    ]
    locked = await client.patch(rurl(gw), json={"progress": "x"}, headers=team)
    assert locked.status_code == 409
    assert (
        await client.post(rurl(gw, "/review"), json={"decision": "approve"}, headers=team)
    ).status_code == 403
    approved = await client.post(
        rurl(gw, "/review"), json={"decision": "approve"}, headers=gw.headers["officer_a"]
    )
    assert approved.status_code == 200
    assert approved.json()["status"] == "approved"
    again = await client.post(
        rurl(gw, "/review"), json={"decision": "approve"}, headers=gw.headers["officer_a"]
    )
    assert again.status_code == 409


async def test_the_funder_returns_a_report_with_a_comment(client, gw) -> None:
    officer = gw.headers["officer_a"]
    await client.post(
        rurl(gw, "/attestation"),
        json={"no_existing_positions": False},
        headers=gw.headers["leader_askoy"],
    )
    got = await client.get(rurl(gw), headers=officer)
    assert got.json()["conditions"][0]["outcome"] == "not_met"
    assert (
        await client.post(rurl(gw, "/submit"), headers=gw.headers["researcher_a"])
    ).status_code == 200
    no_comment = await client.post(
        rurl(gw, "/review"), json={"decision": "return"}, headers=officer
    )
    assert no_comment.status_code == 422
    returned = await client.post(
        rurl(gw, "/review"),
        json={"decision": "return", "comment": "Stillingen var eksisterende."},
        headers=officer,
    )
    assert returned.json()["status"] == "returned"
    assert returned.json()["review_comment"] == "Stillingen var eksisterende."
    kinds = [n["kind"] for n in await notices(gw.accounts["researcher_a"])]
    assert "grant_report_reviewed" in kinds
    editable = await client.patch(
        rurl(gw), json={"deviations": "Rettet."}, headers=gw.headers["researcher_a"]
    )
    assert editable.status_code == 200


async def test_payments_add_up_and_each_side_records_its_own(client, gw) -> None:
    url = f"/api/grants/{gw.ids['grant']}/payments"
    team, officer = gw.headers["researcher_a"], gw.headers["officer_a"]
    request = await client.post(
        url,
        json={
            "kind": "request",
            "amount_ore": 30_000_000,
            "on_date": "2027-02-01",
            "note": "Første rate",
        },
        headers=team,
    )
    assert request.status_code == 201, request.text
    assert (
        await client.post(
            url,
            json={"kind": "disbursement", "amount_ore": 1, "on_date": "2027-02-01"},
            headers=team,
        )
    ).status_code == 403
    assert (
        await client.post(
            url, json={"kind": "request", "amount_ore": 1, "on_date": "2027-02-01"}, headers=officer
        )
    ).status_code == 403
    paid = await client.post(
        url,
        json={"kind": "disbursement", "amount_ore": 25_000_000, "on_date": "2027-02-15"},
        headers=officer,
    )
    assert paid.status_code == 201
    assert (
        await client.post(
            url, json={"kind": "request", "amount_ore": 0, "on_date": "2027-02-01"}, headers=team
        )
    ).status_code in {400, 422}
    listed = await client.get(url, headers=officer)
    assert [p["kind"] for p in listed.json()] == ["request", "disbursement"]
    detail = (await client.get(f"/api/grants/{gw.ids['grant']}", headers=team)).json()
    assert (detail["amount_ore"], detail["requested_ore"], detail["paid_ore"]) == (
        90_000_000,
        30_000_000,
        25_000_000,
    )


async def _make_due(w: World, days: int) -> None:
    from projects.grants.tables import GrantReport

    await GrantReport.update({GrantReport.due: dt.date.today() + dt.timedelta(days=days)}).where(
        GrantReport.id == w.ids["report"]
    )


async def test_reminders_go_once_per_step(client, gw) -> None:
    from projects.grants.grants_jobs import remind

    await _make_due(gw, 10)
    assert await remind() == 1
    assert await remind() == 0
    leader = [n["kind"] for n in await notices(gw.accounts["researcher_a"])]
    assert leader.count("grant_report_due") == 1
    assert [n["kind"] for n in await notices(gw.accounts["adviser_a"])].count(
        "grant_report_due"
    ) == 1
    await _make_due(gw, 2)
    assert await remind() == 1
    await _make_due(gw, -1)
    assert await remind() == 1
    assert await remind() == 0
    assert [n["kind"] for n in await notices(gw.accounts["officer_a"])] == ["grant_report_overdue"]
    listed = (await client.get("/api/grants", headers=gw.headers["researcher_a"])).json()
    assert listed[0]["overdue_reports"] == 1
    detail = (
        await client.get(f"/api/grants/{gw.ids['grant']}", headers=gw.headers["researcher_a"])
    ).json()
    assert [r["overdue"] for r in detail["reports"]] == [True, False, False, False]


async def test_the_cron_job_runs_in_process(gw) -> None:
    from projects.grants.grants_jobs import remind_grant_reports

    await _make_due(gw, -5)
    assert await remind_grant_reports({}) == {"reminded": 1}  # type: ignore[arg-type]
    assert await remind_grant_reports({}) == {"reminded": 0}  # type: ignore[arg-type]


@pytest.mark.redis
@pytest.mark.filterwarnings("ignore:Call to deprecated close:DeprecationWarning")
async def test_the_job_runs_on_a_burst_worker(gw: World) -> None:
    from redis.asyncio import Redis

    import projects.grants.grants_jobs  # noqa: F401  (registers the job)
    from klynge.jobs import runner
    from tests.platform.test_jobs import _test_redis_url, run_burst_worker, status_of

    redis_url = _test_redis_url()
    client = Redis.from_url(redis_url)
    await client.flushdb()
    await client.aclose()
    await _make_due(gw, -1)
    dispatcher = runner.Dispatcher(redis_url)
    try:
        job_id = await runner.submit("remind_grant_reports", dispatcher=dispatcher)
    finally:
        await dispatcher.close()
    await run_burst_worker(redis_url)
    assert (await status_of(job_id))["status"] == "done"
    assert [n["kind"] for n in await notices(gw.accounts["officer_a"])] == ["grant_report_overdue"]


async def test_the_pages_show_grants_and_take_the_report_forms(client, gw) -> None:
    from tests.platform.test_views import HTML, login, submit, text_of

    report_page = f"/tilskudd/{gw.ids['grant']}/rapporter/{gw.ids['report']}"
    await login(client, gw, "adviser_b")
    assert (await client.get(f"/tilskudd/{gw.ids['grant']}", headers=HTML)).status_code == 404
    assert (await client.get(report_page, headers=HTML)).status_code == 404
    await login(client, gw, "researcher_a")
    listing = await client.get("/tilskudd", headers=HTML)
    assert "Skolefravær i Askøy" in text_of(listing)
    grant_page = await client.get(f"/tilskudd/{gw.ids['grant']}", headers=HTML)
    assert grant_page.status_code == 200
    assert "900\u00a0000\u00a0kr" in text_of(grant_page)
    line = gw.ids["line_rnd"]
    saved = await submit(client, report_page, report_page, {
        "progress": "Vi har kartlagt.", "rnd_activity": "", "deviations": "",
        f"spent-{line}": "120 000", "rnd_spent": "120 000",
    })  # fmt: skip
    assert saved.status_code == 303, saved.text
    got = (
        await client.get(
            f"/api/grants/{gw.ids['grant']}/reports/{gw.ids['report']}",
            headers=gw.headers["researcher_a"],
        )
    ).json()
    assert got["spending"][0]["spent_ore"] == 12_000_000
    assert got["rnd_spent_ore"] == 12_000_000
    bad = await submit(client, report_page, report_page, {f"spent-{line}": "tusen"})
    assert bad.status_code == 422
    early = await submit(client, report_page, f"{report_page}/send", {})
    assert early.status_code == 409
    await login(client, gw, "coordinator_askoy")
    signed = await submit(
        client, report_page, f"{report_page}/attestasjon", {"no_existing_positions": "true"}
    )
    assert signed.status_code == 303, signed.text
    await login(client, gw, "researcher_a")
    assert (await submit(client, report_page, f"{report_page}/send", {})).status_code == 303
    await login(client, gw, "officer_a")
    reviewed = await submit(
        client, report_page, f"{report_page}/vurdering", {"decision": "approve"}
    )
    assert reviewed.status_code == 303
    paid = await submit(
        client,
        f"/tilskudd/{gw.ids['grant']}",
        f"/tilskudd/{gw.ids['grant']}/utbetalinger",
        {"kind": "disbursement", "amount": "100 000", "on_date": "2027-03-01"},
    )
    assert paid.status_code == 303, paid.text
    assert "100\u00a0000\u00a0kr" in text_of(
        await client.get(f"/tilskudd/{gw.ids['grant']}", headers=HTML)
    )
