"""API of the literature app: imports, references and search, duplicates, literature checks,
the knowledge bank of measures, exports, and the public portal's read-only endpoints."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated

from litestar import Controller, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_202_ACCEPTED

from klynge.auth.guards import PUBLIC, requires_authenticated, requires_role
from klynge.auth.principal import Principal
from klynge.auth.roles import Role
from klynge.errors import FieldError, Invalid
from klynge.jobs import runner
from klynge.settings import Settings
from literature import checks, imports, measures, references, search, service
from literature import schemas as s

MANAGERS = requires_role(Role.ADVISER, Role.PLATFORM_ADMIN)


@dataclass
class ImportForm:
    """Multipart form of an import: the file plus what it is and where it came from."""

    file: UploadFile
    format: str
    source: str
    cluster_id: int | None = None
    query: str = ""
    searched_on: str = ""
    check_id: int | None = None


def _date(value: str, field: str) -> dt.date | None:
    if not value.strip():
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise Invalid("Ugyldig dato.", [FieldError(field, "Bruk formatet ÅÅÅÅ-MM-DD.")]) from None


def _format(value: str) -> s.ImportFormat:
    try:
        return s.ImportFormat(value.strip().lower())
    except ValueError:
        allowed = ", ".join(f.value for f in s.ImportFormat)
        raise Invalid(
            "Ukjent format.", [FieldError("format", f"Formatet må være ett av: {allowed}.")]
        ) from None


class ImportController(Controller):
    path = "/api/literature/imports"
    tags = ["literature"]

    @post(
        "/",
        guards=[MANAGERS],
        operation_id="CreateLiteratureImport",
        status_code=HTTP_202_ACCEPTED,
        summary="Import a reference file (RIS, BibTeX, MEDLINE, CSL-JSON, xlsx, csv) as a job",
    )
    async def create(
        self,
        actor: NamedDependency[Principal],
        settings: NamedDependency[Settings],
        dispatcher: NamedDependency[runner.Dispatcher],
        data: Annotated[ImportForm, Body(media_type=RequestEncodingType.MULTI_PART)],
    ) -> s.ImportOut:
        fmt = _format(data.format)
        content = await data.file.read(settings.max_upload_bytes + 1)
        cluster_id = await service.default_cluster(actor, data.cluster_id, data.check_id)
        return await imports.start_import(
            actor,
            dispatcher,
            content,
            cluster_id=cluster_id,
            fmt=fmt,
            source=data.source,
            filename=data.file.filename or f"import.{fmt.value}",
            max_bytes=settings.max_upload_bytes,
            query=data.query,
            searched_on=_date(data.searched_on, "searched_on"),
            check_id=data.check_id,
        )

    @get(
        "/",
        guards=[requires_authenticated],
        operation_id="ListLiteratureImports",
        summary="Imports of the caller's clusters, newest first",
    )
    async def list_imports(
        self, actor: NamedDependency[Principal], cluster_id: FromQuery[int | None] = None
    ) -> list[s.ImportOut]:
        return await imports.list_imports(actor, cluster_id)

    @get(
        "/{import_id:int}",
        guards=[requires_authenticated],
        operation_id="GetLiteratureImport",
        summary="An import's status and report",
    )
    async def get_import(
        self, actor: NamedDependency[Principal], import_id: FromPath[int]
    ) -> s.ImportOut:
        return await imports.get_import(actor, import_id)

    @post(
        "/{import_id:int}/undo",
        guards=[MANAGERS],
        operation_id="UndoLiteratureImport",
        status_code=HTTP_200_OK,
        summary="Undo an import (refused once screening has used its records)",
    )
    async def undo(
        self, actor: NamedDependency[Principal], import_id: FromPath[int]
    ) -> s.ImportOut:
        return await imports.undo_import(actor, import_id)


class ReferenceController(Controller):
    path = "/api/literature"
    tags = ["literature"]

    @get(
        "/references",
        guards=[requires_authenticated],
        operation_id="SearchReferences",
        summary="Full-text search over the cluster's references, with filters and highlighting",
    )
    async def search(
        self,
        actor: NamedDependency[Principal],
        q: FromQuery[str] = "",
        cluster_id: FromQuery[int | None] = None,
        year_from: FromQuery[int | None] = None,
        year_to: FromQuery[int | None] = None,
        evidence_type: FromQuery[list[s.EvidenceType] | None] = None,
        summarised: FromQuery[bool] = False,
        language: FromQuery[str] = "",
        source: FromQuery[str] = "",
        sort: FromQuery[str] = "relevance",
        page: FromQuery[int] = 1,
        per_page: FromQuery[int] = 25,
    ) -> search.SearchPage:
        return await service.search_references(
            actor,
            service.SearchParams(
                q=q,
                cluster_id=cluster_id,
                year_from=year_from,
                year_to=year_to,
                evidence_types=[e.value for e in evidence_type or []],
                summarised=summarised,
                language=language,
                source=source,
                sort=sort,
                page=page,
                per_page=per_page,
            ),
        )

    @get(
        "/references/export",
        guards=[requires_authenticated],
        operation_id="ExportReferences",
        summary="Selected references, or all hits of a search, as RIS, BibTeX, CSL-JSON or xlsx",
    )
    async def export(
        self,
        actor: NamedDependency[Principal],
        fmt: Annotated[str, QueryParameter(name="format")] = "ris",
        ids: FromQuery[list[int] | None] = None,
        q: FromQuery[str] = "",
        cluster_id: FromQuery[int | None] = None,
        year_from: FromQuery[int | None] = None,
        year_to: FromQuery[int | None] = None,
        evidence_type: FromQuery[list[s.EvidenceType] | None] = None,
        summarised: FromQuery[bool] = False,
        language: FromQuery[str] = "",
        source: FromQuery[str] = "",
    ) -> Response[bytes]:
        params = service.SearchParams(
            q=q,
            cluster_id=cluster_id,
            year_from=year_from,
            year_to=year_to,
            evidence_types=[e.value for e in evidence_type or []],
            summarised=summarised,
            language=language,
            source=source,
        )
        return _file(*await service.export_references(actor, fmt, ids=ids or None, params=params))

    @get(
        "/references/{reference_id:int}",
        guards=[requires_authenticated],
        operation_id="GetReference",
        summary="One reference with its provenance (every import that found it)",
    )
    async def get_reference(
        self, actor: NamedDependency[Principal], reference_id: FromPath[int]
    ) -> s.ReferenceOut:
        return await references.get_reference(actor, reference_id)

    @post(
        "/references/{reference_id:int}/evidence-type",
        guards=[MANAGERS],
        operation_id="CorrectEvidenceType",
        status_code=HTTP_200_OK,
        summary="Correct the classifier's evidence type (kept, with who corrected it)",
    )
    async def correct(
        self,
        actor: NamedDependency[Principal],
        reference_id: FromPath[int],
        data: JSONBody[s.EvidenceCorrection],
    ) -> s.ReferenceOut:
        return await references.correct_evidence_type(actor, reference_id, data)

    @get(
        "/duplicates",
        guards=[requires_authenticated],
        operation_id="ListPossibleDuplicates",
        summary="Possible duplicates (fuzzy title matches) waiting for a person",
    )
    async def duplicates(
        self,
        actor: NamedDependency[Principal],
        cluster_id: FromQuery[int | None] = None,
        status: FromQuery[str] = "open",
    ) -> list[s.DuplicateOut]:
        return await references.list_duplicates(actor, cluster_id, status)

    @post(
        "/duplicates/{candidate_id:int}",
        guards=[MANAGERS],
        operation_id="DecideDuplicate",
        status_code=HTTP_200_OK,
        summary="Merge, mark as not a duplicate, or undo a merge",
    )
    async def decide(
        self,
        actor: NamedDependency[Principal],
        candidate_id: FromPath[int],
        data: JSONBody[s.DuplicateDecision],
    ) -> s.DuplicateOut:
        return await references.decide_duplicate(actor, candidate_id, data)

    @post(
        "/sources/{source_id:int}/split",
        guards=[MANAGERS],
        operation_id="SplitReferenceSource",
        status_code=HTTP_200_OK,
        summary="Undo an automatic merge: the source becomes a reference of its own again",
    )
    async def split(
        self, actor: NamedDependency[Principal], source_id: FromPath[int]
    ) -> s.ReferenceOut:
        return await references.split_source(actor, source_id)


def _file(content: bytes, media_type: str, filename: str) -> Response[bytes]:
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


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
        return await checks.candidates(
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
        return await checks.decide(actor, check_id, data)

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
        return await checks.set_verdict(actor, check_id, data)

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
        return _file(*await service.check_report(actor, check_id))

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
        return _file(*await service.export_check(actor, check_id, fmt, selection))


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


class PublicLiteratureController(Controller):
    path = "/api/public"
    tags = ["portal"]

    @get(
        "/literature",
        opt=PUBLIC,
        operation_id="SearchPublicLiterature",
        summary="Search the summarised research behind public measures and answered needs",
    )
    async def search(
        self,
        q: FromQuery[str] = "",
        evidence_type: FromQuery[list[s.EvidenceType] | None] = None,
        year_from: FromQuery[int | None] = None,
        year_to: FromQuery[int | None] = None,
        page: FromQuery[int] = 1,
        per_page: FromQuery[int] = 25,
    ) -> search.SearchPage:
        return await service.search_public(
            service.SearchParams(
                q=q,
                evidence_types=[e.value for e in evidence_type or []],
                year_from=year_from,
                year_to=year_to,
                page=page,
                per_page=per_page,
            )
        )

    @get(
        "/answered-needs",
        opt=PUBLIC,
        operation_id="ListPublicVerdicts",
        summary="Needs with a published literature verdict",
    )
    async def verdicts(self, q: FromQuery[str] = "") -> list[s.PublicVerdict]:
        return await service.public_verdicts(q)

    @get(
        "/answered-needs/{check_id:int}",
        opt=PUBLIC,
        operation_id="GetPublicVerdict",
        summary="A published verdict with the reviews behind it",
    )
    async def verdict(self, check_id: FromPath[int]) -> s.PublicVerdict:
        return await service.public_verdict(check_id)


ROUTE_HANDLERS = [
    ImportController,
    ReferenceController,
    CheckController,
    MeasureController,
    PublicLiteratureController,
]
