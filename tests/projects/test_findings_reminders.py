"""Unanswered deliveries are reminded at 14 and 30 days and escalated to the adviser at 44,
each step exactly once per delivery: run twice, or two runs at the same time (and on an arq
burst worker when Redis is there)."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import pytest

from tests.conftest import World
from tests.projects.findings_fixtures import fworld, needs_world  # noqa: F401
from tests.projects.grants_decide_fixtures import notices
from tests.projects.test_findings_deliveries import published


async def _age(days: int) -> None:
    from projects.findings.tables import Delivery

    when = dt.datetime.now(dt.UTC) - dt.timedelta(days=days, minutes=5)
    await Delivery.update({Delivery.created_at: when}, force=True)


async def _kinds(kind: str) -> list[tuple[int, int, int]]:
    from klynge.notifications import Notification

    rows = await Notification.select().where(Notification.kind == kind)
    return sorted((r["municipality"] or 0, r["service"] or 0, r["account"] or 0) for r in rows)


async def test_steps_at_14_30_and_44_days_once_each(
    client: Any,
    fworld: World,  # noqa: F811 (fixture)
) -> None:
    from projects.findings.findings_jobs import remind
    from projects.findings.tables import Delivery

    w, i = fworld, fworld.ids
    found = await published(client, w)
    oygarden = found[f"{i['outcome']}:municipality:{i['oygarden']}"]["id"]
    answer = {"relevant": "yes", "will_use": "undecided", "change": ""}
    url = f"/api/deliveries/{oygarden}/answer"
    assert (
        await client.post(url, json=answer, headers=w.headers["coordinator_oygarden"])
    ).status_code == 200
    await _age(13)
    assert await remind() == 0
    await _age(14)
    assert await remind() == 4  # the four unanswered deliveries
    assert await remind() == 0
    assert (await _kinds("findings_reminder")).count((i["bergen"], 0, 0)) == 1
    await _age(30)
    assert await remind() == 4
    await _age(44)
    assert await remind() == 4
    assert await remind() == 0
    rows = await Delivery.select().order_by(Delivery.id)
    assert [(r["reminders"], r["escalated_at"] is not None) for r in rows] == [
        (0, False) if r["id"] == oygarden else (2, True) for r in rows
    ]
    assert (await _kinds("findings_reminder")).count((i["bergen"], 0, 0)) == 2
    escalated = [
        n for n in await notices(w.accounts["adviser_a"]) if n["kind"] == "findings_escalated"
    ]
    assert len(escalated) == 4
    assert await notices(w.accounts["adviser_b"]) == []
    page = (await client.get("/api/deliveries", headers=w.headers["coordinator_bergen"])).json()
    assert [d["status"] for d in page] == ["escalated"]


async def test_two_runs_at_once_send_each_step_once(
    client: Any,
    fworld: World,  # noqa: F811 (fixture)
) -> None:
    from projects.findings.findings_jobs import remind, remind_findings_deliveries

    w = fworld
    await published(client, w)
    await _age(45)
    sent = await asyncio.gather(remind(), remind())
    assert sum(sent) == 15  # five deliveries, three steps each
    assert await remind_findings_deliveries({}) == {"reminded": 0}  # type: ignore[arg-type]
    assert len(await _kinds("findings_escalated")) == 5  # adviser_a, once per delivery


@pytest.mark.redis
@pytest.mark.filterwarnings("ignore:Call to deprecated close:DeprecationWarning")
async def test_the_job_runs_on_two_burst_workers(
    client: Any,
    fworld: World,  # noqa: F811 (fixture)
) -> None:
    from redis.asyncio import Redis

    import projects.findings.findings_jobs  # noqa: F401  (registers the job)
    from klynge.jobs import runner
    from tests.platform.test_jobs import _test_redis_url, run_burst_worker, status_of

    redis_url = _test_redis_url()
    redis = Redis.from_url(redis_url)
    await redis.flushdb()
    await redis.aclose()
    await published(client, fworld)
    await _age(15)
    dispatcher = runner.Dispatcher(redis_url)
    try:
        jobs = [
            await runner.submit("remind_findings_deliveries", dispatcher=dispatcher)
            for _ in range(2)
        ]
    finally:
        await dispatcher.close()
    await asyncio.gather(run_burst_worker(redis_url), run_burst_worker(redis_url))
    assert [(await status_of(j))["status"] for j in jobs] == ["done", "done"]
    assert len(await _kinds("findings_reminder")) == 8  # 3 municipalities, 4 services, 1 adviser
