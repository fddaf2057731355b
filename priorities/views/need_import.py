"""The Excel template for needs and the import of a filled-in one (runs as a job)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, URLEncodedBody
from litestar.response import Redirect, Template

from klynge.auth.principal import Principal
from klynge.errors import DomainError, FieldError, Invalid
from klynge.i18n import N_
from klynge.jobs import runner
from klynge.settings import Settings
from klynge.views.common import Form, form_failed, render, see_other, text
from priorities import jobs, need_pages
from priorities.views import common as c
from priorities.views.needs import SUBMITTERS

# --- Excel template and import ---------------------------------------------------------------


@post("/behov/mal", guards=[SUBMITTERS], include_in_schema=False, name="need_template")
async def need_template(
    actor: NamedDependency[Principal], data: URLEncodedBody[dict[str, Any]]
) -> Response[bytes]:
    """The Excel template (a POST form, so that the download never counts as a page)."""
    from priorities.controllers import _xlsx

    content = await need_pages.needs_template(actor, c.int_or_none(data.get("cluster_id")))
    return _xlsx("kunnskapsbehov-mal.xlsx", content)


IMPORT_FIELDS = ("cluster_id", "municipality_id", "file", "submit")


async def _import_page(
    actor: Principal, cluster_id: int | None, *, failed: Form | None = None, status: int = 200
) -> Template:
    choices = await need_pages.need_form(actor, cluster_id)
    form = failed or Form("import", IMPORT_FIELDS)
    return render(
        "priorities/need_import.html",
        clusters=choices.clusters,
        cluster_id=choices.cluster_id,
        municipalities=choices.municipalities,
        form=form,
        failed=failed,
        status=status,
    )


@get("/behov/import", guards=[SUBMITTERS], include_in_schema=False, name="need_import_page")
async def need_import_page(
    request: Request[Any, Any, Any], actor: NamedDependency[Principal]
) -> Template:
    """The template download and the upload of a filled-in one, for one of the caller's
    clusters."""
    return await _import_page(actor, c.int_or_none(request.query_params.get("cluster_id")))


def _check_import(data: dict[str, Any]) -> tuple[UploadFile, int, int]:
    upload = data.get("file")
    cluster_id = c.int_or_none(data.get("cluster_id"))
    municipality_id = c.int_or_none(data.get("municipality_id"))
    errors = []
    if not isinstance(upload, UploadFile) or not upload.filename:
        errors.append(FieldError("file", N_("Choose the filled-in template (a .xlsx file).")))
    if cluster_id is None or municipality_id is None:
        errors.append(FieldError("municipality_id", N_("Choose the municipality you submit for.")))
    if errors or not isinstance(upload, UploadFile) or cluster_id is None:
        raise Invalid(N_("Some fields need attention."), errors)
    if municipality_id is None:  # pragma: no cover - reported above
        raise Invalid(N_("Some fields need attention."), errors)
    return upload, cluster_id, municipality_id


@post("/behov/import", guards=[SUBMITTERS], include_in_schema=False, name="need_import")
async def need_import(
    actor: NamedDependency[Principal],
    settings: NamedDependency[Settings],
    dispatcher: NamedDependency[runner.Dispatcher],
    data: Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)],
) -> Template | Redirect:
    values = {k: text(data, k) for k in ("cluster_id", "municipality_id")}
    if text(data, "submit") == "1":
        values["submit"] = "1"
    form = Form("import", IMPORT_FIELDS, values=values)
    try:
        upload, cluster_id, municipality_id = _check_import(data)
        job_id = await jobs.start_import(
            actor,
            dispatcher,
            settings,
            upload,
            cluster_id=cluster_id,
            municipality_id=municipality_id,
            submit=text(data, "submit") == "1",
        )
    except DomainError as exc:
        if not form_failed(exc):
            raise
        cluster = c.int_or_none(data.get("cluster_id"))
        return await _import_page(actor, cluster, failed=form.fail(exc), status=exc.status)
    return see_other(f"/jobs/{job_id}")


HANDLERS = [
    need_template,
    need_import_page,
    need_import,
]
