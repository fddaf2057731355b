"""API of the priorities app: knowledge needs and prioritisation rounds."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Response, get, patch, post, put
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_202_ACCEPTED

from klynge.auth.guards import PUBLIC, requires_authenticated, requires_role
from klynge.auth.principal import Principal
from klynge.auth.roles import Role
from klynge.jobs import runner
from klynge.jobs.schemas import JobOut
from klynge.jobs.service import get_job
from klynge.settings import Settings
from priorities import decisions, jobs, need_pages, need_read, needs, round_export, rounds
from priorities import schemas as s
from priorities.need_merge import merge
from priorities.need_rules import submitter_roles

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SUBMITTERS = requires_role(*submitter_roles())


def _xlsx(filename: str, content: bytes) -> Response[bytes]:
    return Response(
        content,
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


class NeedController(Controller):
    path = "/api/needs"
    tags = ["needs"]

    @post(
        "/",
        guards=[SUBMITTERS],
        operation_id="CreateNeed",
        summary="Create a knowledge need (draft, or submitted with submit=true)",
    )
    async def create(
        self, actor: NamedDependency[Principal], data: JSONBody[s.NeedCreate]
    ) -> s.NeedOut:
        return await needs.create_need(actor, data)

    @get(
        "/",
        guards=[requires_authenticated],
        operation_id="ListNeeds",
        summary="Needs of the caller's clusters, filtered and paginated",
    )
    async def list_needs(
        self,
        actor: NamedDependency[Principal],
        cluster_id: FromQuery[int | None] = None,
        status: FromQuery[s.NeedStatus | None] = None,
        service_id: FromQuery[int | None] = None,
        municipality_id: FromQuery[int | None] = None,
        prevention_level: FromQuery[s.PreventionLevel | None] = None,
        cross_service: FromQuery[bool | None] = None,
        q: FromQuery[str] = "",
        page: FromQuery[int] = 1,
        per_page: FromQuery[int] = 50,
    ) -> s.NeedPage:
        return await need_read.list_needs(
            actor,
            cluster_id=cluster_id,
            status=status.value if status else None,
            service_id=service_id,
            municipality_id=municipality_id,
            prevention_level=prevention_level.value if prevention_level else None,
            cross_service=cross_service,
            q=q,
            page=page,
            per_page=per_page,
        )

    @get(
        "/template.xlsx",
        guards=[SUBMITTERS],
        operation_id="GetNeedsTemplate",
        summary="Excel template for needs, with the cluster's services as a dropdown",
    )
    async def template(
        self, actor: NamedDependency[Principal], cluster_id: FromQuery[int]
    ) -> Response[bytes]:
        content = await need_pages.needs_template(actor, cluster_id)
        return _xlsx("kunnskapsbehov-mal.xlsx", content)

    @post(
        "/import",
        guards=[SUBMITTERS],
        operation_id="ImportNeeds",
        status_code=HTTP_202_ACCEPTED,
        summary="Import a filled-in needs template (all rows or none; runs as a job)",
    )
    async def import_needs(
        self,
        actor: NamedDependency[Principal],
        settings: NamedDependency[Settings],
        dispatcher: NamedDependency[runner.Dispatcher],
        data: Annotated[UploadFile, Body(media_type=RequestEncodingType.MULTI_PART)],
        cluster_id: FromQuery[int],
        municipality_id: FromQuery[int],
        service_id: FromQuery[int | None] = None,
        submit: FromQuery[bool] = False,
    ) -> Response[JobOut]:
        job_id = await jobs.start_import(
            actor,
            dispatcher,
            settings,
            data,
            cluster_id=cluster_id,
            municipality_id=municipality_id,
            service_id=service_id,
            submit=submit,
        )
        job = await get_job(actor, str(job_id))
        return Response(
            job, status_code=HTTP_202_ACCEPTED, headers={"Location": f"/api/jobs/{job.id}"}
        )

    @post(
        "/merge",
        guards=[requires_role(Role.ADVISER)],
        operation_id="MergeNeeds",
        status_code=HTTP_200_OK,
        summary="Merge needs into a target need (adviser)",
    )
    async def merge(
        self, actor: NamedDependency[Principal], data: JSONBody[s.MergeRequest]
    ) -> s.NeedOut:
        return await merge(actor, data)

    @get(
        "/{need_id:int}",
        guards=[requires_authenticated],
        operation_id="GetNeed",
        summary="A need with history, endorsements and similar needs",
    )
    async def get_need(
        self, actor: NamedDependency[Principal], need_id: FromPath[int]
    ) -> s.NeedOut:
        return await need_read.need_detail(actor, need_id)

    @patch("/{need_id:int}", guards=[SUBMITTERS], operation_id="UpdateNeed")
    async def update(
        self,
        actor: NamedDependency[Principal],
        need_id: FromPath[int],
        data: JSONBody[s.NeedUpdate],
    ) -> s.NeedOut:
        return await needs.update_need(actor, need_id, data)

    @post(
        "/{need_id:int}/submit",
        guards=[SUBMITTERS],
        operation_id="SubmitNeed",
        status_code=HTTP_200_OK,
    )
    async def submit(self, actor: NamedDependency[Principal], need_id: FromPath[int]) -> s.NeedOut:
        return await needs.submit_need(actor, need_id)

    @post(
        "/{need_id:int}/withdraw",
        guards=[SUBMITTERS],
        operation_id="WithdrawNeed",
        status_code=HTTP_200_OK,
        summary="The submitter withdraws a need before assessment",
    )
    async def withdraw(
        self,
        actor: NamedDependency[Principal],
        need_id: FromPath[int],
        data: JSONBody[s.Transition],
    ) -> s.NeedOut:
        return await needs.withdraw_need(actor, need_id, data)

    @post(
        "/{need_id:int}/endorsements",
        guards=[SUBMITTERS],
        operation_id="EndorseNeed",
        status_code=HTTP_200_OK,
        summary='Another municipality says "we have the same need"',
    )
    async def endorse(
        self,
        actor: NamedDependency[Principal],
        need_id: FromPath[int],
        data: JSONBody[s.EndorsementCreate],
    ) -> s.NeedOut:
        return await needs.endorse(actor, need_id, data)


class RoundController(Controller):
    path = "/api/rounds"
    tags = ["rounds"]

    @post(
        "/",
        guards=[requires_role(Role.ADVISER)],
        operation_id="CreateRound",
        summary="Open a prioritisation round over submitted needs with a panel",
    )
    async def create(
        self, actor: NamedDependency[Principal], data: JSONBody[s.RoundCreate]
    ) -> s.RoundOut:
        return await rounds.create_round(actor, data)

    @get("/", guards=[requires_authenticated], operation_id="ListRounds")
    async def list_rounds(
        self, actor: NamedDependency[Principal], cluster_id: FromQuery[int | None] = None
    ) -> list[s.RoundOut]:
        return await rounds.list_rounds(actor, cluster_id)

    @get(
        "/{round_id:int}",
        guards=[requires_authenticated],
        operation_id="GetRound",
        summary="The round; its adviser also sees each rater's progress (never scores)",
    )
    async def get_round(
        self, actor: NamedDependency[Principal], round_id: FromPath[int]
    ) -> s.RoundOut:
        return await rounds.round_out(actor, round_id)

    @get(
        "/{round_id:int}/scores",
        guards=[requires_authenticated],
        operation_id="GetMyScores",
        summary="The calling rater's own scores",
    )
    async def my_scores(
        self, actor: NamedDependency[Principal], round_id: FromPath[int]
    ) -> s.ScoresOut:
        return await rounds.my_scores(actor, round_id)

    @put(
        "/{round_id:int}/scores",
        guards=[requires_authenticated],
        operation_id="PutMyScores",
        summary="Save the calling rater's scores (1-5; 0 = cannot assess; null = unanswered)",
    )
    async def put_scores(
        self, actor: NamedDependency[Principal], round_id: FromPath[int], data: JSONBody[s.ScoresIn]
    ) -> s.ScoresOut:
        return await rounds.put_scores(actor, round_id, data)

    @post(
        "/{round_id:int}/close",
        guards=[requires_role(Role.ADVISER)],
        operation_id="CloseRound",
        status_code=HTTP_200_OK,
        summary="Close the round and compute the ranking",
    )
    async def close(self, actor: NamedDependency[Principal], round_id: FromPath[int]) -> s.Ranking:
        return await rounds.close_round(actor, round_id)

    @get(
        "/{round_id:int}/ranking",
        guards=[requires_authenticated],
        operation_id="GetRanking",
        summary="The published priority list of a closed round",
    )
    async def ranking(
        self, actor: NamedDependency[Principal], round_id: FromPath[int]
    ) -> s.Ranking:
        return await rounds.ranking(actor, round_id)

    @get(
        "/{round_id:int}/export.xlsx",
        guards=[requires_role(Role.ADVISER)],
        operation_id="ExportRound",
        summary="The closed round as an Excel workbook",
    )
    async def export(
        self, actor: NamedDependency[Principal], round_id: FromPath[int]
    ) -> Response[bytes]:
        filename, content = await round_export.export_xlsx(actor, round_id)
        return _xlsx(filename, content)

    @post(
        "/{round_id:int}/decisions",
        guards=[requires_role(Role.ADVISER)],
        operation_id="RecordDecision",
        status_code=HTTP_200_OK,
        summary="Record the decision (beslutningsgrunnlag) for a need of a closed round",
    )
    async def decide(
        self,
        actor: NamedDependency[Principal],
        round_id: FromPath[int],
        data: JSONBody[s.DecisionIn],
    ) -> s.DecisionOut:
        return await decisions.record_decision(actor, round_id, data)


@get(
    "/api/public/rounds/{round_id:int}/ranking",
    opt=PUBLIC,
    operation_id="GetPublicRanking",
    tags=["rounds"],
    summary="A closed round's priority list, when published on the portal",
)
async def public_ranking(round_id: FromPath[int]) -> s.Ranking:
    return await rounds.ranking(None, round_id, public=True)


ROUTE_HANDLERS = [NeedController, RoundController, public_ranking]
