"""A job for the kill test, importable by a worker subprocess: its first run hangs (the test
kills that worker with SIGKILL), a retry writes one row and finishes in one transaction."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path
from typing import Any

from klynge.db import transaction
from klynge.jobs import runner
from klynge.orgs.tables import Municipality


@runner.job("test.hangs_first_time")
async def hangs_first_time(ctx: runner.JobContext) -> dict[str, Any]:
    if ctx.attempt == 1:
        await ctx.progress(10, "started")
        # A tiny local file write; nothing else runs on this worker meanwhile.
        Path(ctx.params["marker"]).write_text("started", encoding="utf-8")  # noqa: ASYNC240
        await asyncio.sleep(3600)  # the worker is killed here
    async with transaction():
        await Municipality.insert(
            Municipality(number="9999", name="Once", county="Test", valid_from=dt.date.today())
        )
        await ctx.finish({"attempt": ctx.attempt})
    return {}
