"""Literature use cases that join the parts: search with tenant scoping, exports, the PRISMA
diagram and DOCX report of a check, and the portal's public search (its verdicts:
`portal_reads`)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from klynge.auth.principal import Principal
from klynge.errors import FieldError, Invalid, NotFound
from klynge.i18n import N_
from klynge.jobs import runner
from klynge.orgs.tables import Cluster
from klynge.scoping import can_manage_cluster, ensure_cluster_visible, visible_cluster_ids
from literature import (
    check_screening,
    checks,
    imports,
    prisma,
    prisma_diagram,
    references,
    report,
    search,
)
from literature import schemas as s
from literature.export import EXPORTERS
from literature.portal_reads import citation
from literature.tables import LiteratureCheck
from priorities import api as priorities

MAX_EXPORT = 50_000


@dataclass
class SearchParams:
    q: str = ""
    cluster_id: int | None = None
    year_from: int | None = None
    year_to: int | None = None
    evidence_types: list[str] = field(default_factory=list)
    summarised: bool = False
    language: str = ""
    source: str = ""
    sort: str = "relevance"
    page: int = 1
    per_page: int = 25


def _validate(params: SearchParams) -> None:
    errors = []
    if params.page < 1:
        errors.append(FieldError("page", N_("The page must be 1 or greater.")))
    if not 1 <= params.per_page <= 200:
        errors.append(FieldError("per_page", N_("Between 1 and 200 hits per page.")))
    if params.sort not in ("relevance", "year", "title"):
        errors.append(FieldError("sort", N_("Sort by relevance, year or title.")))
    if (
        params.year_from is not None
        and params.year_to is not None
        and params.year_from > params.year_to
    ):
        errors.append(
            FieldError("year_to", N_("The year to must be equal to or after the year from."))
        )
    if len(params.q) > 500:
        errors.append(FieldError("q", N_("The search can be at most 500 characters.")))
    if errors:
        raise Invalid(N_("Invalid search."), errors)


async def _cluster_ids(actor: Principal, cluster_id: int | None) -> list[int]:
    if cluster_id is not None:
        ensure_cluster_visible(actor, cluster_id)
        return [cluster_id]
    visible = visible_cluster_ids(actor)
    if visible is None:  # platform admin: every cluster, named explicitly
        return [r["id"] for r in await Cluster.select(Cluster.id)]
    return sorted(visible)


def _query(params: SearchParams, **extra: object) -> search.SearchQuery:
    return search.SearchQuery(
        text=params.q,
        year_from=params.year_from,
        year_to=params.year_to,
        evidence_types=tuple(params.evidence_types),
        summarised_only=params.summarised,
        language=params.language,
        source=params.source,
        page=params.page,
        per_page=params.per_page,
        sort=params.sort,  # type: ignore[arg-type]
        **extra,  # type: ignore[arg-type]
    )


async def search_references(actor: Principal, params: SearchParams) -> search.SearchPage:
    _validate(params)
    return await search.search(
        _query(params, cluster_ids=await _cluster_ids(actor, params.cluster_id))
    )


async def search_public(params: SearchParams) -> search.SearchPage:
    """Only references a public measure or a published verdict cites, from every cluster.
    Without text, the newest first page by page, not counted (`capped`: more follow)."""
    _validate(params)
    q = _query(params, cluster_ids=None, public_only=True)
    if not q.text.strip() and q.sort != "title":
        return await search.browse(q)
    return await search.search(q)


async def default_cluster(
    actor: Principal, cluster_id: int | None, check_id: int | None = None
) -> int:
    """The cluster an upload goes to: given, the check's, or the caller's only one."""
    if cluster_id is not None:
        ensure_cluster_visible(actor, cluster_id)
        return cluster_id
    if check_id is not None:
        row = (
            await LiteratureCheck.select(LiteratureCheck.cluster)
            .where(LiteratureCheck.id == check_id)
            .first()
        )
        if row is None:
            raise NotFound(N_("We could not find the literature check."))
        ensure_cluster_visible(actor, row["cluster"])
        return int(row["cluster"])
    managed = [c for c in actor.cluster_ids if can_manage_cluster(actor, c)]
    if len(managed) == 1:
        return managed[0]
    raise Invalid(
        N_("Choose a cluster."), [FieldError("cluster_id", N_("Say which cluster it concerns."))]
    )


async def upload_import(
    actor: Principal,
    dispatcher: runner.Dispatcher,
    content: bytes,
    *,
    cluster_id: int | None,
    check_id: int | None,
    **kwargs: Any,
) -> s.ImportOut:
    """Start the import of an uploaded file into the given cluster, the check's, or the
    caller's only one (API and UI)."""
    cluster = await default_cluster(actor, cluster_id, check_id)
    return await imports.start_import(
        actor, dispatcher, content, cluster_id=cluster, check_id=check_id, **kwargs
    )


def _exporter(fmt: str) -> tuple[object, str, str]:
    found = EXPORTERS.get(fmt.strip().lower())
    if found is None:
        raise Invalid(
            N_("Unknown format."),
            [
                FieldError(
                    "format",
                    N_("The format must be one of: %(allowed)s."),
                    params={"allowed": ", ".join(EXPORTERS)},
                )
            ],
        )
    return found


async def _export(refs: Sequence[s.ReferenceOut], fmt: str, stem: str) -> tuple[bytes, str, str]:
    writer, media_type, ext = _exporter(fmt)
    records = [references.to_record(r) for r in refs]
    # The BibTeX writer runs pandoc-free, but xlsx and big files take a while: off the loop.
    content = await asyncio.to_thread(writer, records)  # type: ignore[arg-type]
    return content, media_type, f"{stem}.{ext}"


async def export_references(
    actor: Principal, fmt: str, *, ids: list[int] | None, params: SearchParams
) -> tuple[bytes, str, str]:
    """Selected references (ids), or every hit of the search, as a file."""
    _exporter(fmt)
    if ids is None:
        _validate(params)
        query = _query(params, cluster_ids=await _cluster_ids(actor, params.cluster_id))
        wanted = await search.search_ids(query, MAX_EXPORT)
    else:
        wanted = ids[:MAX_EXPORT]
    refs = await references.load_many(wanted)
    visible = visible_cluster_ids(actor)
    refs = [r for r in refs if visible is None or r.cluster_id in visible]
    if ids is not None and len(refs) != len(set(ids)):
        raise NotFound(N_("We could not find all the references."))
    return await _export(refs, fmt, "referanser")


async def export_check(
    actor: Principal, check_id: int, fmt: str, selection: str
) -> tuple[bytes, str, str]:
    """A check's records: all unique records, those included at full text, or its reviews."""
    _exporter(fmt)
    if selection not in ("all", "included", "reviews"):
        raise Invalid(
            N_("Unknown selection."),
            [FieldError("selection", N_("Choose all, included or reviews."))],
        )
    out = await checks.get_check(actor, check_id)
    if selection == "reviews":
        ids = [r.reference.id for r in out.reviews]
    else:
        candidates = await check_screening.candidates(actor, check_id)
        ids = [
            c.reference.id
            for c in candidates
            if selection == "all" or c.fulltext_state == "include"
        ]
    refs = await references.load_many(ids)
    return await _export(refs, fmt, f"litteratursjekk-{check_id}-{selection}")


LABELS = {
    "nb": prisma_diagram.LABELS_NB,
    "nn": prisma_diagram.LABELS_NN,
    "en": prisma_diagram.LABELS_EN,
}
NOT_RETRIEVED_LABEL = {"nb": "Ikke hentet", "nn": "Ikkje henta", "en": "Not retrieved"}


def reason_labels(lang: str) -> dict[str, str]:
    return {
        prisma.NOT_RETRIEVED: NOT_RETRIEVED_LABEL.get(lang, "Ikke hentet"),
        prisma.UNSPECIFIED: {"nb": "Uten grunn", "nn": "Utan grunn", "en": "No reason"}.get(
            lang, "Uten grunn"
        ),
    }


async def prisma_svg(actor: Principal | None, check_id: int, lang: str) -> str:
    counts = await checks.prisma_for(actor, check_id)
    return prisma_diagram.prisma_svg(
        counts, LABELS.get(lang, prisma_diagram.LABELS_NB), reason_labels(lang)
    )


async def check_report(actor: Principal, check_id: int) -> tuple[bytes, str, str]:
    out = await checks.get_check(actor, check_id)
    counts = await checks.prisma_for(actor, check_id)
    need = await priorities.load_need(out.need_id)
    data = report.CheckReport(
        need_title=out.need_title,
        need_question=need["question"],
        question=out.question,
        prisma=counts,
        population=out.population,
        intervention=out.intervention,
        comparison=out.comparison,
        outcome=out.outcome,
        searches=[
            report.ReportSearch(
                source=x.source,
                query=x.query,
                searched_on=x.searched_on,
                hits=x.hits,
            )
            for x in out.searches
        ],
        reviews=[
            report.ReportReview(
                citation=citation(r.reference),
                evidence_type=r.reference.evidence_type.value,
                certainty=r.certainty,
                reliability=r.reliability,
            )
            for r in out.reviews
        ],
        verdict=out.verdict.value if out.verdict else None,
        reason_code=out.reason_code.value if out.reason_code else None,
        certainty=out.certainty.value if out.certainty else None,
        summary=out.verdict_summary,
        date=out.completed_at.date() if out.completed_at else None,
        svg=prisma_diagram.prisma_svg(counts, prisma_diagram.LABELS_NB, reason_labels("nb")),
        reason_labels=reason_labels("nb"),
    )
    content = await asyncio.to_thread(report.check_report_docx, data)
    media = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return content, media, f"litteratursjekk-{check_id}.docx"
