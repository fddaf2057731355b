"""The findings report API: a project's report, for the whole project or one municipality, as
DOCX or PDF."""

from __future__ import annotations

from litestar import Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery

from klynge.auth.guards import requires_authenticated
from klynge.auth.principal import Principal
from projects.findings import report


@get(
    "/api/projects/{project_id:int}/findings-report",
    guards=[requires_authenticated],
    operation_id="GetFindingsReport",
    tags=["findings"],
    summary="The project's findings report (DOCX or PDF), whole or for one municipality",
)
async def findings_report(
    actor: NamedDependency[Principal],
    project_id: FromPath[int],
    format: FromQuery[str] = "docx",  # noqa: A002 - the API's parameter name
    municipality_id: FromQuery[int | None] = None,
) -> Response[bytes]:
    r = await report.build_report(actor, project_id, format, municipality_id)
    return Response(
        r.content,
        media_type=r.media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{r.filename}"',
            "Content-Language": r.language,
        },
    )


HANDLERS = [findings_report]
