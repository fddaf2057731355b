"""`klynge demo --scale national|N`: the demo cluster and its logins as always, then a whole
country's worth of data around it. The core writes the directory; each app's declared scale part
(`App.scale`) writes its own tables, in app order, each in its own transaction."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass

from klynge.apps import installed, resolve
from klynge.db import engine, is_postgres
from klynge.orgs.tables import Municipality
from klynge.scale import directory
from klynge.scale.bulk import BulkWriter
from klynge.scale.context import ScaleContext

NATIONAL = 1.0
SEED = 2024
# A fixed "now" keeps the load deterministic; dates in the data are spread before it.
NOW = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


class AlreadyLoaded(RuntimeError):
    """The national data is there already: loading it twice would double everything."""


@dataclass(frozen=True)
class ScaleReport:
    fraction: float
    seconds: float
    rows: dict[str, int]  # rows written per table


def parse_scale(value: str) -> float:
    """ "national" = 1; otherwise a fraction in (0, 1]."""
    if value.strip().lower() == "national":
        return NATIONAL
    fraction = float(value)
    if not 0 < fraction <= 1:
        raise ValueError("--scale takes 'national' or a fraction in (0, 1], e.g. 0.1")
    return fraction


async def _loaded() -> bool:
    numbers = {r["number"] for r in await Municipality.select(Municipality.number)}
    return len(numbers) >= len(directory.read_municipalities())


async def _analyze() -> None:
    await engine().run_ddl("ANALYZE")


async def load(
    fraction: float, *, seed: int = SEED, progress: Callable[[str], None] = print
) -> ScaleReport:
    """Load the national data on top of the demo (which must be there). Deterministic for a
    given fraction and seed on a database that holds only the demo."""
    if await _loaded():
        raise AlreadyLoaded("the national data is already loaded (every municipality is there)")
    started = time.perf_counter()
    writer = BulkWriter(NOW)
    ctx = ScaleContext(fraction=fraction, seed=seed, writer=writer, progress=progress)
    engine_name = "PostgreSQL (COPY)" if is_postgres() else "SQLite (executemany)"
    progress(f"scale {fraction:g} on {engine_name}")
    async with writer.part():
        await directory.build(ctx)
    for app in installed():
        if app.scale:
            part_started = time.perf_counter()
            await resolve(app.scale)(ctx)
            progress(f"{app.name}: done in {time.perf_counter() - part_started:.1f} s")
    await writer.fix_sequences()
    await _analyze()
    seconds = time.perf_counter() - started
    progress(f"loaded {sum(writer.counts.values()):,} rows in {seconds:.1f} s")
    return ScaleReport(fraction=fraction, seconds=seconds, rows=dict(writer.counts))
