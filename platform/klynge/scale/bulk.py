"""Bulk writing for the national-scale demo: ids handed out in Python (so rows can point at each
other without reading anything back), rows streamed in chunks, COPY on PostgreSQL and
executemany on SQLite, inside the caller's transaction. Never an ORM object per row."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import islice
from typing import Any

from piccolo.columns import JSON, JSONB, Column
from piccolo.columns.defaults.base import Default
from piccolo.table import Table

from klynge.db import engine, is_postgres, transaction

CHUNK = 5_000  # rows per COPY / executemany call: bounded memory, few round trips


def _chunks(rows: Iterable[Sequence[Any]], size: int) -> Iterator[list[Sequence[Any]]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _default(column: Column, now: dt.datetime) -> Any:
    """The value Piccolo would have written for a column left out (its Python default)."""
    default = getattr(column, "default", None)
    if isinstance(default, Default):
        value = default.python()
        if isinstance(value, dt.datetime):  # every "now" of the load is the same instant
            return now
        return value
    if callable(default):
        return default()
    return default


class BulkWriter:
    """Writes whole tables' worth of rows. Use `async with writer.part(name):` around each step
    (one transaction each); `ids(table, n)` reserves n primary keys; `copy` writes rows."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now
        self.postgres = is_postgres()
        self.counts: dict[str, int] = {}
        self._next_id: dict[str, int] = {}
        self._connection: Any = None

    # -- transactions ---------------------------------------------------------------------
    def part(self) -> _Part:
        return _Part(self)

    @property
    def connection(self) -> Any:
        if self._connection is None:
            raise RuntimeError("BulkWriter used outside `async with writer.part()`")
        return self._connection

    # -- ids ------------------------------------------------------------------------------
    async def ids(self, table: type[Table], count: int) -> range:
        """`count` fresh primary keys for `table` (after every id in the table now)."""
        name = table._meta.tablename
        if name not in self._next_id:
            rows = await engine().run_ddl(f'SELECT MAX("id") AS top FROM "{name}"')  # noqa: S608
            self._next_id[name] = int((rows[0]["top"] if rows else None) or 0) + 1
        start = self._next_id[name]
        self._next_id[name] = start + count
        return range(start, start + count)

    async def fix_sequences(self) -> None:
        """PostgreSQL: move each serial past the ids written here (SQLite needs nothing)."""
        if not self.postgres:
            return
        for name, next_id in self._next_id.items():
            await engine().run_ddl(
                f"SELECT setval(pg_get_serial_sequence('\"{name}\"', 'id'), {next_id - 1})"
            )

    # -- rows -----------------------------------------------------------------------------
    def _layout(
        self, table: type[Table], columns: Sequence[str]
    ) -> tuple[list[str], list[Any], list[bool]]:
        """All columns written (given ones first, then the rest with their defaults), the
        default values, and which given columns are JSON (serialised here)."""
        by_name = {c._meta.db_column_name: c for c in table._meta.columns}
        unknown = [c for c in columns if c not in by_name]
        if unknown:
            raise KeyError(f"{table._meta.tablename} has no column {unknown}")
        rest = [n for n, c in by_name.items() if n not in columns and not c._meta.primary_key]
        defaults = []
        for name in rest:
            value = _default(by_name[name], self.now)
            if isinstance(by_name[name], JSON | JSONB) and not isinstance(value, str | None):
                value = json.dumps(value)
            defaults.append(value)
        is_json = [isinstance(by_name[c], JSON | JSONB) for c in columns]
        return [*columns, *rest], defaults, is_json

    async def copy(
        self, table: type[Table], columns: Sequence[str], rows: Iterable[Sequence[Any]]
    ) -> int:
        """Write rows (tuples in the order of `columns`; JSON columns take Python data).
        Columns left out get their table default. Returns the number of rows written."""
        names, defaults, is_json = self._layout(table, columns)
        tablename = table._meta.tablename
        written = 0
        for chunk in _chunks(rows, CHUNK):
            records = [
                (
                    *(
                        json.dumps(v, ensure_ascii=False) if j and not isinstance(v, str) else v
                        for v, j in zip(row, is_json, strict=True)
                    ),
                    *defaults,
                )
                for row in chunk
            ]
            await self._write(tablename, names, records)
            written += len(records)
        self.counts[tablename] = self.counts.get(tablename, 0) + written
        return written

    async def add(
        self, table: type[Table], columns: Sequence[str], rows: Sequence[Sequence[Any]]
    ) -> range:
        """Write rows that take new ids (reserved here, in row order); returns those ids."""
        ids = await self.ids(table, len(rows))
        await self.copy(table, ("id", *columns), ((i, *r) for i, r in zip(ids, rows, strict=True)))
        return ids

    async def _write(
        self, tablename: str, names: list[str], records: list[tuple[Any, ...]]
    ) -> None:
        if self.postgres:
            await self.connection.copy_records_to_table(tablename, records=records, columns=names)
            return
        quoted = ", ".join(f'"{n}"' for n in names)
        marks = ", ".join("?" for _ in names)
        sql = f'INSERT INTO "{tablename}" ({quoted}) VALUES ({marks})'  # noqa: S608 - our names
        await self.connection.executemany(sql, records)

    async def update(
        self, table: type[Table], columns: Sequence[str], rows: Iterable[Sequence[Any]]
    ) -> int:
        """Set `columns` of the rows whose id is the last value of each tuple (executemany)."""
        sets = ", ".join(
            f'"{c}" = ${i}' if self.postgres else f'"{c}" = ?' for i, c in enumerate(columns, 1)
        )
        key = f"${len(columns) + 1}" if self.postgres else "?"
        sql = f'UPDATE "{table._meta.tablename}" SET {sets} WHERE "id" = {key}'  # noqa: S608
        done = 0
        for chunk in _chunks(rows, CHUNK):
            await self.connection.executemany(sql, chunk)
            done += len(chunk)
        return done


class _Part:
    """One transaction of the load, with the raw connection of the engine at hand."""

    def __init__(self, writer: BulkWriter) -> None:
        self.writer = writer
        self._transaction: Any = None

    async def __aenter__(self) -> BulkWriter:
        self._transaction = transaction()
        entered = await self._transaction.__aenter__()
        self.writer._connection = entered.connection
        return self.writer

    async def __aexit__(self, *exc: Any) -> None:
        self.writer._connection = None
        await self._transaction.__aexit__(*exc)


def by_key(rows: Iterable[Mapping[str, Any]], key: str) -> dict[Any, list[Mapping[str, Any]]]:
    """Group rows by one of their values (a small helper the app generators share)."""
    grouped: dict[Any, list[Mapping[str, Any]]] = {}
    for row in rows:
        grouped.setdefault(row[key], []).append(row)
    return grouped
