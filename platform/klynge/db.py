"""Database engine from settings, and the one-transaction-per-use-case helper."""

from __future__ import annotations

import json
from typing import Any

from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType

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


def engine() -> Engine[Any]:
    from piccolo.utils.warnings import colored_warning  # noqa: F401  (piccolo import side effects)

    from klynge.piccolo_conf import DB

    return DB


def transaction() -> Any:
    """A write transaction. On SQLite it is IMMEDIATE so that two writers queue on the lock
    instead of failing when a deferred read lock is upgraded."""
    db = engine()
    if isinstance(db, SQLiteEngine):
        return db.transaction(transaction_type=TransactionType.immediate)
    return db.transaction()


def is_postgres() -> bool:
    return isinstance(engine(), PostgresEngine)


def json_value(value: Any, default: Any = None) -> Any:
    """A JSON/JSONB column's value as Python data: SQLite hands back the JSON text, asyncpg
    may too; None (or "") becomes `default`."""
    if isinstance(value, str | bytes | bytearray):
        value = json.loads(value) if value else None
    return default if value is None else value
