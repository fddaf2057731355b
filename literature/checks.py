"""Literature checks of knowledge needs: searches, screening, PRISMA counts from the stored
events, and the verdict that feeds the prioritisation's knowledge-gap criterion."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from klynge import audit, privacy
from klynge.auth import access
from klynge.auth.principal import Principal
from klynge.auth.service import load_principal
from klynge.db import json_value, transaction
from klynge.errors import Conflict, FieldError, Forbidden, Invalid, NotFound
from klynge.i18n import N_
from klynge.scoping import can_manage_cluster, cluster_filter, ensure_cluster_visible
from literature import imports, people, prisma, references, screening
from literature import schemas as s
from literature.tables import (
    CheckReview,
    CheckSearch,
    LiteratureCheck,
    LiteratureImport,
    ReferenceSource,
    ScreeningDecision,
)
from priorities import api as priorities

# The exclusion reasons a new check starts with; the adviser edits the list per check.
DEFAULT_EXCLUSION_REASONS = (
    "Feil populasjon",
    "Feil tiltak",
    "Feil utfall",
    "Feil studiedesign",
    "Ikke en systematisk oversikt",
    "Utdatert (nyere oversikt finnes)",
    "Språk",
    prisma.NOT_RETRIEVED,
)


async def _load(actor: Principal | None, check_id: int) -> dict[str, Any]:
    row = await LiteratureCheck.select().where(LiteratureCheck.id == check_id).first()
    if row is None:
        raise NotFound(N_("We could not find the literature check."))
    ensure_cluster_visible(actor, row["cluster"])
    return row


def _ensure_manager(actor: Principal, cluster_id: int) -> None:
    if not can_manage_cluster(actor, cluster_id):
        raise Forbidden(N_("Only the cluster's R&D adviser can do this."))


async def _valid_screeners(cluster_id: int, ids: Sequence[int]) -> list[int]:
    out: list[int] = []
    for account_id in dict.fromkeys(ids):
        principal = await load_principal(account_id)
        if not access.in_cluster(principal, cluster_id):
            raise Invalid(
                N_("Invalid screener."),
                [
                    FieldError(
                        "screeners",
                        N_("Account %(account)s is not a member of the cluster."),
                        params={"account": account_id},
                    )
                ],
            )
        out.append(account_id)
    return out


async def new_check_form(
    actor: Principal, need_id: int
) -> tuple[dict[str, Any], list[tuple[int, str]]]:
    """What the form for a new check of a need shows: the need and who may screen."""
    need = await priorities.load_visible(actor, need_id)
    return need, await people.cluster_accounts(need["cluster"])


async def create_check(actor: Principal, need_id: int, data: s.CheckCreate) -> s.CheckOut:
    need = await priorities.load_visible(actor, need_id)
    _ensure_manager(actor, need["cluster"])
    privacy.guard_text(
        {
            "question": data.question,
            "population": data.population,
            "intervention": data.intervention,
            "comparison": data.comparison,
            "outcome": data.outcome,
        }
    )
    screeners = await _valid_screeners(need["cluster"], data.screeners)
    if data.blind and len(screeners) < 2:
        raise Invalid(
            N_("Blind screening needs two screeners."),
            [FieldError("screeners", N_("Choose at least two screeners for blind screening."))],
        )
    reasons = [" ".join(r.split()) for r in data.exclusion_reasons if r.strip()]
    if not reasons:
        reasons = list(DEFAULT_EXCLUSION_REASONS)
    elif prisma.NOT_RETRIEVED not in reasons:
        reasons.append(prisma.NOT_RETRIEVED)
    async with transaction():
        inserted = await LiteratureCheck.insert(
            LiteratureCheck(
                cluster=need["cluster"],
                need=need_id,
                question=data.question.strip(),
                population=data.population,
                intervention=data.intervention,
                comparison=data.comparison,
                outcome=data.outcome,
                blind=data.blind,
                screeners=screeners,
                exclusion_reasons=list(dict.fromkeys(reasons)),
                created_by=actor.account_id,
            )
        ).returning(LiteratureCheck.id)
        check_id = int(inserted[0]["id"])
        await audit.record(
            actor,
            "literature.check.create",
            "literature_check",
            check_id,
            cluster_id=need["cluster"],
            after={"need": need_id, "question": data.question},
        )
    return await get_check(actor, check_id)


async def add_search(actor: Principal, check_id: int, data: s.SearchCreate) -> s.CheckOut:
    """A searched source without an imported file (e.g. zero hits, or a hand search)."""
    async with transaction():
        row = await _load(actor, check_id)
        _ensure_manager(actor, row["cluster"])
        if row["status"] != "open":
            raise Conflict(N_("The literature check is closed."))
        privacy.guard_text({"query": data.query, "notes": data.notes})
        await CheckSearch.insert(
            CheckSearch(
                check=check_id,
                source=" ".join(data.source.split()),
                query=data.query,
                searched_on=data.searched_on,
                hits=data.hits,
                notes=data.notes,
            )
        )
    return await get_check(actor, check_id)


async def _check_imports(check_id: int) -> list[dict[str, Any]]:
    return (
        await LiteratureImport.select()
        .where(LiteratureImport.check == check_id)
        .order_by(LiteratureImport.id)
    )


async def _check_sources(check_id: int) -> list[dict[str, Any]]:
    """Provenance rows of the check's completed imports, in import and file order."""
    rows = (
        await ReferenceSource.select(
            ReferenceSource.reference,
            ReferenceSource.literature_import,
            ReferenceSource.position,
            ReferenceSource.literature_import.source.as_alias("source"),
        )
        .where(
            ReferenceSource.literature_import.check == check_id,
            ReferenceSource.literature_import.status == "done",
        )
        .order_by(ReferenceSource.literature_import)
        .order_by(ReferenceSource.position)
    )
    return list(rows)


def source_counts(rows: Sequence[Mapping[str, Any]]) -> tuple[list[prisma.SourceCount], list[int]]:
    """Records identified per source and duplicates removed per source (a record whose
    reference an earlier record of the check already brought), and the unique references."""
    seen: dict[int, None] = {}
    per_source: dict[str, list[int]] = {}
    for r in rows:
        counts = per_source.setdefault(r["source"], [0, 0])
        counts[0] += 1
        if r["reference"] in seen:
            counts[1] += 1
        else:
            seen[r["reference"]] = None
    sources = [prisma.SourceCount(name, n, d) for name, (n, d) in per_source.items()]
    return sources, list(seen)


def _decision(row: Mapping[str, Any]) -> screening.Decision:
    return screening.Decision(
        reference=row["reference"],
        stage=row["stage"],
        decision=row["decision"],
        screener=row["screener"],
        reconciled=row["reconciled"],
        at=row["created_at"],
        reason=row["reason"],
    )


async def _decisions(check_id: int) -> list[dict[str, Any]]:
    return (
        await ScreeningDecision.select()
        .where(ScreeningDecision.check == check_id)
        .order_by(ScreeningDecision.id)
    )


async def candidate_ids(check_id: int) -> list[int]:
    _, unique = source_counts(await _check_sources(check_id))
    return unique


async def _prisma(
    row: Mapping[str, Any], decision_rows: Sequence[Mapping[str, Any]]
) -> tuple[prisma.PrismaCounts, dict[tuple[int, str], screening.Outcome], list[int]]:
    sources, unique = source_counts(await _check_sources(row["id"]))
    outcomes = screening.screen(
        [_decision(d) for d in decision_rows],
        blind=row["blind"],
        screeners=[int(i) for i in json_value(row["screeners"], [])],
        references=unique,
    )
    counts = prisma.prisma_counts(
        sources,
        unique,
        outcomes,
        exclusion_reasons=[str(r) for r in json_value(row["exclusion_reasons"], [])],
    )
    return counts, outcomes, unique


def prisma_out(counts: prisma.PrismaCounts) -> s.PrismaOut:
    return s.PrismaOut(
        identified_total=counts.identified_total,
        identified_per_source=dict(counts.identified_per_source),
        duplicates_removed=counts.duplicates_removed,
        records_screened=counts.records_screened,
        records_excluded=counts.records_excluded,
        reports_sought=counts.reports_sought,
        reports_not_retrieved=counts.reports_not_retrieved,
        reports_assessed=counts.reports_assessed,
        reports_excluded=dict(counts.reports_excluded),
        studies_included=counts.studies_included,
        awaiting_title=sum(counts.awaiting["title"].values()),
        awaiting_fulltext=sum(counts.awaiting["fulltext"].values()),
        problems=list(counts.problems),
    )


async def get_check(actor: Principal | None, check_id: int) -> s.CheckOut:
    row = await _load(actor, check_id)
    counts, _, _ = await _prisma(row, await _decisions(check_id))
    return await _check_out(row, counts)


async def _check_out(row: Mapping[str, Any], counts: prisma.PrismaCounts) -> s.CheckOut:
    need = await priorities.load_need(row["need"])
    searches = (
        await CheckSearch.select().where(CheckSearch.check == row["id"]).order_by(CheckSearch.id)
    )
    review_rows = (
        await CheckReview.select().where(CheckReview.check == row["id"]).order_by(CheckReview.id)
    )
    refs = {r.id: r for r in await references.load_many(r["reference"] for r in review_rows)}
    return s.CheckOut(
        id=row["id"],
        cluster_id=row["cluster"],
        need_id=row["need"],
        need_title=need["title"],
        question=row["question"],
        population=row["population"],
        intervention=row["intervention"],
        comparison=row["comparison"],
        outcome=row["outcome"],
        blind=row["blind"],
        screeners=[int(i) for i in json_value(row["screeners"], [])],
        exclusion_reasons=[str(r) for r in json_value(row["exclusion_reasons"], [])],
        status=row["status"],
        verdict=s.Verdict(row["verdict"]) if row["verdict"] else None,
        reason_code=s.ReasonCode(row["reason_code"]) if row["reason_code"] else None,
        certainty=s.Certainty(row["certainty"]) if row["certainty"] else None,
        verdict_summary=row["verdict_summary"],
        public=row["public"],
        disseminate=row["disseminate"],
        disseminate_to=await priorities.askers(row["need"]) if row["disseminate"] else [],
        created_at=row["created_at"],
        completed_at=row["completed_at"],
        searches=[
            s.SearchOut(
                id=x["id"],
                source=x["source"],
                query=x["query"],
                searched_on=x["searched_on"],
                import_id=x["literature_import"],
                hits=x["hits"],
                notes=x["notes"],
            )
            for x in searches
        ],
        imports=[await imports.import_out(i) for i in await _check_imports(row["id"])],
        prisma=prisma_out(counts),
        reviews=[
            s.ReviewOut(
                reference=refs[r["reference"]],
                certainty=r["certainty"],
                reliability=r["reliability"],
                supports=r["supports"],
            )
            for r in review_rows
            if r["reference"] in refs
        ],
    )


async def list_checks(
    actor: Principal, *, need_id: int | None = None, cluster_id: int | None = None
) -> list[s.CheckOut]:
    query = LiteratureCheck.select().order_by(LiteratureCheck.id, ascending=False)
    where = cluster_filter(LiteratureCheck.cluster, actor)
    if where is not None:
        query = query.where(where)
    if need_id is not None:
        query = query.where(LiteratureCheck.need == need_id)
    if cluster_id is not None:
        query = query.where(LiteratureCheck.cluster == cluster_id)
    out = []
    for row in await query.limit(200):
        counts, _, _ = await _prisma(row, await _decisions(row["id"]))
        out.append(await _check_out(row, counts))
    return out


async def prisma_for(actor: Principal | None, check_id: int) -> prisma.PrismaCounts:
    row = await _load(actor, check_id)
    counts, _, _ = await _prisma(row, await _decisions(check_id))
    return counts
