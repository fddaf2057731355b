"""Reading rounds: load one (with the visibility rule), its needs, raters' progress, the
round as the API shows it, and the ranking of a closed round."""

from __future__ import annotations

from typing import Any

from klynge.auth.principal import Principal
from klynge.db import json_value
from klynge.errors import Conflict, NotFound
from klynge.i18n import N_
from klynge.scoping import can_manage_cluster, can_see_cluster
from priorities import schemas as s
from priorities import scoring
from priorities.tables import Decision, Need, PriorityRound, RoundNeed, RoundRater, Score

CRITERIA = scoring.CRITERIA
_json = json_value  # JSON columns come back as text on SQLite


ROUND_NOT_FOUND = N_("We could not find the prioritisation round.")


async def load(round_id: int) -> dict[str, Any]:
    row = await PriorityRound.select().where(PriorityRound.id == round_id).first()
    if row is None:
        raise NotFound(ROUND_NOT_FOUND)
    return row


async def load_round(round_id: int) -> dict[str, Any]:
    """A round's row, for other apps (no visibility check: the caller scopes it)."""
    return await load(round_id)


async def rater(round_id: int, account_id: int) -> dict[str, Any] | None:
    return (
        await RoundRater.select()
        .where(RoundRater.round == round_id, RoundRater.account == account_id)
        .first()
    )


async def load_visible(actor: Principal | None, round_id: int) -> dict[str, Any]:
    """Cluster members see a round; a panel member sees the round they rate in."""
    row = await load(round_id)
    if actor is not None and await rater(round_id, actor.account_id) is not None:
        return row
    if not can_see_cluster(actor, row["cluster"]):  # answers exactly as a missing round
        raise NotFound(ROUND_NOT_FOUND)
    return row


async def need_ids(round_id: int) -> list[int]:
    rows = await RoundNeed.select(RoundNeed.need).where(RoundNeed.round == round_id)
    return sorted(r["need"] for r in rows)


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
    ids = await need_ids(round_id)
    mine = await rater(round_id, actor.account_id)
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
        need_ids=ids,
        am_rater=mine is not None,
        # Advisers see who has finished, never the scores (blind until close).
        progress=await _progress(round_id, len(ids))
        if can_manage_cluster(actor, row["cluster"])
        else [],
    )


def _item(
    i: dict[str, Any], need: dict[str, Any], decision: dict[str, Any] | None
) -> s.RankingItem:
    answered = need.get("status") == s.NeedStatus.ANSWERED.value
    return s.RankingItem(
        need_id=i["need_id"],
        title=need.get("title", ""),
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
        decision=decision["decision"] if decision else None,
        justification=decision["justification"] if decision else "",
        answered=answered,
        answer_summary=need.get("answer_summary", "") if answered else "",
        answer_link=need.get("answer_link", "") if answered else "",
    )


async def ranking(actor: Principal | None, round_id: int, *, public: bool = False) -> s.Ranking:
    row = await load(round_id)
    if public:
        if not row["publish_public"] or row["status"] != "closed":
            raise NotFound(N_("We could not find the priority list."))
    else:
        await load_visible(actor, round_id)
    if row["status"] != "closed":
        raise Conflict(N_("The results are hidden until the round is closed."))
    items = _json(row["result"]) or []
    needs = {
        r["id"]: r
        for r in await Need.select(
            Need.id, Need.title, Need.status, Need.answer_summary, Need.answer_link
        ).where(Need.id.is_in([i["need_id"] for i in items] or [-1]))
    }
    decisions = {d["need"]: d for d in await Decision.select().where(Decision.round == round_id)}
    return s.Ranking(
        round_id=round_id,
        name=row["name"],
        closed_at=row["closed_at"],
        weights=_json(row["weights"]) or {},
        weighting=row["weighting"],
        items=[_item(i, needs.get(i["need_id"], {}), decisions.get(i["need_id"])) for i in items],
    )


async def decisions_of(round_id: int) -> dict[int, dict[str, Any]]:
    """The round's recorded decisions by need."""
    return {d["need"]: d for d in await Decision.select().where(Decision.round == round_id)}
