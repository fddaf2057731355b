"""Reviews, requests for changes and decisions on applications through the API: only the call's
funder reviews and decides, a decision needs a submitted application (409), granting makes the
agreement and its report schedule, everyone concerned is told, the decision letter is DOCX in
the application's written standard; the schedule rule's unit and property tests."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import zipfile
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klynge.notifications import render_text
from projects.grants import schedule_rules as sr
from tests.conftest import World
from tests.projects.grants_decide_fixtures import GRANT, build_grants, grant, notices


@pytest.fixture
async def gw(world: World, app: Any) -> World:
    return await build_grants(world, app)


def url(w: World, tail: str) -> str:
    return f"/api/applications/{w.ids['application']}{tail}"


# --- the pure schedule -------------------------------------------------------------------


def test_six_monthly_progress_reports_and_a_final_one() -> None:
    slots = sr.schedule(dt.date(2027, 1, 1), dt.date(2028, 12, 31), {"progress_months": 6})
    assert [s.kind for s in slots] == ["progress"] * 3 + ["final"]
    assert slots[0].period_start == dt.date(2027, 1, 1)
    assert slots[0].period_end == dt.date(2027, 6, 30)
    assert slots[0].due == dt.date(2027, 7, 30)
    assert slots[2].period_end == dt.date(2028, 6, 30)
    assert slots[-1].due == dt.date(2029, 3, 1)  # 60 days after the end


def test_without_a_final_report_the_last_progress_period_ends_with_the_grant() -> None:
    slots = sr.schedule(
        dt.date(2027, 1, 31), dt.date(2027, 10, 15), {"progress_months": 4, "final": False}
    )
    assert [(s.period_start, s.period_end) for s in slots] == [
        (dt.date(2027, 1, 31), dt.date(2027, 5, 30)),
        (dt.date(2027, 5, 31), dt.date(2027, 9, 29)),
        (dt.date(2027, 9, 30), dt.date(2027, 10, 15)),
    ]
    assert sr.schedule(dt.date(2027, 1, 1), dt.date(2027, 6, 1), {}) == [
        sr.Slot("final", dt.date(2027, 1, 1), dt.date(2027, 6, 1), dt.date(2027, 7, 31))
    ]


@given(
    start=st.dates(dt.date(2020, 1, 1), dt.date(2035, 12, 31)),
    days=st.integers(1, 2000),
    months=st.integers(0, 24),
    final=st.booleans(),
)
def test_progress_periods_tile_the_grant_without_gaps(
    start: dt.date, days: int, months: int, final: bool
) -> None:
    end = start + dt.timedelta(days=days)
    slots = sr.schedule(start, end, {"progress_months": months, "final": final})
    progress = [s for s in slots if s.kind == "progress"]
    for a, b in itertools.pairwise(progress):
        assert b.period_start == a.period_end + dt.timedelta(days=1)
    for s in slots:
        assert start <= s.period_start <= s.period_end <= end
        assert s.due > s.period_end
    assert sum(s.kind == "final" for s in slots) == int(final)
    if progress:
        assert progress[0].period_start == start
        if not final:
            assert progress[-1].period_end == end


def test_overdue_and_reminder_steps() -> None:
    due = dt.date(2027, 7, 30)
    assert sr.steps_due(due, "due", due - dt.timedelta(days=20)) == []
    assert sr.steps_due(due, "due", due - dt.timedelta(days=14)) == ["14d"]
    assert sr.steps_due(due, "returned", due - dt.timedelta(days=3)) == ["3d"]
    assert sr.steps_due(due, "due", due) == ["3d"]
    assert sr.steps_due(due, "due", due + dt.timedelta(days=1)) == ["overdue"]
    assert sr.steps_due(due, "submitted", due + dt.timedelta(days=1)) == []
    assert sr.is_overdue(due, "due", due + dt.timedelta(days=1))
    assert not sr.is_overdue(due, "approved", due + dt.timedelta(days=1))
    assert not sr.is_overdue(due, "due", due)


# --- reviews -------------------------------------------------------------------------------


async def test_the_funder_reviews_with_scores_against_the_criteria(client, gw) -> None:
    officer = gw.headers["officer_a"]
    first = await client.post(
        url(gw, "/reviews"),
        json={"comment": "Godt forankret.", "scores": [
            {"criterion": "Relevans", "score": 5}, {"criterion": "Kvalitet", "score": 3}]},
        headers=officer,
    )  # fmt: skip
    assert first.status_code == 201, first.text
    assert first.json()["scores"] == {"Relevans": 5, "Kvalitet": 3}
    second = await client.post(
        url(gw, "/reviews"), json={"scores": [{"criterion": "Relevans", "score": 4}]},
        headers=officer,
    )  # fmt: skip
    assert second.status_code == 201
    listed = await client.get(url(gw, "/reviews"), headers=officer)
    body = listed.json()
    assert body["criteria"] == ["Relevans", "Kvalitet"]
    assert [r["comment"] for r in body["reviews"]] == ["Godt forankret.", ""]
    assert body["averages"] == {"Relevans": "4,5", "Kvalitet": "3"}


async def test_scores_outside_the_criteria_or_range_are_refused(client, gw) -> None:
    officer = gw.headers["officer_a"]
    bad = await client.post(
        url(gw, "/reviews"), json={"scores": [{"criterion": "Pris", "score": 3}]}, headers=officer
    )
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "scores.0.criterion"
    high = await client.post(
        url(gw, "/reviews"), json={"scores": [{"criterion": "Relevans", "score": 6}]},
        headers=officer,
    )  # fmt: skip
    assert high.status_code in {400, 422}
    empty = await client.post(url(gw, "/reviews"), json={}, headers=officer)
    assert empty.status_code == 422


async def test_only_the_calls_funder_reviews_and_others_get_404(client, gw) -> None:
    lead = gw.headers["researcher_a"]
    assert (await client.get(url(gw, "/reviews"), headers=lead)).status_code == 403
    for who in ("officer_b", "adviser_b", "coordinator_trondheim"):
        headers = gw.headers[who]
        assert (await client.get(url(gw, "/reviews"), headers=headers)).status_code == 404
        review = await client.post(url(gw, "/reviews"), json={"comment": "x"}, headers=headers)
        assert review.status_code == 404
        decision = await client.post(url(gw, "/decision"), json=GRANT, headers=headers)
        assert decision.status_code == 404
        letter = await client.get(url(gw, "/decision-letter.docx"), headers=headers)
        assert letter.status_code == 404


async def test_asking_for_changes_sends_the_application_back(client, gw) -> None:
    officer = gw.headers["officer_a"]
    empty = await client.post(url(gw, "/changes-requested"), json={"comment": " "}, headers=officer)
    assert empty.status_code == 422
    response = await client.post(
        url(gw, "/changes-requested"), json={"comment": "Budsjettet mangler reiser."},
        headers=officer,
    )  # fmt: skip
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "changes_requested"
    assert response.json()["reviews"][-1]["asks_for_changes"] is True
    for who in ("researcher_a", "adviser_a"):
        got = await notices(gw.accounts[who])
        assert [n["kind"] for n in got] == ["grant_changes_requested"]
        assert "Budsjettet mangler reiser." in render_text(got[0]["text"], got[0]["params"])
    again = await client.post(
        url(gw, "/changes-requested"), json={"comment": "Igjen"}, headers=officer
    )
    assert again.status_code == 409


# --- decisions -------------------------------------------------------------------------------


async def test_granting_makes_the_agreement_and_the_report_schedule(client, gw) -> None:
    from klynge.audit import AuditEvent
    from klynge.notifications import Notification

    body = await grant(client, gw)
    assert body["status"] == "granted"
    assert body["reports"] == 4
    got = await client.get(f"/api/grants/{body['grant_id']}", headers=gw.headers["officer_a"])
    assert got.status_code == 200, got.text
    detail = got.json()
    assert detail["amount_ore"] == 90_000_000
    assert [r["kind"] for r in detail["reports"]] == ["progress"] * 3 + ["final"]
    assert detail["reports"][0]["due"] == "2027-07-30"
    for who in ("researcher_a", "adviser_a"):
        assert [n["kind"] for n in await notices(gw.accounts[who])] == ["grant_decision"]
    askoy = await Notification.select().where(Notification.municipality == gw.ids["askoy"])
    assert len(askoy) == 1
    askoy_text = render_text(askoy[0]["text"], askoy[0]["params"])
    assert "90\u00a0000\u00a0000\u00a0kr" not in askoy_text
    assert "900\u00a0000\u00a0kr" in askoy_text
    events = await AuditEvent.select().where(AuditEvent.action == "grant_application.granted")
    assert len(events) == 1
    again = await client.post(url(gw, "/decision"), json=GRANT, headers=gw.headers["officer_a"])
    assert again.status_code == 409
    assert again.headers["content-type"].startswith("application/problem+json")


async def test_a_decision_needs_its_fields_and_a_decline_its_reason(client, gw) -> None:
    officer = gw.headers["officer_a"]
    missing = await client.post(url(gw, "/decision"), json={"decision": "granted"}, headers=officer)
    assert missing.status_code == 422
    fields = {e["field"] for e in missing.json()["errors"]}
    assert fields == {"amount_ore", "starts_on", "ends_on"}
    backwards = await client.post(
        url(gw, "/decision"), json=GRANT | {"ends_on": "2026-12-31"}, headers=officer
    )
    assert backwards.status_code == 422
    no_reason = await client.post(
        url(gw, "/decision"), json={"decision": "declined"}, headers=officer
    )
    assert no_reason.status_code == 422
    assert no_reason.json()["errors"][0]["field"] == "reason"
    declined = await client.post(
        url(gw, "/decision"), json={"decision": "declined", "reason": "Utenfor formålet."},
        headers=officer,
    )  # fmt: skip
    assert declined.status_code == 200
    assert declined.json() == {
        "application_id": gw.ids["application"], "status": "declined", "grant_id": None,
        "reports": 0,
    }  # fmt: skip
    told = (await notices(gw.accounts["researcher_a"]))[0]
    text = render_text(told["text"], told["params"])
    assert "Utenfor formålet." in text


async def test_the_applicants_cannot_decide_their_own_application(client, gw) -> None:
    response = await client.post(url(gw, "/decision"), json=GRANT, headers=gw.headers["adviser_a"])
    assert response.status_code == 403


async def test_the_funder_cannot_decide_a_draft(client, gw) -> None:
    from projects.grants.tables import Application

    await Application.update({Application.status: "draft"}).where(
        Application.id == gw.ids["application"]
    )
    response = await client.post(url(gw, "/decision"), json=GRANT, headers=gw.headers["officer_a"])
    # It reads the linked project, but a draft application does not admit to existing.
    assert response.status_code == 404
    shown = await client.get(
        f"/api/applications/{gw.ids['application']}", headers=gw.headers["officer_a"]
    )
    assert shown.status_code == 404


def _docx_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        return z.read("word/document.xml").decode()


async def test_the_decision_letter_is_docx_in_the_applications_written_standard(client, gw) -> None:
    from projects.grants.tables import Application

    early = await client.get(url(gw, "/decision-letter.docx"), headers=gw.headers["officer_a"])
    assert early.status_code == 409
    await grant(client, gw)
    response = await client.get(
        url(gw, "/decision-letter.docx"), headers=gw.headers["researcher_a"]
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    text = _docx_text(response.content)
    assert "Skolefravær i Askøy" in text
    assert "900" in text
    assert "innvilget" in text
    await Application.update({Application.written_standard: "nn"}).where(
        Application.id == gw.ids["application"]
    )
    nynorsk = await client.get(url(gw, "/decision-letter.docx"), headers=gw.headers["officer_a"])
    assert 'w:lang w:val="nn-NO"' in _docx_text(nynorsk.content) or "nn-NO" in str(
        zipfile.ZipFile(io.BytesIO(nynorsk.content)).read("word/styles.xml")
    )


# --- pages ---------------------------------------------------------------------------------


async def test_the_review_panel_takes_a_review_and_a_decision_in_kroner(client, gw) -> None:
    from tests.platform.test_views import HTML, login, submit, text_of

    page = f"/soknader/{gw.ids['application']}/vurdering"
    await login(client, gw, "officer_b")
    assert (await client.get(page, headers=HTML)).status_code == 404
    await login(client, gw, "officer_a")
    shown = await client.get(page, headers=HTML)
    assert shown.status_code == 200
    assert "Relevans" in text_of(shown)
    saved = await submit(client, page, page, {"comment": "Solid plan.", "score-0": "4"})
    assert saved.status_code == 303
    assert "Solid plan." in text_of(await client.get(page, headers=HTML))
    action = f"/soknader/{gw.ids['application']}/vedtak"
    bad = await submit(
        client,
        page,
        action,
        {
            "decision": "granted",
            "amount": "mye",
            "starts_on": "2027-01-01",
            "ends_on": "2027-12-31",
        },
    )
    assert bad.status_code == 422
    assert 'aria-invalid="true"' in bad.text
    ok = await submit(
        client,
        page,
        action,
        {
            "decision": "granted",
            "amount": "750 000",
            "starts_on": "2027-01-01",
            "ends_on": "2027-12-31",
        },
    )
    assert ok.status_code == 303, ok.text
    from projects.grants.tables import GrantAgreement

    agreement = await GrantAgreement.select().first()
    assert agreement["amount_ore"] == 75_000_000
    letter = await client.get(f"/soknader/{gw.ids['application']}/vedtak.docx")
    assert letter.status_code == 200
