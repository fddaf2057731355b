"""Where a page of the load mix spends its time: its SQL statements (count, total ms, slowest)
and the busiest Python functions (cProfile), in-process against the loaded database.

Run: .venv/bin/python bench/load/profile_page.py PATH [--login EMAIL] [--repeat N]
(uses BENCH_DATABASE_URL like run.py; the first request warms up and is not counted)
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import pstats
import time
from collections import defaultdict
from typing import Any

os.environ.setdefault("DATABASE_URL", os.environ.get(
    "BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/klynge_load"
))  # fmt: skip
os.environ.setdefault("KLYNGE_DEMO", "1")
os.environ.setdefault("KLYNGE_SCHEDULER", "0")
os.environ.setdefault("KLYNGE_LOG_LEVEL", "WARNING")
os.environ["PICCOLO_CONF"] = "klynge.piccolo_conf"


async def main(path: str, login: str | None, repeat: int) -> None:
    import httpx

    from klynge.app import asgi
    from klynge.db import engine

    statements: dict[str, list[float]] = defaultdict(list)
    cls = type(engine())
    original = cls.run_querystring

    async def timed(self: Any, querystring: Any, *args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return await original(self, querystring, *args, **kwargs)
        finally:
            sql = str(querystring).replace("\n", " ")
            statements[sql[:160]].append(time.perf_counter() - started)

    app = asgi()
    transport = httpx.ASGITransport(app=app)  # in this thread, so cProfile sees the handlers
    client = httpx.AsyncClient(transport=transport, base_url="http://t")
    async with app.lifespan(), client:
        headers = {}
        if login:
            token = await client.post(
                "/api/auth/token", json={"email": login, "password": "demo-passord"}
            )
            headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        first = await client.get(path, headers=headers)
        print(f"{path}: {first.status_code}, {len(first.content):,} bytes")
        cls.run_querystring = timed  # type: ignore[method-assign]
        profile = cProfile.Profile()
        started = time.perf_counter()
        profile.enable()
        for _ in range(repeat):
            await client.get(path, headers=headers)
        profile.disable()
        cls.run_querystring = original  # type: ignore[method-assign]
    elapsed = (time.perf_counter() - started) / repeat
    count = sum(len(t) for t in statements.values()) / repeat
    print(f"{elapsed * 1000:.1f} ms per request, {count:.0f} statements per request")
    ranked = sorted(statements.items(), key=lambda kv: -sum(kv[1]))
    for sql, times in ranked[:12]:
        print(f"  {len(times) / repeat:5.0f}x {sum(times) * 1000 / repeat:8.1f} ms  {sql}")
    pstats.Stats(profile).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("path")
    parser.add_argument("--login")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    asyncio.run(main(args.path, args.login, args.repeat))
