"""Use cases for prioritisation rounds: open, score (blind), close, decide, publish, export."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from klynge import audit
from klynge.auth.principal import Principal
from klynge.auth.tables import Account
from klynge.db import json_value, transaction
from klynge.errors import Conflict, FieldError, Forbidden, Invalid, NotFound
from klynge.orgs.tables import Cluster, ClusterMembership, Municipality
from klynge.scoping import can_manage_cluster, cluster_filter, ensure_cluster_visible
from priorities import needs, scoring
from priorities import schemas as s
from priorities.tables import Decision, Need, PriorityRound, RoundNeed, RoundRater, Score

CRITERIA = scoring.CRITERIA
DEFAULT_WEIGHTS = dict.fromkeys(scoring.ALL_CRITERIA, 1.0)
ROUNDABLE = (s.NeedStatus.SUBMITTED, s.NeedStatus.DEFERRED, s.NeedStatus.LITERATURE_CHECKED)


_json = json_value  # JSON columns come back as text on SQLite


def _weights(raw: Mapping[str, float]) -> dict[str, float]:
    unknown = sorted(set(raw) - set(scoring.ALL_CRITERIA))
    if unknown:
        raise Invalid("Ukjent kriterium.", [FieldError("weights", f"Ukjent: {', '.join(unknown)}")])
    weights = {**DEFAULT_WEIGHTS, **{k: float(v) for k, v in raw.items()}}
    tiny = sorted(k for k, v in weights.items() if 0 < v < scoring.MIN_WEIGHT)
    if tiny:
        raise Invalid(
            "En vekt er enten 0 (kriteriet telles ikke) eller minst 0,000001.",
            [FieldError("weights", f"For liten vekt: {', '.join(tiny)}")],
        )
    if sum(weights.values()) <= 0:
        raise Invalid(
            "Minst ett kriterium må ha vekt over null.",
            [FieldError("weights", "Alle vektene er null.")],
        )
    return weights


async def _load(round_id: int) -> dict[str, Any]:
    row = await PriorityRound.select().where(PriorityRound.id == round_id).first()
    if row is None:
        raise NotFound("Fant ikke prioriteringsrunden.")
    return row


async def load_round(round_id: int) -> dict[str, Any]:
    """A round's row, for other apps (no visibility check: the caller scopes it)."""
    return await _load(round_id)


async def _rater(round_id: int, account_id: int) -> dict[str, Any] | None:
    return (
        await RoundRater.select()
        .where(RoundRater.round == round_id, RoundRater.account == account_id)
        .first()
    )


async def load_visible(actor: Principal | None, round_id: int) -> dict[str, Any]:
    """Cluster members see a round; a panel member sees the round they rate in."""
    row = await _load(round_id)
    if actor is not None and await _rater(round_id, actor.account_id) is not None:
        return row
    ensure_cluster_visible(actor, row["cluster"])
    return row


async def _need_ids(round_id: int) -> list[int]:
    rows = await RoundNeed.select(RoundNeed.need).where(RoundNeed.round == round_id)
    return sorted(r["need"] for r in rows)


async def create_round(actor: Principal, data: s.RoundCreate) -> s.RoundOut:
    if not can_manage_cluster(actor, data.cluster_id):
        raise Forbidden("Bare klyngens FoU-rådgiver kan åpne en prioriteringsrunde.")
    weights = _weights(data.weights)
    need_ids = sorted(set(data.need_ids))
    async with transaction():
        if not await Cluster.exists().where(Cluster.id == data.cluster_id):
            raise NotFound("Fant ikke klyngen.")
        rows = await Need.select(Need.id, Need.cluster, Need.status).where(Need.id.is_in(need_ids))
        found = {r["id"]: r for r in rows}
        errors = []
        for need_id in need_ids:
            row = found.get(need_id)
            if row is None or row["cluster"] != data.cluster_id:
                errors.append(FieldError("need_ids", f"Behov {need_id} finnes ikke i klyngen."))
            elif row["status"] not in ROUNDABLE:
                errors.append(
                    FieldError(
                        "need_ids", f"Behov {need_id} har status «{row['status']}», ikke innsendt."
                    )
                )
        accounts = {r.account_id for r in data.raters}
        if len(accounts) != len(data.raters):
            errors.append(FieldError("raters", "En person kan bare være med én gang i panelet."))
        known = {
            r["id"]
            for r in await Account.select(Account.id).where(
                Account.id.is_in(sorted(accounts)), Account.is_active.eq(True)
            )
        }
        members = {
            r["municipality"]
            for r in await ClusterMembership.select(ClusterMembership.municipality).where(
                ClusterMembership.cluster == data.cluster_id, ClusterMembership.status == "member"
            )
        }
        for rater in data.raters:
            if rater.account_id not in known:
                errors.append(
                    FieldError("raters", f"Ukjent eller inaktiv bruker {rater.account_id}.")
                )
            if rater.municipality_id is not None and rater.municipality_id not in members:
                errors.append(
                    FieldError(
                        "raters", f"Kommune {rater.municipality_id} er ikke medlem av klyngen."
                    )
                )
        if errors:
            raise Invalid("Runden kan ikke åpnes.", errors)
        row = (
            await PriorityRound.insert(
                PriorityRound(
                    cluster=data.cluster_id,
                    name=data.name.strip(),
                    status="open",
                    deadline=data.deadline,
                    weights=weights,
                    weighting=data.weighting.value,
                    pseudonymise=data.pseudonymise,
                    publish_public=data.publish_public,
                    created_by=actor.account_id,
                )
            ).returning(*PriorityRound.all_columns())
        )[0]
        for need_id in need_ids:
            await RoundNeed.insert(RoundNeed(round=row["id"], need=need_id))
            await needs.set_status(
                actor,
                need_id,
                s.NeedStatus.UNDER_ASSESSMENT,
                f"Med i prioriteringsrunden «{row['name']}»",
            )
        for rater in data.raters:
            await RoundRater.insert(
                RoundRater(
                    round=row["id"],
                    account=rater.account_id,
                    stakeholder_group=rater.group.value,
                    municipality=rater.municipality_id,
                )
            )
        await audit.record(
            actor,
            "round.create",
            "round",
            row["id"],
            cluster_id=data.cluster_id,
            after={**row, "need_ids": need_ids, "raters": [r.account_id for r in data.raters]},
        )
    return await round_out(actor, row["id"])


async def _progress(round_id: int, total: int) -> list[s.RaterProgress]:
    raters = (
        await RoundRater.select(RoundRater.all_columns(), RoundRater.account.name)
        .where(RoundRater.round == round_id)
        .order_by(RoundRater.id)
    )
    scores = await Score.select(Score.rater, Score.nytte, Score.alvorlighet, Score.ressurs).where(
        Score.round == round_id
    )
    answered: dict[int, int] = {}
    for row in scores:
        if all(row[c] is not None for c in CRITERIA):
            answered[row["rater"]] = answered.get(row["rater"], 0) + 1
    return [
        s.RaterProgress(
            account_id=r["account"],
            name=r["account.name"],
            group=r["stakeholder_group"],
            municipality_id=r["municipality"],
            answered=answered.get(r["id"], 0),
            total=total,
            finished=r["finished_at"] is not None,
        )
        for r in raters
    ]


async def round_out(actor: Principal, round_id: int) -> s.RoundOut:
    row = await load_visible(actor, round_id)
    need_ids = await _need_ids(round_id)
    rater = await _rater(round_id, actor.account_id)
    return s.RoundOut(
        id=row["id"],
        cluster_id=row["cluster"],
        name=row["name"],
        status=row["status"],
        deadline=row["deadline"],
        weights=_json(row["weights"]) or {},
        weighting=row["weighting"],
        pseudonymise=bool(row["pseudonymise"]),
        publish_public=bool(row["publish_public"]),
        created_at=row["created_at"],
        closed_at=row["closed_at"],
        need_ids=need_ids,
        am_rater=rater is not None,
        # Advisers see who has finished, never the scores (blind until close).
        progress=await _progress(round_id, len(need_ids))
        if can_manage_cluster(actor, row["cluster"])
        else [],
    )


async def list_rounds(actor: Principal, cluster_id: int | None = None) -> list[s.RoundOut]:
    query = PriorityRound.select(PriorityRound.id, PriorityRound.cluster).order_by(
        PriorityRound.id, ascending=False
    )
    scope = cluster_filter(PriorityRound.cluster, actor)
    rated = {
        r["round"]
        for r in await RoundRater.select(RoundRater.round).where(
            RoundRater.account == actor.account_id
        )
    }
    rows = await (
        query.where(scope | PriorityRound.id.is_in(sorted(rated) or [-1]))
        if scope is not None
        else query
    )
    if cluster_id is not None:
        rows = [r for r in rows if r["cluster"] == cluster_id]
    return [await round_out(actor, r["id"]) for r in rows]


async def my_scores(actor: Principal, round_id: int) -> s.ScoresOut:
    """Only the caller's own scores, before and after close."""
    await load_visible(actor, round_id)
    rater = await _rater(round_id, actor.account_id)
    if rater is None:
        raise Forbidden("Du er ikke med i panelet for denne runden.")
    need_ids = await _need_ids(round_id)
    rows = await Score.select().where(Score.rater == rater["id"]).order_by(Score.need)
    items = [
        s.ScoreIn(
            need_id=r["need"],
            nytte=r["nytte"],
            alvorlighet=r["alvorlighet"],
            ressurs=r["ressurs"],
            comment=r["comment"],
        )
        for r in rows
    ]
    answered = sum(1 for r in rows if all(r[c] is not None for c in CRITERIA))
    return s.ScoresOut(
        round_id=round_id,
        scores=items,
        answered=answered,
        total=len(need_ids),
        finished=rater["finished_at"] is not None,
    )


async def put_scores(actor: Principal, round_id: int, data: s.ScoresIn) -> s.ScoresOut:
    """Save the caller's scores (upsert per need); saving as you go is allowed until close."""
    needs.check_text({f"scores[{i}].comment": x.comment for i, x in enumerate(data.scores)})
    async with transaction():
        row = await load_visible(actor, round_id)
        rater = await _rater(round_id, actor.account_id)
        if rater is None:
            raise Forbidden("Du er ikke med i panelet for denne runden.")
        if row["status"] != "open":
            raise Conflict("Runden er lukket; skårene kan ikke endres.")
        allowed = set(await _need_ids(round_id))
        wrong = [x.need_id for x in data.scores if x.need_id not in allowed]
        if wrong:
            raise Invalid(
                "Behovet er ikke med i runden.",
                [FieldError("scores", f"Behov {i} er ikke med i runden.") for i in wrong],
            )
        now = dt.datetime.now(dt.UTC)
        for item in data.scores:
            values = {
                Score.nytte: item.nytte,
                Score.alvorlighet: item.alvorlighet,
                Score.ressurs: item.ressurs,
                Score.comment: item.comment.strip(),
                Score.updated_at: now,
            }
            updated = (
                await Score.update(values)
                .where(Score.rater == rater["id"], Score.need == item.need_id)
                .returning(Score.id)
            )
            if not updated:
                await Score.insert(
                    Score(
                        round=round_id,
                        rater=rater["id"],
                        need=item.need_id,
                        nytte=item.nytte,
                        alvorlighet=item.alvorlighet,
                        ressurs=item.ressurs,
                        comment=item.comment.strip(),
                    )
                )
        await RoundRater.update({RoundRater.finished_at: now if data.finished else None}).where(
            RoundRater.id == rater["id"]
        )
    return await my_scores(actor, round_id)


async def _ratings(round_id: int) -> list[scoring.Rating]:
    raters = {r["id"]: r for r in await RoundRater.select().where(RoundRater.round == round_id)}
    # Only the columns scoring needs: parsing 20,000 timestamps and comments costs seconds.
    rows = await Score.select(
        Score.rater, Score.need, Score.nytte, Score.alvorlighet, Score.ressurs
    ).where(Score.round == round_id)

    def answer(value: int | None) -> int | None:
        return value if value else None  # 0 = "kan ikke vurdere", None = unanswered

    return [
        scoring.Rating(
            rater_id=r["rater"],
            need_id=r["need"],
            group=raters[r["rater"]]["stakeholder_group"],
            municipality_id=raters[r["rater"]]["municipality"],
            nytte=answer(r["nytte"]),
            alvorlighet=answer(r["alvorlighet"]),
            ressurs=answer(r["ressurs"]),
        )
        for r in rows
    ]


def compute(
    need_ids: list[int],
    ratings: list[scoring.Rating],
    weights: Mapping[str, float],
    weighting: str,
    gaps: Mapping[int, int | None],
) -> scoring.RoundResult:
    return scoring.score_round(
        need_ids,
        ratings,
        scoring.RoundConfig(weights=dict(weights), weighting=scoring.Weighting(weighting)),
        knowledge_gap=gaps,
    )


def result_json(result: scoring.RoundResult) -> list[dict[str, Any]]:
    return [
        {
            "need_id": n.need_id,
            "rank": n.rank,
            "score": n.score,
            "criteria": n.criteria,
            "agreement": n.agreement,
            "aea": n.aea,
            "raters": n.raters,
            "blanks": n.blanks,
            "group_scores": n.group_scores,
            "rank_min": n.rank_min,
            "rank_max": n.rank_max,
            "unstable": n.unstable,
        }
        for n in result.needs
    ]


async def recompute(round_id: int) -> list[dict[str, Any]]:
    """The ranking from the stored scores (closing stores exactly this)."""
    row = await _load(round_id)
    need_ids = await _need_ids(round_id)
    if row["status"] == "closed":  # the gaps as they were at close
        gaps = {
            r["need"]: r["knowledge_gap"]
            for r in await RoundNeed.select(RoundNeed.need, RoundNeed.knowledge_gap).where(
                RoundNeed.round == round_id
            )
        }
    else:
        gaps = {
            r["id"]: r["knowledge_gap"]
            for r in await Need.select(Need.id, Need.knowledge_gap).where(
                Need.id.is_in(need_ids or [-1])
            )
        }
    result = compute(
        need_ids, await _ratings(round_id), _json(row["weights"]) or {}, row["weighting"], gaps
    )
    return result_json(result)


async def prioritised_needs(round_id: int) -> list[int]:
    """A closed round's needs decided "prioritised", in ranked order (for assignment)."""
    row = await _load(round_id)
    if row["status"] != "closed":
        return []
    decided = {
        d["need"]
        for d in await Decision.select(Decision.need).where(
            Decision.round == round_id, Decision.decision == "prioritised"
        )
    }
    ranks = {item["need_id"]: item["rank"] for item in _json(row["result"]) or []}
    return sorted(decided, key=lambda n: (ranks.get(n, 10**9), n))


async def close_round(actor: Principal, round_id: int) -> s.Ranking:
    async with transaction():
        row = await _load(round_id)
        if not can_manage_cluster(actor, row["cluster"]):
            raise Forbidden()
        if row["status"] != "open":
            raise Conflict("Runden er allerede lukket.")
        items = await recompute(round_id)
        for need in await Need.select(Need.id, Need.knowledge_gap).where(
            Need.id.is_in(await _need_ids(round_id) or [-1])
        ):
            await RoundNeed.update({RoundNeed.knowledge_gap: need["knowledge_gap"]}).where(
                RoundNeed.round == round_id, RoundNeed.need == need["id"]
            )
        now = dt.datetime.now(dt.UTC)
        closed = (
            await PriorityRound.update(
                {
                    PriorityRound.status: "closed",
                    PriorityRound.closed_at: now,
                    PriorityRound.result: items,
                }
            )
            .where(PriorityRound.id == round_id, PriorityRound.status == "open")
            .returning(PriorityRound.id)
        )
        if not closed:
            raise Conflict("Runden ble lukket samtidig av noen andre.")
        await audit.record(
            actor,
            "round.close",
            "round",
            round_id,
            cluster_id=row["cluster"],
            after={"closed_at": now, "needs": len(items)},
        )
    return await ranking(actor, round_id)


async def ranking(actor: Principal | None, round_id: int, *, public: bool = False) -> s.Ranking:
    row = await _load(round_id)
    if public:
        if not row["publish_public"] or row["status"] != "closed":
            raise NotFound("Fant ikke prioriteringslisten.")
    else:
        await load_visible(actor, round_id)
    if row["status"] != "closed":
        raise Conflict("Resultatene er skjult til runden er lukket.")
    items = _json(row["result"]) or []
    titles = {
        r["id"]: r["title"]
        for r in await Need.select(Need.id, Need.title).where(
            Need.id.is_in([i["need_id"] for i in items] or [-1])
        )
    }
    decisions = {d["need"]: d for d in await Decision.select().where(Decision.round == round_id)}
    return s.Ranking(
        round_id=round_id,
        name=row["name"],
        closed_at=row["closed_at"],
        weights=_json(row["weights"]) or {},
        weighting=row["weighting"],
        items=[
            s.RankingItem(
                need_id=i["need_id"],
                title=titles.get(i["need_id"], ""),
                rank=i["rank"],
                score=i["score"],
                criteria=i["criteria"],
                agreement=i["agreement"],
                aea=i["aea"],
                rank_min=i["rank_min"],
                rank_max=i["rank_max"],
                unstable=i["unstable"],
                raters=i["raters"],
                blanks=i["blanks"],
                group_scores=i["group_scores"],
                decision=decisions[i["need_id"]]["decision"] if i["need_id"] in decisions else None,
                justification=decisions[i["need_id"]]["justification"]
                if i["need_id"] in decisions
                else "",
            )
            for i in items
        ],
    )


def departs_from_rank(
    ranks: Mapping[int, int | None], decided: Mapping[int, str], need_id: int, decision: str
) -> bool:
    """A decision departs from the computed rank when it breaks the order: a prioritised need
    ranked below a need that was not prioritised, or the other way round. Pure."""
    rank = ranks.get(need_id)
    if rank is None or decision == s.DecisionKind.DEFERRED:
        return False
    for other, other_decision in decided.items():
        other_rank = ranks.get(other)
        if other == need_id or other_rank is None:
            continue
        if (
            decision == s.DecisionKind.PRIORITISED
            and other_decision == "not_prioritised"
            and other_rank < rank
        ):
            return True
        if (
            decision == s.DecisionKind.NOT_PRIORITISED
            and other_decision == "prioritised"
            and other_rank > rank
        ):
            return True
    return False


_STATUS_FOR = {
    s.DecisionKind.PRIORITISED: s.NeedStatus.PRIORITISED,
    s.DecisionKind.NOT_PRIORITISED: s.NeedStatus.NOT_PRIORITISED,
    s.DecisionKind.DEFERRED: s.NeedStatus.DEFERRED,
}
DECISION_TEXT = (
    "justification",
    "situation",
    "frame",
    "assessment",
    "knowledge_base",
    "participation",
    "child_best_interest",
    "local_conditions",
    "equal_access",
    "departs_reason",
)


async def record_decision(actor: Principal, round_id: int, data: s.DecisionIn) -> s.DecisionOut:
    needs.check_text({f: getattr(data, f) for f in DECISION_TEXT})
    async with transaction():
        row = await _load(round_id)
        if not can_manage_cluster(actor, row["cluster"]):
            raise Forbidden()
        if row["status"] != "closed":
            raise Conflict("Beslutninger tas når runden er lukket.")
        items = _json(row["result"]) or []
        ranks = {i["need_id"]: i["rank"] for i in items}
        if data.need_id not in ranks:
            raise Invalid(
                "Behovet er ikke med i runden.",
                [FieldError("need_id", "Behovet er ikke med i runden.")],
            )
        decided = {
            d["need"]: d["decision"]
            for d in await Decision.select(Decision.need, Decision.decision).where(
                Decision.round == round_id
            )
        }
        departs = departs_from_rank(ranks, decided, data.need_id, data.decision.value)
        if departs and not data.departs_reason.strip():
            raise Invalid(
                "Beslutningen avviker fra den beregnede rangeringen og må begrunnes.",
                [
                    FieldError(
                        "departs_reason", "Forklar hvorfor beslutningen avviker fra rangeringen."
                    )
                ],
            )
        values = {f: getattr(data, f).strip() for f in DECISION_TEXT}
        existing = (
            await Decision.select(Decision.id)
            .where(Decision.round == round_id, Decision.need == data.need_id)
            .first()
        )
        now = dt.datetime.now(dt.UTC)
        if existing:
            await Decision.update(
                {
                    **{getattr(Decision, k): v for k, v in values.items()},
                    Decision.decision: data.decision.value,
                    Decision.decided_by: actor.account_id,
                    Decision.decided_at: now,
                }
            ).where(Decision.id == existing["id"])
        else:
            await Decision.insert(
                Decision(
                    round=round_id,
                    need=data.need_id,
                    decision=data.decision.value,
                    decided_by=actor.account_id,
                    **values,
                )
            )
        reason = data.justification.strip()
        await needs.set_status(
            actor, data.need_id, _STATUS_FOR[data.decision], reason, rank=ranks[data.need_id]
        )
        await audit.record(
            actor,
            "round.decision",
            "round",
            round_id,
            cluster_id=row["cluster"],
            after={
                "need_id": data.need_id,
                "decision": data.decision.value,
                "departs_from_rank": departs,
                **values,
            },
        )
    return s.DecisionOut(
        need_id=data.need_id,
        decision=data.decision.value,
        justification=values["justification"],
        departs_from_rank=departs,
        departs_reason=values["departs_reason"],
        decided_at=now,
    )


async def export_xlsx(actor: Principal, round_id: int) -> tuple[str, bytes]:
    from priorities.export import ExportNeed, ExportScore, RoundExport, build_round_workbook

    row = await load_visible(actor, round_id)
    if not can_manage_cluster(actor, row["cluster"]):
        raise Forbidden("Bare klyngens FoU-rådgiver kan eksportere runden.")
    ranked = await ranking(actor, round_id)
    cluster = await Cluster.select(Cluster.name).where(Cluster.id == row["cluster"]).first()
    raters = (
        await RoundRater.select(RoundRater.all_columns(), RoundRater.account.name)
        .where(RoundRater.round == round_id)
        .order_by(RoundRater.id)
    )
    munis = {
        r["id"]: r["name"] for r in await Municipality.select(Municipality.id, Municipality.name)
    }
    labels = {
        r["id"]: (f"Panelist {i}" if row["pseudonymise"] else r["account.name"])
        for i, r in enumerate(raters, start=1)
    }
    by_rater = {r["id"]: r for r in raters}
    titles = {i.need_id: i.title for i in ranked.items}
    decisions = {d["need"]: d for d in await Decision.select().where(Decision.round == round_id)}
    scores = await Score.select().where(Score.round == round_id).order_by(Score.rater)
    export = RoundExport(
        round_name=row["name"],
        cluster_name=cluster["name"] if cluster else "",
        closed_at=row["closed_at"],
        weights=ranked.weights,
        weighting=ranked.weighting,
        group_labels={g.value: g.value for g in s.StakeholderGroup},
        needs=[
            ExportNeed(
                need_id=i.need_id,
                rank=i.rank,
                title=i.title,
                score=i.score,
                criteria=i.criteria,
                agreement=i.agreement,
                aea=i.aea,
                rank_min=i.rank_min,
                rank_max=i.rank_max,
                unstable=i.unstable,
                raters=i.raters,
                blanks=i.blanks,
                group_scores=i.group_scores,
                decision=i.decision,
                justification=i.justification,
                departs_reason=decisions[i.need_id]["departs_reason"]
                if i.need_id in decisions
                else "",
            )
            for i in ranked.items
        ],
        scores=[
            ExportScore(
                rater_label=labels[x["rater"]],
                group=by_rater[x["rater"]]["stakeholder_group"],
                municipality=munis.get(by_rater[x["rater"]]["municipality"], ""),
                need_id=x["need"],
                need_title=titles.get(x["need"], ""),
                nytte=x["nytte"] or None,
                alvorlighet=x["alvorlighet"] or None,
                ressurs=x["ressurs"] or None,
                comment=x["comment"],
            )
            for x in scores
        ],
        decisions_fields=[
            {
                "need_id": str(d["need"]),
                "decision": d["decision"],
                **{f: d[f] for f in DECISION_TEXT},
            }
            for d in decisions.values()
        ],
    )
    filename = f"prioriteringsrunde-{round_id}.xlsx"
    return filename, build_round_workbook(export)
