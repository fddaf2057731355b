"""Bulk import of municipalities: the upload becomes a job; the job parses, validates every
row and writes all rows in one transaction, or nothing."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from litestar.datastructures import UploadFile

from klynge.auth.principal import Principal
from klynge.db import transaction
from klynge.errors import DomainError, FieldError, Invalid, translate
from klynge.i18n import N_, ngettext
from klynge.i18n import gettext as _
from klynge.jobs import runner
from klynge.jobs.schemas import JobOut
from klynge.jobs.service import get_job
from klynge.orgs import service
from klynge.orgs.municipality_file import FileFormatError, parse_municipality_file
from klynge.settings import Settings

JOB_NAME = "platform.import_municipalities"
ALLOWED = (".xlsx", ".csv")


async def read_upload(
    upload: UploadFile, settings: Settings, allowed: tuple[str, ...] = ALLOWED
) -> tuple[str, bytes]:
    """The upload's safe file name and bytes, refusing other types and oversize files."""
    name = PurePath(upload.filename or "").name
    if PurePath(name).suffix.lower() not in allowed:
        kinds = _(" or ").join(allowed)
        raise DomainError(
            N_("The file must be %(kinds)s."), 415, "unsupported-file", params={"kinds": kinds}
        )
    data = await upload.read(settings.max_upload_bytes + 1)
    if len(data) > settings.max_upload_bytes:
        raise DomainError(
            N_("The file is larger than the limit of %(megabytes)s MB."),
            413,
            "too-large",
            params={"megabytes": settings.max_upload_bytes // (1024 * 1024)},
        )
    if not data:
        raise Invalid(N_("The file is empty."), [FieldError("file", N_("The file is empty."))])
    return name, data


async def start_import(
    actor: Principal, upload: UploadFile, settings: Settings, dispatcher: runner.Dispatcher
) -> JobOut:
    name, data = await read_upload(upload, settings)
    job_id = await runner.submit(
        JOB_NAME,
        {"filename": name},
        dispatcher=dispatcher,
        payload=data,
        created_by=actor.account_id,
    )
    return await get_job(actor, str(job_id))


@runner.job(JOB_NAME)
async def import_municipalities(ctx: runner.JobContext) -> dict[str, Any] | None:
    if ctx.payload is None:
        raise runner.JobFailed(translate(N_("The job is missing the file it was to import.")))
    filename = str(ctx.params.get("filename", "upload.csv"))
    await ctx.progress(5, _("Reading the file"))
    try:
        rows, errors = parse_municipality_file(bytes(ctx.payload), filename)
    except FileFormatError as exc:
        raise runner.JobFailed(str(exc)) from None
    if errors:
        raise runner.JobFailed(
            translate(
                N_("The file was not imported: %(count)s errors. Fix them and upload again."),
                {"count": len(errors)},
            ),
            {"errors": [{"row": e.row, "column": e.column, "reason": e.reason} for e in errors]},
        )
    await ctx.progress(
        50,
        ngettext("%(num)s row is valid; saving", "%(num)s rows are valid; saving", len(rows))
        % {"num": len(rows)},
    )
    try:
        async with transaction():
            created = await service.import_municipalities(ctx.created_by, rows)
            await ctx.finish(
                {"imported": len(created), "municipalities": [m.number for m in created]},
                ngettext(
                    "%(num)s municipality imported.",
                    "%(num)s municipalities imported.",
                    len(created),
                )
                % {"num": len(created)},
                "/admin/organisations",
            )
    except Invalid as exc:
        raise runner.JobFailed(exc.text, _errors_result(exc)) from None
    return None


def _errors_result(exc: Invalid) -> dict[str, Any]:
    return {"errors": [{"row": e.row, "column": e.field, "reason": e.text} for e in exc.errors]}
