"""Running one import: parse the file, deduplicate against the cluster's references, write all
in one transaction and report (the job's work; the use cases are in literature.imports)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Mapping, Sequence
from pathlib import PurePath
from typing import Any

from klynge import audit
from klynge.auth.service import load_principal
from klynge.db import bulk_insert, json_value, transaction
from klynge.errors import Conflict, NotFound, translate
from klynge.i18n import N_
from literature import schemas as s
from literature.classify import SUMMARISED, classify
from literature.dedup import DedupRecord, find_duplicates
from literature.formats import FormatError, ParseResult, Record
from literature.tables import (
    CheckSearch,
    DuplicateCandidate,
    LiteratureImport,
    Reference,
    ReferenceSource,
)

BATCH = 500
CHUNK = 2000  # rows built and inserted at a time

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


_RECORD_FIELDS = tuple(f for f in Record.__dataclass_fields__ if f not in ("raw", "authors"))


def record_json(record: Record) -> dict[str, Any]:
    """The normalised record as JSON (without the raw text, which is stored beside it)."""
    data: dict[str, Any] = {name: getattr(record, name) for name in _RECORD_FIELDS}
    data["publication_types"] = list(record.publication_types)
    data["keywords"] = list(record.keywords)
    data["authors"] = [[a.family, a.given] for a in record.authors]
    return data


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


async def stored_for_dedup(cluster_id: int) -> tuple[list[DedupRecord], set[frozenset[int]]]:
    """The cluster's visible references as dedup input, and its "not a duplicate" pairs."""
    rows = await Reference.select(
        Reference.id,
        Reference.title,
        Reference.authors,
        Reference.year,
        Reference.doi,
        Reference.pmid,
        Reference.container,
    ).where(Reference.cluster == cluster_id, Reference.merged_into.is_null())
    stored = [
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
    pairs = await DuplicateCandidate.select(
        DuplicateCandidate.keeper, DuplicateCandidate.duplicate
    ).where(DuplicateCandidate.cluster == cluster_id, DuplicateCandidate.status == "not_duplicate")
    return stored, {frozenset((p["keeper"], p["duplicate"])) for p in pairs}


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


async def _duplicates(cluster_id: int, records: Sequence[Record]) -> Any:
    """Duplicates of the file's records among themselves and the cluster's references."""
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
    found = find_duplicates(new, stored, not_duplicates=not_duplicates)
    return found


async def _write_sources(
    import_id: int, records: Sequence[Record], exact: Mapping[int, Any], new_ids: Mapping[int, int]
) -> dict[str, int]:
    """One provenance row per record of the file; the duplicates found per tier."""
    by_tier = {"1": 0, "2": 0}
    sources: list[dict[str, Any]] = []
    for i, record in enumerate(records):
        key = -(i + 1)
        match = exact.get(key)
        if match is None:
            ref_id = new_ids[key]
            tier = None
            reason = ""
        else:
            ref_id = _resolve(match.duplicate_of, exact, new_ids)
            tier = match.tier
            reason = match.reason
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
        if len(sources) >= CHUNK:  # bounded memory for 100,000-record files
            await bulk_insert(ReferenceSource, sources)
            sources = []
    await bulk_insert(ReferenceSource, sources)
    return by_tier


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
    caller marks the import failed) and writes no reference."""
    row = await _queued(import_id)
    await progress(5, translate(READING))
    parsed = parse_file(data, s.ImportFormat(row["format"]), row["filename"])
    if parsed.read == 0 or (not parsed.records and parsed.problems == []):
        raise FormatError(NONE_FOUND)
    cluster_id = row["cluster"]
    await progress(30, translate(DEDUPLICATING, {"num": len(parsed.records)}))
    found = await _duplicates(cluster_id, parsed.records)
    exact = {m.key: m for m in found.exact}
    possible = {m.key: m for m in found.possible}
    await progress(50, translate(SAVING, {"num": len(parsed.records) - len(exact)}))
    async with transaction():
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


def report_dict(report: s.ImportReport) -> dict[str, Any]:
    return {
        "read": report.read,
        "imported": report.imported,
        "duplicates": report.duplicates,
        "possible_duplicates": report.possible_duplicates,
        "problems": [{"record": p.record, "reason": p.reason} for p in report.problems],
    }


def _resolve(key: int, exact: Mapping[int, Any], new_ids: Mapping[int, int]) -> int:
    """A dedup key to a stored reference id (a new record's keeper may itself be new)."""
    while key < 0 and key in exact:
        key = exact[key].duplicate_of
    return new_ids[key] if key < 0 else key


async def _insert_new(
    cluster_id: int, import_id: int, records: Sequence[Record], exact: Mapping[int, Any]
) -> dict[int, int]:
    keys = [-(i + 1) for i in range(len(records)) if -(i + 1) not in exact]
    ids: dict[int, int] = {}
    for start in range(0, len(keys), CHUNK):  # bounded memory for 100,000-record files
        chunk = keys[start : start + CHUNK]
        inserted = await bulk_insert(
            Reference,
            [reference_values(cluster_id, records[-k - 1], import_id) for k in chunk],
            returning_id=True,
        )
        ids.update(zip(chunk, inserted, strict=True))
    return ids
