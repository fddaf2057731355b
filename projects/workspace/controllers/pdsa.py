"""PDSA API: a project's cycles, its measures with their values, and a measure's run chart."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, Parameter

from klynge.auth.guards import requires_authenticated
from klynge.auth.principal import Principal
from projects.workspace import pdsa, pdsa_measures
from projects.workspace import pdsa_schemas as s


class PdsaController(Controller):
    path = "/api/projects/{project_id:int}"
    tags = ["projects"]
    guards = [requires_authenticated]

    @get("/cycles", operation_id="ListPdsaCycles", summary="The project's PDSA cycles, in order")
    async def list_cycles(
        self, actor: NamedDependency[Principal], project_id: FromPath[int]
    ) -> list[s.CycleOut]:
        return await pdsa.list_cycles(actor, project_id)

    @post("/cycles", operation_id="CreatePdsaCycle", summary="Plan the next PDSA cycle")
    async def create_cycle(
        self,
        actor: NamedDependency[Principal],
        project_id: FromPath[int],
        data: JSONBody[s.CycleCreate],
    ) -> s.CycleOut:
        return await pdsa.create_cycle(actor, project_id, data)

    @patch(
        "/cycles/{cycle_id:int}",
        operation_id="UpdatePdsaCycle",
        summary="Fill in a cycle's phases (fields left out are kept)",
    )
    async def update_cycle(
        self,
        actor: NamedDependency[Principal],
        project_id: FromPath[int],
        cycle_id: FromPath[int],
        data: JSONBody[s.CycleUpdate],
    ) -> s.CycleOut:
        return await pdsa.update_cycle(actor, project_id, cycle_id, data)

    @post(
        "/cycles/{cycle_id:int}/next",
        operation_id="ContinuePdsaCycle",
        summary="Start the next cycle from an adopt/adapt decision and its next test",
    )
    async def next_cycle(
        self, actor: NamedDependency[Principal], project_id: FromPath[int], cycle_id: FromPath[int]
    ) -> s.CycleOut:
        return await pdsa.start_next_cycle(actor, project_id, cycle_id)

    @get(
        "/measures", operation_id="ListProjectMeasures", summary="The project's measures and values"
    )
    async def list_measures(
        self, actor: NamedDependency[Principal], project_id: FromPath[int]
    ) -> list[s.MeasureOut]:
        return await pdsa_measures.list_measures(actor, project_id)

    @post(
        "/measures", operation_id="CreateProjectMeasure", summary="Add a measure with its baseline"
    )
    async def create_measure(
        self,
        actor: NamedDependency[Principal],
        project_id: FromPath[int],
        data: JSONBody[s.MeasureCreate],
    ) -> s.MeasureOut:
        return await pdsa_measures.create_measure(actor, project_id, data)

    @post(
        "/measures/{measure_id:int}/values",
        operation_id="AddProjectMeasureValue",
        summary="Add one value of a measure",
    )
    async def add_value(
        self,
        actor: NamedDependency[Principal],
        project_id: FromPath[int],
        measure_id: FromPath[int],
        data: JSONBody[s.ValueIn],
    ) -> s.MeasureOut:
        return await pdsa_measures.add_value(actor, project_id, measure_id, data)

    @get(
        "/measures/{measure_id:int}/run-chart",
        operation_id="GetProjectRunChart",
        summary="A measure's run chart: points, median and signals (shift, trend, runs)",
    )
    async def run_chart(
        self,
        actor: NamedDependency[Principal],
        project_id: FromPath[int],
        measure_id: FromPath[int],
        baseline_points: Annotated[
            int | None,
            Parameter(
                ge=1,
                le=pdsa_measures.MAX_VALUES,
                description="The median from the first N points (the baseline period)",
            ),
        ] = None,
    ) -> s.RunChartOut:
        return await pdsa_measures.run_chart(actor, project_id, measure_id, baseline_points)


HANDLERS = [PdsaController]
