"""Run a benchmark once per database engine, each run in a process of its own (klynge picks its
engine when it is imported, and a fresh process also gives each engine its own peak memory).

SQLite always runs, in a temporary file. PostgreSQL runs when DATABASE_URL points at a server:
the run creates its own database there (BENCH_PG_DATABASE, default `klynge_bench_<name>`) and
drops it at the end unless BENCH_KEEP=1 (then the next run may reuse what it loaded).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ENGINE_VAR = "BENCH_ENGINE"
RESULT = "RESULT "  # a child's last line: its figures as JSON, for the parent's summary


def admin_url() -> str:
    """The PostgreSQL server the benchmarks create their databases on ("" = none)."""
    url = os.environ.get("BENCH_ADMIN_URL") or os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else ""


def keep() -> bool:
    return os.environ.get("BENCH_KEEP", "") == "1"


def pg_name(bench: str) -> str:
    return os.environ.get("BENCH_PG_DATABASE") or f"klynge_bench_{bench}"


def configure(bench: str) -> str:
    """In the child, before klynge is imported: point DATABASE_URL at this engine's database.
    Returns the engine's name ("sqlite" or "postgresql")."""
    engine = os.environ.get(ENGINE_VAR, "sqlite")
    if engine == "postgresql":
        os.environ["BENCH_ADMIN_URL"] = admin_url()
        parts = urlsplit(admin_url())
        os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{pg_name(bench)}"))
    else:
        folder = Path(tempfile.gettempdir()) if keep() else Path(tempfile.mkdtemp())
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/klynge-bench-{bench}.sqlite"
    os.environ["PICCOLO_CONF"] = "klynge.piccolo_conf"
    return engine


async def admin(statement: str) -> Any:
    """One statement on the PostgreSQL server (creating or dropping the benchmark database)."""
    import asyncpg

    dsn = urlunsplit(urlsplit(admin_url())._replace(scheme="postgresql"))
    conn = await asyncpg.connect(dsn)
    try:
        return await conn.fetch(statement)
    finally:
        await conn.close()


async def fresh_pg(bench: str) -> None:
    await admin(f'DROP DATABASE IF EXISTS "{pg_name(bench)}" WITH (FORCE)')
    await admin(f'CREATE DATABASE "{pg_name(bench)}"')


async def pg_exists(bench: str) -> bool:
    name = pg_name(bench)  # the operator's own setting, not user input
    rows = await admin(f"SELECT 1 FROM pg_database WHERE datname = '{name}'")  # noqa: S608
    return bool(rows)


async def drop_pg(bench: str) -> None:
    if not keep():
        await admin(f'DROP DATABASE IF EXISTS "{pg_name(bench)}" WITH (FORCE)')


def report(figures: dict[str, Any]) -> None:
    """The child's figures for the parent (printed last, one line)."""
    print(RESULT + json.dumps(figures), flush=True)


def run_children(script: str, args: list[str]) -> list[dict[str, Any]]:
    """Run `script` once per engine, its output passed through as it comes; each child's
    figures (its RESULT line)."""
    engines = ["sqlite"] + (["postgresql"] if admin_url() else [])
    if not admin_url():
        print("PostgreSQL not measured: DATABASE_URL does not point at a server.", flush=True)
    results = []
    for engine in engines:
        env = {**os.environ, ENGINE_VAR: engine}
        command = [sys.executable, script, *args]  # this interpreter, this benchmark
        with subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True) as child:  # noqa: S603
            assert child.stdout is not None
            for line in child.stdout:
                if line.startswith(RESULT):
                    results.append({"engine": engine, **json.loads(line[len(RESULT) :])})
                else:
                    print(line, end="", flush=True)
        if child.returncode:
            raise SystemExit(f"{engine}: the benchmark failed (exit {child.returncode})")
    return results


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    if not sorted_values:
        return 0.0
    index = min(len(sorted_values) - 1, max(0, round(fraction * len(sorted_values) + 0.5) - 1))
    return sorted_values[index]
