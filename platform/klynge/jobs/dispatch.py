"""Hand committed jobs to arq (Redis) or to in-process tasks. The job table is the outbox: a
queued job that never reached Redis (or whose worker died) is swept and sent again."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import logging
import os
import uuid
from collections.abc import Callable, Coroutine
from typing import Any

from redis.exceptions import RedisError

from klynge.errors import DomainError
from klynge.i18n import N_
from klynge.jobs import heartbeat
from klynge.jobs.tables import Job

log = logging.getLogger("klynge.jobs")

QUEUED = "queued"
REDIS_TIMEOUT = 2.0  # seconds: a request must not hang on an unreachable Redis
RETRY_AFTER = "30"
QUEUE_DOWN = N_("Background jobs cannot be started right now. Try again in a minute.")


class QueueUnavailable(DomainError):
    """The job queue cannot be reached: 503 with Retry-After, and the use case rolls back."""

    def __init__(self) -> None:
        super().__init__(QUEUE_DOWN, 503, "unavailable", headers={"Retry-After": RETRY_AFTER})


def default_queue_name() -> str:
    """The arq queue: KLYNGE_JOB_QUEUE lets several deployments (or test runs) share a Redis."""
    return os.environ.get("KLYNGE_JOB_QUEUE", "").strip() or "klynge:jobs"


def arq_job_id(job_id: uuid.UUID, attempts: int) -> str:
    """arq ignores a second enqueue under the same id; a retried job needs a new one (the dead
    worker's delivery stays in Redis until arq's own timeout)."""
    return str(job_id) if attempts == 0 else f"{job_id}:{attempts}"


# What runs a job in this process: klynge.jobs.runner registers its `execute` here, so that
# this module (which the runner submits through) never imports the runner back.
_in_process: Callable[[uuid.UUID], Coroutine[Any, Any, str]] | None = None


def set_in_process_runner(run: Callable[[uuid.UUID], Coroutine[Any, Any, str]]) -> None:
    global _in_process
    _in_process = run


class Dispatcher:
    """Sends queued jobs to arq (Redis) or runs them as in-process tasks."""

    def __init__(
        self, redis_url: str | None, queue_name: str | None = None, pool: Any = None
    ) -> None:
        self.redis_url = redis_url
        self.queue_name = queue_name or default_queue_name()
        self._pool: Any = pool
        self._own_pool = pool is None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._sweeper: asyncio.Task[None] | None = None

    async def ensure_ready(self) -> None:
        """Raise QueueUnavailable (quickly) when Redis cannot take jobs now."""
        if not self.redis_url:
            return
        try:
            pool = await asyncio.wait_for(self._arq_pool(), REDIS_TIMEOUT)
            await asyncio.wait_for(pool.ping(), REDIS_TIMEOUT)
        except (OSError, RedisError, TimeoutError) as exc:
            log.warning("job queue unreachable: %s", exc)
            raise QueueUnavailable() from None

    async def dispatch(self, job_id: uuid.UUID, attempts: int = 0) -> None:
        if self.redis_url:
            pool = await self._arq_pool()
            await pool.enqueue_job(
                "run_job",
                str(job_id),
                _job_id=arq_job_id(job_id, attempts),
                _queue_name=self.queue_name,
            )
            await Job.update({Job.dispatched_at: dt.datetime.now(dt.UTC)}).where(
                Job.id == job_id, Job.status == QUEUED
            )
            return
        if _in_process is None:
            raise RuntimeError("import klynge.jobs.runner before dispatching jobs in-process")
        task = asyncio.create_task(_in_process(job_id))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def dispatch_committed(self, job_ids: list[uuid.UUID]) -> None:
        """After commit: a failure leaves the job in the outbox for the sweeper, never lost."""
        for job_id in job_ids:
            try:
                await asyncio.wait_for(self.dispatch(job_id), REDIS_TIMEOUT)
            except (OSError, RedisError, TimeoutError) as exc:
                log.warning("job %s left in the outbox for the sweeper: %s", job_id, exc)

    async def _arq_pool(self) -> Any:
        if self._pool is None:
            from arq import create_pool
            from arq.connections import RedisSettings

            settings = dataclasses.replace(
                RedisSettings.from_dsn(self.redis_url or ""), conn_timeout=1, conn_retries=0
            )
            self._pool = await create_pool(settings)
        return self._pool

    async def sweep(self) -> int:
        """Retry jobs whose worker stopped beating, then send every queued job not yet handed
        over (in-process: every queued job; claiming is atomic, so a duplicate is harmless)."""
        await heartbeat.requeue_stale()
        query = Job.select(Job.id, Job.attempts).where(Job.status == QUEUED)
        if self.redis_url:
            query = query.where(Job.dispatched_at.is_null())
        rows = await query.order_by(Job.created_at)
        for row in rows:
            await self.dispatch(row["id"], row["attempts"])
        return len(rows)

    async def resume_queued(self) -> int:
        """At start: sweep once, then keep sweeping every KLYNGE_JOB_SWEEP_SECONDS."""
        count = await self.sweep()
        self.start_sweeper()
        return count

    def start_sweeper(self, interval: float | None = None) -> None:
        if self._sweeper is None or self._sweeper.done():
            every = interval if interval is not None else heartbeat.sweep_seconds()
            self._sweeper = asyncio.create_task(self._sweep_forever(every))

    async def _sweep_forever(self, interval: float) -> None:
        while True:
            await asyncio.sleep(interval)
            try:
                await self.sweep()
            except Exception:  # a database or Redis hiccup: try again next round
                log.exception("job sweep failed")

    async def drain(self) -> None:
        """Wait for in-process jobs (tests, shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def close(self) -> None:
        if self._sweeper is not None:
            self._sweeper.cancel()
            await asyncio.gather(self._sweeper, return_exceptions=True)
            self._sweeper = None
        await self.drain()
        if self._pool is not None and self._own_pool:
            await self._pool.aclose()
        if self._own_pool:
            self._pool = None
