"""Create, dispatch and execute jobs. The same job functions run on arq workers (with
REDIS_URL) or as in-process tasks (without), and report through the same status rows."""

from __future__ import annotations

import datetime as dt
import json
import logging
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from klynge import i18n
from klynge.db import transaction
from klynge.errors import DomainError
from klynge.jobs import dispatch, heartbeat
from klynge.jobs.dispatch import Dispatcher as Dispatcher  # re-exported: one submit API
from klynge.jobs.dispatch import default_queue_name as default_queue_name
from klynge.jobs.tables import Job

# Messages for the job's starter, translated in the job's language.
UNKNOWN_JOB = i18n.N_("Unknown job type «%(name)s».")
CRASHED = i18n.N_("The job stopped because of an unexpected error.")

log = logging.getLogger("klynge.jobs")

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"


class JobFailed(Exception):
    """Raise from a job to fail it with a message for the user (and optional result data)."""

    def __init__(self, message: str, result: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.result = result or {}


class JobSuperseded(Exception):
    """This run lost the job (it was retried elsewhere): roll back its work."""


@dataclass
class JobContext:
    job_id: uuid.UUID
    name: str
    params: dict[str, Any]
    payload: bytes | None
    created_by: int | None
    cluster_id: int | None
    finished: bool = False
    attempt: int = 0  # this run's attempt number; 0 = not claimed through execute()

    def _mine(self) -> Any:
        """The row, while this run still owns it."""
        owned = (Job.id == self.job_id) & (Job.status == RUNNING)
        return owned & (Job.attempts == self.attempt) if self.attempt else Job.id == self.job_id

    async def progress(self, percent: int, message: str = "") -> None:
        """Report progress (and beat). Call it outside the job's own write transaction, or the
        update stays invisible until that transaction commits."""
        await Job.update(
            {
                Job.progress: max(0, min(99, int(percent))),
                Job.message: message,
                Job.heartbeat_at: dt.datetime.now(dt.UTC),
            }
        ).where(self._mine(), Job.status == RUNNING)

    async def finish(self, result: dict[str, Any], message: str = "", result_url: str = "") -> None:
        """Mark the job done. Call it inside the job's write transaction so the work and its
        "done" commit together: a re-run by arq then sees "done" and does nothing, and a run
        that lost the job to a retry raises JobSuperseded here, rolling its work back."""
        done = (
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
            )
            .where(self._mine())
            .returning(Job.id)
        )
        if self.attempt and not done:
            raise JobSuperseded(str(self.job_id))
        self.finished = True


JobFunction = Callable[[JobContext], Awaitable[dict[str, Any] | None]]
REGISTRY: dict[str, JobFunction] = {}


LANGUAGE_PARAM = "_language"


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
    # The job speaks the language of whoever started it (its messages and errors).
    params = {LANGUAGE_PARAM: i18n.current_language(), **(params or {})}
    await Job.insert(
        Job(
            id=job_id,
            name=name,
            status=QUEUED,
            params=params,
            payload=payload,
            created_by=created_by,
            cluster=cluster_id,
        )
    )
    return job_id


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
        if submitter.pending:
            # Redis down: 503 and roll back, rather than commit jobs nobody will run soon.
            await dispatcher.ensure_ready()
    await dispatcher.dispatch_committed(submitter.pending)


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


async def _claim(job_id: uuid.UUID) -> int | None:
    """Claim a queued row atomically: of two workers (or a re-delivered arq job) only one runs
    it. A running job whose worker died is re-queued by the sweeper (heartbeat), not here."""
    now = dt.datetime.now(dt.UTC)
    claimed = (
        await Job.update(
            {
                Job.status: RUNNING,
                Job.started_at: now,
                Job.heartbeat_at: now,
                Job.attempts: Job.attempts + 1,
                Job.progress: 0,
            }
        )
        .where(Job.id == job_id, Job.status == QUEUED)
        .returning(Job.attempts)
    )
    return int(claimed[0]["attempts"]) if claimed else None


async def execute(job_id: uuid.UUID | str) -> str:
    """Run one job to completion and return its final status. Safe to call twice."""
    job_uuid = uuid.UUID(str(job_id))
    row = await Job.select().where(Job.id == job_uuid).first()
    if row is None:
        log.warning("job %s vanished before it ran", job_uuid)
        return "missing"
    if row["status"] in (DONE, FAILED):
        return str(row["status"])
    attempt = await _claim(job_uuid)
    if attempt is None:
        return RUNNING
    i18n.set_language(str(_json_dict(row["params"]).get(LANGUAGE_PARAM, i18n.DEFAULT)))
    fn = REGISTRY.get(row["name"])
    if fn is None:
        unknown = i18n.gettext(UNKNOWN_JOB) % {"name": row["name"]}
        return await _fail(job_uuid, unknown, {}, attempt)
    ctx = JobContext(
        job_id=job_uuid,
        name=row["name"],
        params=_json_dict(row["params"]),
        payload=row["payload"],
        created_by=row["created_by"],
        cluster_id=row["cluster"],
        attempt=attempt,
    )
    try:
        async with heartbeat.beating(job_uuid, attempt):
            result = await fn(ctx)
            if not ctx.finished:
                await ctx.finish(result or {})
    except JobSuperseded:
        log.warning(
            "job %s attempt %d lost the job to a retry; its work rolled back", job_uuid, attempt
        )
        return "superseded"
    except JobFailed as exc:
        return await _fail(job_uuid, exc.message, exc.result, attempt)
    except DomainError as exc:
        errors = {"errors": [e.as_dict() for e in exc.errors]}
        return await _fail(job_uuid, exc.text, errors, attempt)
    except Exception:
        log.exception("job %s (%s) crashed", job_uuid, row["name"])
        return await _fail(job_uuid, i18n.gettext(CRASHED), {}, attempt)
    return DONE


def _json_dict(value: Any) -> dict[str, Any]:
    """JSONB comes back as a dict from PostgreSQL and as text from SQLite."""
    if isinstance(value, str | bytes):
        value = json.loads(value or "{}")
    return dict(value or {})


async def _fail(job_id: uuid.UUID, message: str, result: dict[str, Any], attempt: int) -> str:
    await Job.update(
        {
            Job.status: FAILED,
            Job.message: message,
            Job.result: result,
            Job.finished_at: dt.datetime.now(dt.UTC),
            Job.payload: None,
        }
    ).where(Job.id == job_id, Job.status == RUNNING, Job.attempts == attempt)
    return FAILED


dispatch.set_in_process_runner(execute)
