"""arq worker: `klynge worker` runs this against REDIS_URL (start as many as you like).
Each worker also sweeps: jobs left in the outbox and jobs whose worker died are sent again."""

from __future__ import annotations

from typing import Any

from arq.connections import RedisSettings
from arq.worker import Worker, func
from piccolo.engine.postgres import PostgresEngine

from klynge.jobs.dispatch import Dispatcher, default_queue_name
from klynge.jobs.runner import execute
from klynge.jobs.scheduler import arq_cron_jobs


async def run_job(ctx: dict[str, Any], job_id: str) -> str:
    return await execute(job_id)


async def _startup(ctx: dict[str, Any]) -> None:
    from klynge.app import CORE_JOB_MODULES
    from klynge.apps import load_job_modules
    from klynge.db import engine

    load_job_modules(CORE_JOB_MODULES)
    db = engine()
    # Every engine has the method, but only PostgreSQL pools (SQLite warns on each call).
    if isinstance(db, PostgresEngine):
        await db.start_connection_pool()
    sweeper = Dispatcher(ctx["klynge_redis_url"], ctx["klynge_queue"], pool=ctx["redis"])
    sweeper.start_sweeper()
    ctx["klynge_sweeper"] = sweeper


async def _shutdown(ctx: dict[str, Any]) -> None:
    from klynge.db import engine

    sweeper: Dispatcher | None = ctx.get("klynge_sweeper")
    if sweeper is not None:
        await sweeper.close()
    db = engine()
    if isinstance(db, PostgresEngine):
        await db.close_connection_pool()


def worker_settings(redis_url: str, queue_name: str | None = None) -> dict[str, Any]:
    from klynge.apps import cron_jobs

    queue = queue_name or default_queue_name()
    return {
        "queue_name": queue,
        "functions": [func(run_job, name="run_job", max_tries=3)],
        # The apps' scheduled jobs: arq runs each once per scheduled minute over all workers.
        "cron_jobs": arq_cron_jobs(cron_jobs()),
        "redis_settings": RedisSettings.from_dsn(redis_url),
        "on_startup": _startup,
        "on_shutdown": _shutdown,
        "ctx": {"klynge_redis_url": redis_url, "klynge_queue": queue},
        # Defaults (poll_delay 0.5 s, max_jobs 10) make many small jobs crawl; these do not.
        "poll_delay": 0.05,
        "max_jobs": 20,
        # arq's own redelivery after this timeout is a backstop only: heartbeats retry a job
        # whose worker died within KLYNGE_JOB_HEARTBEAT_TIMEOUT.
        "job_timeout": 3600,
        "keep_result": 60,
    }


def create_worker(redis_url: str, queue_name: str | None = None, **overrides: Any) -> Worker:
    options = worker_settings(redis_url, queue_name)
    options.update(overrides)
    return Worker(**options)
