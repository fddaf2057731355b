"""API of the approvals checklist and the project's lifecycle transitions."""

from __future__ import annotations

from typing import Any

from litestar import Controller, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from klynge.auth.guards import requires_authenticated
from klynge.auth.principal import Principal
from projects.workspace import approvals, transitions
from projects.workspace import approvals_schemas as s


class ApprovalController(Controller):
    path = "/api/projects/{project_id:int}"
    tags = ["projects"]
    guards = [requires_authenticated]

    @get(
        "/approvals",
        operation_id="ListProjectApprovals",
        summary="The project's approvals checklist and what blocks it from running",
    )
    async def list_approvals(
        self, actor: NamedDependency[Principal], project_id: FromPath[int]
    ) -> s.ChecklistOut:
        return await approvals.checklist(actor, project_id)

    @post(
        "/approvals",
        operation_id="CreateProjectApproval",
        summary="Add an item to the approvals checklist (the R&D adviser)",
        status_code=HTTP_201_CREATED,
    )
    async def create_approval(
        self,
        actor: NamedDependency[Principal],
        project_id: FromPath[int],
        data: JSONBody[s.ApprovalCreate],
    ) -> s.ApprovalOut:
        return await approvals.add_approval(actor, project_id, data)

    @patch(
        "/approvals/{approval_id:int}",
        operation_id="UpdateProjectApproval",
        summary="Update an approval: status, reference, date, document (the team); "
        "required or not, with a reason (the R&D adviser)",
    )
    async def update_approval(
        self,
        actor: NamedDependency[Principal],
        project_id: FromPath[int],
        approval_id: FromPath[int],
        data: JSONBody[s.ApprovalUpdate],
    ) -> s.ApprovalOut:
        return await approvals.update_approval(actor, project_id, approval_id, data)

    @post(
        "/transition",
        operation_id="TransitionProject",
        summary="Move the project to another status; 409 lists the reasons when refused "
        "(errors: field, message in the caller's language, machine code)",
        status_code=HTTP_200_OK,
    )
    async def transition(
        self,
        actor: NamedDependency[Principal],
        project_id: FromPath[int],
        data: JSONBody[s.TransitionRequest],
    ) -> s.TransitionOut:
        return await transitions.transition(actor, project_id, data)


HANDLERS: list[Any] = [ApprovalController]
