"""The findings report in the browser: the report page (choose a municipality, or the whole
project, and a format) and the files /prosjekter/{pid}/funnrapport.docx|.pdf[?kommune=ID]."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from klynge.auth.guards import requires_authenticated
from klynge.auth.principal import Principal
from klynge.errors import DomainError
from klynge.views.common import Form, form_failed, render
from projects.findings import report

FORM_FIELDS = ("kommune", "format")


def _municipality(request: Request[Any, Any, Any]) -> int | None:
    raw = (request.query_params.get("kommune") or "").strip()
    return int(raw) if raw.isdigit() else None


def _file_url(project_id: int, fmt: str, municipality_id: int | None) -> str:
    query = f"?kommune={municipality_id}" if municipality_id is not None else ""
    return f"/prosjekter/{project_id}/funnrapport.{fmt}{query}"


@get(
    "/prosjekter/{project_id:int}/funnrapport",
    guards=[requires_authenticated],
    include_in_schema=False,
    name="findings_report",
)
async def report_page(
    request: Request[Any, Any, Any], actor: NamedDependency[Principal], project_id: FromPath[int]
) -> Template | Redirect:
    choices = await report.report_choices(actor, project_id)
    whole = await report.may_read_whole(actor, project_id)
    values = {k: request.query_params.get(k, "") for k in FORM_FIELDS}
    form = Form("report", FORM_FIELDS, values)
    status = 200
    if "format" in request.query_params:
        try:
            fmt = report.check_format(values["format"])
        except DomainError as exc:
            if not form_failed(exc):  # pragma: no cover - check_format only refuses (422)
                raise
            form.fail(exc)
            status = exc.status
        else:
            return Redirect(_file_url(project_id, fmt, _municipality(request)))
    return render(
        "projects/findings/report_page.html",
        status=status,
        project_id=project_id,
        choices=choices,
        whole=whole,
        form=form,
    )


async def _file(
    request: Request[Any, Any, Any], actor: Principal, project_id: int, fmt: str
) -> Response[bytes]:
    r = await report.build_report(actor, project_id, fmt, _municipality(request))
    return Response(
        r.content,
        media_type=r.media_type,
        headers={"Content-Disposition": f'attachment; filename="{r.filename}"'},
    )


@get(
    "/prosjekter/{project_id:int}/funnrapport.docx",
    guards=[requires_authenticated],
    include_in_schema=False,
)
async def report_docx(
    request: Request[Any, Any, Any], actor: NamedDependency[Principal], project_id: FromPath[int]
) -> Response[bytes]:
    return await _file(request, actor, project_id, "docx")


@get(
    "/prosjekter/{project_id:int}/funnrapport.pdf",
    guards=[requires_authenticated],
    include_in_schema=False,
)
async def report_pdf(
    request: Request[Any, Any, Any], actor: NamedDependency[Principal], project_id: FromPath[int]
) -> Response[bytes]:
    return await _file(request, actor, project_id, "pdf")


HANDLERS = [report_page, report_docx, report_pdf]
