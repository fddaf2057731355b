"""The reminder before a round closes: unfinished raters of a round closing within two days
are told once (running the cron job twice sends once), by notification and e-mail; finished
raters, other clusters and unrelated users are not."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from priorities.app import APP
from priorities.round_reminders import REMIND_RATERS, closes_soon
from tests.platform.test_mail import SmtpServer, smtp, smtp_env  # noqa: F401  (fixtures)
from tests.priorities.handoff_support import (
    EVERYONE,
    add_researcher,
    deliver,
    email,
    finish_scoring,
    mailed,
    open_round,
    submit_need,
    told,
)

NOW = dt.datetime(2027, 3, 10, 7, 20, tzinfo=dt.UTC)


@pytest.fixture
async def hw(app: Any, needs_world: Any) -> Any:
    await add_researcher(app, needs_world)
    return needs_world


def test_closes_soon_is_within_two_calendar_days_and_not_past() -> None:
    at = dt.datetime.combine
    assert closes_soon(at(dt.date(2027, 3, 12), dt.time(23, 59), dt.UTC), NOW)
    assert closes_soon(at(dt.date(2027, 3, 10), dt.time(23, 59), dt.UTC), NOW)
    assert not closes_soon(at(dt.date(2027, 3, 13), dt.time(0, 1), dt.UTC), NOW)
    assert not closes_soon(NOW - dt.timedelta(minutes=1), NOW)


def test_the_reminder_is_a_cron_job_of_the_app_on_workers_and_in_process() -> None:
    from klynge import apps
    from klynge.jobs.worker import worker_settings

    assert REMIND_RATERS in {c.job for c in APP.cron_jobs}
    assert REMIND_RATERS in {c.job for c in apps.cron_jobs()}  # the in-process scheduler's
    names = [j.name for j in worker_settings("redis://localhost:6379/15")["cron_jobs"]]
    assert f"cron:{REMIND_RATERS}" in names


async def run_job() -> dict[str, Any]:
    """One run of the cron job through the runner, in-process (as the scheduler submits it)."""
    from klynge.db import json_value
    from klynge.jobs import runner
    from klynge.jobs.tables import Job

    dispatcher = runner.Dispatcher(None)
    job_id = await runner.submit(REMIND_RATERS, {}, dispatcher=dispatcher)
    await dispatcher.drain()
    row = await Job.select(Job.status, Job.result).where(Job.id == job_id).first()
    assert row is not None
    assert row["status"] == "done", row
    return dict(json_value(row["result"]) or {})


async def test_unfinished_raters_are_reminded_once(
    smtp_env: SmtpServer,  # noqa: F811
    client: Any,
    hw: Any,
) -> None:
    w = hw
    need = await submit_need(client, w)
    other = await submit_need(client, w, title="Mobbing")
    now = dt.datetime.now(dt.UTC)
    soon = dt.datetime.combine(now.date() + dt.timedelta(days=2), dt.time(23, 59), dt.UTC)
    later = soon + dt.timedelta(days=5)
    panel = ["leader_askoy", "researcher", "nobody"]
    round_id = await open_round(client, w, [need], panel, deadline=soon)
    await open_round(client, w, [other], ["nobody"], name="Høst 2027", deadline=later)
    await finish_scoring(client, w, round_id, "leader_askoy", [need])
    before = await told(client, w)
    await deliver()
    sent_before = len(smtp_env.inbox.messages)

    assert await run_job() == {"reminded": 2}
    assert await run_job() == {"reminded": 0}  # the second run (or a second worker): nothing
    after = await told(client, w)
    new = {k: after[k][len(before[k]) :] for k in EVERYONE}
    text = f"The round «Vår 2027» closes on {soon.date().isoformat()}: finish your scoring"
    for key in ("researcher", "nobody"):
        assert new.pop(key) == [(text, f"/runder/{round_id}/skaar")], key
    assert new == {k: [] for k in EVERYONE if k not in {"researcher", "nobody"}}

    await deliver()
    reminders = mailed(smtp_env)
    assert len(smtp_env.inbox.messages) - sent_before == 2
    subject = f"Klynge: Runden «Vår 2027» lukkes {soon.date().isoformat()}: fullfør skåringen din"
    assert sorted(m for m in reminders if "lukkes" in m[1]) == [
        (email("nobody"), subject),
        (email("researcher"), subject),
    ]
