"""Heartbeats of running jobs: a job whose worker stops beating (killed, lost) is retried."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import os
import uuid
from collections.abc import AsyncIterator

from klynge.i18n import N_
from klynge.jobs.tables import Job

log = logging.getLogger("klynge.jobs")

RUNNING, QUEUED, FAILED = "running", "queued", "failed"
MAX_ATTEMPTS = 3  # a job that kills its worker this often is failed, not retried forever
RETRIED = N_("The worker running this job stopped; the job is being retried.")
GAVE_UP = N_("The job stopped its worker several times and was cancelled.")


def _seconds(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    try:
        value = float(raw) if raw else default
    except ValueError:
        return default
    return value if value > 0 else default


def heartbeat_seconds() -> float:
    """How often a running job beats (KLYNGE_JOB_HEARTBEAT_SECONDS, default 15)."""
    return _seconds("KLYNGE_JOB_HEARTBEAT_SECONDS", 15.0)


def heartbeat_timeout() -> float:
    """Silence after which a running job counts as orphaned (KLYNGE_JOB_HEARTBEAT_TIMEOUT,
    default 120 s)."""
    return _seconds("KLYNGE_JOB_HEARTBEAT_TIMEOUT", 120.0)


def sweep_seconds() -> float:
    """How often workers and app processes sweep (KLYNGE_JOB_SWEEP_SECONDS, default 30)."""
    return _seconds("KLYNGE_JOB_SWEEP_SECONDS", 30.0)


async def beat(job_id: uuid.UUID, attempt: int) -> None:
    await Job.update({Job.heartbeat_at: dt.datetime.now(dt.UTC)}).where(
        Job.id == job_id, Job.status == RUNNING, Job.attempts == attempt
    )


@contextlib.asynccontextmanager
async def beating(job_id: uuid.UUID, attempt: int) -> AsyncIterator[None]:
    """Beat in the background while the job runs (its own statements, outside the job's
    write transaction, so the beats are visible at once)."""

    async def loop() -> None:
        interval = heartbeat_seconds()
        while True:
            await asyncio.sleep(interval)
            try:
                await beat(job_id, attempt)
            except Exception:  # a missed beat is retried next interval
                log.warning("heartbeat of job %s failed", job_id, exc_info=True)

    task = asyncio.create_task(loop())
    try:
        yield
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def requeue_stale() -> list[uuid.UUID]:
    """Queue again every running job without a heartbeat for the timeout (fail it after
    MAX_ATTEMPTS). Atomic per row: of several sweepers only one requeues a job."""
    now = dt.datetime.now(dt.UTC)
    cutoff = now - dt.timedelta(seconds=heartbeat_timeout())
    silent = (Job.status == RUNNING) & (
        (Job.heartbeat_at < cutoff) | (Job.heartbeat_at.is_null() & (Job.started_at < cutoff))
    )
    await Job.update(
        {Job.status: FAILED, Job.message: GAVE_UP, Job.finished_at: now, Job.payload: None}
    ).where(silent, Job.attempts >= MAX_ATTEMPTS)
    rows = await (
        Job.update(
            {Job.status: QUEUED, Job.message: RETRIED, Job.progress: 0, Job.dispatched_at: None}
        )
        .where(silent)
        .returning(Job.id)
    )
    ids = [row["id"] for row in rows]
    if ids:
        log.warning("retrying %d job(s) whose worker stopped: %s", len(ids), ids)
    return ids
