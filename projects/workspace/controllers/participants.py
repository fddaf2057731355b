"""Participants: API. Who takes part, adding participants, requests to join, the leader's or
adviser's decision, the invited municipality's answer, and leaving."""

from __future__ import annotations

from typing import Any

from litestar import Controller, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from klynge.auth.guards import requires_authenticated
from klynge.auth.principal import Principal
from projects.workspace import participant_schemas as s
from projects.workspace import participants, participants_contact, participants_join


class ProjectParticipantController(Controller):
    path = "/api/projects/{project_id:int}"
    tags = ["projects"]
    guards = [requires_authenticated]

    @get(
        "/participants",
        operation_id="ListProjectParticipants",
        summary="The project's participants (for those who see the project)",
    )
    async def list_participants(
        self, actor: NamedDependency[Principal], project_id: FromPath[int]
    ) -> list[s.ParticipantOut]:
        return await participants.list_participants(actor, project_id)

    @post(
        "/participants",
        operation_id="AddProjectParticipant",
        status_code=HTTP_201_CREATED,
        summary="Add a partner group, service or user representative, or invite a municipality",
    )
    async def add(
        self,
        actor: NamedDependency[Principal],
        project_id: FromPath[int],
        data: JSONBody[s.ParticipantCreate],
    ) -> s.ParticipantOut:
        return await participants.add_participant(actor, project_id, data)

    @post(
        "/participants/{participant_id:int}/decision",
        operation_id="DecideProjectJoinRequest",
        status_code=HTTP_200_OK,
        summary="Approve or decline a request to join (project leader or adviser)",
    )
    async def decide(
        self,
        actor: NamedDependency[Principal],
        project_id: FromPath[int],
        participant_id: FromPath[int],
        data: JSONBody[s.ParticipantDecision],
    ) -> s.ParticipantOut:
        return await participants.decide_request(actor, project_id, participant_id, data)

    @post(
        "/participants/{participant_id:int}/response",
        operation_id="RespondProjectInvitation",
        status_code=HTTP_200_OK,
        summary="Accept or decline an invitation (the invited municipality)",
    )
    async def respond(
        self,
        actor: NamedDependency[Principal],
        project_id: FromPath[int],
        participant_id: FromPath[int],
        data: JSONBody[s.InvitationResponse],
    ) -> s.ParticipantOut:
        return await participants_join.respond(actor, project_id, participant_id, data)

    @post(
        "/participants/{participant_id:int}/leave",
        operation_id="RemoveProjectParticipant",
        status_code=HTTP_200_OK,
        summary="End a participation (removed by the team, or left by its own people)",
    )
    async def leave(
        self,
        actor: NamedDependency[Principal],
        project_id: FromPath[int],
        participant_id: FromPath[int],
    ) -> s.ParticipantOut:
        return await participants.remove_participant(actor, project_id, participant_id)

    @put(
        "/participants/{participant_id:int}/contact",
        operation_id="SetProjectParticipantContact",
        summary="Choose the contact person of a participating municipality or service",
    )
    async def contact(
        self,
        actor: NamedDependency[Principal],
        project_id: FromPath[int],
        participant_id: FromPath[int],
        data: JSONBody[s.ContactUpdate],
    ) -> s.ParticipantOut:
        return await participants_contact.set_contact(actor, project_id, participant_id, data)

    @post(
        "/join-requests",
        operation_id="RequestProjectJoin",
        status_code=HTTP_201_CREATED,
        summary="Ask to join the project (a member municipality of the cluster)",
    )
    async def request_join(
        self,
        actor: NamedDependency[Principal],
        project_id: FromPath[int],
        data: JSONBody[s.JoinRequest],
    ) -> s.ParticipantOut:
        return await participants_join.request_join(actor, project_id, data)


HANDLERS: list[Any] = [ProjectParticipantController]
