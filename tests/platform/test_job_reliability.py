"""Jobs survive an unreachable Redis (outbox + sweep) and a killed worker (heartbeat retry)."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest

import tests.platform.killable_jobs  # noqa: F401  (registers the kill-test job here too)
from klynge.jobs import dispatch, heartbeat, runner
from klynge.jobs.tables import Job
from tests.platform.test_jobs import ARQ_CLOSE, CALLS, redis_url, run_burst_worker, status_of

__all__ = ["redis_url"]
ROOT = Path(__file__).resolve().parents[2]


def closed_redis() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    return f"redis://127.0.0.1:{port}/0"


async def test_submit_with_redis_unreachable_commits_nothing(db: None) -> None:
    dispatcher = runner.Dispatcher(closed_redis())
    try:
        with pytest.raises(dispatch.QueueUnavailable) as raised:
            await runner.submit("test.succeeds", {"value": 1}, dispatcher=dispatcher)
    finally:
        await dispatcher.close()
    assert raised.value.status == 503
    assert raised.value.headers == {"Retry-After": "30"}
    assert await Job.count() == 0


async def test_dispatch_failing_after_commit_leaves_the_job_in_the_outbox(db: None) -> None:
    job_id = await runner._create("test.succeeds", {"value": 1})
    dispatcher = runner.Dispatcher(closed_redis())
    try:
        await dispatcher.dispatch_committed([job_id])  # Redis went away after the commit
    finally:
        await dispatcher.close()
    row = await status_of(job_id)
    assert (row["status"], row["dispatched_at"]) == ("queued", None)


@pytest.mark.redis
@ARQ_CLOSE
async def test_the_sweep_sends_outbox_jobs_to_redis(redis_url: str) -> None:
    job_id = await runner._create("test.succeeds", {"value": "swept"})
    dispatcher = runner.Dispatcher(redis_url)
    try:
        assert await dispatcher.sweep() == 1
        assert (await status_of(job_id))["dispatched_at"] is not None
        assert await dispatcher.sweep() == 0  # handed over once
    finally:
        await dispatcher.close()
    CALLS.clear()
    await run_burst_worker(redis_url)
    assert (await status_of(job_id))["status"] == "done"
    assert [str(job_id)] == CALLS


async def test_in_process_resume_runs_queued_jobs_and_keeps_sweeping(db: None) -> None:
    first = await runner._create("test.succeeds", {"value": 1})
    dispatcher = runner.Dispatcher(None)
    try:
        assert await dispatcher.resume_queued() == 1
        await dispatcher.drain()
        assert (await status_of(first))["status"] == "done"
        await stale_running("test.succeeds")  # a job whose process died meanwhile
        assert await dispatcher.sweep() == 1
        await dispatcher.drain()
    finally:
        await dispatcher.close()
    assert await Job.count().where(Job.status == "done") == 2


async def stale_running(name: str, attempts: int = 1) -> uuid.UUID:
    """A job left "running" by a worker that stopped beating three minutes ago."""
    job_id = await runner._create(name)
    old = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=3)
    await Job.update(
        {Job.status: "running", Job.attempts: attempts, Job.started_at: old, Job.heartbeat_at: old}
    ).where(Job.id == job_id)
    return job_id


async def test_a_silent_running_job_is_retried_and_says_so(db: None) -> None:
    from klynge.i18n import set_language
    from klynge.jobs.service import job_out

    job_id = await stale_running("test.succeeds")
    beating = await stale_running("test.succeeds")
    await Job.update({Job.heartbeat_at: dt.datetime.now(dt.UTC)}).where(Job.id == beating)
    assert await heartbeat.requeue_stale() == [job_id]
    row = await status_of(job_id)
    set_language("nb")
    shown = job_out(row)
    assert (shown.status, shown.attempts) == ("queued", 1)
    assert shown.message == "Prosessen som kjørte jobben stoppet; jobben prøves på nytt."
    assert await runner.execute(job_id) == "done"
    assert (await status_of(job_id))["attempts"] == 2
    assert (await status_of(beating))["status"] == "running"


async def test_a_job_that_keeps_killing_its_worker_fails(db: None) -> None:
    job_id = await stale_running("test.succeeds", attempts=heartbeat.MAX_ATTEMPTS)
    assert await heartbeat.requeue_stale() == []
    row = await status_of(job_id)
    assert row["status"] == "failed"
    assert row["message"] == heartbeat.GAVE_UP


async def test_a_run_that_lost_its_job_to_a_retry_writes_nothing(db: None) -> None:
    from klynge.orgs.importing import JOB_NAME
    from klynge.orgs.tables import Municipality
    from tests.platform.test_jobs import GOOD_ROWS, xlsx

    job_id = await runner._create(JOB_NAME, {"filename": "k.xlsx"}, payload=xlsx(GOOD_ROWS[:3]))
    row = await status_of(job_id)
    ctx = runner.JobContext(
        job_id=job_id,
        name=JOB_NAME,
        params={"filename": "k.xlsx"},
        payload=row["payload"],
        created_by=None,
        cluster_id=None,
        attempt=1,  # the row was re-queued and re-claimed: attempts is no longer 1
    )
    await Job.update({Job.status: "running", Job.attempts: 2}).where(Job.id == job_id)
    with pytest.raises(runner.JobSuperseded):
        await runner.REGISTRY[JOB_NAME](ctx)
    assert await Municipality.count() == 0


def start_worker(redis_url: str) -> subprocess.Popen[bytes]:
    """A real `arq` worker process with the kill-test job loaded and a 1 s heartbeat timeout."""
    env = {
        **os.environ,
        "PYTHONPATH": f"{ROOT / 'platform'}{os.pathsep}{ROOT}",
        "KLYNGE_JOB_HEARTBEAT_SECONDS": "0.2",
        "KLYNGE_JOB_HEARTBEAT_TIMEOUT": "1",
        "KLYNGE_JOB_SWEEP_SECONDS": "0.2",
    }
    code = (
        "import sys, tests.platform.killable_jobs\n"
        "from klynge.jobs.worker import create_worker\n"
        "create_worker(sys.argv[1]).run()\n"
    )
    return subprocess.Popen([sys.executable, "-c", code, redis_url], cwd=ROOT, env=env)


async def wait_until(check: Any, what: str, seconds: float = 60.0) -> None:
    deadline = asyncio.get_running_loop().time() + seconds
    while not await check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        await asyncio.sleep(0.1)


@pytest.mark.redis
async def test_a_job_whose_worker_is_killed_is_retried_and_runs_once(
    redis_url: str, tmp_path: Path
) -> None:
    from klynge.jobs.service import job_out
    from klynge.orgs.tables import Municipality

    marker = tmp_path / "started"
    dispatcher = runner.Dispatcher(redis_url)
    try:
        job_id = await runner.submit(
            "test.hangs_first_time", {"marker": str(marker)}, dispatcher=dispatcher
        )
    finally:
        await dispatcher.close()

    async def started() -> bool:
        return marker.exists()

    async def finished() -> bool:
        return (await status_of(job_id))["status"] in ("done", "failed")

    first = start_worker(redis_url)
    try:
        await wait_until(started, "the first run to start")
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()
    assert (await status_of(job_id))["status"] == "running"  # left behind by the dead worker
    second = start_worker(redis_url)
    try:
        await wait_until(finished, "the retry to finish")
    finally:
        second.terminate()
        second.wait()
    shown = job_out(await status_of(job_id))
    assert (shown.status, shown.attempts) == ("done", 2)
    assert shown.result == {"attempt": 2}
    assert await Municipality.count().where(Municipality.number == "9999") == 1
