"""Create, dispatch and execute jobs. The same job functions run on arq workers (with
REDIS_URL) or as in-process tasks (without), and report through the same status rows."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from klynge.db import transaction
from klynge.errors import DomainError
from klynge.jobs.tables import Job

log = logging.getLogger("klynge.jobs")

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
STALE_AFTER = dt.timedelta(hours=1)  # = the worker's job_timeout


class JobFailed(Exception):
    """Raise from a job to fail it with a message for the user (and optional result data)."""

    def __init__(self, message: str, result: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.result = result or {}


@dataclass
class JobContext:
    job_id: uuid.UUID
    name: str
    params: dict[str, Any]
    payload: bytes | None
    created_by: int | None
    cluster_id: int | None
    finished: bool = False

    async def progress(self, percent: int, message: str = "") -> None:
        """Report progress. Call it outside the job's own write transaction, or the update
        stays invisible until that transaction commits."""
        await Job.update({Job.progress: max(0, min(99, int(percent))), Job.message: message}).where(
            Job.id == self.job_id, Job.status == RUNNING
        )

    async def finish(self, result: dict[str, Any], message: str = "", result_url: str = "") -> None:
        """Mark the job done. Call it inside the job's write transaction so the work and its
        "done" commit together: a re-run by arq then sees "done" and does nothing."""
        await Job.update(
            {
                Job.status: DONE,
                Job.progress: 100,
                Job.message: message,
                Job.result: result,
                Job.result_url: result_url,
                Job.finished_at: dt.datetime.now(dt.UTC),
                Job.payload: None,
            }
        ).where(Job.id == self.job_id)
        self.finished = True


JobFunction = Callable[[JobContext], Awaitable[dict[str, Any] | None]]
REGISTRY: dict[str, JobFunction] = {}


def job(name: str) -> Callable[[JobFunction], JobFunction]:
    """Register a job function under a stable name (stored in the status row)."""

    def register(fn: JobFunction) -> JobFunction:
        if name in REGISTRY and REGISTRY[name] is not fn:
            raise RuntimeError(f"job name {name!r} registered twice")
        REGISTRY[name] = fn
        return fn

    return register


async def _create(
    name: str,
    params: dict[str, Any] | None = None,
    *,
    payload: bytes | None = None,
    created_by: int | None = None,
    cluster_id: int | None = None,
) -> uuid.UUID:
    """Insert the status row (inside the caller's transaction, if any). Dispatch after commit."""
    if name not in REGISTRY:
        raise KeyError(f"unknown job {name!r}")
    job_id = uuid.uuid4()
    await Job.insert(
        Job(
            id=job_id,
            name=name,
            status=QUEUED,
            params=params or {},
            payload=payload,
            created_by=created_by,
            cluster=cluster_id,
        )
    )
    return job_id


def default_queue_name() -> str:
    """The arq queue: KLYNGE_JOB_QUEUE lets several deployments (or test runs) share a Redis."""
    return os.environ.get("KLYNGE_JOB_QUEUE", "").strip() or "klynge:jobs"


class Dispatcher:
    """Sends queued jobs to arq (Redis) or runs them as in-process tasks."""

    def __init__(self, redis_url: str | None, queue_name: str | None = None) -> None:
        self.redis_url = redis_url
        self.queue_name = queue_name or default_queue_name()
        self._pool: Any = None
        self._tasks: set[asyncio.Task[str]] = set()

    async def dispatch(self, job_id: uuid.UUID) -> None:
        if self.redis_url:
            pool = await self._arq_pool()
            # _job_id makes a second enqueue of the same job a no-op.
            await pool.enqueue_job(
                "run_job", str(job_id), _job_id=str(job_id), _queue_name=self.queue_name
            )
            return
        task = asyncio.create_task(execute(job_id))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _arq_pool(self) -> Any:
        if self._pool is None:
            from arq import create_pool
            from arq.connections import RedisSettings

            self._pool = await create_pool(RedisSettings.from_dsn(self.redis_url or ""))
        return self._pool

    async def resume_queued(self) -> int:
        """In-process mode: dispatch jobs left queued when a process stopped. Claiming is
        atomic, so several app processes doing this at start cannot run a job twice."""
        rows = await Job.select(Job.id).where(Job.status == QUEUED)
        for row in rows:
            await self.dispatch(row["id"])
        return len(rows)

    async def drain(self) -> None:
        """Wait for in-process jobs (tests, shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def close(self) -> None:
        await self.drain()
        if self._pool is not None:
            await self._pool.aclose()
            self._pool = None


@dataclass
class Submitter:
    """Submits jobs inside an open transaction; `submit_after_commit` dispatches them."""

    dispatcher: Dispatcher
    pending: list[uuid.UUID] = field(default_factory=list)

    async def __call__(
        self,
        name: str,
        params: dict[str, Any] | None = None,
        *,
        payload: bytes | None = None,
        created_by: int | None = None,
        cluster_id: int | None = None,
    ) -> uuid.UUID:
        job_id = await _create(
            name, params, payload=payload, created_by=created_by, cluster_id=cluster_id
        )
        self.pending.append(job_id)
        return job_id


@asynccontextmanager
async def submit_after_commit(dispatcher: Dispatcher) -> AsyncIterator[Submitter]:
    """The use case's write transaction, with a `submit` for jobs: their status rows commit
    with the use case's other writes, and they are dispatched only once that commit succeeded
    (a worker would otherwise look for a row it cannot see yet, or one rolled back)."""
    submitter = Submitter(dispatcher)
    async with transaction():
        yield submitter
    for job_id in submitter.pending:
        await dispatcher.dispatch(job_id)


async def submit(
    name: str,
    params: dict[str, Any] | None = None,
    *,
    dispatcher: Dispatcher,
    payload: bytes | None = None,
    created_by: int | None = None,
    cluster_id: int | None = None,
) -> uuid.UUID:
    """Submit one job when the use case writes nothing else (its own transaction)."""
    async with submit_after_commit(dispatcher) as submit_job:
        return await submit_job(
            name, params, payload=payload, created_by=created_by, cluster_id=cluster_id
        )


async def execute(job_id: uuid.UUID | str) -> str:
    """Run one job to completion and return its final status. Safe to call twice."""
    job_uuid = uuid.UUID(str(job_id))
    row = await Job.select().where(Job.id == job_uuid).first()
    if row is None:
        log.warning("job %s vanished before it ran", job_uuid)
        return "missing"
    if row["status"] in (DONE, FAILED):
        return str(row["status"])
    now = dt.datetime.now(dt.UTC)
    # Claim the row atomically: of two workers (or a re-delivered arq job) only one runs it.
    # A "running" row older than the job timeout belongs to a worker that died: reclaim it.
    claimed = (
        await Job.update(
            {
                Job.status: RUNNING,
                Job.started_at: now,
                Job.attempts: Job.attempts + 1,
                Job.progress: 0,
            }
        )
        .where(
            Job.id == job_uuid,
            (Job.status == QUEUED)
            | ((Job.status == RUNNING) & (Job.started_at < now - STALE_AFTER)),
        )
        .returning(Job.id)
    )
    if not claimed:
        return RUNNING
    fn = REGISTRY.get(row["name"])
    if fn is None:
        return await _fail(job_uuid, f"Ukjent jobbtype «{row['name']}».", {})
    ctx = JobContext(
        job_id=job_uuid,
        name=row["name"],
        params=_json_dict(row["params"]),
        payload=row["payload"],
        created_by=row["created_by"],
        cluster_id=row["cluster"],
    )
    try:
        result = await fn(ctx)
    except JobFailed as exc:
        return await _fail(job_uuid, exc.message, exc.result)
    except DomainError as exc:
        return await _fail(job_uuid, exc.text, {"errors": [e.as_dict() for e in exc.errors]})
    except Exception:
        log.exception("job %s (%s) crashed", job_uuid, row["name"])
        return await _fail(job_uuid, "Jobben stoppet på grunn av en uventet feil.", {})
    if not ctx.finished:
        await ctx.finish(result or {})
    return DONE


def _json_dict(value: Any) -> dict[str, Any]:
    """JSONB comes back as a dict from PostgreSQL and as text from SQLite."""
    if isinstance(value, str | bytes):
        value = json.loads(value or "{}")
    return dict(value or {})


async def _fail(job_id: uuid.UUID, message: str, result: dict[str, Any]) -> str:
    await Job.update(
        {
            Job.status: FAILED,
            Job.message: message,
            Job.result: result,
            Job.finished_at: dt.datetime.now(dt.UTC),
            Job.payload: None,
        }
    ).where(Job.id == job_id)
    return FAILED
