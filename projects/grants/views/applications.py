"""Applications in the browser: the list (/soknader), a new application from a project to an
open call, and the application's page — overview, budget table with forms per line, financing
plan, live conditions, submit and withdraw, the budget as xlsx and the application as DOCX.
Failed forms show again on the page with their problems."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, URLEncodedBody
from litestar.response import Redirect, Template

from klynge.auth.guards import requires_authenticated
from klynge.auth.principal import Principal
from klynge.errors import DomainError, FieldError, Invalid
from klynge.i18n import N_
from klynge.i18n import gettext as _
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
from projects.grants import application_data, application_export, application_lines, applications
from projects.grants import applications_schemas as s
from projects.grants.budget_rules import CATEGORY_LABELS, SOURCE_LABELS
from projects.grants.controllers.applications import DOCX, XLSX, attachment
from projects.grants.money import format_nok

GUARDS = [requires_authenticated]


def _path(application_id: int) -> str:
    return f"/soknader/{application_id}"


def _back(application_id: int, notice: str, anchor: str = "") -> Redirect:
    return see_other(
        _path(application_id), notice=f"projects.grants-applications-{notice}", fragment=anchor
    )


async def _page(
    actor: Principal,
    application_id: int,
    *,
    failed: Form | None = None,
    notice: str = "",
    status: int = 200,
) -> Template:
    out = await applications.get_application(actor, application_id)
    years = await applications.years_of(out.project.id)
    grid: dict[tuple[int, str], int] = {}
    for line in out.budget:
        key = (line.year, line.category)
        grid[key] = grid.get(key, 0) + line.amount_ore

    def form_for(form_id: str) -> Form:
        return failed if failed is not None and failed.id == form_id else Form(form_id)

    return render(
        "projects/grants/applications_page.html",
        a=out,
        failed=failed,
        notice=notice,
        form_for=form_for,
        grid=grid,
        nok=format_nok,
        nok_plain=lambda ore: format_nok(ore, unit=False),
        categories=[(k, _(v)) for k, v in CATEGORY_LABELS.items()],
        sources=[(k, _(v)) for k, v in SOURCE_LABELS.items()],
        year_options=[(str(y), str(y)) for y in years],
        status=status,
    )


async def _try(
    actor: Principal, application_id: int, form: Form, call: Any, notice: str, anchor: str
) -> Template | Redirect:
    try:
        await call
    except DomainError as exc:
        if not form_failed(exc):
            raise
        return await _page(actor, application_id, failed=form.fail(exc, "file"), status=exc.status)
    return _back(application_id, notice, anchor)


@get("/soknader", guards=GUARDS, include_in_schema=False, name="grant_applications")
async def list_page(request: Request[Any, Any, Any], actor: NamedDependency[Principal]) -> Template:
    items = await application_data.list_applications(actor)
    notice = notice_text(request.query_params.get("notice"))
    return render("projects/grants/applications_list.html", items=items, notice=notice)


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 10 else None


@get("/soknader/ny", guards=GUARDS, include_in_schema=False, name="grant_application_new")
async def new_page(request: Request[Any, Any, Any], actor: NamedDependency[Principal]) -> Template:
    project_id = _int(request.query_params.get("project_id"))
    call_id = _int(request.query_params.get("call_id"))
    projects, calls = await application_lines.start_choices(actor, project_id)
    form = Form(
        "new",
        ("project_id", "call_id", "title"),
        values={"project_id": str(project_id or ""), "call_id": str(call_id or "")},
    )
    return render(
        "projects/grants/applications_new.html", form=form, projects=projects, calls=calls
    )


@post("/soknader/ny", guards=GUARDS, include_in_schema=False, name="grant_application_start")
async def start(
    actor: NamedDependency[Principal], data: URLEncodedBody[dict[str, Any]]
) -> Template | Redirect:
    values = form_values(data)
    form = Form("new", ("project_id", "call_id", "title"), values=values)
    project_id, call_id = _int(text(data, "project_id")), _int(text(data, "call_id"))
    try:
        if project_id is None or call_id is None:
            missing = [
                FieldError(name, N_("Choose one."))
                for name, value in (("project_id", project_id), ("call_id", call_id))
                if value is None
            ]
            raise Invalid(N_("Some fields need attention."), missing)
        title = text(data, "title") or None
        body = s.ApplicationCreate(project_id=project_id, call_id=call_id, title=title)
        application_id = await applications.start_application(actor, body)
    except DomainError as exc:
        if not form_failed(exc):
            raise
        projects, calls = await application_lines.start_choices(actor, project_id)
        return render(
            "projects/grants/applications_new.html",
            form=form.fail(exc),
            projects=projects,
            calls=calls,
            status=exc.status,
        )
    return _back(application_id, "started")


@get(
    "/soknader/{application_id:int}",
    guards=GUARDS,
    include_in_schema=False,
    name="grant_application",
)
async def page(
    request: Request[Any, Any, Any],
    actor: NamedDependency[Principal],
    application_id: FromPath[int],
) -> Template:
    notice = notice_text(request.query_params.get("notice"))
    return await _page(actor, application_id, notice=notice)


@post(
    "/soknader/{application_id:int}",
    guards=GUARDS,
    include_in_schema=False,
    name="grant_application_update",
)
async def update(
    actor: NamedDependency[Principal],
    application_id: FromPath[int],
    data: URLEncodedBody[dict[str, Any]],
) -> Template | Redirect:
    form = Form("overview", ("title", "summary"), values=form_values(data))
    try:
        fields = {"title": text(data, "title"), "summary": text(data, "summary", strip=False)}
        body = parse(s.ApplicationUpdate, fields, {"title": N_("Write a title.")})
    except DomainError as exc:
        return await _page(actor, application_id, failed=form.fail(exc), status=exc.status)
    call = applications.update_application(actor, application_id, body)
    return await _try(actor, application_id, form, call, "saved", "oversikt")


@post(
    "/soknader/{application_id:int}/budsjett",
    guards=GUARDS,
    include_in_schema=False,
    name="grant_budget_add",
)
async def budget_add(
    actor: NamedDependency[Principal],
    application_id: FromPath[int],
    data: URLEncodedBody[dict[str, Any]],
) -> Template | Redirect:
    fields = application_lines.BUDGET_FIELDS
    form = Form("line-new", fields, values=form_values(data))
    call = application_lines.add_budget_line(
        actor, application_id, application_lines.form_lines(data, fields)
    )
    return await _try(actor, application_id, form, call, "budget-saved", "budsjett")


@post(
    "/soknader/{application_id:int}/budsjett/{line_id:int}",
    guards=GUARDS,
    include_in_schema=False,
    name="grant_budget_update",
)
async def budget_update(
    actor: NamedDependency[Principal],
    application_id: FromPath[int],
    line_id: FromPath[int],
    data: URLEncodedBody[dict[str, Any]],
) -> Template | Redirect:
    fields = application_lines.BUDGET_FIELDS
    form = Form(f"line-{line_id}", fields, values=form_values(data))
    lines = application_lines.form_lines(data, fields)
    call = application_lines.update_budget_line(actor, application_id, line_id, lines)
    return await _try(actor, application_id, form, call, "budget-saved", "budsjett")


@post(
    "/soknader/{application_id:int}/budsjett/{line_id:int}/slett",
    guards=GUARDS,
    include_in_schema=False,
    name="grant_budget_delete",
)
async def budget_delete(
    actor: NamedDependency[Principal], application_id: FromPath[int], line_id: FromPath[int]
) -> Template | Redirect:
    call = application_lines.delete_budget_line(actor, application_id, line_id)
    return await _try(actor, application_id, Form("budget"), call, "budget-saved", "budsjett")


@post(
    "/soknader/{application_id:int}/finansiering",
    guards=GUARDS,
    include_in_schema=False,
    name="grant_financing_add",
)
async def financing_add(
    actor: NamedDependency[Principal],
    application_id: FromPath[int],
    data: URLEncodedBody[dict[str, Any]],
) -> Template | Redirect:
    fields = application_lines.FINANCING_FIELDS
    form = Form("financing-new", fields, values=form_values(data))
    lines = application_lines.form_lines(data, fields)
    call = application_lines.add_financing_line(actor, application_id, lines)
    return await _try(actor, application_id, form, call, "financing-saved", "finansiering")


@post(
    "/soknader/{application_id:int}/finansiering/{line_id:int}/slett",
    guards=GUARDS,
    include_in_schema=False,
    name="grant_financing_delete",
)
async def financing_delete(
    actor: NamedDependency[Principal], application_id: FromPath[int], line_id: FromPath[int]
) -> Template | Redirect:
    call = application_lines.delete_financing_line(actor, application_id, line_id)
    return await _try(
        actor, application_id, Form("financing"), call, "financing-saved", "finansiering"
    )


@get(
    "/soknader/{application_id:int}/budsjett.xlsx",
    guards=GUARDS,
    include_in_schema=False,
    name="grant_budget_xlsx",
)
async def budget_xlsx(
    actor: NamedDependency[Principal], application_id: FromPath[int]
) -> Response[bytes]:
    filename, content = await applications.budget_template(actor, application_id)
    return attachment(filename, content, XLSX)


@post(
    "/soknader/{application_id:int}/budsjett.xlsx",
    guards=GUARDS,
    include_in_schema=False,
    name="grant_budget_upload",
)
async def budget_upload(
    actor: NamedDependency[Principal],
    application_id: FromPath[int],
    data: Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)],
) -> Template | Redirect:
    form = Form("upload", ("file",))
    upload = data.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        exc = Invalid(
            N_("Some fields need attention."), [FieldError("file", N_("Choose the file."))]
        )
        return await _page(actor, application_id, failed=form.fail(exc), status=422)
    content = await upload.read()
    call = applications.upload_budget(actor, application_id, content)
    return await _try(actor, application_id, form, call, "budget-uploaded", "budsjett")


@post(
    "/soknader/{application_id:int}/send-inn",
    guards=GUARDS,
    include_in_schema=False,
    name="grant_application_submit",
)
async def submit(
    actor: NamedDependency[Principal], application_id: FromPath[int]
) -> Template | Redirect:
    call = applications.submit_application(actor, application_id)
    return await _try(actor, application_id, Form("submit"), call, "submitted", "")


@post(
    "/soknader/{application_id:int}/trekk",
    guards=GUARDS,
    include_in_schema=False,
    name="grant_application_withdraw",
)
async def withdraw(
    actor: NamedDependency[Principal], application_id: FromPath[int]
) -> Template | Redirect:
    call = applications.withdraw_application(actor, application_id)
    return await _try(actor, application_id, Form("withdraw"), call, "withdrawn", "")


@get(
    "/soknader/{application_id:int}/soknad.docx",
    guards=GUARDS,
    include_in_schema=False,
    name="grant_application_docx",
)
async def document(
    actor: NamedDependency[Principal], application_id: FromPath[int]
) -> Response[bytes]:
    filename, content = await application_export.application_docx(actor, application_id)
    return attachment(filename, content, DOCX)


HANDLERS: list[Any] = [
    list_page,
    new_page,
    start,
    page,
    update,
    budget_add,
    budget_update,
    budget_delete,
    financing_add,
    financing_delete,
    budget_xlsx,
    budget_upload,
    submit,
    withdraw,
    document,
]
