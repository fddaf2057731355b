"""Use cases for prioritisation rounds: open a round and list them. Scoring and closing live
in round_scores, decisions in decisions, reading in round_read (re-exported here for the
app's edges and benchmarks)."""

from __future__ import annotations

from typing import Any

from klynge import audit
from klynge.auth.principal import Principal
from klynge.auth.tables import Account
from klynge.db import transaction
from klynge.errors import Forbidden, Invalid, NotFound
from klynge.i18n import N_
from klynge.orgs.tables import Cluster, ClusterMembership
from klynge.schemas import ensure_publishable
from klynge.scoping import can_manage_cluster, cluster_filter
from priorities import handoffs
from priorities import need_reasons as nr
from priorities import schemas as s
from priorities.needs import set_status
from priorities.round_read import (
    decisions_of,
    load_round,
    load_visible,
    ranking,
    round_out,
)
from priorities.round_rules import (
    DECISION_TEXT,
    ROUNDABLE,
    departs_from_rank,
    need_errors,
    rater_errors,
    weights,
)
from priorities.round_scores import close_round, my_scores, put_scores, recompute
from priorities.tables import Need, PriorityRound, RoundNeed, RoundRater

__all__ = [
    "DECISION_TEXT",
    "ROUNDABLE",
    "close_round",
    "create_round",
    "decisions_of",
    "departs_from_rank",
    "list_rounds",
    "load_round",
    "load_visible",
    "my_scores",
    "put_scores",
    "ranking",
    "recompute",
    "round_out",
]


async def _check_round(data: s.RoundCreate, need_ids: list[int]) -> None:
    """The cluster exists; the needs, raters and their municipalities fit it."""
    if not await Cluster.exists().where(Cluster.id == data.cluster_id):
        raise NotFound(N_("We could not find the cluster."))
    rows = await Need.select(Need.id, Need.cluster, Need.status).where(Need.id.is_in(need_ids))
    errors = need_errors(need_ids, {r["id"]: r for r in rows}, data.cluster_id)
    accounts = {r.account_id for r in data.raters}
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
    errors += rater_errors(data.raters, known, members)
    if errors:
        raise Invalid(N_("The round cannot be opened."), errors)


async def _insert_round(
    actor: Principal, data: s.RoundCreate, round_weights: dict[str, float], need_ids: list[int]
) -> dict[str, Any]:
    row = (
        await PriorityRound.insert(
            PriorityRound(
                cluster=data.cluster_id,
                name=data.name.strip(),
                status="open",
                deadline=data.deadline,
                weights=round_weights,
                weighting=data.weighting.value,
                pseudonymise=data.pseudonymise,
                publish_public=data.publish_public,
                created_by=actor.account_id,
            )
        ).returning(*PriorityRound.all_columns())
    )[0]
    for need_id in need_ids:
        await RoundNeed.insert(RoundNeed(round=row["id"], need=need_id))
        await set_status(
            actor,
            need_id,
            s.NeedStatus.UNDER_ASSESSMENT,
            nr.reason(nr.IN_ROUND, name=row["name"]),
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
    return row


async def _publishable(data: s.RoundCreate, need_ids: list[int]) -> list[str]:
    """A round published on the portal shows its name and the needs' titles: text the guard
    warns about needs the adviser's confirmation. Returns the confirmed fields."""
    if not data.publish_public:
        return []
    titles = await Need.select(Need.id, Need.title).where(Need.id.is_in(need_ids or [-1]))
    fields = {"name": data.name, **{f"needs.{r['id']}.title": r["title"] for r in titles}}
    return ensure_publishable(fields, confirmed=data.confirm_warnings)


async def create_round(actor: Principal, data: s.RoundCreate) -> s.RoundOut:
    if not can_manage_cluster(actor, data.cluster_id):
        raise Forbidden(N_("Only the cluster's R&D adviser can open a prioritisation round."))
    round_weights = weights(data.weights)
    need_ids = sorted(set(data.need_ids))
    async with transaction():
        await _check_round(data, need_ids)
        confirmed = await _publishable(data, need_ids)
        row = await _insert_round(actor, data, round_weights, need_ids)
        await handoffs.round_opened(row, [r.account_id for r in data.raters])
        await audit.record(
            actor,
            "round.create",
            "round",
            row["id"],
            cluster_id=data.cluster_id,
            after={
                **row,
                "need_ids": need_ids,
                "raters": [r.account_id for r in data.raters],
                "confirmed_warnings": confirmed,
            },
        )
    return await round_out(actor, row["id"])


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
