"""API of the knowledge bank of measures: list, create, read and record adoptions."""

from __future__ import annotations

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody

from klynge.auth.guards import PUBLIC, requires_role
from klynge.auth.principal import Principal
from klynge.auth.roles import Role
from literature import measures
from literature import schemas as s

MANAGERS = requires_role(Role.ADVISER, Role.PLATFORM_ADMIN)


class MeasureController(Controller):
    path = "/api/measures"
    tags = ["knowledge bank"]

    @get(
        "/",
        opt=PUBLIC,
        operation_id="ListMeasures",
        summary="Evidence-based measures of the knowledge bank (public)",
    )
    async def list_measures(
        self,
        caller: NamedDependency[Principal | None],
        q: FromQuery[str] = "",
        target_group: FromQuery[str] = "",
        service_type: FromQuery[str] = "",
        scale: FromQuery[str] = "",
    ) -> s.MeasurePage:
        return await measures.list_measures(
            caller, q=q, target_group=target_group, service_type=service_type, scale=scale
        )

    @post(
        "/",
        guards=[MANAGERS],
        operation_id="CreateMeasure",
        summary="Add a measure with its evidence level (on a named scale)",
    )
    async def create(
        self, actor: NamedDependency[Principal], data: JSONBody[s.MeasureCreate]
    ) -> s.MeasureOut:
        return await measures.create_measure(actor, data)

    @get(
        "/{measure_id:int}",
        opt=PUBLIC,
        operation_id="GetMeasure",
        summary="One measure with its research and adoption counts (public)",
    )
    async def get_measure(
        self, caller: NamedDependency[Principal | None], measure_id: FromPath[int]
    ) -> s.MeasureOut:
        return await measures.get_measure(caller, measure_id)

    @post(
        "/{measure_id:int}/adoptions",
        guards=[
            requires_role(Role.COORDINATOR, Role.SERVICE_LEADER, Role.ADVISER, Role.PLATFORM_ADMIN)
        ],
        operation_id="AdoptMeasure",
        summary="Record that a municipality (and service) uses the measure",
    )
    async def adopt(
        self,
        actor: NamedDependency[Principal],
        measure_id: FromPath[int],
        data: JSONBody[s.AdoptionCreate],
    ) -> s.MeasureOut:
        return await measures.add_adoption(actor, measure_id, data)
