"""API of the project plan: the plan with its items, adding and changing items."""

from __future__ import annotations

from typing import Any

from litestar import Controller, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from klynge.auth.guards import requires_authenticated
from klynge.auth.principal import Principal
from projects.workspace import plan
from projects.workspace import plan_schemas as s


class PlanController(Controller):
    path = "/api/projects/{project_id:int}/plan"
    tags = ["projects"]
    guards = [requires_authenticated]

    @get("/", operation_id="GetProjectPlan", summary="The project's plan (overdue items flagged)")
    async def get_plan(
        self, actor: NamedDependency[Principal], project_id: FromPath[int]
    ) -> s.PlanOut:
        return await plan.get_plan(actor, project_id)

    @post("/items", operation_id="CreatePlanItem", summary="Add a goal, work package, milestone …")
    async def create_item(
        self,
        actor: NamedDependency[Principal],
        project_id: FromPath[int],
        data: JSONBody[s.PlanItemCreate],
    ) -> s.PlanItemOut:
        return await plan.create_item(actor, project_id, data)

    @get("/items/{item_id:int}", operation_id="GetPlanItem", summary="One plan item")
    async def get_item(
        self, actor: NamedDependency[Principal], project_id: FromPath[int], item_id: FromPath[int]
    ) -> s.PlanItemOut:
        return await plan.get_item(actor, project_id, item_id)

    @patch(
        "/items/{item_id:int}",
        operation_id="UpdatePlanItem",
        summary="Change a plan item (dates, status …)",
    )
    async def update_item(
        self,
        actor: NamedDependency[Principal],
        project_id: FromPath[int],
        item_id: FromPath[int],
        data: JSONBody[s.PlanItemUpdate],
    ) -> s.PlanItemOut:
        return await plan.update_item(actor, project_id, item_id, data)


HANDLERS: list[Any] = [PlanController]
