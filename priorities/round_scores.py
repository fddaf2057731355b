"""Scoring a round: the rater's own scores (save as you go), the ranking computed from the
stored scores, and closing the round."""

from __future__ import annotations

import datetime as dt
from typing import Any

from klynge import audit
from klynge.auth.principal import Principal
from klynge.db import json_value, transaction
from klynge.errors import Conflict, FieldError, Forbidden, Invalid
from klynge.i18n import N_
from klynge.scoping import can_manage_cluster
from priorities import handoffs, scoring
from priorities import schemas as s
from priorities.need_rules import check_text
from priorities.round_read import CRITERIA, load, load_visible, need_ids, ranking, rater
from priorities.round_rules import compute, result_json
from priorities.tables import Need, PriorityRound, RoundNeed, RoundRater, Score

NOT_ON_PANEL = N_("You are not on the panel for this round.")
NOT_IN_ROUND = N_("The need is not part of the round.")


async def my_scores(actor: Principal, round_id: int) -> s.ScoresOut:
    """Only the caller's own scores, before and after close."""
    await load_visible(actor, round_id)
    mine = await rater(round_id, actor.account_id)
    if mine is None:
        raise Forbidden(NOT_ON_PANEL)
    ids = await need_ids(round_id)
    rows = await Score.select().where(Score.rater == mine["id"]).order_by(Score.need)
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
        total=len(ids),
        finished=mine["finished_at"] is not None,
    )


async def _save_score(round_id: int, rater_id: int, item: s.ScoreIn, now: dt.datetime) -> None:
    values = {
        Score.nytte: item.nytte,
        Score.alvorlighet: item.alvorlighet,
        Score.ressurs: item.ressurs,
        Score.comment: item.comment.strip(),
        Score.updated_at: now,
    }
    updated = (
        await Score.update(values)
        .where(Score.rater == rater_id, Score.need == item.need_id)
        .returning(Score.id)
    )
    if not updated:
        await Score.insert(
            Score(
                round=round_id,
                rater=rater_id,
                need=item.need_id,
                nytte=item.nytte,
                alvorlighet=item.alvorlighet,
                ressurs=item.ressurs,
                comment=item.comment.strip(),
            )
        )


UNFINISHED = N_(
    "Answer all three questions for every need before you mark the scoring as finished "
    "(choose “Cannot assess” where you cannot answer). %(answered)s of %(total)s needs are "
    "answered."
)


async def _ensure_complete(rater_id: int, total: int) -> None:
    """Finished means every need answered (0 = "kan ikke vurdere" counts as an answer)."""
    rows = await Score.select(Score.nytte, Score.alvorlighet, Score.ressurs).where(
        Score.rater == rater_id
    )
    answered = sum(all(r[c] is not None for c in ("nytte", "alvorlighet", "ressurs")) for r in rows)
    if answered < total:
        params = {"answered": answered, "total": total}
        raise Invalid(
            UNFINISHED, [FieldError("finished", UNFINISHED, params=params)], params=params
        )


async def put_scores(actor: Principal, round_id: int, data: s.ScoresIn) -> s.ScoresOut:
    """Save the caller's scores (upsert per need); saving as you go is allowed until close."""
    check_text({f"scores[{i}].comment": x.comment for i, x in enumerate(data.scores)})
    async with transaction():
        row = await load_visible(actor, round_id)
        mine = await rater(round_id, actor.account_id)
        if mine is None:
            raise Forbidden(NOT_ON_PANEL)
        if row["status"] != "open":
            raise Conflict(N_("The round is closed; the scores cannot be changed."))
        allowed = set(await need_ids(round_id))
        wrong = [x.need_id for x in data.scores if x.need_id not in allowed]
        if wrong:
            raise Invalid(
                NOT_IN_ROUND,
                [
                    FieldError(
                        "scores", N_("Need %(id)s is not part of the round."), params={"id": i}
                    )
                    for i in wrong
                ],
            )
        now = dt.datetime.now(dt.UTC)
        for item in data.scores:
            await _save_score(round_id, mine["id"], item, now)
        if data.finished:
            await _ensure_complete(mine["id"], len(allowed))
        await RoundRater.update({RoundRater.finished_at: now if data.finished else None}).where(
            RoundRater.id == mine["id"]
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


async def recompute(round_id: int) -> list[dict[str, Any]]:
    """The ranking from the stored scores (closing stores exactly this)."""
    row = await load(round_id)
    ids = await need_ids(round_id)
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
                Need.id.is_in(ids or [-1])
            )
        }
    weights = json_value(row["weights"]) or {}
    result = compute(ids, await _ratings(round_id), weights, row["weighting"], gaps)
    return result_json(result)


async def close_round(actor: Principal, round_id: int) -> s.Ranking:
    async with transaction():
        row = await load_visible(actor, round_id)  # another cluster's round: 404, as reading
        if not can_manage_cluster(actor, row["cluster"]):
            raise Forbidden()
        if row["status"] != "open":
            raise Conflict(N_("The round is already closed."))
        items = await recompute(round_id)
        for need in await Need.select(Need.id, Need.knowledge_gap).where(
            Need.id.is_in(await need_ids(round_id) or [-1])
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
            raise Conflict(N_("Someone else closed the round at the same time."))
        await handoffs.round_closed(row, items)
        await audit.record(
            actor,
            "round.close",
            "round",
            round_id,
            cluster_id=row["cluster"],
            after={"closed_at": now, "needs": len(items)},
        )
    return await ranking(actor, round_id)
