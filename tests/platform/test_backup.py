"""`klynge backup` / `klynge restore`: a round trip keeps every row of every table."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from klynge.cli import main
from klynge.jobs import runner
from klynge.jobs.tables import Job
from klynge.orgs.importing import JOB_NAME
from tests.conftest import BACKEND

PG_TABLES = "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'"
SQLITE_TABLES = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"


async def every_row() -> dict[str, list[str]]:
    """Every table's rows (sorted, as text): the database's whole content."""
    tables = await Job.raw(PG_TABLES if BACKEND == "postgres" else SQLITE_TABLES)
    content: dict[str, list[str]] = {}
    for table in sorted(t["name"] for t in tables):
        rows = await Job.raw(f'SELECT * FROM "{table}"')  # noqa: S608 (names from the catalogue)
        content[table] = sorted(repr(sorted(row.items())) for row in rows)
    return content


async def test_backup_and_restore_round_trip_keeps_every_row(app: Any, tmp_path: Path) -> None:
    from klynge.auth.tables import Account
    from klynge.orgs.tables import Municipality
    from tests.conftest import build_world

    await build_world(app)
    await runner._create(JOB_NAME, {"filename": "kept.xlsx"}, payload=b"\x00\x01binary")
    before = await every_row()
    assert sum(len(rows) for rows in before.values()) > 20
    file = tmp_path / "klynge.backup"
    assert main(["backup", str(file)]) == 0
    await Job.delete(force=True)
    await Municipality.update({Municipality.name: "Renamed"}, force=True)
    await Account.update({Account.name: "Changed"}, force=True)
    await runner._create(JOB_NAME, {"filename": "after-the-backup.xlsx"})
    assert await every_row() != before
    assert main(["restore", str(file)]) == 0
    assert await every_row() == before


async def test_restore_refuses_a_file_that_is_not_a_backup(
    db: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bogus = tmp_path / "not-a-backup"
    bogus.write_text("hello", encoding="utf-8")
    before = await every_row()
    assert main(["restore", str(bogus)]) == 1
    kind = (
        "a pg_dump custom-format backup"
        if BACKEND == "postgres"
        else ("a SQLite backup (DATABASE_URL is SQLite)")
    )
    assert capsys.readouterr().err == f"klynge: {bogus} is not {kind}\n"
    assert main(["restore", str(tmp_path / "missing")]) == 1
    assert await every_row() == before


def test_missing_pg_dump_is_one_clear_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    monkeypatch.setenv("PATH", str(tmp_path))  # no PostgreSQL tools here
    assert main(["backup", str(tmp_path / "x.dump")]) == 1
    assert capsys.readouterr().err == (
        "klynge: pg_dump not found: install the PostgreSQL client tools (e.g. apt-get install "
        "postgresql-client) matching the server's version\n"
    )
