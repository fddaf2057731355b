"""The cron scheduler: when a schedule fires next, the in-process scheduler submitting jobs
through the runner (status rows), starting with the app only when asked and stopping cleanly,
and the same schedules handed to arq's cron on the workers."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import pytest

from klynge.apps import CronJob
from klynge.jobs import runner
from klynge.jobs.scheduler import Scheduler, arq_cron_jobs, matches, next_run

HOURLY = CronJob("test.scheduled", minute=frozenset({15}))
NIGHTLY = CronJob("test.scheduled", minute=frozenset({0}), hour=frozenset({3}))
RUNS: list[str] = []


@runner.job("test.scheduled")
async def _scheduled(ctx: runner.JobContext) -> dict[str, Any]:
    RUNS.append(str(ctx.job_id))
    return {"ran": True}


def test_next_run_is_the_next_matching_minute() -> None:
    at = dt.datetime(2026, 3, 1, 10, 14, 59)
    assert next_run(at, HOURLY) == dt.datetime(2026, 3, 1, 10, 15)
    assert next_run(dt.datetime(2026, 3, 1, 10, 15), HOURLY) == dt.datetime(2026, 3, 1, 11, 15)
    assert next_run(dt.datetime(2026, 12, 31, 23, 30), HOURLY) == dt.datetime(2027, 1, 1, 0, 15)
    assert next_run(dt.datetime(2026, 3, 1, 3, 0), NIGHTLY) == dt.datetime(2026, 3, 2, 3, 0)
    every = CronJob("x")
    assert next_run(dt.datetime(2026, 3, 1, 3, 0, 30), every) == dt.datetime(2026, 3, 1, 3, 1)
    assert matches(dt.datetime(2026, 1, 1, 3, 0), NIGHTLY)
    assert not matches(dt.datetime(2026, 1, 1, 4, 0), NIGHTLY)


def test_a_schedule_that_never_fires_is_refused() -> None:
    never = CronJob("test.scheduled", minute=frozenset({61}))
    with pytest.raises(ValueError, match="never runs"):
        next_run(dt.datetime(2026, 1, 1), never)
    with pytest.raises(ValueError, match="never runs"):
        Scheduler(runner.Dispatcher(None), [never])


async def test_the_scheduler_submits_at_each_scheduled_minute(db: None) -> None:
    """A fake clock: each sleep jumps to the time slept to; two runs, then stop."""
    now = [dt.datetime(2026, 3, 1, 10, 0, 30)]
    slept: list[float] = []
    two_runs = asyncio.Event()

    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        if len(slept) > 2:
            two_runs.set()
            await asyncio.Event().wait()  # park until closed
        now[0] += dt.timedelta(seconds=seconds)

    dispatcher = runner.Dispatcher(None)
    scheduler = Scheduler(dispatcher, [HOURLY], clock=lambda: now[0], sleep=sleep)
    RUNS.clear()
    scheduler.start()
    assert scheduler.running
    await asyncio.wait_for(two_runs.wait(), 10)
    await scheduler.close()
    assert not scheduler.running
    await dispatcher.drain()
    assert slept[:2] == [14 * 60 + 30, 3600.0]
    assert scheduler.submitted == ["test.scheduled", "test.scheduled"]
    from klynge.jobs.tables import Job

    rows = await Job.select(Job.status).where(Job.name == "test.scheduled")
    assert [r["status"] for r in rows] == ["done", "done"]
    assert len(RUNS) == 2


async def test_a_failed_submit_does_not_stop_the_schedule(db: None) -> None:
    scheduler = Scheduler(runner.Dispatcher(None), [CronJob("no.such.job")])
    await scheduler.run_now(scheduler.jobs[0])  # logged, not raised
    assert scheduler.submitted == []


def test_the_scheduler_is_on_by_default_and_off_in_tests() -> None:
    from klynge.settings import load_settings
    from tests.conftest import TEST_SECRET, make_settings

    assert load_settings({"KLYNGE_SECRET_KEY": TEST_SECRET}).scheduler is True
    assert (
        load_settings({"KLYNGE_SECRET_KEY": TEST_SECRET, "KLYNGE_SCHEDULER": "0"}).scheduler
        is False
    )
    assert make_settings().scheduler is False


async def test_the_app_runs_the_scheduler_only_when_asked(db: None) -> None:
    from litestar.testing import AsyncTestClient

    from klynge.app import create_app
    from tests.conftest import make_settings

    for flag, expected in (("0", False), ("1", True)):
        app = create_app(make_settings(KLYNGE_SCHEDULER=flag))
        scheduler = app.state.scheduler
        async with AsyncTestClient(app=app, base_url="http://testserver.local"):
            assert scheduler.running is expected
            assert any(j.job == "notify_overdue_milestones" for j in scheduler.jobs)
        assert not scheduler.running  # stopped with the app


def test_arq_gets_the_same_schedules() -> None:
    jobs = arq_cron_jobs([HOURLY, NIGHTLY])
    assert [j.name for j in jobs] == ["cron:test.scheduled", "cron:test.scheduled"]
    assert jobs[0].minute == {15}
    assert jobs[0].hour is None
    assert jobs[1].hour == {3}
    assert all(j.unique for j in jobs)


def test_the_worker_declares_the_apps_cron_jobs() -> None:
    from klynge.jobs.worker import worker_settings

    names = [j.name for j in worker_settings("redis://localhost:6379/15")["cron_jobs"]]
    assert "cron:notify_overdue_milestones" in names
