"""Dashboard API: a funder's grants dashboard (its officers, admins) and a cluster's (its
advisers, admins), as JSON and as xlsx. Amounts are integer øre."""

from __future__ import annotations

from litestar import Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath

from klynge.auth.guards import requires_authenticated, requires_cluster_adviser
from klynge.auth.principal import Principal
from projects.grants import dashboard
from projects.grants.dashboard_export import XLSX, workbook_bytes, xlsx_response
from projects.grants.dashboard_schemas import DashboardOut


@get(
    "/api/funders/{funder_id:int}/dashboard",
    guards=[requires_authenticated],
    operation_id="GetFunderDashboard",
    summary="A funder's calls, applications, grants, R&D share, condition compliance and reports",
    tags=["grants"],
)
async def funder_dashboard(
    actor: NamedDependency[Principal], funder_id: FromPath[int]
) -> DashboardOut:
    return await dashboard.funder_dashboard(actor, funder_id)


@get(
    "/api/funders/{funder_id:int}/dashboard.xlsx",
    guards=[requires_authenticated],
    operation_id="ExportFunderDashboard",
    summary="The funder's dashboard as an xlsx workbook",
    tags=["grants"],
    media_type=XLSX,
)
async def funder_dashboard_xlsx(
    actor: NamedDependency[Principal], funder_id: FromPath[int]
) -> Response[bytes]:
    d = await dashboard.funder_dashboard(actor, funder_id)
    return xlsx_response(workbook_bytes(d, actor.language), "finansiering.xlsx")


@get(
    "/api/clusters/{cluster_id:int}/grants-dashboard",
    guards=[requires_cluster_adviser()],
    operation_id="GetClusterGrantsDashboard",
    summary="The grants of a cluster's projects, to any funder, with the same figures",
    tags=["grants"],
)
async def cluster_dashboard(
    actor: NamedDependency[Principal], cluster_id: FromPath[int]
) -> DashboardOut:
    return await dashboard.cluster_dashboard(actor, cluster_id)


HANDLERS = [funder_dashboard, funder_dashboard_xlsx, cluster_dashboard]
