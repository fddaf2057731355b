"""Documents: HTML pages. Upload (a multipart form), download (an attachment) and delete; a
refused upload (type, size) is explained on the documents page."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.response import Redirect, Stream, Template

from klynge.auth.guards import requires_authenticated
from klynge.auth.principal import Principal
from klynge.errors import DomainError, FieldError, Invalid
from klynge.files import FileStore, content_disposition
from klynge.i18n import N_
from klynge.settings import Settings
from klynge.views.common import Form, form_failed, notice_text, render, see_other, text
from projects.workspace import documents
from projects.workspace.participant_schemas import DocumentKind


def _store(settings: Settings) -> FileStore:
    return FileStore(settings.files)


async def _page(
    actor: Principal,
    settings: Settings,
    project_id: int,
    *,
    form: Form | None = None,
    status: int = 200,
) -> Template:
    context = await documents.documents_page(actor, project_id)
    context["data"]["max_megabytes"] = settings.files.max_bytes // (1024 * 1024)
    if form is not None:
        context["data"]["form"] = form
    return render(
        "projects/workspace/documents_page.html",
        failed=form if form is not None and form.failed else None,
        status=status,
        **context,
    )


@get(
    "/prosjekter/{project_id:int}/dokumenter",
    guards=[requires_authenticated],
    include_in_schema=False,
    name="project_documents",
)
async def documents_view(
    request: Request[Any, Any, Any],
    actor: NamedDependency[Principal],
    settings: NamedDependency[Settings],
    project_id: FromPath[int],
) -> Template:
    page = await _page(actor, settings, project_id)
    page.context["notice"] = notice_text(request.query_params.get("notice"))
    return page


def _kind(value: str) -> DocumentKind:
    try:
        return DocumentKind(value or "other")
    except ValueError:
        raise Invalid(
            N_("Some fields need attention."), [FieldError("kind", N_("Choose from the list."))]
        ) from None


@post(
    "/prosjekter/{project_id:int}/dokumenter",
    guards=[requires_authenticated],
    include_in_schema=False,
    name="project_document_upload",
)
async def document_upload(
    actor: NamedDependency[Principal],
    settings: NamedDependency[Settings],
    project_id: FromPath[int],
    data: Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)],
) -> Template | Redirect:
    values = {k: v for k, v in data.items() if isinstance(v, str) and not k.startswith("_")}
    form = Form("document", documents.UPLOAD_FIELDS, values=values)
    upload = data.get("file")
    try:
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise Invalid(
                N_("Some fields need attention."), [FieldError("file", N_("Choose the file."))]
            )
        kind = _kind(text(values, "kind"))
        await documents.upload_document(
            actor, _store(settings), project_id, upload, upload.filename, kind
        )
    except DomainError as exc:
        if not form_failed(exc):
            raise
        failed = form.fail(exc, "file")
        return await _page(actor, settings, project_id, form=failed, status=exc.status)
    return see_other(
        f"/prosjekter/{project_id}", notice="projects.documents-uploaded", fragment="dokumenter"
    )


@get(
    "/prosjekter/{project_id:int}/dokumenter/{document_id:int}",
    guards=[requires_authenticated],
    include_in_schema=False,
    name="project_document_download",
)
async def document_download(
    actor: NamedDependency[Principal],
    settings: NamedDependency[Settings],
    project_id: FromPath[int],
    document_id: FromPath[int],
) -> Stream:
    document, content = await documents.document_file(
        actor, _store(settings), project_id, document_id
    )
    return Stream(
        content,
        media_type=document.content_type,
        headers={
            "Content-Disposition": content_disposition(document.filename),
            "Content-Length": str(document.size),
        },
    )


@post(
    "/prosjekter/{project_id:int}/dokumenter/{document_id:int}/slett",
    guards=[requires_authenticated],
    include_in_schema=False,
    name="project_document_delete",
)
async def document_delete(
    actor: NamedDependency[Principal],
    settings: NamedDependency[Settings],
    project_id: FromPath[int],
    document_id: FromPath[int],
) -> Redirect:
    await documents.delete_document(actor, _store(settings), project_id, document_id)
    return see_other(
        f"/prosjekter/{project_id}", notice="projects.documents-deleted", fragment="dokumenter"
    )


HANDLERS: list[Any] = [documents_view, document_upload, document_download, document_delete]
