"""A research group's publications in the browser: curation (which represent the group, and
the recency window), adding one by hand, and importing a file as a job."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, URLEncodedBody
from litestar.response import Redirect, Template

from klynge.auth.guards import requires_authenticated
from klynge.auth.principal import Principal
from klynge.errors import DomainError, FieldError, Invalid
from klynge.i18n import gettext as _
from klynge.jobs import runner
from klynge.orgs.importing import read_upload
from klynge.settings import Settings
from klynge.views.common import (
    Form,
    form_failed,
    form_values,
    notice_text,
    parse,
    render,
    see_other,
    text,
)
from projects import groups, publications
from projects import schemas as s
from projects.views import common as c
from projects.views.groups import _messages

PUBLICATION_FIELDS = ("title", "year", "authors", "doi", "container", "abstract")
UPLOAD_FIELDS = ("file", "format")


async def _publications_page(
    actor: Principal,
    group_id: int,
    *,
    job_id: str | None = None,
    failed: Form | None = None,
    notice: str = "",
    status: int = 200,
) -> Template:
    group = await groups.get_group(group_id)
    forms = {
        "curation": Form(
            "curation",
            ("recency_years",),
            values={"recency_years": "" if group.recency_years is None else group.recency_years},
        ),
        "publication": Form("publication", PUBLICATION_FIELDS),
        "upload": Form("upload", UPLOAD_FIELDS, values={"format": "ris"}),
    }
    if failed is not None:
        forms[failed.id] = failed
    return render(
        "projects/publications.html",
        group=group,
        publications=await publications.list_publications(group_id),
        may_edit=groups.may_edit(actor, group_id),
        may_curate=await publications.may_curate(actor, group_id),
        forms=forms,
        failed=failed,
        job=await c.job_or_none(actor, job_id),
        notice=notice,
        here=f"/forskergrupper/{group_id}/publikasjoner",
        status=status,
        **c.labels(),
    )


@get(
    "/forskergrupper/{group_id:int}/publikasjoner",
    guards=[requires_authenticated],
    include_in_schema=False,
    name="group_publications",
)
async def publications_page(
    request: Request[Any, Any, Any], actor: NamedDependency[Principal], group_id: FromPath[int]
) -> Template:
    return await _publications_page(
        actor,
        group_id,
        job_id=request.query_params.get("jobb"),
        notice=notice_text(request.query_params.get("notice")),
    )


@post(
    "/forskergrupper/{group_id:int}/publikasjoner/utvalg",
    guards=[c.CURATORS],
    include_in_schema=False,
    name="group_curate",
)
async def publications_curate(
    actor: NamedDependency[Principal],
    dispatcher: NamedDependency[runner.Dispatcher],
    group_id: FromPath[int],
    data: URLEncodedBody[dict[str, Any]],
) -> Template | Redirect:
    shown = c.int_list(data.get("shown", []))
    include = [i for i in c.int_list(data.get("include", [])) if i in shown]
    form = Form("curation", ("recency_years",), values=form_values(data))
    recency = text(data, "recency_years")
    try:
        body: dict[str, Any] = {
            "include": include,
            "exclude": [i for i in shown if i not in include],
            "clear_recency": not recency,
        }
        if recency:
            body["recency_years"] = recency
        await publications.curate(
            actor, group_id, parse(s.CurationIn, body, _messages()), dispatcher
        )
    except DomainError as exc:
        if not form_failed(exc):
            raise
        return await _publications_page(
            actor, group_id, failed=form.fail(exc, "recency_years"), status=exc.status
        )
    return see_other(
        f"/forskergrupper/{group_id}/publikasjoner",
        notice="projects.curation-saved",
        fragment="utvalg",
    )


@post(
    "/forskergrupper/{group_id:int}/publikasjoner/ny",
    guards=[c.RESEARCHERS],
    include_in_schema=False,
    name="group_publication_add",
)
async def publication_add(
    actor: NamedDependency[Principal],
    dispatcher: NamedDependency[runner.Dispatcher],
    group_id: FromPath[int],
    data: URLEncodedBody[dict[str, Any]],
) -> Template | Redirect:
    form = Form("publication", PUBLICATION_FIELDS, values=form_values(data))
    body: dict[str, Any] = {
        name: text(data, name, strip=False).strip() for name in ("title", "doi", "container")
    }
    body["abstract"] = text(data, "abstract", strip=False).strip()
    body["year"] = text(data, "year")
    body["authors"] = c.lines(data.get("authors"))
    try:
        await publications.add_publication(
            actor, dispatcher, group_id, parse(s.PublicationIn, body, _messages())
        )
    except DomainError as exc:
        if not form_failed(exc):
            raise
        return await _publications_page(actor, group_id, failed=form.fail(exc), status=exc.status)
    return see_other(
        f"/forskergrupper/{group_id}/publikasjoner",
        notice="projects.publication-added",
        fragment="publikasjoner",
    )


@post(
    "/forskergrupper/{group_id:int}/publikasjoner/import",
    guards=[c.RESEARCHERS],
    include_in_schema=False,
    name="group_publication_import",
)
async def publication_import(
    actor: NamedDependency[Principal],
    settings: NamedDependency[Settings],
    dispatcher: NamedDependency[runner.Dispatcher],
    group_id: FromPath[int],
    data: Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)],
) -> Template | Redirect:
    values = {k: v for k, v in data.items() if isinstance(v, str)}
    form = Form("upload", UPLOAD_FIELDS, values=form_values(values))
    upload = data.get("file")
    try:
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise Invalid(
                _("Some fields need attention."), [FieldError("file", _("Choose the file."))]
            )
        allowed = (".ris", ".txt", ".bib", ".nbib", ".json", ".xlsx", ".csv")
        name, content = await read_upload(upload, settings, allowed=allowed)
        job = await publications.start_publication_import(
            actor, dispatcher, group_id, text(values, "format").lower(), name, content
        )
    except DomainError as exc:
        if not form_failed(exc):
            raise
        return await _publications_page(
            actor, group_id, failed=form.fail(exc, "file"), status=exc.status
        )
    return see_other(f"/forskergrupper/{group_id}/publikasjoner?jobb={job.id}", fragment="import")


HANDLERS = [publications_page, publications_curate, publication_add, publication_import]
