"""Build a database engine from settings (used by klynge.piccolo_conf; imports no other
klynge module but settings, so the configuration has no cycle)."""

from __future__ import annotations

from typing import Any

from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine

from klynge.settings import DatabaseSettings


class KlyngeSQLiteEngine(SQLiteEngine):
    """SQLite tuned for a web app: write-ahead log (readers never block the writer) and
    synchronous=NORMAL (durable at checkpoints; a power cut loses at most the last commits)."""

    async def get_connection(self) -> Any:
        connection = await super().get_connection()
        await connection.execute("PRAGMA journal_mode = WAL")
        await connection.execute("PRAGMA synchronous = NORMAL")
        return connection


def make_engine(database: DatabaseSettings) -> Engine[Any]:
    if database.engine == "sqlite":
        assert database.sqlite_path is not None
        database.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        # A generous busy timeout: in-process jobs and requests write the same file.
        return KlyngeSQLiteEngine(path=str(database.sqlite_path), timeout=30)
    return PostgresEngine(config={"dsn": database.url})
