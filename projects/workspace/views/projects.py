"""Projects in the browser: the list with filters and its xlsx export, the project page (the
public summary for anonymous and outside visitors of a public project), the overview's edit form
and the description as DOCX."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, URLEncodedBody
from litestar.response import Redirect, Template

from klynge.auth.guards import PUBLIC, requires_authenticated
from klynge.auth.principal import Principal
from klynge.errors import DomainError
from klynge.i18n import gettext as _
from klynge.orgs.schemas import SERVICE_TYPE_LABELS
from klynge.views.common import (
    Form,
    form_failed,
    form_values,
    notice_text,
    parse,
    render,
    see_other,
)
from projects.paging import page_number
from projects.workspace import export, listing, overview
from projects.workspace.overview_rules import (
    REGISTRATION_LABELS,
    REGISTRATIONS,
    STATUS_LABELS,
    STATUSES,
    registration_link,
)
from projects.workspace.project_schemas import ProjectFilter, ProjectOverview, ProjectUpdate
from projects.workspace.sections import page_sections, section_nav

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EDIT_FIELDS = (
    "title",
    "starts_on",
    "ends_on",
    "summary_popular",
    "summary_language",
    "summary_en",
    "summary_academic",
    "keywords",
    "service_areas",
    *(f"registrations-{k}" for k in REGISTRATIONS),
    "is_public",
    "confirm_warnings",
)
SERVICE_LABELS = {k.value: v for k, v in SERVICE_TYPE_LABELS.items()}


def _labels() -> dict[str, Any]:
    return {
        "status_labels": STATUS_LABELS,
        "statuses": STATUSES,
        "service_labels": SERVICE_LABELS,
        "registration_labels": REGISTRATION_LABELS,
        "registration_link": registration_link,
    }


def _int(value: str | None) -> int | None:
    return int(value) if value and value.strip().isdigit() else None


def _filter(request: Request[Any, Any, Any]) -> ProjectFilter:
    params = request.query_params
    status = params.get("status") or None
    area = params.get("service_area") or None
    return ProjectFilter(
        status=status if status in STATUSES else None,
        municipality_id=_int(params.get("municipality_id")),
        service_area=area if area in SERVICE_LABELS else None,
        group_id=_int(params.get("group_id")),
        q=(params.get("q") or "")[:200],
    )


def _query_string(f: ProjectFilter) -> str:
    from urllib.parse import urlencode

    pairs = {
        "status": f.status or "",
        "municipality_id": "" if f.municipality_id is None else str(f.municipality_id),
        "service_area": f.service_area or "",
        "group_id": "" if f.group_id is None else str(f.group_id),
        "q": f.q,
    }
    return urlencode({k: v for k, v in pairs.items() if v})


@get("/prosjekter", guards=[requires_authenticated], include_in_schema=False, name="projects")
async def projects_page(
    request: Request[Any, Any, Any], actor: NamedDependency[Principal]
) -> Template:
    f = _filter(request)
    page = await listing.list_page(actor, f, page_number(request.query_params.get("side")))
    return render(
        "projects/workspace/list.html",
        page=page,
        projects=page.items,
        filters=f,
        query=_query_string(f),
        choices=await listing.filter_choices(actor),
        **_labels(),
    )


@get("/prosjekter.xlsx", guards=[requires_authenticated], include_in_schema=False)
async def projects_xlsx(
    request: Request[Any, Any, Any], actor: NamedDependency[Principal]
) -> Response[bytes]:
    content = await export.export_list(actor, _filter(request))
    return Response(
        content,
        media_type=XLSX,
        headers={"Content-Disposition": 'attachment; filename="prosjekter.xlsx"'},
    )


@get("/prosjekter/{project_id:int}", opt=PUBLIC, include_in_schema=False, name="project")
async def project_page(
    request: Request[Any, Any, Any],
    caller: NamedDependency[Principal | None],
    project_id: FromPath[int],
) -> Template:
    access, view = await overview.project_view(caller, project_id)
    if not isinstance(view, ProjectOverview):
        return render("projects/workspace/public.html", project=view, **_labels())
    sections = await page_sections(caller, access)
    return render(
        "projects/workspace/project.html",
        project=view,
        access=access,
        sections=sections,
        nav=section_nav(sections),
        notice=notice_text(request.query_params.get("notice")),
        **_labels(),
    )


@get(
    "/prosjekter/{project_id:int}/beskrivelse.docx",
    guards=[requires_authenticated],
    include_in_schema=False,
)
async def project_docx(
    actor: NamedDependency[Principal], project_id: FromPath[int]
) -> Response[bytes]:
    filename, content = await export.description_docx(actor, project_id)
    return Response(
        content,
        media_type=DOCX,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _values(o: ProjectOverview) -> dict[str, Any]:
    return {
        "title": o.title,
        "starts_on": o.starts_on.isoformat() if o.starts_on else "",
        "ends_on": o.ends_on.isoformat() if o.ends_on else "",
        "summary_popular": o.summary_popular,
        "summary_language": o.summary_language,
        "summary_en": o.summary_en,
        "summary_academic": o.summary_academic,
        "keywords": "\n".join(o.keywords),
        "service_areas": list(o.service_areas),
        **{f"registrations-{k}": o.registrations.get(k, "") for k in REGISTRATIONS},
        **({"is_public": "1"} if o.is_public else {}),
    }


def _messages() -> dict[str, str]:
    return {
        "title": _("Write a title."),
        "starts_on": _("Write the date as YYYY-MM-DD."),
        "ends_on": _("Write the date as YYYY-MM-DD."),
        "summary_language": _("Choose bokmål or nynorsk."),
        "keywords": _("Write at most 20 keywords of at most 60 characters, one per line."),
        "service_areas": _("Choose from the list."),
    }


def _body(data: dict[str, Any]) -> dict[str, Any]:
    def field(name: str) -> str:
        value = data.get(name, "")
        value = value[0] if isinstance(value, list) and value else value
        return value.strip() if isinstance(value, str) else ""

    areas = data.get("service_areas", [])
    body: dict[str, Any] = {
        name: field(name) for name in ("title", "summary_popular", "summary_language", "summary_en")
    }
    body["summary_academic"] = field("summary_academic")
    body["keywords"] = [k.strip() for k in field("keywords").splitlines() if k.strip()]
    body["service_areas"] = [areas] if isinstance(areas, str) else list(areas)
    body["registrations"] = {k: field(f"registrations-{k}") for k in REGISTRATIONS}
    body["starts_on"] = field("starts_on") or None
    body["ends_on"] = field("ends_on") or None
    if "is_public_shown" in data:  # only the leader and adviser see the checkbox
        body["is_public"] = bool(field("is_public"))
    body["confirm_warnings"] = bool(field("confirm_warnings"))
    return {k: v for k, v in body.items() if v is not None}


async def _edit_page(
    actor: Principal, project_id: int, form: Form | None = None, status: int = 200
) -> Template:
    o = await overview.overview_for_edit(actor, project_id)
    form = form or Form("project", EDIT_FIELDS, values=_values(o))
    return render(
        "projects/workspace/edit.html",
        project=o,
        form=form,
        failed=form if form.failed else None,
        area_options=[(k, _(v)) for k, v in SERVICE_LABELS.items()],
        status=status,
        **_labels(),
    )


@get(
    "/prosjekter/{project_id:int}/rediger", guards=[requires_authenticated], include_in_schema=False
)
async def edit_page(actor: NamedDependency[Principal], project_id: FromPath[int]) -> Template:
    return await _edit_page(actor, project_id)


@post(
    "/prosjekter/{project_id:int}/rediger", guards=[requires_authenticated], include_in_schema=False
)
async def edit_save(
    actor: NamedDependency[Principal],
    project_id: FromPath[int],
    data: URLEncodedBody[dict[str, Any]],
) -> Template | Redirect:
    form = Form("project", EDIT_FIELDS, values=form_values(data))
    try:
        update = parse(ProjectUpdate, _body(data), _messages())
        await overview.update_overview(actor, project_id, update)
    except DomainError as exc:
        if not form_failed(exc):
            raise
        form.fail(exc)
        form.errors = {k.replace(".", "-"): v for k, v in form.errors.items()}
        return await _edit_page(actor, project_id, form, status=exc.status)
    return see_other(f"/prosjekter/{project_id}", notice="projects.project-saved")


HANDLERS = [projects_page, projects_xlsx, project_page, project_docx, edit_page, edit_save]
