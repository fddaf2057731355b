"""The return-rate dashboard API: the caller's figures per cluster, project and municipality,
and the public portal's aggregate figures per public cluster."""

from __future__ import annotations

from litestar import get
from litestar.di import NamedDependency
from litestar.params import FromQuery

from klynge.auth.guards import PUBLIC, requires_authenticated
from klynge.auth.principal import Principal
from projects.findings import dashboard
from projects.findings.dashboard_schemas import PublicReturnRatesOut, ReturnRatesOut


@get(
    "/api/findings/return-rates",
    guards=[requires_authenticated],
    operation_id="GetFindingsReturnRates",
    tags=["findings"],
    summary="Return rates of published findings per cluster, project and municipality",
)
async def return_rates(
    actor: NamedDependency[Principal],
    cluster_id: FromQuery[int | None] = None,
    project_id: FromQuery[int | None] = None,
    municipality_id: FromQuery[int | None] = None,
) -> ReturnRatesOut:
    filters = dashboard.Filters(cluster_id, project_id, municipality_id)
    return await dashboard.return_rates(actor, filters)


@get(
    "/api/public/findings/return-rates",
    opt=PUBLIC,
    operation_id="GetPublicFindingsReturnRates",
    tags=["findings"],
    summary="Each public cluster's aggregate return-rate figures (numbers only)",
)
async def public_return_rates() -> PublicReturnRatesOut:
    return await dashboard.public_return_rates()


HANDLERS = [return_rates, public_return_rates]
