"""Task providers for funders, applicants and matched researchers: a funder's officer decides
submitted applications to its calls and reviews submitted reports; the applicant revises an
application sent back; a matched group answers whether it is interested. Only those people,
and gone once done."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.conftest import World
from tests.handoffs import tasks
from tests.priorities.conftest import need_body
from tests.projects.grants_applications_fixtures import ga, start  # noqa: F401  (fixture)

OTHERS = ("officer_2", "adviser_a", "adviser_b", "coordinator_askoy", "nobody")


async def _status(application_id: int, status: str) -> None:
    from projects.grants.tables import Application

    await Application.update({Application.status: status}).where(Application.id == application_id)


async def test_the_funder_decides_and_reviews_the_applicant_revises(
    client: Any,
    ga: World,  # noqa: F811
) -> None:
    from projects.grants.tables import GrantAgreement, GrantReport

    w = ga
    started = await start(client, w)
    app_id, title = started["id"], started["title"]
    assert await tasks(client, w, "officer", prefix="projects.grant") == []  # a draft
    await _status(app_id, "submitted")
    decide = await tasks(client, w, "officer", "nb", prefix="projects.grant")
    assert [(t["text"], t["link"]) for t in decide] == [
        (f"Vurder og avgjør søknaden om tilskudd «{title}»", f"/soknader/{app_id}")
    ]
    english = await tasks(client, w, "officer", "en", prefix="projects.grant")
    assert [t["text"] for t in english] == [f"Assess and decide the grant application «{title}»"]
    for key in (*OTHERS, "leader"):
        assert await tasks(client, w, key, prefix="projects.grant") == [], key

    await _status(app_id, "changes_requested")
    assert await tasks(client, w, "officer", prefix="projects.grant") == []
    revise = await tasks(client, w, "leader", "nn", prefix="projects.grant")
    assert [(t["text"], t["link"]) for t in revise] == [
        (f"Endre søknaden om tilskot «{title}» slik finansiøren bad om", f"/soknader/{app_id}")
    ]

    await _status(app_id, "granted")
    today = dt.date.today()
    agreement = await GrantAgreement.insert(
        GrantAgreement(application=app_id, amount_ore=1, starts_on=today, ends_on=today)
    ).returning(GrantAgreement.id)
    grant_id = agreement[0]["id"]
    report = await GrantReport.insert(
        GrantReport(grant=grant_id, kind="progress", period_start=today, period_end=today,
                    due=today, status="submitted")
    ).returning(GrantReport.id)  # fmt: skip
    review = await tasks(client, w, "officer", "nb", prefix="projects.grant")
    assert [(t["text"], t["link"]) for t in review] == [
        (
            f"Gå gjennom den innsendte tilskuddsrapporten for «{title}»",
            f"/tilskudd/{grant_id}/rapporter/{report[0]['id']}",
        )
    ]
    for key in (*OTHERS, "leader"):
        assert await tasks(client, w, key, prefix="projects.grant_report_review") == [], key
    await GrantReport.update({GrantReport.status: "approved"}).where(
        GrantReport.id == report[0]["id"]
    )
    assert await tasks(client, w, "officer", prefix="projects.grant") == []


async def test_a_matched_group_answers_whether_it_is_interested(
    client: Any,
    ga: World,  # noqa: F811
) -> None:
    from projects.tables import Interest, Match, MatchRun

    w = ga
    needs = []
    for title in ("Fravær i ungdomsskolen", "Overgangen til vidaregåande"):
        w.ids.setdefault("bergen_skole", w.ids["askoy_barnevern"])  # need_body names two
        created = await client.post(
            "/api/needs", json=need_body(w, title=title), headers=w.headers["coordinator_askoy"]
        )
        assert created.status_code == 201, created.text
        needs.append(created.json()["id"])
    run = await MatchRun.insert(MatchRun(cluster=w.ids["cluster_a"], status="done")).returning(
        MatchRun.id
    )
    await Match.insert(
        *(Match(run=run[0]["id"], need=n, group=w.ids["group"], rank=1, score=0.5) for n in needs)
    )
    waiting = await tasks(client, w, "leader", "nb", prefix="projects.match")
    assert [(t["text"], t["link"]) for t in waiting] == [
        (
            "Svar om «Skole og samarbeid» er interessert i behovene gruppen er matchet med "
            "(2 venter)",
            "/forsker/innboks",
        )
    ]
    for key in (*OTHERS, "officer"):
        assert await tasks(client, w, key, prefix="projects.match") == [], key
    for n in needs:
        await Interest.insert(Interest(need=n, group=w.ids["group"], status="interested"))
    assert await tasks(client, w, "leader", prefix="projects.match") == []


def test_only_needs_without_an_answer_and_still_open_are_waiting() -> None:
    from projects.match_tasks import waiting_by_group

    rows = [
        {"group": 1, "group_name": "A", "need": 10, "interest": None, "need_status": "prioritised"},
        {"group": 1, "group_name": "A", "need": 10, "interest": None, "need_status": "prioritised"},
        {"group": 1, "group_name": "A", "need": 11, "interest": "declined", "need_status": "open"},
        {"group": 1, "group_name": "A", "need": 12, "interest": None, "need_status": "matched"},
        {"group": 2, "group_name": "B", "need": 10, "interest": None, "need_status": "prioritised"},
    ]  # fmt: skip
    assert waiting_by_group(rows) == {1: ("A", 1), 2: ("B", 1)}
