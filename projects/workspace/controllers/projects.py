"""Projects API: the list (filters and paging), one project's overview (the public summary for
public-only callers), editing the overview, and the description as DOCX."""

from __future__ import annotations

from typing import Annotated

from litestar import Response, get, patch
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, Parameter

from klynge.auth.guards import PUBLIC, requires_authenticated
from klynge.auth.principal import Principal
from klynge.orgs.schemas import ServiceType
from projects.workspace import export, listing, overview
from projects.workspace.project_schemas import (
    ProjectFilter,
    ProjectListItem,
    ProjectOverview,
    ProjectPublic,
    ProjectUpdate,
    Status,
)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MAX_PAGE = 500


@get(
    "/api/projects",
    guards=[requires_authenticated],
    operation_id="ListProjects",
    tags=["projects"],
    summary="Projects the caller may see, newest first (filters combine)",
)
async def list_projects(
    actor: NamedDependency[Principal],
    cluster_id: FromQuery[int | None] = None,
    status: FromQuery[Status | None] = None,
    municipality_id: FromQuery[int | None] = None,
    service_area: FromQuery[ServiceType | None] = None,
    group_id: FromQuery[int | None] = None,
    q: Annotated[str, Parameter(max_length=200)] = "",
    limit: Annotated[int, Parameter(ge=1, le=MAX_PAGE)] = MAX_PAGE,
    offset: Annotated[int, Parameter(ge=0)] = 0,
) -> list[ProjectListItem]:
    area = None if service_area is None else str(service_area.value)
    f = ProjectFilter(status, municipality_id, area, group_id, cluster_id, q)
    return await listing.list_items(actor, f, limit=limit, offset=offset)


@get(
    "/api/projects/{project_id:int}",
    opt=PUBLIC,
    operation_id="GetProject",
    tags=["projects"],
    summary="A project's overview; anonymous and outside callers get the public summary of a "
    "public project (view: public) and 404 otherwise",
)
async def get_project(
    caller: NamedDependency[Principal | None], project_id: FromPath[int]
) -> ProjectOverview | ProjectPublic:
    return await overview.project_overview(caller, project_id)


@patch(
    "/api/projects/{project_id:int}",
    guards=[requires_authenticated],
    operation_id="UpdateProject",
    tags=["projects"],
    summary="Change the overview (the project team); publishing needs the leader or adviser",
)
async def update_project(
    actor: NamedDependency[Principal], project_id: FromPath[int], data: JSONBody[ProjectUpdate]
) -> ProjectOverview:
    return await overview.update_overview(actor, project_id, data)


@get(
    "/api/projects/{project_id:int}/description.docx",
    guards=[requires_authenticated],
    operation_id="ExportProjectDescription",
    tags=["projects"],
    summary="The project description as DOCX, in the caller's written standard",
)
async def description_docx(
    actor: NamedDependency[Principal], project_id: FromPath[int]
) -> Response[bytes]:
    filename, content = await export.description_docx(actor, project_id)
    return Response(
        content,
        media_type=DOCX,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


HANDLERS = [list_projects, get_project, update_project, description_docx]
