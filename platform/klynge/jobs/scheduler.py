"""Cron jobs (`klynge.apps.CronJob`) on a schedule: arq cron on the workers when REDIS_URL is
set, and an in-process scheduler in the embedded mode. Both submit the job through
`runner.submit`, so every run has its status row like any other job."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from arq.cron import CronJob as ArqCronJob
from arq.cron import cron
from arq.typing import WorkerCoroutine

from klynge.apps import CronJob
from klynge.jobs.dispatch import Dispatcher
from klynge.jobs.runner import submit

log = logging.getLogger("klynge.jobs")

MINUTES_PER_DAY = 24 * 60
Clock = Callable[[], dt.datetime]
Sleep = Callable[[float], Awaitable[None]]


def matches(moment: dt.datetime, job: CronJob) -> bool:
    return (job.hour is None or moment.hour in job.hour) and (
        job.minute is None or moment.minute in job.minute
    )


def next_run(after: dt.datetime, job: CronJob) -> dt.datetime:
    """The first whole minute strictly after `after` that the schedule names (as arq reads
    minute and hour: None = every)."""
    moment = after.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)
    for _ in range(MINUTES_PER_DAY):
        if matches(moment, job):
            return moment
        moment += dt.timedelta(minutes=1)
    raise ValueError(f"cron job {job.job!r} never runs (minute {job.minute}, hour {job.hour})")


def _local_now() -> dt.datetime:
    # Local wall-clock time, as arq's cron reads schedules on the workers.
    return dt.datetime.now()


class Scheduler:
    """Runs each cron job at its schedule in this process (embedded mode, no Redis). Start it
    once the event loop runs; `close` stops it (a job already submitted runs on)."""

    def __init__(
        self,
        dispatcher: Dispatcher,
        jobs: Sequence[CronJob],
        *,
        clock: Clock = _local_now,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        for job in jobs:
            next_run(dt.datetime(2000, 1, 1), job)  # refuse a schedule that never fires now
        self.dispatcher = dispatcher
        self.jobs = tuple(jobs)
        self._clock = clock
        self._sleep = sleep
        self._tasks: list[asyncio.Task[None]] = []
        self.submitted: list[str] = []  # job names, in order (for tests and logs)

    @property
    def running(self) -> bool:
        return any(not task.done() for task in self._tasks)

    def start(self) -> None:
        if self.running:
            return
        self._tasks = [
            asyncio.create_task(self._loop(job), name=f"cron:{job.job}") for job in self.jobs
        ]

    async def run_now(self, job: CronJob) -> None:
        """Submit one run of the job (what the loop does at each scheduled minute)."""
        try:
            await submit(job.job, dispatcher=self.dispatcher)
            self.submitted.append(job.job)
        except Exception:  # a database hiccup: the next scheduled minute tries again
            log.exception("cron job %s could not be submitted", job.job)

    async def _loop(self, job: CronJob) -> None:
        while True:
            now = self._clock()
            due = next_run(now, job)
            await self._sleep(max(0.0, (due - now).total_seconds()))
            await self.run_now(job)

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []


def _arq_runner(name: str) -> WorkerCoroutine:
    async def run(ctx: dict[Any, Any], *args: Any, **kwargs: Any) -> str:
        dispatcher = Dispatcher(ctx["klynge_redis_url"], ctx["klynge_queue"], pool=ctx["redis"])
        return str(await submit(name, dispatcher=dispatcher))

    run.__qualname__ = run.__name__ = f"cron_{name}"
    return run


def arq_cron_jobs(jobs: Sequence[CronJob]) -> list[ArqCronJob]:
    """The cron jobs for arq's worker settings: arq runs each once per scheduled minute across
    all workers (`unique`), and the run submits the job like any other."""
    return [
        cron(
            _arq_runner(job.job),
            name=f"cron:{job.job}",
            minute=set(job.minute) if job.minute is not None else None,
            hour=set(job.hour) if job.hour is not None else None,
            unique=True,
        )
        for job in jobs
    ]
