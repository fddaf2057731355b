"""Job throughput: N small jobs through the in-process runner and (with REDIS_URL) through arq.

Run: make bench   (or .venv/bin/python bench/bench_jobs.py [N])
Uses a temporary SQLite file unless BENCH_DATABASE_URL points at PostgreSQL.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

_TMP = Path(tempfile.mkdtemp(prefix="klynge-bench-"))
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{_TMP}/b.sqlite"
os.environ["PICCOLO_CONF"] = "klynge.piccolo_conf"

from klynge.jobs import runner  # noqa: E402
from klynge.jobs.tables import Job  # noqa: E402
from klynge.migrate import migrate  # noqa: E402


@runner.job("bench.noop")
async def noop(ctx: runner.JobContext) -> dict[str, int]:
    await ctx.progress(50, "halfway")
    return {"n": int(ctx.params["n"])}


async def _wait_all_done(ids: list[object]) -> None:
    while await Job.count().where(Job.id.is_in(ids), Job.status != "done"):
        await asyncio.sleep(0.05)


async def bench_inprocess(n: int) -> float:
    dispatcher = runner.Dispatcher(None)
    start = time.perf_counter()
    ids = [await runner.submit("bench.noop", {"n": i}, dispatcher=dispatcher) for i in range(n)]
    await dispatcher.drain()
    await _wait_all_done(ids)
    return time.perf_counter() - start


async def bench_redis(n: int, redis_url: str) -> float:
    from redis.asyncio import Redis

    from klynge.jobs.worker import create_worker

    bench_url = redis_url.rsplit("/", 1)[0] + "/14"  # a database index of its own
    client = Redis.from_url(bench_url)
    await client.flushdb()
    await client.aclose()
    dispatcher = runner.Dispatcher(bench_url)
    start = time.perf_counter()
    ids = [await runner.submit("bench.noop", {"n": i}, dispatcher=dispatcher) for i in range(n)]
    worker = create_worker(bench_url, burst=True, on_startup=None, on_shutdown=None)
    await worker.main()
    await worker.close()
    await _wait_all_done(ids)
    elapsed = time.perf_counter() - start
    await dispatcher.close()
    return elapsed


async def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    await migrate()
    from klynge.db import engine as db_engine
    from klynge.db import is_postgres

    if is_postgres():  # as in production: app processes and workers keep a pool
        await db_engine().start_connection_pool(max_size=10)  # type: ignore[attr-defined]
    engine = os.environ["DATABASE_URL"].split(":", 1)[0]
    elapsed = await bench_inprocess(n)
    print(f"jobs in-process ({engine}): {n} jobs in {elapsed:.2f} s ({n / elapsed:.0f} jobs/s)")
    redis_url = os.environ.get("REDIS_URL")
    if redis_url:
        elapsed = await bench_redis(n, redis_url)
        print(
            f"jobs via arq + Redis ({engine}): {n} jobs in {elapsed:.2f} s "
            f"({n / elapsed:.0f} jobs/s, one burst worker)"
        )
    else:
        print("jobs via arq + Redis: not measured (REDIS_URL unset)")


if __name__ == "__main__":
    asyncio.run(main())
