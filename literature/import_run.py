"""Running one import: parse the file, deduplicate against the cluster's references, write all
in one transaction and report (the job's work; the use cases are in literature.imports)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Mapping
from pathlib import PurePath
from typing import Any

from klynge import audit
from klynge.auth.service import load_principal
from klynge.db import json_value
from klynge.errors import Conflict, NotFound, translate
from klynge.i18n import N_
from klynge.scale.bulk import BulkWriter
from literature import schemas as s
from literature.classify import SUMMARISED, classify
from literature.dedup import Deduplicator, DedupRecord
from literature.formats import FormatError, ParseResult, Record
from literature.import_plan import plan_import, read_file, record_json
from literature.import_write import write_plan
from literature.tables import (
    CheckSearch,
    DuplicateCandidate,
    LiteratureImport,
    Reference,
)

__all__ = ["BATCH", "parse_file", "record_json", "reference_values", "report_dict", "run_import"]

BATCH = 500

Progress = Callable[[int, str], Awaitable[None]]

# The job's progress, in the language of whoever started the import.
READING = N_("Reading the file")
DEDUPLICATING = N_("%(num)s references read; looking for duplicates")
SAVING = N_("Saving %(num)s new references")
NONE_FOUND = N_("Found no references in the file. Is the format right?")


def parse_file(data: bytes, fmt: s.ImportFormat, filename: str) -> ParseResult:
    """Bytes to records with the format's parser; FormatError when the file is not that format.
    A record with a national ID number is reported as broken and left out (privacy guard)."""
    from literature.formats.personal import without_personal_data

    return without_personal_data(_parse(data, fmt, filename))


def _parse(data: bytes, fmt: s.ImportFormat, filename: str) -> ParseResult:
    from literature.formats import bibtex, csljson, medline, ris, table

    if fmt is s.ImportFormat.RIS:
        return ris.parse(data)
    if fmt is s.ImportFormat.BIBTEX:
        return bibtex.parse(data)
    if fmt is s.ImportFormat.MEDLINE:
        return medline.parse(data)
    if fmt is s.ImportFormat.CSLJSON:
        return csljson.parse(data)
    suffix = ".xlsx" if fmt is s.ImportFormat.XLSX else ".csv"
    name = filename if PurePath(filename).suffix.lower() == suffix else f"import{suffix}"
    return table.parse(data, name)


def reference_values(cluster_id: int, record: Record, import_id: int | None) -> dict[str, Any]:
    """Column values of a new Reference for a parsed record (classified on the way in)."""
    found = classify(record.title, record.abstract, record.publication_types, record.keywords)
    return {
        "cluster": cluster_id,
        "title": record.title,
        "abstract": record.abstract,
        "authors": [[a.family, a.given] for a in record.authors],
        "year": record.year,
        "container": record.container,
        "volume": record.volume[:40],
        "issue": record.issue[:40],
        "pages": record.pages[:40],
        "doi": record.doi[:255],
        "pmid": record.pmid[:20],
        "publication_types": list(record.publication_types),
        "keywords": list(record.keywords),
        "keywords_text": "; ".join(record.keywords),
        "language": record.language[:20],
        "url": record.url,
        "evidence_type": found.type.value,
        "evidence_auto": found.type.value,
        "evidence_reason": found.reason,
        "evidence_corrected_by": None,
        "summarised": found.type in SUMMARISED,
        "merged_into": None,
        "first_import": import_id,
        "created_at": dt.datetime.now(dt.UTC),
    }


def _authors(value: Any) -> tuple[tuple[str, str], ...]:
    out = []
    for item in json_value(value, []):
        if isinstance(item, list | tuple) and len(item) == 2:
            out.append((str(item[0]), str(item[1])))
    return tuple(out)


def _dedup_records(rows: list[dict[str, Any]]) -> list[DedupRecord]:
    return [
        DedupRecord(
            key=r["id"],
            title=r["title"],
            authors=_authors(r["authors"]),
            year=r["year"],
            doi=r["doi"],
            pmid=r["pmid"],
            container=r["container"],
        )
        for r in rows
    ]


_DEDUP_COLUMNS = (
    *(Reference.id, Reference.title, Reference.authors, Reference.year, Reference.doi),
    *(Reference.pmid, Reference.container),
)
PAGE = 10_000  # stored references read at a time into the dedup index


async def _not_duplicates(cluster_id: int) -> set[frozenset[int]]:
    pairs = await DuplicateCandidate.select(
        DuplicateCandidate.keeper, DuplicateCandidate.duplicate
    ).where(DuplicateCandidate.cluster == cluster_id, DuplicateCandidate.status == "not_duplicate")
    return {frozenset((p["keeper"], p["duplicate"])) for p in pairs}


async def stored_for_dedup(cluster_id: int) -> tuple[list[DedupRecord], set[frozenset[int]]]:
    """The cluster's visible references as dedup input (in id order), and its "not a
    duplicate" pairs."""
    rows = (
        await Reference.select(*_DEDUP_COLUMNS)
        .where(Reference.cluster == cluster_id, Reference.merged_into.is_null())
        .order_by(Reference.id)
    )
    return _dedup_records(rows), await _not_duplicates(cluster_id)


async def dedup_index(cluster_id: int) -> Deduplicator:
    """The cluster's visible references in a Deduplicator, read a page at a time (in id order,
    as stored_for_dedup gives them): 100,000 rows are never held at once beside the index."""
    dedup = Deduplicator((), await _not_duplicates(cluster_id))
    last = 0
    while True:
        rows = (
            await Reference.select(*_DEDUP_COLUMNS)
            .where(
                Reference.cluster == cluster_id,
                Reference.merged_into.is_null(),
                Reference.id > last,
            )
            .order_by(Reference.id)
            .limit(PAGE)
        )
        dedup.add_existing(_dedup_records(rows))
        if len(rows) < PAGE:
            return dedup
        last = rows[-1]["id"]


async def _noop(_percent: int, _message: str) -> None:
    return None


async def _queued(import_id: int) -> dict[str, Any]:
    """The import to run; refused when it is not waiting to run."""
    row = await LiteratureImport.select().where(LiteratureImport.id == import_id).first()
    if row is None:
        raise NotFound(N_("We could not find the import."))
    if row["status"] not in ("queued", "running"):
        raise Conflict(
            N_("The import has status «%(status)s» and is not run again."),
            params={"status": row["status"]},
        )
    return row


async def _finish(row: Mapping[str, Any], report: s.ImportReport, problems: list[Any]) -> None:
    """Mark the import done with its report, count a check's search hits, audit."""
    import_id, cluster_id = row["id"], row["cluster"]
    await LiteratureImport.update(
        {
            LiteratureImport.status: "done",
            LiteratureImport.read: report.read,
            LiteratureImport.imported: report.imported,
            LiteratureImport.duplicates: report.duplicates,
            LiteratureImport.possible_duplicates: report.possible_duplicates,
            LiteratureImport.problems: problems,
        }
    ).where(LiteratureImport.id == import_id)
    if row["check"] is not None:
        await CheckSearch.update({CheckSearch.hits: report.read}).where(
            CheckSearch.literature_import == import_id
        )
    await audit.record(
        await load_principal(row["created_by"]) if row["created_by"] else None,
        "literature.import",
        "literature_import",
        import_id,
        cluster_id=cluster_id,
        after={k: v for k, v in report_dict(report).items() if k != "problems"},
    )


async def run_import(import_id: int, data: bytes, *, progress: Progress = _noop) -> s.ImportReport:
    """Parse and store one queued import. All or nothing: a bad file raises FormatError (the
    caller marks the import failed) and writes no reference. The file is read as a stream and
    planned before the write transaction (literature.import_plan), which then writes in bulk."""
    row = await _queued(import_id)
    await progress(5, translate(READING))
    cluster_id = row["cluster"]
    dedup = await dedup_index(cluster_id)

    async def planned(read: int) -> None:
        await progress(30, translate(DEDUPLICATING, {"num": read}))

    items = read_file(data, s.ImportFormat(row["format"]), row["filename"])
    plan = await plan_import(items, dedup, planned)
    del dedup
    with plan.spool:
        if plan.read == 0 or (not plan.kept and not plan.problems):
            raise FormatError(NONE_FOUND)
        await progress(50, translate(SAVING, {"num": plan.new}))
        writer = BulkWriter(dt.datetime.now(dt.UTC))
        async with writer.part():
            # Claim: a re-run of the same job finds the import no longer queued/running.
            claimed = (
                await LiteratureImport.update({LiteratureImport.status: "writing"})
                .where(
                    LiteratureImport.id == import_id,
                    LiteratureImport.status.is_in(["queued", "running"]),
                )
                .returning(LiteratureImport.id)
            )
            if not claimed:
                raise Conflict(N_("The import is already running."))
            await write_plan(writer, plan, cluster_id=cluster_id, import_id=import_id)
            problems = [{"record": p.record, "reason": p.reason} for p in plan.problems]
            report = s.ImportReport(
                read=plan.read,
                imported=plan.new,
                duplicates=plan.duplicates,
                possible_duplicates=plan.possible,
                problems=[s.ImportProblem(**p) for p in problems],
                duplicates_by_tier=plan.by_tier,
            )
            await _finish(row, report, problems)
    return report


def report_dict(report: s.ImportReport) -> dict[str, Any]:
    return {
        "read": report.read,
        "imported": report.imported,
        "duplicates": report.duplicates,
        "possible_duplicates": report.possible_duplicates,
        "problems": [{"record": p.record, "reason": p.reason} for p in report.problems],
    }
