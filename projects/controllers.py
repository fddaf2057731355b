"""API of the projects app: research group profiles and publications, matching, conflicts,
round assignment, the researchers' inbox and interest, proposals and their review."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from litestar import Controller, get, post, put
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery, JSONBody, Parameter
from litestar.status_codes import HTTP_200_OK, HTTP_202_ACCEPTED

from klynge.auth.guards import requires_authenticated, requires_role
from klynge.auth.principal import Principal
from klynge.auth.roles import Role
from klynge.jobs import runner
from klynge.jobs.schemas import JobOut
from klynge.settings import Settings
from projects import (
    assignments,
    groups,
    match_lists,
    matches,
    proposals,
    publications,
)
from projects import schemas as s

ADVISERS = requires_role(Role.ADVISER, Role.PLATFORM_ADMIN)
RESEARCHERS = requires_role(Role.RESEARCHER, Role.PLATFORM_ADMIN)
CURATORS = requires_role(Role.RESEARCHER, Role.ADVISER, Role.PLATFORM_ADMIN)
# The most rows one list call returns (the proposals list returned at most this before paging).
MAX_PAGE = 500


@dataclass
class PublicationUpload:
    file: UploadFile
    format: str


class ResearchGroupController(Controller):
    path = "/api/research-groups"
    tags = ["research groups"]

    @get(
        "/",
        guards=[requires_authenticated],
        operation_id="ListResearchGroups",
        summary="Research groups with their profiles",
    )
    async def list_groups(
        self,
        limit: Annotated[int | None, Parameter(ge=1, le=MAX_PAGE)] = None,
        offset: Annotated[int, Parameter(ge=0)] = 0,
    ) -> list[s.GroupOut]:
        return await groups.list_groups(limit=limit, offset=offset)

    @post(
        "/",
        guards=[ADVISERS],
        operation_id="CreateResearchGroup",
        summary="Register a research group with its profile",
    )
    async def create(
        self, actor: NamedDependency[Principal], data: JSONBody[s.GroupCreate]
    ) -> s.GroupOut:
        return await groups.create_group(actor, data)

    @get(
        "/{group_id:int}",
        guards=[requires_authenticated],
        operation_id="GetResearchGroup",
        summary="One research group's profile",
    )
    async def get_group(self, group_id: FromPath[int]) -> s.GroupOut:
        return await groups.get_group(group_id)

    @put(
        "/{group_id:int}/profile",
        guards=[RESEARCHERS],
        operation_id="UpdateResearchGroupProfile",
        summary="Edit the profile (the group's researchers)",
    )
    async def update_profile(
        self,
        actor: NamedDependency[Principal],
        group_id: FromPath[int],
        data: JSONBody[s.ProfileIn],
    ) -> s.GroupOut:
        return await groups.update_profile(actor, group_id, data)

    @get(
        "/{group_id:int}/publications",
        guards=[requires_authenticated],
        operation_id="ListGroupPublications",
        summary="The group's publications with its curation",
    )
    async def publications(self, group_id: FromPath[int]) -> list[s.PublicationOut]:
        return await publications.list_publications(group_id)

    @post(
        "/{group_id:int}/publications",
        guards=[RESEARCHERS],
        operation_id="AddGroupPublication",
        summary="Add a publication by hand",
    )
    async def add_publication(
        self,
        actor: NamedDependency[Principal],
        dispatcher: NamedDependency[runner.Dispatcher],
        group_id: FromPath[int],
        data: JSONBody[s.PublicationIn],
    ) -> s.PublicationOut:
        return await publications.add_publication(actor, dispatcher, group_id, data)

    @post(
        "/{group_id:int}/publications/import",
        guards=[RESEARCHERS],
        operation_id="ImportGroupPublications",
        status_code=HTTP_202_ACCEPTED,
        summary="Import publications (RIS, BibTeX, MEDLINE, CSL-JSON, xlsx, csv) as a job",
    )
    async def import_publications(
        self,
        actor: NamedDependency[Principal],
        settings: NamedDependency[Settings],
        dispatcher: NamedDependency[runner.Dispatcher],
        group_id: FromPath[int],
        data: Annotated[PublicationUpload, Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> JobOut:
        from klynge.orgs.importing import read_upload

        allowed = (".ris", ".txt", ".bib", ".nbib", ".json", ".xlsx", ".csv")
        name, content = await read_upload(data.file, settings, allowed=allowed)
        return await publications.start_publication_import(
            actor, dispatcher, group_id, data.format.strip().lower(), name, content
        )

    @post(
        "/{group_id:int}/publications/curation",
        guards=[CURATORS],
        operation_id="CurateGroupPublications",
        status_code=HTTP_200_OK,
        summary="Include or exclude publications and set the recency window (the group's "
        "researchers, or an adviser of a cluster it is matched in)",
    )
    async def curate(
        self,
        actor: NamedDependency[Principal],
        dispatcher: NamedDependency[runner.Dispatcher],
        group_id: FromPath[int],
        data: JSONBody[s.CurationIn],
    ) -> list[s.PublicationOut]:
        return await publications.curate(actor, group_id, data, dispatcher)


class MatchingController(Controller):
    path = "/api"
    tags = ["matching"]

    @post(
        "/clusters/{cluster_id:int}/matching",
        guards=[ADVISERS],
        operation_id="RunMatching",
        status_code=HTTP_202_ACCEPTED,
        summary="Match the cluster's prioritised needs to every research group (a job)",
    )
    async def run_matching(
        self,
        actor: NamedDependency[Principal],
        dispatcher: NamedDependency[runner.Dispatcher],
        cluster_id: FromPath[int],
    ) -> JobOut:
        return await matches.start_matching(actor, dispatcher, cluster_id)

    @get(
        "/needs/{need_id:int}/matches",
        guards=[requires_authenticated],
        operation_id="GetNeedMatches",
        summary="A need's ranked research groups with explanations (from storage)",
    )
    async def need_matches(
        self, actor: NamedDependency[Principal], need_id: FromPath[int]
    ) -> s.MatchList:
        return await match_lists.need_matches(actor, need_id)

    @post(
        "/clusters/{cluster_id:int}/conflicts",
        guards=[ADVISERS],
        operation_id="AddConflictOfInterest",
        summary="A manual conflict of interest (the group is never matched)",
    )
    async def add_conflict(
        self,
        actor: NamedDependency[Principal],
        cluster_id: FromPath[int],
        data: JSONBody[s.ConflictIn],
    ) -> dict[str, Any]:
        return await matches.add_conflict(actor, cluster_id, data)

    @post(
        "/rounds/{round_id:int}/assignment",
        guards=[ADVISERS],
        operation_id="RunAssignment",
        status_code=HTTP_202_ACCEPTED,
        summary="Propose candidate groups for a closed round's needs (capacity-aware, a job)",
    )
    async def assign(
        self,
        actor: NamedDependency[Principal],
        dispatcher: NamedDependency[runner.Dispatcher],
        round_id: FromPath[int],
        data: JSONBody[s.AssignmentIn],
    ) -> s.AssignmentOut:
        return await assignments.start_assignment(actor, dispatcher, round_id, data)

    @get(
        "/rounds/{round_id:int}/assignments",
        guards=[requires_authenticated],
        operation_id="ListAssignments",
        summary="A round's assignment runs, newest first",
    )
    async def list_assignments(
        self, actor: NamedDependency[Principal], round_id: FromPath[int]
    ) -> list[s.AssignmentOut]:
        return await assignments.list_assignments(actor, round_id)

    @get(
        "/assignments/{assignment_id:int}",
        guards=[requires_authenticated],
        operation_id="GetAssignment",
        summary="An assignment: candidates per need, weakest need, alternates, load",
    )
    async def get_assignment(
        self, actor: NamedDependency[Principal], assignment_id: FromPath[int]
    ) -> s.AssignmentOut:
        return await assignments.get_assignment(actor, assignment_id)

    @get(
        "/researcher/inbox",
        guards=[RESEARCHERS],
        operation_id="GetResearcherInbox",
        summary="Needs matched to the caller's research groups, with explanations",
    )
    async def inbox(self, actor: NamedDependency[Principal]) -> list[dict[str, Any]]:
        return await match_lists.inbox(actor)

    @post(
        "/needs/{need_id:int}/interest",
        guards=[RESEARCHERS],
        operation_id="AnswerMatchedNeed",
        status_code=HTTP_200_OK,
        summary="A group's interest in a matched need, or a decline with a reason",
    )
    async def interest(
        self,
        actor: NamedDependency[Principal],
        need_id: FromPath[int],
        data: JSONBody[s.InterestIn],
    ) -> dict[str, Any]:
        return await proposals.set_interest(actor, need_id, data)


class ProposalController(Controller):
    path = "/api/proposals"
    tags = ["proposals"]

    @post(
        "/",
        guards=[RESEARCHERS],
        operation_id="CreateProposal",
        summary="Propose a project for one or more matched needs",
    )
    async def create(
        self, actor: NamedDependency[Principal], data: JSONBody[s.ProposalIn]
    ) -> s.ProposalOut:
        return await proposals.create_proposal(actor, data)

    @get(
        "/",
        guards=[requires_authenticated],
        operation_id="ListProposals",
        summary="Proposals the caller may see (advisers: their clusters; researchers: own)",
    )
    async def list_proposals(
        self,
        actor: NamedDependency[Principal],
        cluster_id: FromQuery[int | None] = None,
        group_id: FromQuery[int | None] = None,
        limit: Annotated[int, Parameter(ge=1, le=MAX_PAGE)] = MAX_PAGE,
        offset: Annotated[int, Parameter(ge=0)] = 0,
    ) -> list[s.ProposalOut]:
        return await proposals.list_proposals(
            actor, cluster_id=cluster_id, group_id=group_id, limit=limit, offset=offset
        )

    @get(
        "/{proposal_id:int}",
        guards=[requires_authenticated],
        operation_id="GetProposal",
        summary="One proposal",
    )
    async def get_proposal(
        self, actor: NamedDependency[Principal], proposal_id: FromPath[int]
    ) -> s.ProposalOut:
        return await proposals.get_proposal(actor, proposal_id)

    @put(
        "/{proposal_id:int}",
        guards=[RESEARCHERS],
        operation_id="ResubmitProposal",
        summary="Send a revised proposal after the adviser asked for changes",
    )
    async def resubmit(
        self,
        actor: NamedDependency[Principal],
        proposal_id: FromPath[int],
        data: JSONBody[s.ProposalIn],
    ) -> s.ProposalOut:
        return await proposals.resubmit(actor, proposal_id, data)

    @post(
        "/{proposal_id:int}/review",
        guards=[ADVISERS],
        operation_id="ReviewProposal",
        status_code=HTTP_200_OK,
        summary="Accept (creates a planned project), ask for changes, or decline",
    )
    async def review(
        self,
        actor: NamedDependency[Principal],
        proposal_id: FromPath[int],
        data: JSONBody[s.ReviewIn],
    ) -> s.ProposalOut:
        return await proposals.review(actor, proposal_id, data)


ROUTE_HANDLERS = [ResearchGroupController, MatchingController, ProposalController]
