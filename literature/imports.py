"""Importing reference files: parse, deduplicate against the cluster's references, write all in
one transaction, report; and undo an import until screening has used its records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Mapping, Sequence
from pathlib import PurePath
from typing import Any

from klynge import audit
from klynge.auth.principal import Principal
from klynge.auth.service import load_principal
from klynge.db import bulk_insert, json_value, transaction
from klynge.errors import Conflict, DomainError, FieldError, Forbidden, Invalid, NotFound
from klynge.jobs import runner
from klynge.jobs.tables import Job
from klynge.scoping import can_manage_cluster, cluster_filter, ensure_cluster_visible
from literature import schemas as s
from literature.classify import SUMMARISED, classify
from literature.dedup import DedupRecord, find_duplicates
from literature.formats import FormatError, ParseResult, Record
from literature.tables import (
    CheckSearch,
    DuplicateCandidate,
    LiteratureCheck,
    LiteratureImport,
    Reference,
    ReferenceSource,
    ScreeningDecision,
)

IMPORT_REFERENCES = "literature.import_references"
BATCH = 500
CHUNK = 2000  # rows built and inserted at a time

# File name endings accepted per format (the API refuses an upload that does not fit).
EXTENSIONS: dict[s.ImportFormat, tuple[str, ...]] = {
    s.ImportFormat.RIS: (".ris", ".txt", ".enw"),
    s.ImportFormat.BIBTEX: (".bib", ".bibtex", ".txt"),
    s.ImportFormat.MEDLINE: (".nbib", ".txt", ".medline"),
    s.ImportFormat.CSLJSON: (".json", ".csljson"),
    s.ImportFormat.XLSX: (".xlsx",),
    s.ImportFormat.CSV: (".csv", ".txt", ".tsv"),
}

Progress = Callable[[int, str], Awaitable[None]]


def parse_file(data: bytes, fmt: s.ImportFormat, filename: str) -> ParseResult:
    """Bytes to records with the format's parser; FormatError when the file is not that format."""
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


async def run_import(import_id: int, data: bytes, *, progress: Progress = _noop) -> s.ImportReport:
    """Parse and store one queued import. All or nothing: a bad file raises FormatError (the
    caller marks the import failed) and writes no reference."""
    row = await LiteratureImport.select().where(LiteratureImport.id == import_id).first()
    if row is None:
        raise NotFound("Fant ikke importen.")
    if row["status"] not in ("queued", "running"):
        raise Conflict(f"Importen har status «{row['status']}» og kjøres ikke på nytt.")
    await progress(5, "Leser filen")
    parsed = parse_file(data, s.ImportFormat(row["format"]), row["filename"])
    if parsed.read == 0 or (not parsed.records and parsed.problems == []):
        raise FormatError("Fant ingen referanser i filen. Er formatet riktig?")
    cluster_id = row["cluster"]
    await progress(30, f"{len(parsed.records)} referanser lest; ser etter duplikater")
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
        for i, r in enumerate(parsed.records)
    ]
    found = find_duplicates(new, stored, not_duplicates=not_duplicates)
    exact = {m.key: m for m in found.exact}
    possible = {m.key: m for m in found.possible}
    await progress(50, f"Lagrer {len(parsed.records) - len(exact)} nye referanser")
    by_tier = {"1": 0, "2": 0}
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
            raise Conflict("Importen kjøres allerede.")
        new_ids = await _insert_new(cluster_id, import_id, parsed.records, exact)
        sources: list[dict[str, Any]] = []
        for i, record in enumerate(parsed.records):
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
            after={k: v for k, v in _report_dict(report).items() if k != "problems"},
        )
    return report


def _report_dict(report: s.ImportReport) -> dict[str, Any]:
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


# --- Use cases ---------------------------------------------------------------------------------


def _ensure_manager(actor: Principal, cluster_id: int) -> None:
    ensure_cluster_visible(actor, cluster_id)
    if not can_manage_cluster(actor, cluster_id):
        raise Forbidden("Bare klyngens FoU-rådgiver kan importere og endre referanser.")


async def create_import(
    actor: Principal | None,
    *,
    cluster_id: int,
    fmt: s.ImportFormat,
    source: str,
    filename: str,
    size: int,
    max_bytes: int,
    query: str = "",
    searched_on: dt.date | None = None,
    check_id: int | None = None,
) -> int:
    """Validate and insert a queued import (in the caller's transaction); returns its id.

    `actor` None is the command line, run by whoever operates the server."""
    if actor is not None:
        _ensure_manager(actor, cluster_id)
    errors = []
    source = " ".join(source.split())
    if not source:
        errors.append(FieldError("source", "Oppgi kilden (databasen) filen kommer fra."))
    elif len(source) > 120:
        errors.append(FieldError("source", "Kilden kan være høyst 120 tegn."))
    suffix = PurePath(filename).suffix.lower()
    if suffix not in EXTENSIONS[fmt]:
        allowed = ", ".join(EXTENSIONS[fmt])
        errors.append(
            FieldError("file", f"Filen passer ikke til formatet {fmt.value} (ventet {allowed}).")
        )
    if errors:
        raise Invalid("Importen kan ikke startes.", errors)
    if size > max_bytes:
        raise DomainError(
            f"Filen er større enn grensen på {max_bytes // (1024 * 1024)} MB.", 413, "too-large"
        )
    if check_id is not None:
        check = (
            await LiteratureCheck.select(LiteratureCheck.cluster, LiteratureCheck.status)
            .where(LiteratureCheck.id == check_id)
            .first()
        )
        if check is None or check["cluster"] != cluster_id:
            raise Invalid(
                "Sjekken finnes ikke i denne klyngen.",
                [FieldError("check_id", "Ukjent litteratursjekk.")],
            )
        if check["status"] != "open":
            raise Conflict("Litteratursjekken er avsluttet; nye søk kan ikke legges til.")
    inserted = await LiteratureImport.insert(
        LiteratureImport(
            cluster=cluster_id,
            check=check_id,
            filename=PurePath(filename).name[:255],
            format=fmt.value,
            source=source,
            query=query,
            searched_on=searched_on,
            status="queued",
            created_by=actor.account_id if actor else None,
        )
    ).returning(LiteratureImport.id)
    import_id = int(inserted[0]["id"])
    if check_id is not None:
        await CheckSearch.insert(
            CheckSearch(
                check=check_id,
                source=source,
                query=query,
                searched_on=searched_on,
                literature_import=import_id,
            )
        )
    return import_id


async def start_import(
    actor: Principal,
    dispatcher: runner.Dispatcher,
    data: bytes,
    **kwargs: Any,
) -> s.ImportOut:
    """Queue an import as a job (API and UI)."""
    async with runner.submit_after_commit(dispatcher) as submit:
        import_id = await create_import(actor, size=len(data), **kwargs)
        job_id = await submit(
            IMPORT_REFERENCES,
            {"import_id": import_id},
            payload=data,
            created_by=actor.account_id,
            cluster_id=kwargs["cluster_id"],
        )
        await LiteratureImport.update({LiteratureImport.job_id: str(job_id)}).where(
            LiteratureImport.id == import_id
        )
    return await get_import(actor, import_id)


async def fail_import(import_id: int, message: str) -> None:
    await LiteratureImport.update(
        {
            LiteratureImport.status: "failed",
            LiteratureImport.problems: [{"record": 0, "reason": message}],
        }
    ).where(LiteratureImport.id == import_id, LiteratureImport.status != "done")


@runner.job(IMPORT_REFERENCES)
async def import_references(ctx: runner.JobContext) -> dict[str, Any] | None:
    import_id = int(ctx.params["import_id"])
    if ctx.payload is None:
        await fail_import(import_id, "Jobben mangler filen.")
        raise runner.JobFailed("Jobben mangler filen den skulle importere.")
    try:
        report = await run_import(import_id, bytes(ctx.payload), progress=ctx.progress)
    except FormatError as exc:
        await fail_import(import_id, str(exc))
        raise runner.JobFailed(f"Filen ble ikke importert: {exc}") from None
    except DomainError as exc:
        await fail_import(import_id, exc.detail)
        raise runner.JobFailed(exc.detail) from None
    except Exception:
        await fail_import(import_id, "Importen stoppet på grunn av en uventet feil.")
        raise
    message = (
        f"{report.read} lest, {report.imported} nye, {report.duplicates} duplikater, "
        f"{report.possible_duplicates} mulige duplikater, {len(report.problems)} problemer."
    )
    async with transaction():
        await ctx.finish(_report_dict(report), message, f"/litteratur/importer/{import_id}")
    return None


async def _used_by_screening(import_id: int) -> bool:
    refs = ReferenceSource.select(ReferenceSource.reference).where(
        ReferenceSource.literature_import == import_id
    )
    used = (
        await ScreeningDecision.select(ScreeningDecision.id)
        .where(ScreeningDecision.reference.is_in(refs))
        .first()
    )
    return used is not None


async def undo_import(actor: Principal, import_id: int) -> s.ImportOut:
    """Remove what an import added; refused once screening has used any of its records."""
    async with transaction():
        row = await _load(actor, import_id)
        _ensure_manager(actor, row["cluster"])
        if row["status"] != "done":
            raise Conflict(f"Importen har status «{row['status']}» og kan ikke angres.")
        if await _used_by_screening(import_id):
            raise Conflict(
                "Importen kan ikke angres: screeningen har allerede brukt referanser fra den."
            )
        await ReferenceSource.delete().where(ReferenceSource.literature_import == import_id)
        # References this import created and that no other import also found.
        orphans = await Reference.select(Reference.id).where(
            Reference.first_import == import_id,
            Reference.id.not_in(ReferenceSource.select(ReferenceSource.reference)),
        )
        orphan_ids = [r["id"] for r in orphans]
        for start in range(0, len(orphan_ids), BATCH):
            await Reference.delete().where(Reference.id.is_in(orphan_ids[start : start + BATCH]))
        # Survivors first seen here now belong to the earliest import that still has them.
        survivors = await Reference.select(Reference.id).where(Reference.first_import == import_id)
        for ref in survivors:
            first = (
                await ReferenceSource.select(ReferenceSource.literature_import)
                .where(ReferenceSource.reference == ref["id"])
                .order_by(ReferenceSource.literature_import)
                .first()
            )
            await Reference.update(
                {Reference.first_import: first["literature_import"] if first else None}
            ).where(Reference.id == ref["id"])
        await LiteratureImport.update(
            {
                LiteratureImport.status: "undone",
                LiteratureImport.undone_at: dt.datetime.now(dt.UTC),
            }
        ).where(LiteratureImport.id == import_id)
        await audit.record(
            actor,
            "literature.import.undo",
            "literature_import",
            import_id,
            cluster_id=row["cluster"],
            before={"status": row["status"], "imported": row["imported"]},
            after={"status": "undone", "removed_references": len(orphan_ids)},
        )
    return await get_import(actor, import_id)


async def _load(actor: Principal, import_id: int) -> dict[str, Any]:
    row = await LiteratureImport.select().where(LiteratureImport.id == import_id).first()
    if row is None:
        raise NotFound("Fant ikke importen.")
    ensure_cluster_visible(actor, row["cluster"])
    return row


async def import_out(row: Mapping[str, Any]) -> s.ImportOut:
    job = None
    if row["job_id"]:
        job = (
            await Job.select(Job.status, Job.progress, Job.message)
            .where(Job.id == row["job_id"])
            .first()
        )
    can_undo = row["status"] == "done" and not await _used_by_screening(row["id"])
    return s.ImportOut(
        id=row["id"],
        cluster_id=row["cluster"],
        check_id=row["check"],
        filename=row["filename"],
        format=row["format"],
        source=row["source"],
        query=row["query"],
        searched_on=row["searched_on"],
        status=row["status"],
        read=row["read"],
        imported=row["imported"],
        duplicates=row["duplicates"],
        possible_duplicates=row["possible_duplicates"],
        problems=[s.ImportProblem(**p) for p in _problems(row["problems"])],
        job_id=row["job_id"] or None,
        job_status=job["status"] if job else None,
        progress=100 if row["status"] in ("done", "undone") else (job["progress"] if job else 0),
        message=job["message"] if job else "",
        can_undo=can_undo,
        created_at=row["created_at"],
        undone_at=row["undone_at"],
    )


def _problems(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, str):
        import json

        value = json.loads(value or "[]")
    return [
        {"record": int(p.get("record", 0)), "reason": str(p.get("reason", ""))} for p in value or []
    ]


async def get_import(actor: Principal, import_id: int) -> s.ImportOut:
    return await import_out(await _load(actor, import_id))


async def list_imports(actor: Principal, cluster_id: int | None = None) -> list[s.ImportOut]:
    query = LiteratureImport.select().order_by(LiteratureImport.id, ascending=False)
    where = cluster_filter(LiteratureImport.cluster, actor)
    if where is not None:
        query = query.where(where)
    if cluster_id is not None:
        ensure_cluster_visible(actor, cluster_id)
        query = query.where(LiteratureImport.cluster == cluster_id)
    return [await import_out(r) for r in await query.limit(200)]
