"""API of literature checks: start, searches, screening, verdict, PRISMA, report and export."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK

from klynge.auth.guards import requires_authenticated, requires_role
from klynge.auth.principal import Principal
from klynge.auth.roles import Role
from literature import check_screening, checks, service, verdicts
from literature import schemas as s
from literature.controllers.references import file_response

MANAGERS = requires_role(Role.ADVISER, Role.PLATFORM_ADMIN)


class CheckController(Controller):
    path = "/api"
    tags = ["literature checks"]

    @post(
        "/needs/{need_id:int}/literature-checks",
        guards=[MANAGERS],
        operation_id="CreateLiteratureCheck",
        summary="Start a literature check (verification) of a knowledge need",
    )
    async def create(
        self,
        actor: NamedDependency[Principal],
        need_id: FromPath[int],
        data: JSONBody[s.CheckCreate],
    ) -> s.CheckOut:
        return await checks.create_check(actor, need_id, data)

    @get(
        "/needs/{need_id:int}/literature-checks",
        guards=[requires_authenticated],
        operation_id="ListLiteratureChecksOfNeed",
        summary="The literature checks of a need",
    )
    async def of_need(
        self, actor: NamedDependency[Principal], need_id: FromPath[int]
    ) -> list[s.CheckOut]:
        return await checks.list_checks(actor, need_id=need_id)

    @get(
        "/literature-checks",
        guards=[requires_authenticated],
        operation_id="ListLiteratureChecks",
        summary="Literature checks of the caller's clusters",
    )
    async def list_checks(
        self, actor: NamedDependency[Principal], cluster_id: FromQuery[int | None] = None
    ) -> list[s.CheckOut]:
        return await checks.list_checks(actor, cluster_id=cluster_id)

    @get(
        "/literature-checks/{check_id:int}",
        guards=[requires_authenticated],
        operation_id="GetLiteratureCheck",
        summary="A literature check with searches, imports, PRISMA counts and verdict",
    )
    async def get_check(
        self, actor: NamedDependency[Principal], check_id: FromPath[int]
    ) -> s.CheckOut:
        return await checks.get_check(actor, check_id)

    @post(
        "/literature-checks/{check_id:int}/searches",
        guards=[MANAGERS],
        operation_id="AddLiteratureSearch",
        summary="Record a searched source without a file (e.g. no hits)",
    )
    async def add_search(
        self,
        actor: NamedDependency[Principal],
        check_id: FromPath[int],
        data: JSONBody[s.SearchCreate],
    ) -> s.CheckOut:
        return await checks.add_search(actor, check_id, data)

    @get(
        "/literature-checks/{check_id:int}/candidates",
        guards=[requires_authenticated],
        operation_id="ListScreeningCandidates",
        summary="The check's unique records with their screening state",
    )
    async def candidates(
        self,
        actor: NamedDependency[Principal],
        check_id: FromPath[int],
        stage: FromQuery[s.Stage | None] = None,
        outcome: Annotated[str | None, QueryParameter(name="state")] = None,
    ) -> list[s.CandidateOut]:
        return await check_screening.candidates(
            actor, check_id, stage=stage.value if stage else None, state=outcome
        )

    @post(
        "/literature-checks/{check_id:int}/decisions",
        guards=[requires_authenticated],
        operation_id="RecordScreeningDecision",
        summary="A screener's include / exclude / uncertain decision on one record",
    )
    async def decide(
        self,
        actor: NamedDependency[Principal],
        check_id: FromPath[int],
        data: JSONBody[s.DecisionCreate],
    ) -> s.DecisionOut:
        return await check_screening.decide(actor, check_id, data)

    @post(
        "/literature-checks/{check_id:int}/verdict",
        guards=[MANAGERS],
        operation_id="SetLiteratureVerdict",
        status_code=HTTP_200_OK,
        summary="The verdict; sets the need's knowledge-gap score and status",
    )
    async def verdict(
        self,
        actor: NamedDependency[Principal],
        check_id: FromPath[int],
        data: JSONBody[s.VerdictCreate],
    ) -> s.CheckOut:
        return await verdicts.set_verdict(actor, check_id, data)

    @get(
        "/literature-checks/{check_id:int}/prisma.svg",
        guards=[requires_authenticated],
        operation_id="GetPrismaDiagram",
        summary="PRISMA 2020 flow diagram of the check (SVG)",
    )
    async def prisma_svg(
        self,
        actor: NamedDependency[Principal],
        check_id: FromPath[int],
        lang: FromQuery[str] = "",
    ) -> Response[str]:
        svg = await service.prisma_svg(actor, check_id, lang or actor.language)
        return Response(svg, media_type="image/svg+xml")

    @get(
        "/literature-checks/{check_id:int}/report.docx",
        guards=[requires_authenticated],
        operation_id="GetLiteratureCheckReport",
        summary="The check as a DOCX report: search strategy, PRISMA, reviews, verdict",
    )
    async def report(
        self, actor: NamedDependency[Principal], check_id: FromPath[int]
    ) -> Response[bytes]:
        return file_response(*await service.check_report(actor, check_id))

    @get(
        "/literature-checks/{check_id:int}/export",
        guards=[requires_authenticated],
        operation_id="ExportLiteratureCheck",
        summary="The check's references (all, included, or the verdict's reviews) as a file",
    )
    async def export(
        self,
        actor: NamedDependency[Principal],
        check_id: FromPath[int],
        fmt: Annotated[str, QueryParameter(name="format")] = "ris",
        selection: FromQuery[str] = "all",
    ) -> Response[bytes]:
        return file_response(*await service.export_check(actor, check_id, fmt, selection))
