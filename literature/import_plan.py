"""An import's first step, before its write transaction: read the file as a stream, guard,
deduplicate and classify each record, and spool the rows to write to a temporary file (so a
file of 100,000 records is never held in memory as records). Pure code but for the spool."""

from __future__ import annotations

import json
import marshal
import tempfile
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import IO, Any

from literature import schemas as s
from literature.classify import SUMMARISED, classify
from literature.dedup import Deduplicator, DedupRecord, Match
from literature.formats import Problem, Record
from literature.formats.personal import numbered, personal_data_problem

CHUNK = 2000  # records planned, spooled and written at a time
PROGRESS_EVERY = 10_000  # records between two progress reports

Progress = Callable[[int], Awaitable[None]]

# The JSON of a source's record: the Record's fields but the raw text and authors, in order.
_RECORD_FIELDS = tuple(f for f in Record.__dataclass_fields__ if f not in ("raw", "authors"))


def read_file(data: bytes, fmt: s.ImportFormat, filename: str) -> Iterator[tuple[int, Any]]:
    """Each record or problem of the file with its number; RIS is read as a stream."""
    from literature.formats import bibtex, csljson, medline, ris, table

    if fmt is s.ImportFormat.RIS:
        return ris.read(data)
    if fmt is s.ImportFormat.BIBTEX:
        result = bibtex.parse(data)
    elif fmt is s.ImportFormat.MEDLINE:
        result = medline.parse(data)
    elif fmt is s.ImportFormat.CSLJSON:
        result = csljson.parse(data)
    else:
        suffix = ".xlsx" if fmt is s.ImportFormat.XLSX else ".csv"
        name = filename if PurePath(filename).suffix.lower() == suffix else f"import{suffix}"
        result = table.parse(data, name)
    return _then_read(numbered(result), result.read)


def _then_read(items: Iterator[tuple[int, Any]], read: int) -> Iterator[tuple[int, Any]]:
    yield from items
    yield read, None  # the parser's count of records read: neither a record nor a problem


def record_json(record: Record) -> dict[str, Any]:
    """The normalised record as JSON (without the raw text, which is stored beside it)."""
    data: dict[str, Any] = {name: getattr(record, name) for name in _RECORD_FIELDS}
    data["publication_types"] = list(record.publication_types)
    data["keywords"] = list(record.keywords)
    data["authors"] = [[a.family, a.given] for a in record.authors]
    return data


# One encoder: json.dumps with an option builds a new one on every call.
_dumps = json.JSONEncoder(ensure_ascii=False).encode


def reference_row(record: Record) -> tuple[Any, ...]:
    """A new reference's values in the order of `REFERENCE_COLUMNS` (classified here)."""
    found = classify(record.title, record.abstract, record.publication_types, record.keywords)
    return (
        record.title,
        record.abstract,
        _dumps([[a.family, a.given] for a in record.authors]),
        record.year,
        record.container,
        record.volume[:40],
        record.issue[:40],
        record.pages[:40],
        record.doi[:255],
        record.pmid[:20],
        _dumps(list(record.publication_types)),
        _dumps(list(record.keywords)),
        "; ".join(record.keywords),
        record.language[:20],
        record.url,
        found.type.value,
        found.type.value,
        found.reason,
        found.type in SUMMARISED,
    )


REFERENCE_COLUMNS = (
    *("title", "abstract", "authors", "year", "container", "volume", "issue", "pages"),
    *("doi", "pmid", "publication_types", "keywords", "keywords_text", "language", "url"),
    *("evidence_type", "evidence_auto", "evidence_reason", "summarised"),
)


@dataclass
class Plan:
    """What the file gave: counts, problems, and the spool of chunks of rows. A reference is
    named by its id when stored, by -(n + 1) when it is the import's n-th new one."""

    spool: IO[bytes]
    read: int = 0
    new: int = 0
    duplicates: int = 0
    possible: int = 0
    by_tier: dict[str, int] = field(default_factory=lambda: {"1": 0, "2": 0})
    problems: list[Problem] = field(default_factory=list)
    kept: int = 0  # records that passed the privacy guard
    chunk_count: int = 0

    def chunks(self) -> Iterator[dict[str, list[tuple[Any, ...]]]]:
        """The spooled chunks, in order: "references", "sources" and "candidates" rows."""
        self.spool.seek(0)
        for _ in range(self.chunk_count):
            yield marshal.load(self.spool)  # noqa: S302 - our own temporary file, just written


class _Planner:
    def __init__(self, dedup: Deduplicator, plan: Plan) -> None:
        self.dedup = dedup
        self.plan = plan
        self.slots: dict[int, int] = {}  # dedup key of a new record -> its reference name
        self.chunk: dict[str, list[tuple[Any, ...]]] = _empty()

    def target(self, key: int) -> int:
        return key if key > 0 else self.slots[key]

    def add(self, number: int, record: Record) -> None:
        plan = self.plan
        problem = personal_data_problem(number, record)
        if problem is not None:
            plan.problems.append(problem)
            return
        key = -(plan.kept + 1)
        plan.kept += 1
        match = self.dedup.check(_dedup_record(key, record))
        if match is not None and match.tier < 3:
            plan.duplicates += 1
            plan.by_tier[str(match.tier)] += 1
            self._source(record, self.target(match.duplicate_of), match)
            return
        plan.new += 1
        self.slots[key] = -plan.new
        self.chunk["references"].append(reference_row(record))
        self._source(record, -plan.new, None)
        if match is not None:
            plan.possible += 1
            candidate = (self.target(match.duplicate_of), -plan.new, match.score, match.reason)
            self.chunk["candidates"].append(candidate)

    def _source(self, record: Record, reference: int, match: Match | None) -> None:
        self.chunk["sources"].append(
            (
                reference,
                self.plan.kept,
                record.raw,
                _dumps(record_json(record)),
                match.tier if match else None,
                match.reason if match else "",
            )
        )

    def flush(self) -> None:
        if self.chunk["sources"] or self.chunk["references"]:
            marshal.dump(self.chunk, self.plan.spool)
            self.plan.chunk_count += 1
        self.chunk = _empty()


def _empty() -> dict[str, list[tuple[Any, ...]]]:
    return {"references": [], "sources": [], "candidates": []}


def _dedup_record(key: int, r: Record) -> DedupRecord:
    authors = tuple((a.family, a.given) for a in r.authors)
    return DedupRecord(key, r.title, authors, r.year, r.doi, r.pmid, r.container)


async def plan_import(
    items: Iterator[tuple[int, Any]], dedup: Deduplicator, progress: Progress
) -> Plan:
    """Read every item, spool what to write; `progress(records read)` now and then. The
    caller closes `plan.spool`."""
    plan = Plan(spool=tempfile.TemporaryFile(prefix="klynge-import-"))  # noqa: SIM115
    planner = _Planner(dedup, plan)
    try:
        for number, item in items:
            plan.read = number  # ascending; a whole parse's count comes last
            if isinstance(item, Record):
                planner.add(number, item)
                if len(planner.chunk["sources"]) >= CHUNK:
                    planner.flush()
            elif item is not None:
                plan.problems.append(item)
            if number % PROGRESS_EVERY == 0:
                await progress(plan.read)
        planner.flush()
    except BaseException:
        plan.spool.close()
        raise
    plan.problems.sort(key=lambda p: p.record)
    return plan
