"""API of references: search, export, one reference, evidence-type corrections, duplicates."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK

from klynge.auth.guards import requires_authenticated, requires_role
from klynge.auth.principal import Principal
from klynge.auth.roles import Role
from literature import references, search, service
from literature import schemas as s

MANAGERS = requires_role(Role.ADVISER, Role.PLATFORM_ADMIN)


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
        return file_response(
            *await service.export_references(actor, fmt, ids=ids or None, params=params)
        )

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


def file_response(content: bytes, media_type: str, filename: str) -> Response[bytes]:
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
