"""The import as it was before issue 17's import work (commit 48dfa43), kept as the benchmark's
baseline: the whole file parsed into records, the privacy guard over the parse result, every
record deduplicated in one call, then multi-row INSERTs of dicts (references with RETURNING,
then their sources). It calls today's parser, guard, dedup and classifier, which got faster in
the same work, so the ratio understates the gain; the README gives the figures of the old code.
Not used by the app; bench/bench_import.py times it beside literature.import_run."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from klynge.db import bulk_insert, transaction
from klynge.errors import Conflict
from literature import schemas as s
from literature.dedup import DedupRecord, find_duplicates
from literature.formats import FormatError, Record
from literature.import_run import (
    NONE_FOUND,
    _finish,
    _queued,
    parse_file,
    record_json,
    reference_values,
    stored_for_dedup,
)
from literature.tables import DuplicateCandidate, LiteratureImport, Reference, ReferenceSource

__all__ = ["run_import"]

BATCH = 500
CHUNK = 2000


async def _duplicates(cluster_id: int, records: Sequence[Record]) -> Any:
    stored, not_duplicates = await stored_for_dedup(cluster_id)
    new = [
        DedupRecord(
            key=-(i + 1),
            title=r.title,
            authors=tuple((a.family, a.given) for a in r.authors),
            year=r.year,
            doi=r.doi,
            pmid=r.pmid,
            container=r.container,
        )
        for i, r in enumerate(records)
    ]
    return find_duplicates(new, stored, not_duplicates=not_duplicates)


async def _write_sources(
    import_id: int, records: Sequence[Record], exact: Mapping[int, Any], new_ids: Mapping[int, int]
) -> dict[str, int]:
    by_tier = {"1": 0, "2": 0}
    sources: list[dict[str, Any]] = []
    for i, record in enumerate(records):
        key = -(i + 1)
        match = exact.get(key)
        if match is None:
            ref_id, tier, reason = new_ids[key], None, ""
        else:
            ref_id = _resolve(match.duplicate_of, exact, new_ids)
            tier, reason = match.tier, match.reason
            by_tier[str(tier)] += 1
        sources.append(
            {
                "reference": ref_id,
                "literature_import": import_id,
                "position": i + 1,
                "raw": record.raw,
                "record": record_json(record),
                "duplicate_tier": tier,
                "duplicate_reason": reason,
            }
        )
        if len(sources) >= CHUNK:
            await bulk_insert(ReferenceSource, sources)
            sources = []
    await bulk_insert(ReferenceSource, sources)
    return by_tier


def _resolve(key: int, exact: Mapping[int, Any], new_ids: Mapping[int, int]) -> int:
    while key < 0 and key in exact:
        key = exact[key].duplicate_of
    return new_ids[key] if key < 0 else key


async def _insert_new(
    cluster_id: int, import_id: int, records: Sequence[Record], exact: Mapping[int, Any]
) -> dict[int, int]:
    keys = [-(i + 1) for i in range(len(records)) if -(i + 1) not in exact]
    ids: dict[int, int] = {}
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start : start + CHUNK]
        inserted = await bulk_insert(
            Reference,
            [reference_values(cluster_id, records[-k - 1], import_id) for k in chunk],
            returning_id=True,
        )
        ids.update(zip(chunk, inserted, strict=True))
    return ids


async def run_import(import_id: int, data: bytes) -> s.ImportReport:
    row = await _queued(import_id)
    parsed = parse_file(data, s.ImportFormat(row["format"]), row["filename"])
    if parsed.read == 0 or (not parsed.records and parsed.problems == []):
        raise FormatError(NONE_FOUND)
    cluster_id = row["cluster"]
    found = await _duplicates(cluster_id, parsed.records)
    exact = {m.key: m for m in found.exact}
    possible = {m.key: m for m in found.possible}
    async with transaction():
        claimed = (
            await LiteratureImport.update({LiteratureImport.status: "writing"})
            .where(
                LiteratureImport.id == import_id,
                LiteratureImport.status.is_in(["queued", "running"]),
            )
            .returning(LiteratureImport.id)
        )
        if not claimed:
            raise Conflict("The import is already running.")
        new_ids = await _insert_new(cluster_id, import_id, parsed.records, exact)
        by_tier = await _write_sources(import_id, parsed.records, exact, new_ids)
        candidates = [
            DuplicateCandidate(
                cluster=cluster_id,
                keeper=_resolve(m.duplicate_of, exact, new_ids),
                duplicate=new_ids[m.key],
                score=m.score,
                reason=m.reason,
            )
            for m in possible.values()
        ]
        for start in range(0, len(candidates), BATCH):
            await DuplicateCandidate.insert(*candidates[start : start + BATCH])
        problems = [{"record": p.record, "reason": p.reason} for p in parsed.problems]
        report = s.ImportReport(
            read=parsed.read,
            imported=len(new_ids),
            duplicates=len(exact),
            possible_duplicates=len(candidates),
            problems=[s.ImportProblem(**p) for p in problems],
            duplicates_by_tier=by_tier,
        )
        await _finish(row, report, problems)
    return report
