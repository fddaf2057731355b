"""Import use cases: start an import of a reference file as a job, read imports, and undo an
import until screening has used its records (the run itself: literature.import_run)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import PurePath
from typing import Any

from klynge import audit, privacy
from klynge.auth.principal import Principal
from klynge.db import transaction
from klynge.errors import (
    Conflict,
    DomainError,
    FieldError,
    Forbidden,
    Invalid,
    NotFound,
    translate,
)
from klynge.i18n import N_
from klynge.jobs import runner
from klynge.jobs.tables import Job
from klynge.scoping import can_manage_cluster, cluster_filter, ensure_cluster_visible
from literature import schemas as s
from literature.formats import FormatError
from literature.import_run import BATCH, report_dict, run_import
from literature.tables import (
    CheckSearch,
    LiteratureCheck,
    LiteratureImport,
    Reference,
    ReferenceSource,
    ScreeningDecision,
)

IMPORT_REFERENCES = "literature.import_references"

# The import job's messages, in the language of whoever started it.
NO_FILE = N_("The job has no file.")
NO_FILE_TO_IMPORT = N_("The job has no file to import.")
NOT_IMPORTED = N_("The file was not imported: %(reason)s")
CRASHED = N_("The import stopped because of an unexpected error.")

# File name endings accepted per format (the API refuses an upload that does not fit).
EXTENSIONS: dict[s.ImportFormat, tuple[str, ...]] = {
    s.ImportFormat.RIS: (".ris", ".txt", ".enw"),
    s.ImportFormat.BIBTEX: (".bib", ".bibtex", ".txt"),
    s.ImportFormat.MEDLINE: (".nbib", ".txt", ".medline"),
    s.ImportFormat.CSLJSON: (".json", ".csljson"),
    s.ImportFormat.XLSX: (".xlsx",),
    s.ImportFormat.CSV: (".csv", ".txt", ".tsv"),
}

# --- Use cases ---------------------------------------------------------------------------------


def _ensure_manager(actor: Principal, cluster_id: int) -> None:
    ensure_cluster_visible(actor, cluster_id)
    if not can_manage_cluster(actor, cluster_id):
        raise Forbidden(N_("Only the cluster's R&D adviser can import and change references."))


def import_problems(source: str, filename: str, fmt: s.ImportFormat) -> list[FieldError]:
    """What is wrong with an import's source (normalised) and file name for its format."""
    errors = []
    if not source:
        errors.append(FieldError("source", N_("Give the source (database) the file comes from.")))
    elif len(source) > 120:
        errors.append(FieldError("source", N_("The source can be at most 120 characters.")))
    suffix = PurePath(filename).suffix.lower()
    if suffix not in EXTENSIONS[fmt]:
        allowed = ", ".join(EXTENSIONS[fmt])
        errors.append(
            FieldError(
                "file",
                N_("The file does not fit the format %(format)s (expected %(allowed)s)."),
                params={"format": fmt.value, "allowed": allowed},
            )
        )
    return errors


async def _ensure_open_check(check_id: int, cluster_id: int) -> None:
    """An import into a check needs the check in the same cluster, still open."""
    check = (
        await LiteratureCheck.select(LiteratureCheck.cluster, LiteratureCheck.status)
        .where(LiteratureCheck.id == check_id)
        .first()
    )
    if check is None or check["cluster"] != cluster_id:
        raise Invalid(
            N_("The check does not exist in this cluster."),
            [FieldError("check_id", N_("Unknown literature check."))],
        )
    if check["status"] != "open":
        raise Conflict(N_("The literature check is closed; new searches cannot be added."))


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
    source = " ".join(source.split())
    errors = import_problems(source, filename, fmt)
    if errors:
        raise Invalid(N_("The import cannot be started."), errors)
    privacy.guard_text({"source": source, "query": query, "filename": filename})
    if size > max_bytes:
        raise DomainError(
            N_("The file is larger than the limit of %(megabytes)s MB."),
            413,
            "too-large",
            params={"megabytes": max_bytes // (1024 * 1024)},
        )
    if check_id is not None:
        await _ensure_open_check(check_id, cluster_id)
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
        await fail_import(import_id, translate(NO_FILE))
        raise runner.JobFailed(translate(NO_FILE_TO_IMPORT))
    try:
        report = await run_import(import_id, bytes(ctx.payload), progress=ctx.progress)
    except FormatError as exc:
        await fail_import(import_id, str(exc))
        raise runner.JobFailed(translate(NOT_IMPORTED, {"reason": str(exc)})) from None
    except DomainError as exc:
        await fail_import(import_id, exc.text)
        raise runner.JobFailed(exc.text) from None
    except Exception:
        await fail_import(import_id, translate(CRASHED))
        raise
    async with transaction():
        await ctx.finish(
            report_dict(report), import_summary(report), f"/litteratur/importer/{import_id}"
        )
    return None


def import_summary(report: s.ImportReport) -> str:
    """The finished job's one-line summary, in the current language."""
    return translate(
        N_(
            "%(read)s read, %(new)s new, %(duplicates)s duplicates, %(possible)s possible "
            "duplicates, %(problems)s problems."
        ),
        {
            "read": report.read,
            "new": report.imported,
            "duplicates": report.duplicates,
            "possible": report.possible_duplicates,
            "problems": len(report.problems),
        },
    )


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
            raise Conflict(
                N_("The import has status «%(status)s» and cannot be undone."),
                params={"status": row["status"]},
            )
        if await _used_by_screening(import_id):
            raise Conflict(
                N_("The import cannot be undone: screening has already used references from it.")
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
        raise NotFound(N_("We could not find the import."))
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
