"""The real migrations: applied from scratch on this session's engine, idempotent, complete."""

from __future__ import annotations

import asyncio
import os
import subprocess
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from piccolo.conf.apps import Finder

from klynge.audit import AuditEvent
from klynge.db import engine, is_postgres
from klynge.migrate import migrate
from klynge.orgs.tables import Municipality
from tests.conftest import BACKEND, TEST_DATABASE_URL

REPO = Path(__file__).resolve().parents[2]
KLYNGE = REPO / ".venv" / "bin" / "klynge"

EXPECTED_TABLES = {
    "account",
    "audit_event",
    "cluster",
    "cluster_membership",
    "funder",
    "job",
    "login_throttle",
    "membership_event",
    "municipality",
    "refresh_token",
    "research_group",
    "role_assignment",
    "service",
}


async def table_names() -> set[str]:
    if is_postgres():
        rows = await AuditEvent.raw(
            "SELECT table_name AS name FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
        )
    else:
        rows = await AuditEvent.raw("SELECT name FROM sqlite_master WHERE type = 'table'")
    return {r["name"] for r in rows}


async def index_names() -> set[str]:
    if is_postgres():
        rows = await AuditEvent.raw("SELECT indexname AS name FROM pg_indexes")
    else:
        rows = await AuditEvent.raw("SELECT name FROM sqlite_master WHERE type = 'index'")
    return {r["name"] for r in rows}


async def trigger_names() -> set[str]:
    if is_postgres():
        rows = await AuditEvent.raw("SELECT tgname AS name FROM pg_trigger WHERE NOT tgisinternal")
    else:
        rows = await AuditEvent.raw("SELECT name FROM sqlite_master WHERE type = 'trigger'")
    return {r["name"] for r in rows}


async def applied() -> list[str]:
    rows = await AuditEvent.raw("SELECT name FROM migration ORDER BY id")
    return [r["name"] for r in rows]


def test_session_engine_is_the_one_asked_for(db) -> None:
    assert is_postgres() == (BACKEND == "postgres")
    assert os.environ["DATABASE_URL"] == TEST_DATABASE_URL


async def test_every_table_exists(db) -> None:
    names = await table_names()
    assert names >= EXPECTED_TABLES
    assert "migration" in names  # piccolo's record of applied migrations
    # Every table class registered with piccolo has its table.
    registered = {t._meta.tablename for t in Finder().get_table_classes()}
    assert registered <= names
    assert registered >= EXPECTED_TABLES


async def test_engine_specific_objects_exist(db) -> None:
    assert "cluster_membership_one_open" in await index_names()
    triggers = await trigger_names()
    if is_postgres():
        assert "audit_event_append_only" in triggers
    else:
        assert {"audit_event_no_update", "audit_event_no_delete"} <= triggers


async def test_every_migration_file_is_recorded_as_applied(db) -> None:
    names = await applied()
    files = sorted(p.stem for p in (REPO / "migrations" / "platform").glob("*.py"))
    assert len(files) >= 2
    assert len(names) == len(set(names))
    assert len(names) >= len(files)


async def test_running_migrate_again_is_a_no_op(db) -> None:
    await Municipality.raw(
        "INSERT INTO municipality (number, name, county, language, valid_from, created_at) "
        "VALUES ('4601', 'Bergen', 'Vestland', 'neutral', '2024-01-01', CURRENT_TIMESTAMP)"
    )
    before_tables, before_applied = await table_names(), await applied()
    await migrate()
    await migrate()
    assert await applied() == before_applied
    assert await table_names() == before_tables
    assert await Municipality.count() == 1  # data untouched


def _cli_migrate(database_url: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("KLYNGE_")}
    environ["DATABASE_URL"] = database_url
    environ.pop("PICCOLO_CONF", None)
    return subprocess.run(
        [str(KLYNGE), "migrate"],
        env=environ,
        capture_output=True,
        text=True,
        timeout=180,
        cwd=REPO,
        check=False,
    )


@pytest.mark.database
async def test_fresh_database_from_scratch_twice(tmp_path: Path) -> None:
    """A brand-new database of the session's engine: `klynge migrate` builds it, and a second
    run changes nothing (the command a deployment runs on every start)."""
    if BACKEND == "postgres":
        import asyncpg

        name = f"klynge_fresh_{uuid.uuid4().hex[:8]}"
        admin = urlunsplit(urlsplit(TEST_DATABASE_URL)._replace(path="/postgres"))
        url = urlunsplit(urlsplit(TEST_DATABASE_URL)._replace(path=f"/{name}"))
        conn = await asyncpg.connect(admin)
        await conn.execute(f'CREATE DATABASE "{name}"')
        await conn.close()
    else:
        url = f"sqlite:///{tmp_path / 'fresh.sqlite'}"
    try:
        first = await asyncio.to_thread(_cli_migrate, url)
        assert first.returncode == 0, first.stderr
        second = await asyncio.to_thread(_cli_migrate, url)
        assert second.returncode == 0, second.stderr
        if BACKEND == "postgres":
            conn = await asyncpg.connect(url)
            try:
                rows = await conn.fetch(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
                )
                names = {r["table_name"] for r in rows}
                count = await conn.fetchval("SELECT count(*) FROM migration")
            finally:
                await conn.close()
        else:
            import sqlite3

            with sqlite3.connect(tmp_path / "fresh.sqlite") as conn:
                names = {
                    r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
                }
                count = conn.execute("SELECT count(*) FROM migration").fetchone()[0]
        assert names >= EXPECTED_TABLES
        assert count == len(await applied())
    finally:
        if BACKEND == "postgres":
            conn = await asyncpg.connect(admin)
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await conn.close()


async def test_engine_matches_settings(db) -> None:
    from piccolo.engine.postgres import PostgresEngine
    from piccolo.engine.sqlite import SQLiteEngine

    expected = PostgresEngine if BACKEND == "postgres" else SQLiteEngine
    assert isinstance(engine(), expected)
