"""The configured database engine and the one-transaction-per-use-case helper."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType
from piccolo.querystring import QueryString
from piccolo.table import Table


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


def _sql_value(value: Any) -> Any:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value


async def bulk_insert(
    table: type[Table], rows: Sequence[Mapping[str, Any]], *, returning_id: bool = False
) -> list[int]:
    """Insert many rows with multi-row INSERT statements (for imports of 100,000 records,
    where building a Piccolo object per row costs more than the database does). Every row
    must have the same keys (column names); JSON columns take lists/dicts. Returns the new
    ids in row order when `returning_id`. Runs in the caller's transaction."""
    if not rows:
        return []
    columns = list(rows[0])
    names = ", ".join(f'"{c}"' for c in columns)
    # Both engines cap bound parameters (SQLite 32,766, asyncpg 32,767).
    per_batch = max(1, min(1000, 30_000 // len(columns)))
    one = "(" + ", ".join("{}" for _ in columns) + ")"
    tablename = table._meta.tablename
    ids: list[int] = []
    for start in range(0, len(rows), per_batch):
        chunk = rows[start : start + per_batch]
        values = ", ".join(one for _ in chunk)
        sql = f'INSERT INTO "{tablename}" ({names}) VALUES {values}'  # noqa: S608 - names are ours
        if returning_id:
            sql += ' RETURNING "id"'
        args = [_sql_value(row[c]) for row in chunk for c in columns]
        # Not table.raw(): a column named "raw" shadows it on some tables.
        result = await table._meta.db.run_querystring(QueryString(sql, *args))
        if returning_id:
            ids.extend(int(r["id"]) for r in result)
    return ids
