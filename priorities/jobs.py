"""Importing needs from a filled-in Excel template: the use case that queues the import, and
the job that runs it."""

from __future__ import annotations

import uuid
from typing import Any

from litestar.datastructures import UploadFile

from klynge.auth import access
from klynge.auth.principal import Principal
from klynge.auth.service import load_principal
from klynge.db import transaction
from klynge.errors import DomainError, Forbidden
from klynge.i18n import N_, ngettext
from klynge.i18n import gettext as _
from klynge.jobs import runner
from klynge.orgs.importing import read_upload
from klynge.orgs.tables import ClusterMembership, Service
from klynge.settings import Settings
from priorities import handoffs, needs
from priorities import schemas as s

IMPORT_NEEDS = "priorities.import_needs"


async def cluster_services(cluster_id: int) -> dict[str, int]:
    """Service name -> id for the services of the cluster's member municipalities."""
    members = await ClusterMembership.select(ClusterMembership.municipality).where(
        ClusterMembership.cluster == cluster_id, ClusterMembership.status == "member"
    )
    rows = (
        await Service.select(Service.id, Service.name)
        .where(Service.municipality.is_in([m["municipality"] for m in members] or [-1]))
        .order_by(Service.name)
    )
    return {r["name"]: r["id"] for r in rows}


async def start_import(
    actor: Principal,
    dispatcher: runner.Dispatcher,
    settings: Settings,
    upload: UploadFile,
    *,
    cluster_id: int,
    municipality_id: int,
    service_id: int | None = None,
    submit: bool = False,
) -> uuid.UUID:
    """Queue the import of a filled-in template for one municipality in one cluster."""
    if not access.may_submit_for(actor, cluster_id, municipality_id):
        raise Forbidden(N_("You cannot submit needs for this municipality in this cluster."))
    name, content = await read_upload(upload, settings, allowed=(".xlsx",))
    return await runner.submit(
        IMPORT_NEEDS,
        {
            "filename": name,
            "cluster_id": cluster_id,
            "municipality_id": municipality_id,
            "service_id": service_id,
            "submit": submit,
        },
        dispatcher=dispatcher,
        payload=content,
        created_by=actor.account_id,
        cluster_id=cluster_id,
    )


@runner.job(IMPORT_NEEDS)
async def import_needs(ctx: runner.JobContext) -> dict[str, Any] | None:
    from priorities.needs_xlsx import FileFormatError, parse_needs_file

    if ctx.payload is None or ctx.created_by is None:
        raise runner.JobFailed(_("The job lacks the file or who sent it."))
    actor = await load_principal(ctx.created_by)
    if actor is None:
        raise runner.JobFailed(_("The account that started the import is no longer active."))
    cluster_id = int(ctx.params["cluster_id"])
    await ctx.progress(5, _("Reading the file"))
    try:
        rows, errors = parse_needs_file(
            bytes(ctx.payload),
            str(ctx.params.get("filename", "behov.xlsx")),
            await cluster_services(cluster_id),
        )
    except FileFormatError as exc:
        raise runner.JobFailed(str(exc)) from None
    if errors:
        raise runner.JobFailed(
            ngettext(
                "The file was not imported: %(num)s error. Fix it and upload the file again.",
                "The file was not imported: %(num)s errors. Fix them and upload the file again.",
                len(errors),
            )
            % {"num": len(errors)},
            {"errors": [{"row": e.row, "column": e.column, "reason": e.reason} for e in errors]},
        )
    if not rows:
        raise runner.JobFailed(_("The file has no needs to import."))
    await ctx.progress(
        40,
        ngettext("%(num)s row is valid; saving", "%(num)s rows are valid; saving", len(rows))
        % {"num": len(rows)},
    )
    await _store_rows(ctx, actor, rows)
    return None


def _need_create(ctx: runner.JobContext, row: Any) -> s.NeedCreate:
    service_id = ctx.params.get("service_id")
    return s.NeedCreate(
        cluster_id=int(ctx.params["cluster_id"]),
        municipality_id=int(ctx.params["municipality_id"]),
        service_id=int(service_id) if service_id else None,
        title=row.title,
        question=row.question,
        background=row.background,
        age_from=row.age_from,
        age_to=row.age_to,
        target_group=row.target_group,
        service_ids=list(row.service_ids),
        prevention_level=s.PreventionLevel(row.prevention_level.value),
        intended_use=s.IntendedUse(row.intended_use.value),
        language=row.language,
        submit=bool(ctx.params.get("submit", False)),
    )


async def _store_rows(ctx: runner.JobContext, actor: Any, rows: list[Any]) -> None:
    """Every row or none (one transaction); the job finishes inside it."""
    created: list[int] = []
    try:
        async with transaction():
            for row in rows:
                data = _need_create(ctx, row)
                created.append((await needs.create_need(actor, data, announce=False)).id)
            if created and ctx.params.get("submit"):
                await handoffs.needs_imported(
                    int(ctx.params["cluster_id"]),
                    int(ctx.params["municipality_id"]),
                    len(created),
                    actor.account_id,
                )
            await ctx.finish(
                {"imported": len(created), "need_ids": created},
                ngettext(
                    "%(num)s knowledge need imported.",
                    "%(num)s knowledge needs imported.",
                    len(created),
                )
                % {"num": len(created)},
                "/behov",
            )
    except DomainError as exc:
        raise runner.JobFailed(
            exc.text,
            {"errors": [{"row": None, "column": e.field, "reason": e.text} for e in exc.errors]},
        ) from None
