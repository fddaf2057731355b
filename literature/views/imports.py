"""Reference imports in the browser: the list and upload form, an import's progress (the job
progress bar) and its report, and undoing an import."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from litestar import Request, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, URLEncodedBody
from litestar.response import Redirect, Template

from klynge.auth.principal import Principal
from klynge.directory import cluster_names
from klynge.errors import DomainError, FieldError, Invalid
from klynge.i18n import N_
from klynge.i18n import gettext as _
from klynge.jobs import runner
from klynge.settings import Settings
from klynge.views.common import (
    Form,
    form_failed,
    form_values,
    notice_text,
    render,
    see_other,
    text,
)
from literature import checks, imports, service
from literature import schemas as s
from literature.views import common as c

IMPORT_MEMBER = c.requires_cluster_member("import")
IMPORT_FIELDS = ("cluster_id", "file", "format", "source", "query", "searched_on", "check_id")


async def _managed_clusters(actor: Principal) -> dict[int, str]:
    names = await cluster_names(None if actor.is_admin else sorted(actor.cluster_ids))
    return {k: v for k, v in names.items() if c.manages(actor, k)}


async def _imports_page(
    actor: Principal, form: Form, *, notice: str = "", status: int = 200
) -> Template:
    clusters = await _managed_clusters(actor)
    open_checks = [x for x in await checks.list_checks(actor) if x.status == "open"]
    return render(
        "literature/imports.html",
        form=form,
        failed=form if form.failed else None,
        imports=await imports.list_imports(actor),
        clusters=clusters,
        open_checks=[x for x in open_checks if x.cluster_id in clusters],
        notice=notice,
        here="/litteratur/importer",
        status=status,
        **c.labels(),
    )


@get("/litteratur/importer", guards=[c.MANAGERS], include_in_schema=False, name="lit_imports")
async def imports_page(
    request: Request[Any, Any, Any], actor: NamedDependency[Principal]
) -> Template:
    check_id = c.int_or_none(request.query_params.get("check_id", ""))
    values: dict[str, Any] = {"format": "ris", "searched_on": dt.date.today().isoformat()}
    if check_id is not None:
        values["check_id"] = str(check_id)
    return await _imports_page(
        actor,
        Form("import", IMPORT_FIELDS, values=values),
        notice=notice_text(request.query_params.get("notice")),
    )


def _messages() -> dict[str, str]:
    return {
        "file": _("Choose the file to import."),
        "searched_on": _("Write the date as YYYY-MM-DD."),
        "cluster_id": _("Choose the cluster."),
    }


@post("/litteratur/importer", guards=[c.MANAGERS], include_in_schema=False, name="lit_import")
async def import_create(
    actor: NamedDependency[Principal],
    settings: NamedDependency[Settings],
    dispatcher: NamedDependency[runner.Dispatcher],
    data: Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)],
) -> Template | Redirect:
    values = {k: v for k, v in data.items() if isinstance(v, str)}
    form = Form("import", IMPORT_FIELDS, values=form_values(values))
    upload = data.get("file")
    try:
        errors: list[FieldError] = []
        if not isinstance(upload, UploadFile) or not upload.filename:
            errors.append(FieldError("file", _messages()["file"]))
        try:
            fmt = s.ImportFormat(text(values, "format"))
        except ValueError:
            errors.append(FieldError("format", N_("Choose the format of the file.")))
        searched_on = None
        if text(values, "searched_on"):
            try:
                searched_on = dt.date.fromisoformat(text(values, "searched_on"))
            except ValueError:
                errors.append(FieldError("searched_on", _messages()["searched_on"]))
        if errors:
            raise Invalid(N_("Some fields need attention."), errors)
        assert isinstance(upload, UploadFile)
        check_id = c.int_or_none(text(values, "check_id"))
        content = await upload.read(settings.max_upload_bytes + 1)
        out = await service.upload_import(
            actor,
            dispatcher,
            content,
            cluster_id=c.int_or_none(text(values, "cluster_id")),
            fmt=fmt,
            source=text(values, "source"),
            filename=upload.filename or f"import.{fmt.value}",
            max_bytes=settings.max_upload_bytes,
            query=text(values, "query", strip=False).strip(),
            searched_on=searched_on,
            check_id=check_id,
        )
    except DomainError as exc:
        if not form_failed(exc):
            raise
        return await _imports_page(actor, form.fail(exc, "file"), status=exc.status)
    return see_other(f"/litteratur/importer/{out.id}")


@get(
    "/litteratur/importer/{import_id:int}",
    guards=[IMPORT_MEMBER],
    include_in_schema=False,
    name="lit_import_page",
)
async def import_page(
    request: Request[Any, Any, Any], actor: NamedDependency[Principal], import_id: FromPath[int]
) -> Template:
    out = await imports.get_import(actor, import_id)
    return render(
        "literature/import.html",
        item=out,
        finished=out.status in ("done", "failed", "undone"),
        may_manage=c.manages(actor, out.cluster_id),
        notice=notice_text(request.query_params.get("notice")),
        **c.labels(),
    )


@post(
    "/litteratur/importer/{import_id:int}/angre",
    guards=[c.MANAGERS],
    include_in_schema=False,
    name="lit_import_undo",
)
async def import_undo(
    actor: NamedDependency[Principal],
    import_id: FromPath[int],
    data: URLEncodedBody[dict[str, Any]],
) -> Redirect:
    if text(data, "confirm") != "1":
        return see_other(f"/litteratur/importer/{import_id}", notice="literature.import-not-undone")
    try:
        await imports.undo_import(actor, import_id)
    except DomainError as exc:
        if exc.status != 409:
            raise
        return see_other(
            f"/litteratur/importer/{import_id}", notice="literature.import-cannot-undo"
        )
    return see_other(f"/litteratur/importer/{import_id}", notice="literature.import-undone")


HANDLERS = [imports_page, import_create, import_page, import_undo]
