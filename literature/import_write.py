"""An import's write step, in its one transaction: the spooled rows go in with ids handed out
here (COPY on PostgreSQL, executemany on SQLite), never an ORM object per row."""

from __future__ import annotations

import datetime as dt
from typing import Any

from klynge.db import engine, is_postgres
from klynge.scale.bulk import BulkWriter
from literature.import_plan import REFERENCE_COLUMNS, Plan
from literature.tables import DuplicateCandidate, Reference, ReferenceSource

_SOURCE_COLUMNS = (
    *("reference", "literature_import", "position", "raw", "record"),
    *("duplicate_tier", "duplicate_reason"),
)
_SEQUENCE = "pg_get_serial_sequence('literature_reference', 'id')"
_SEQUENCE = "pg_get_serial_sequence('literature_reference', 'id')"
_CANDIDATE_COLUMNS = ("cluster", "keeper", "duplicate", "score", "reason")
_REFERENCE_COLUMNS = (
    *("id", "cluster", *REFERENCE_COLUMNS, "evidence_corrected_by", "merged_into"),
    *("first_import", "created_at"),
)


async def _new_ids(count: int, ids: list[int]) -> None:
    """Append `count` fresh reference ids. PostgreSQL takes them from the table's sequence (safe
    beside other writers); SQLite counts on from the largest (the write transaction holds the
    database's only write lock, and the id is the rowid, which SQLite itself counts so)."""
    if not count:
        return
    if is_postgres():
        sql = f"SELECT nextval({_SEQUENCE}) AS id FROM generate_series(1, {int(count)})"  # noqa: S608
        rows = await engine().run_ddl(sql)
        ids.extend(int(r["id"]) for r in rows)
        return
    if ids:
        start = ids[-1] + 1
    else:
        rows = await engine().run_ddl('SELECT MAX("id") AS top FROM "literature_reference"')
        start = int((rows[0]["top"] if rows else None) or 0) + 1
    ids.extend(range(start, start + count))


async def write_plan(
    writer: BulkWriter,
    plan: Plan,
    *,
    cluster_id: int,
    import_id: int,
) -> None:
    """Write every spooled chunk inside the caller's transaction (`writer.part()`)."""
    ids: list[int] = []

    def name(ref: int) -> int:
        return ref if ref > 0 else ids[-ref - 1]

    now = dt.datetime.now(dt.UTC)
    for chunk in plan.chunks():
        first = len(ids)
        await _new_ids(len(chunk["references"]), ids)
        refs: list[tuple[Any, ...]] = [
            (ids[first + n], cluster_id, *row, None, None, import_id, now)
            for n, row in enumerate(chunk["references"])
        ]
        await writer.copy(
            Reference,
            _REFERENCE_COLUMNS,
            refs,
        )
        del refs
        await writer.copy(
            ReferenceSource,
            _SOURCE_COLUMNS,
            ((name(ref), import_id, *rest) for ref, *rest in chunk["sources"]),
        )
        await writer.copy(
            DuplicateCandidate,
            _CANDIDATE_COLUMNS,
            (
                (cluster_id, name(keeper), name(dup), score, reason)
                for keeper, dup, score, reason in chunk["candidates"]
            ),
        )
