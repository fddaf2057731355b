"""The plan: items through the API and the pages, the rules, the timeline geometry (unit and
property tests), the page section's SVG and table, and the overdue-milestone job run through
the in-process runner (and an arq burst worker when Redis is there)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klynge.apps import Section
from klynge.notifications import render_text
from projects.workspace import timeline
from projects.workspace.plan_rules import check_item, is_overdue
from tests.conftest import World
from tests.platform.test_views import HTML, login, submit, text_of
from tests.projects.test_workspace_codesign import build_ws

TODAY = dt.date.today()
PAST = (TODAY - dt.timedelta(days=10)).isoformat()
FUTURE = (TODAY + dt.timedelta(days=30)).isoformat()


@pytest.fixture
async def ws(world: World, app: Any) -> World:
    return await build_ws(world, app)


async def principal(account_id: int) -> Any:
    from klynge.auth.service import load_principal

    found = await load_principal(account_id)
    assert found is not None
    return found


async def render_section(app: Any, pending: Awaitable[Section]) -> str:
    """A section's template as the project page includes it (`data` = its context)."""
    section = await pending
    template = app.template_engine.get_template(section.template)
    return str(template.render(data=section.context, csrf_token=lambda: "token"))


# --- pure rules and geometry -----------------------------------------------------------------


def test_overdue_means_past_due_and_still_open() -> None:
    day = dt.date(2026, 5, 1)
    assert is_overdue(dt.date(2026, 4, 30), "planned", day)
    assert is_overdue(dt.date(2026, 4, 30), "in_progress", day)
    assert not is_overdue(dt.date(2026, 5, 1), "planned", day)  # due today is not late yet
    assert not is_overdue(dt.date(2026, 4, 1), "done", day)
    assert not is_overdue(dt.date(2026, 4, 1), "cancelled", day)
    assert not is_overdue(None, "planned", day)


def test_item_rules() -> None:
    assert check_item("milestone", "work_package", None, dt.date(2026, 1, 1)) == []
    assert [p.field for p in check_item("goal", "work_package", None, None)] == ["parent_id"]
    assert [p.field for p in check_item("milestone", "milestone", None, None)] == ["parent_id"]
    assert [p.field for p in check_item("deliverable", "", None, None)] == ["parent_id"]
    reversed_dates = check_item("work_package", None, dt.date(2026, 2, 1), dt.date(2026, 1, 1))
    assert [p.field for p in reversed_dates] == ["starts_on"]


def _entry(i: int, kind: str, start: dt.date | None, due: dt.date | None, **kw: Any) -> Any:
    return timeline.Entry(
        i,
        kind,
        kw.get("title", f"Item {i}"),
        kw.get("parent"),
        start,
        due,
        kw.get("status", "planned"),
    )


def test_timeline_rows_bars_diamonds_and_today() -> None:
    today = dt.date(2026, 6, 15)
    tl = timeline.build(
        [
            _entry(1, "goal", None, None),
            _entry(2, "work_package", dt.date(2026, 1, 10), dt.date(2026, 9, 30)),
            _entry(3, "milestone", None, dt.date(2026, 5, 1), parent=2),
            _entry(
                4, "deliverable", dt.date(2026, 8, 1), dt.date(2026, 9, 1), parent=2, status="done"
            ),
            _entry(5, "milestone", None, dt.date(2026, 12, 1)),
        ],
        today,
    )
    assert [(r.id, r.indent) for r in tl.rows] == [(2, 0), (3, 1), (4, 1), (5, 0)]
    package, milestone, deliverable, loose = tl.rows
    assert not package.diamond
    assert package.width > 0
    assert milestone.diamond
    assert milestone.width == 0
    assert milestone.overdue
    assert not deliverable.overdue
    assert not loose.overdue
    assert not package.overdue
    assert tl.overdue == 1
    assert tl.start == dt.date(2026, 1, 1)
    assert tl.end == dt.date(2027, 1, 1)
    assert package.x < milestone.x < tl.today_x < deliverable.x < loose.x
    assert tl.chart_left <= package.x
    assert package.x + package.width <= tl.chart_right
    assert [r.y for r in tl.rows] == sorted(r.y for r in tl.rows)
    assert tl.height >= tl.rows[-1].y + timeline.ROW_HEIGHT / 2
    assert tl.ticks[0].label == "01.2026"
    assert len(tl.ticks) <= timeline.MAX_TICKS


def test_long_titles_get_room_and_an_ellipsis() -> None:
    title = "Et svært langt arbeidspakkenavn " * 4
    tl = timeline.build([_entry(1, "work_package", None, dt.date(2026, 1, 1), title=title)], TODAY)
    row = tl.rows[0]
    assert row.label.endswith("…")
    assert len(row.label) <= timeline.MAX_LABEL
    assert tl.label_width >= row.label_x + len(row.label) * timeline.CHAR_WIDTH
    assert row.title == title


def test_an_empty_plan_has_no_rows() -> None:
    tl = timeline.build([_entry(1, "goal", None, None)], dt.date(2026, 3, 3))
    assert tl.rows == ()
    assert tl.today_x >= tl.chart_left


days = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2035, 12, 31))


@given(st.lists(days, min_size=2, max_size=12), days)
def test_dates_map_monotonically_into_the_chart(dates: list[dt.date], today: dt.date) -> None:
    entries = [_entry(i, "milestone", None, d) for i, d in enumerate(dates)]
    tl = timeline.build(entries, today)
    ordered = sorted(tl.rows, key=lambda r: r.due or dt.date.min)
    xs = [r.x for r in ordered]
    assert xs == sorted(xs)
    assert all(tl.chart_left <= x <= tl.chart_right for x in [*xs, tl.today_x])
    assert tl.overdue == sum(1 for d in dates if d < today)
    assert [r.overdue for r in tl.rows] == [d < today for d in dates]


@given(days, days, days)
def test_x_of_is_monotonic(a: dt.date, b: dt.date, start: dt.date) -> None:
    end = start + dt.timedelta(days=400)
    lo, hi = sorted((a, b))
    assert timeline.x_of(lo, start, end, 100, 700) <= timeline.x_of(hi, start, end, 100, 700)


# --- the API ---------------------------------------------------------------------------------


async def _item(client: Any, w: World, **body: Any) -> dict[str, Any]:
    response = await client.post(
        f"/api/projects/{w.ids['project']}/plan/items", json=body, headers=w.headers["researcher_a"]
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


async def test_the_plan_through_the_api(client: Any, ws: World) -> None:
    pid, lead = ws.ids["project"], ws.headers["researcher_a"]
    await _item(client, ws, kind="goal", title="Færre elever med høyt fravær")
    wp = await _item(client, ws, kind="work_package", title="AP1", starts_on=PAST, due=FUTURE)
    late = await _item(client, ws, kind="milestone", title="M1", due=PAST, parent_id=wp["id"])
    await _item(client, ws, kind="deliverable", title="Rapport", due=FUTURE, parent_id=wp["id"])
    plan = (
        await client.get(f"/api/projects/{pid}/plan", headers=ws.headers["coordinator_askoy"])
    ).json()
    assert [i["kind"] for i in plan["items"]] == [
        "goal",
        "work_package",
        "milestone",
        "deliverable",
    ]
    assert plan["overdue"] == 1
    assert late["overdue"] is True
    done = await client.patch(
        f"/api/projects/{pid}/plan/items/{late['id']}", json={"status": "done"}, headers=lead
    )
    assert done.status_code == 200
    assert done.json()["overdue"] is False
    cleared = await client.patch(
        f"/api/projects/{pid}/plan/items/{late['id']}",
        json={"clear": ["parent_id", "due"]},
        headers=lead,
    )
    assert cleared.json()["parent_id"] is None
    assert cleared.json()["due"] is None
    one = await client.get(f"/api/projects/{pid}/plan/items/{wp['id']}", headers=lead)
    assert one.json()["title"] == "AP1"


async def test_plan_items_are_checked(client: Any, ws: World) -> None:
    pid, lead = ws.ids["project"], ws.headers["researcher_a"]
    url = f"/api/projects/{pid}/plan/items"
    goal = await _item(client, ws, kind="goal", title="Mål")
    bad_parent = await client.post(
        url, json={"kind": "milestone", "title": "M", "parent_id": goal["id"]}, headers=lead
    )
    assert bad_parent.status_code == 422
    assert "parent_id" in bad_parent.text
    reversed_dates = await client.post(
        url,
        json={"kind": "work_package", "title": "AP", "starts_on": FUTURE, "due": PAST},
        headers=lead,
    )
    assert reversed_dates.status_code == 422
    assert "starts_on" in reversed_dates.text
    other = await client.post(
        f"/api/projects/{ws.ids['project_b']}/plan/items",
        json={"kind": "work_package", "title": "B"},
        headers=ws.headers["adviser_b"],
    )
    foreign = await client.post(
        url, json={"kind": "milestone", "title": "M", "parent_id": other.json()["id"]}, headers=lead
    )
    assert foreign.status_code == 422
    unknown = await client.post(url, json={"kind": "epic", "title": "X"}, headers=lead)
    assert unknown.status_code in (400, 422)


async def test_plan_tenancy_and_roles(client: Any, ws: World) -> None:
    pid = ws.ids["project"]
    item = await _item(client, ws, kind="milestone", title="M", due=FUTURE)
    for key in ("adviser_b", "nobody"):
        assert (
            await client.get(f"/api/projects/{pid}/plan", headers=ws.headers[key])
        ).status_code == 404
        patched = await client.patch(
            f"/api/projects/{pid}/plan/items/{item['id']}",
            json={"title": "x"},
            headers=ws.headers[key],
        )
        assert patched.status_code == 404
    refused = await client.post(
        f"/api/projects/{pid}/plan/items",
        json={"kind": "goal", "title": "G"},
        headers=ws.headers["coordinator_askoy"],
    )
    assert refused.status_code == 403


# --- the pages -------------------------------------------------------------------------------


async def test_plan_forms_and_status(client: Any, ws: World) -> None:
    pid = ws.ids["project"]
    await login(client, ws, "researcher_a")
    page = f"/prosjekter/{pid}/plan/ny?kind=work_package"
    form = await client.get(page, headers=HTML)
    assert form.status_code == 200
    assert 'id="plan-kind"' in form.text
    action = f"/prosjekter/{pid}/plan/ny"
    bad = await submit(
        client,
        page,
        action,
        {"kind": "work_package", "title": "AP", "starts_on": FUTURE, "due": PAST},
    )
    assert bad.status_code == 422
    assert "plan-starts_on-error" in bad.text
    ok = await submit(
        client,
        page,
        action,
        {
            "kind": "work_package",
            "title": "AP1",
            "starts_on": PAST,
            "due": FUTURE,
            "status": "planned",
            "position": "1",
        },
    )
    assert ok.status_code == 303, ok.text
    wp = int(ok.headers["location"].rsplit("-", 1)[1])
    ms = await submit(
        client,
        page,
        action,
        {
            "kind": "milestone",
            "title": "M1",
            "due": PAST,
            "parent_id": str(wp),
            "status": "planned",
        },
    )
    assert ms.status_code == 303
    mid = int(ms.headers["location"].rsplit("-", 1)[1])
    edit = f"/prosjekter/{pid}/plan/{mid}/endre"
    shown = await client.get(edit, headers=HTML)
    assert f'value="{PAST}"' in shown.text
    assert "AP1" in text_of(shown)
    changed = await submit(
        client,
        edit,
        edit,
        {"title": "M1 endret", "due": "", "parent_id": "", "status": "in_progress"},
    )
    assert changed.status_code == 303
    from projects.workspace.tables import PlanItem

    row = await PlanItem.select().where(PlanItem.id == mid).first()
    assert row["title"] == "M1 endret"
    assert row["due"] is None
    assert row["parent"] is None
    status = await submit(client, edit, f"/prosjekter/{pid}/plan/{mid}/status", {"status": "done"})
    assert status.status_code == 303
    assert (await PlanItem.select(PlanItem.status).where(PlanItem.id == mid).first())[
        "status"
    ] == "done"
    await login(client, ws, "adviser_b")
    assert (await client.get(edit, headers=HTML)).status_code == 404


async def test_the_section_draws_the_timeline_and_the_table(
    client: Any, ws: World, app: Any
) -> None:
    from projects.workspace import plan
    from projects.workspace.loading import load_access
    from projects.workspace.plan_schemas import PlanItemCreate

    lead = await principal(ws.accounts["researcher_a"])
    pid = ws.ids["project"]
    wp = await plan.create_item(
        lead,
        pid,
        PlanItemCreate(
            kind="work_package",
            title="AP1",
            starts_on=TODAY - dt.timedelta(days=40),
            due=TODAY + dt.timedelta(days=40),
        ),
    )  # type: ignore[arg-type]
    await plan.create_item(
        lead,
        pid,
        PlanItemCreate(
            kind="milestone", title="Sen milepæl", due=TODAY - dt.timedelta(days=2), parent_id=wp.id
        ),
    )  # type: ignore[arg-type]
    html = await render_section(app, plan.section(lead, await load_access(lead, pid)))
    assert '<section aria-labelledby="plan-heading"' in html
    assert 'role="img"' in html
    assert '<title id="plan-timeline-title">' in html
    assert "<desc" in html
    assert 'width="100%"' in html
    assert "viewBox=" in html
    assert "<caption" in html
    assert '<th scope="row">Sen milepæl' in html
    assert "Forsinket" in html


# --- the overdue job -------------------------------------------------------------------------


async def _overdue_milestone(ws: World, **extra: Any) -> int:
    from projects.workspace.tables import PlanItem

    row = await PlanItem.insert(
        PlanItem(
            project=ws.ids["project"],
            kind="milestone",
            title="Datainnsamling ferdig",
            due=TODAY - dt.timedelta(days=1),
            **extra,
        )
    ).returning(PlanItem.id)
    return int(row[0]["id"])


async def _notices(account_id: int) -> list[dict[str, Any]]:
    from klynge.notifications import Notification

    return list(
        await Notification.select().where(
            (Notification.account == account_id) & (Notification.kind == "milestone_overdue")
        )
    )


async def test_the_job_tells_the_leader_once(ws: World) -> None:
    from klynge.jobs import runner
    from klynge.jobs.tables import Job
    from projects.workspace.tables import PlanItem

    late = await _overdue_milestone(ws)
    await _overdue_milestone(ws, status="done")
    from projects.workspace.tables import PlanItem as P

    await P.insert(
        P(
            project=ws.ids["project"],
            kind="milestone",
            title="Senere",
            due=TODAY + dt.timedelta(days=3),
        )
    )
    await P.insert(
        P(
            project=ws.ids["project_b"],
            kind="milestone",
            title="Uten leder",
            due=TODAY - dt.timedelta(days=3),
        )
    )
    dispatcher = runner.Dispatcher(None)
    for _ in range(2):
        await runner.submit("notify_overdue_milestones", dispatcher=dispatcher)
        await dispatcher.drain()
    jobs = await Job.select(Job.status, Job.result).where(Job.name == "notify_overdue_milestones")
    assert [j["status"] for j in jobs] == ["done", "done"]
    told = await _notices(ws.accounts["researcher_a"])
    assert len(told) == 1
    assert "Datainnsamling ferdig" in render_text(told[0]["text"], told[0]["params"])
    assert told[0]["link"].endswith(f"#plan-{late}")
    row = await PlanItem.select(PlanItem.overdue_notified_at).where(PlanItem.id == late).first()
    assert row["overdue_notified_at"] is not None


async def test_a_new_due_date_may_be_told_again(client: Any, ws: World) -> None:
    from projects.workspace.jobs import notify_overdue

    late = await _overdue_milestone(ws)
    assert await notify_overdue() == 1
    assert await notify_overdue() == 0
    moved = await client.patch(
        f"/api/projects/{ws.ids['project']}/plan/items/{late}",
        json={"due": (TODAY - dt.timedelta(days=2)).isoformat()},
        headers=ws.headers["researcher_a"],
    )
    assert moved.json()["overdue_notified_at"] is None
    assert await notify_overdue() == 1


async def test_two_runs_at_once_notify_once(ws: World) -> None:
    import asyncio

    from projects.workspace.jobs import _candidates, _notify_once

    await _overdue_milestone(ws)
    rows = await _candidates(TODAY)
    results = await asyncio.gather(_notify_once(rows[0]), _notify_once(rows[0]))
    assert sorted(results) == [False, True]
    assert len(await _notices(ws.accounts["researcher_a"])) == 1


@pytest.mark.redis
@pytest.mark.filterwarnings("ignore:Call to deprecated close:DeprecationWarning")
async def test_the_job_runs_on_a_burst_worker(ws: World) -> None:
    from redis.asyncio import Redis

    from klynge.jobs import runner
    from tests.platform.test_jobs import _test_redis_url, run_burst_worker, status_of

    redis_url = _test_redis_url()
    client = Redis.from_url(redis_url)
    await client.flushdb()
    await client.aclose()

    await _overdue_milestone(ws)
    dispatcher = runner.Dispatcher(redis_url)
    try:
        job_id = await runner.submit("notify_overdue_milestones", dispatcher=dispatcher)
    finally:
        await dispatcher.close()
    await run_burst_worker(redis_url)
    assert (await status_of(job_id))["status"] == "done"
    assert len(await _notices(ws.accounts["researcher_a"])) == 1
