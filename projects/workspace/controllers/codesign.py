"""API of co-design sessions and follow-up actions, and the caller's own open actions."""

from __future__ import annotations

from typing import Any

from litestar import Controller, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from klynge.auth.guards import requires_authenticated
from klynge.auth.principal import Principal
from projects.workspace import codesign
from projects.workspace import codesign_actions as actions
from projects.workspace import codesign_schemas as s


class CodesignSessionController(Controller):
    path = "/api/projects/{project_id:int}/sessions"
    tags = ["projects"]
    guards = [requires_authenticated]

    @get("/", operation_id="ListCodesignSessions", summary="The project's co-design sessions")
    async def list_sessions(
        self, actor: NamedDependency[Principal], project_id: FromPath[int]
    ) -> list[s.SessionOut]:
        return await codesign.list_sessions(actor, project_id)

    @post("/", operation_id="CreateCodesignSession", summary="Record a co-design session")
    async def create_session(
        self,
        actor: NamedDependency[Principal],
        project_id: FromPath[int],
        data: JSONBody[s.SessionCreate],
    ) -> s.SessionOut:
        return await codesign.create_session(actor, project_id, data)

    @get("/{session_id:int}", operation_id="GetCodesignSession", summary="One co-design session")
    async def get_session(
        self,
        actor: NamedDependency[Principal],
        project_id: FromPath[int],
        session_id: FromPath[int],
    ) -> s.SessionOut:
        return await codesign.get_session(actor, project_id, session_id)

    @patch("/{session_id:int}", operation_id="UpdateCodesignSession", summary="Change a session")
    async def update_session(
        self,
        actor: NamedDependency[Principal],
        project_id: FromPath[int],
        session_id: FromPath[int],
        data: JSONBody[s.SessionUpdate],
    ) -> s.SessionOut:
        return await codesign.update_session(actor, project_id, session_id, data)


class ProjectActionController(Controller):
    path = "/api/projects/{project_id:int}/actions"
    tags = ["projects"]
    guards = [requires_authenticated]

    @get("/", operation_id="ListProjectActions", summary="The project's follow-up actions")
    async def list_actions(
        self, actor: NamedDependency[Principal], project_id: FromPath[int]
    ) -> list[s.ActionOut]:
        return await actions.list_actions(actor, project_id)

    @get(
        "/owners",
        operation_id="ListProjectActionOwners",
        summary="Who may own the project's actions",
    )
    async def list_owners(
        self, actor: NamedDependency[Principal], project_id: FromPath[int]
    ) -> list[s.OwnerChoice]:
        return await actions.list_owner_choices(actor, project_id)

    @post("/", operation_id="CreateProjectAction", summary="Add a follow-up action")
    async def create_action(
        self,
        actor: NamedDependency[Principal],
        project_id: FromPath[int],
        data: JSONBody[s.ActionCreate],
    ) -> s.ActionOut:
        return await actions.create_action(actor, project_id, data)

    @patch(
        "/{action_id:int}",
        operation_id="UpdateProjectAction",
        summary="Change an action or mark it done",
    )
    async def update_action(
        self,
        actor: NamedDependency[Principal],
        project_id: FromPath[int],
        action_id: FromPath[int],
        data: JSONBody[s.ActionUpdate],
    ) -> s.ActionOut:
        return await actions.update_action(actor, project_id, action_id, data)


@get(
    "/api/me/actions",
    guards=[requires_authenticated],
    tags=["projects"],
    operation_id="ListMyActions",
    summary="The caller's open follow-up actions across projects",
)
async def list_my_actions(actor: NamedDependency[Principal]) -> list[s.ActionOut]:
    return await actions.my_actions(actor)


HANDLERS: list[Any] = [CodesignSessionController, ProjectActionController, list_my_actions]
