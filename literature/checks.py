"""Literature checks of knowledge needs: searches, screening, PRISMA counts from the stored
events, and the verdict that feeds the prioritisation's knowledge-gap criterion."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from klynge import audit, privacy
from klynge.auth import access
from klynge.auth.principal import Principal
from klynge.auth.service import load_principal
from klynge.db import json_value, transaction
from klynge.errors import Conflict, FieldError, Forbidden, Invalid, NotFound
from klynge.scoping import can_manage_cluster, cluster_filter, ensure_cluster_visible
from literature import imports, prisma, references, screening
from literature import schemas as s
from literature.tables import (
    CheckReview,
    CheckSearch,
    LiteratureCheck,
    LiteratureImport,
    Reference,
    ReferenceSource,
    ScreeningDecision,
)
from priorities import needs

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

VERDICT_NB = {"answered": "besvart", "partly": "delvis besvart", "unanswered": "ubesvart"}


async def _load(actor: Principal | None, check_id: int) -> dict[str, Any]:
    row = await LiteratureCheck.select().where(LiteratureCheck.id == check_id).first()
    if row is None:
        raise NotFound("Fant ikke litteratursjekken.")
    ensure_cluster_visible(actor, row["cluster"])
    return row


def _ensure_manager(actor: Principal, cluster_id: int) -> None:
    if not can_manage_cluster(actor, cluster_id):
        raise Forbidden("Bare klyngens FoU-rådgiver kan gjøre dette.")


async def _valid_screeners(cluster_id: int, ids: Sequence[int]) -> list[int]:
    out: list[int] = []
    for account_id in dict.fromkeys(ids):
        principal = await load_principal(account_id)
        if not access.in_cluster(principal, cluster_id):
            raise Invalid(
                "Ugyldig screener.",
                [FieldError("screeners", f"Konto {account_id} er ikke med i klyngen.")],
            )
        out.append(account_id)
    return out


async def create_check(actor: Principal, need_id: int, data: s.CheckCreate) -> s.CheckOut:
    need = await needs.load_visible(actor, need_id)
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
            "Blind screening trenger to screenere.",
            [FieldError("screeners", "Velg minst to screenere for blind screening.")],
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
            raise Conflict("Litteratursjekken er avsluttet.")
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
    need = await needs.load(row["need"])
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
        disseminate_to=await needs.askers(row["need"]) if row["disseminate"] else [],
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


# --- Screening ---------------------------------------------------------------------------------


def _may_screen(actor: Principal, row: Mapping[str, Any]) -> bool:
    screeners = [int(i) for i in json_value(row["screeners"], [])]
    return can_manage_cluster(actor, row["cluster"]) or actor.account_id in screeners


async def candidates(
    actor: Principal, check_id: int, *, stage: str | None = None, state: str | None = None
) -> list[s.CandidateOut]:
    """The check's unique records with their screening state; while screening is blind a
    screener sees only their own decisions (the adviser sees all, to reconcile)."""
    row = await _load(actor, check_id)
    decision_rows = await _decisions(check_id)
    _, outcomes, unique = await _prisma(row, decision_rows)
    manager = can_manage_cluster(actor, row["cluster"])
    visible_rows = _visible_rows(decision_rows, actor.account_id, row["blind"], manager)
    refs = {r.id: r for r in await references.load_many(unique)}
    out = []
    for ref_id in unique:
        title = outcomes.get((ref_id, "title"), screening.Outcome("pending"))
        full = outcomes.get((ref_id, "fulltext"), screening.Outcome("pending"))
        if stage == "fulltext" and not title.moves_on:
            continue
        if state is not None and (full if stage == "fulltext" else title).state != state:
            continue
        if ref_id not in refs:
            continue
        out.append(
            s.CandidateOut(
                reference=refs[ref_id],
                title_state=title.state if not row["blind"] or manager else _own(title, actor),
                fulltext_state=full.state if not row["blind"] or manager else _own(full, actor),
                title_reason=title.reason,
                fulltext_reason=full.reason,
                decisions=[_decision_out(d) for d in visible_rows if d["reference"] == ref_id],
            )
        )
    return out


def _own(outcome: screening.Outcome, actor: Principal) -> str:
    # While blind, a screener learns only whether the record is settled, not others' votes.
    if outcome.state == "conflict":
        return "pending"
    return outcome.state


def _visible_rows(
    rows: Sequence[Mapping[str, Any]], viewer: int, blind: bool, manager: bool
) -> list[Mapping[str, Any]]:
    if not blind or manager:
        return list(rows)
    return [r for r in rows if r["screener"] == viewer]


def _decision_out(row: Mapping[str, Any]) -> s.DecisionOut:
    return s.DecisionOut(
        id=row["id"],
        reference_id=row["reference"],
        stage=s.Stage(row["stage"]),
        decision=s.ScreeningChoice(row["decision"]),
        reason=row["reason"],
        note=row["note"],
        screener_id=row["screener"],
        reconciled=row["reconciled"],
        created_at=row["created_at"],
    )


async def decide(actor: Principal, check_id: int, data: s.DecisionCreate) -> s.DecisionOut:
    """Record one screening decision (include / exclude / uncertain, with a reason)."""
    async with transaction():
        row = await _load(actor, check_id)
        if not _may_screen(actor, row):
            raise Forbidden("Du er ikke screener i denne litteratursjekken.")
        if data.reconcile and not can_manage_cluster(actor, row["cluster"]):
            raise Forbidden("Bare FoU-rådgiveren kan avgjøre uenighet mellom screenere.")
        if row["status"] != "open":
            raise Conflict("Litteratursjekken er avsluttet; screeningen er låst.")
        privacy.guard_text({"note": data.note})
        errors = []
        if data.reference_id not in await candidate_ids(check_id):
            errors.append(FieldError("reference_id", "Referansen hører ikke til denne sjekken."))
        reasons = [str(r) for r in json_value(row["exclusion_reasons"], [])]
        reason = " ".join(data.reason.split())
        if data.decision is s.ScreeningChoice.EXCLUDE:
            if data.stage is s.Stage.FULLTEXT and not reason:
                errors.append(FieldError("reason", "Velg en eksklusjonsgrunn."))
            if reason and reason not in reasons:
                errors.append(FieldError("reason", "Ukjent eksklusjonsgrunn for denne sjekken."))
        elif reason:
            reason = ""  # a reason belongs to an exclusion only
        if data.stage is s.Stage.FULLTEXT and not errors:
            title = await _title_outcome(row, data.reference_id)
            if not title.moves_on:
                errors.append(
                    FieldError(
                        "stage", "Posten må inkluderes i tittel/sammendrag før fulltekstvurdering."
                    )
                )
        if errors:
            raise Invalid("Beslutningen kan ikke lagres.", errors)
        inserted = await ScreeningDecision.insert(
            ScreeningDecision(
                check=check_id,
                reference=data.reference_id,
                stage=data.stage.value,
                decision=data.decision.value,
                reason=reason,
                note=data.note,
                screener=actor.account_id,
                reconciled=data.reconcile,
            )
        ).returning(ScreeningDecision.id)
        stored = (
            await ScreeningDecision.select()
            .where(ScreeningDecision.id == inserted[0]["id"])
            .first()
        )
        assert stored is not None
    return _decision_out(stored)


async def _title_outcome(row: Mapping[str, Any], reference_id: int) -> screening.Outcome:
    _, outcomes, _ = await _prisma(row, await _decisions(row["id"]))
    return outcomes.get((reference_id, "title"), screening.Outcome("pending"))


# --- Verdict -----------------------------------------------------------------------------------


async def set_verdict(actor: Principal, check_id: int, data: s.VerdictCreate) -> s.CheckOut:
    """The verdict: answered / partly / unanswered with the supporting reviews; sets the
    need's knowledge gap and status, and flags an answered need for dissemination."""
    async with transaction():
        row = await _load(actor, check_id)
        _ensure_manager(actor, row["cluster"])
        privacy.guard_text(
            {
                "summary": data.summary,
                **{f"reviews.{i}": r.reliability for i, r in enumerate(data.reviews)},
            }
        )
        errors = []
        if data.verdict is s.Verdict.ANSWERED and data.reason_code is not None:
            errors.append(
                FieldError("reason_code", "En besvart sjekk har ingen årsak til usikkerhet.")
            )
        if data.verdict is not s.Verdict.ANSWERED and data.reason_code is None:
            errors.append(
                FieldError("reason_code", "Velg årsaken til at usikkerheten består (A–E).")
            )
        if data.verdict is not s.Verdict.UNANSWERED and not data.reviews:
            errors.append(FieldError("reviews", "Oppgi oversiktene som støtter konklusjonen."))
        review_ids = [r.reference_id for r in data.reviews]
        if len(set(review_ids)) != len(review_ids):
            errors.append(FieldError("reviews", "En oversikt er oppgitt to ganger."))
        allowed = set(await candidate_ids(check_id))
        found = {
            r["id"]
            for r in await Reference.select(Reference.id).where(
                Reference.id.is_in(review_ids or [-1]), Reference.cluster == row["cluster"]
            )
        }
        for i, ref_id in enumerate(review_ids):
            if ref_id not in allowed and ref_id not in found:
                errors.append(FieldError(f"reviews.{i}", "Ukjent referanse for denne sjekken."))
        if errors:
            raise Invalid("Konklusjonen kan ikke lagres.", errors)
        now = dt.datetime.now(dt.UTC)
        await CheckReview.delete().where(CheckReview.check == check_id)
        if data.reviews:
            await CheckReview.insert(
                *[
                    CheckReview(
                        check=check_id,
                        reference=r.reference_id,
                        certainty=r.certainty.value if r.certainty else "",
                        reliability=r.reliability,
                        supports=r.supports.value,
                    )
                    for r in data.reviews
                ]
            )
        await LiteratureCheck.update(
            {
                LiteratureCheck.status: "completed",
                LiteratureCheck.verdict: data.verdict.value,
                LiteratureCheck.reason_code: data.reason_code.value if data.reason_code else None,
                LiteratureCheck.certainty: data.certainty.value if data.certainty else None,
                LiteratureCheck.verdict_summary: data.summary,
                LiteratureCheck.public: data.public,
                LiteratureCheck.disseminate: data.verdict is s.Verdict.ANSWERED,
                LiteratureCheck.completed_at: now,
                LiteratureCheck.completed_by: actor.account_id,
            }
        ).where(LiteratureCheck.id == check_id)
        await needs.record_literature_verdict(
            actor,
            row["need"],
            data.verdict.value,
            f"Litteratursjekk {check_id}: {VERDICT_NB[data.verdict.value]}",
        )
        await audit.record(
            actor,
            "literature.check.verdict",
            "literature_check",
            check_id,
            cluster_id=row["cluster"],
            before={"verdict": row["verdict"], "status": row["status"]},
            after={"verdict": data.verdict.value, "reviews": review_ids, "public": data.public},
        )
    return await get_check(actor, check_id)


async def prisma_for(actor: Principal | None, check_id: int) -> prisma.PrismaCounts:
    row = await _load(actor, check_id)
    counts, _, _ = await _prisma(row, await _decisions(check_id))
    return counts
