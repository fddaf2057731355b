"""API of the public portal's read-only literature endpoints."""

from __future__ import annotations

from litestar import Controller, get
from litestar.params import FromPath, FromQuery

from klynge.auth.guards import PUBLIC
from literature import portal_reads, search, service
from literature import schemas as s


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
        return await portal_reads.public_verdicts(q)

    @get(
        "/answered-needs/{check_id:int}",
        opt=PUBLIC,
        operation_id="GetPublicVerdict",
        summary="A published verdict with the reviews behind it",
    )
    async def verdict(self, check_id: FromPath[int]) -> s.PublicVerdict:
        return await portal_reads.public_verdict(check_id)
