"""Decisions after a closed round (the beslutningsgrunnlag), and the prioritised needs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from klynge import audit
from klynge.auth.principal import Principal
from klynge.db import json_value, transaction
from klynge.errors import Conflict, FieldError, Forbidden, Invalid
from klynge.i18n import N_
from klynge.scoping import can_manage_cluster
from priorities import handoffs
from priorities import schemas as s
from priorities.need_rules import check_text
from priorities.needs import set_status
from priorities.round_read import load, load_visible
from priorities.round_rules import DECISION_TEXT, STATUS_FOR, departs_from_rank
from priorities.tables import Decision

__all__ = ["DECISION_TEXT", "prioritised_needs", "record_decision"]

NOT_IN_ROUND = N_("The need is not part of the round.")


async def prioritised_needs(round_id: int) -> list[int]:
    """A closed round's needs decided "prioritised", in ranked order (for assignment)."""
    row = await load(round_id)
    if row["status"] != "closed":
        return []
    decided = {
        d["need"]
        for d in await Decision.select(Decision.need).where(
            Decision.round == round_id, Decision.decision == "prioritised"
        )
    }
    ranks = {item["need_id"]: item["rank"] for item in json_value(row["result"]) or []}
    return sorted(decided, key=lambda n: (ranks.get(n, 10**9), n))


async def _decidable(
    actor: Principal, round_id: int, need_id: int
) -> tuple[dict[str, Any], dict[int, Any]]:
    """The closed round the caller manages, and its ranks (the need must be among them).
    Another cluster's round is a 404, as reading it is."""
    row = await load_visible(actor, round_id)
    if not can_manage_cluster(actor, row["cluster"]):
        raise Forbidden()
    if row["status"] != "closed":
        raise Conflict(N_("Decisions are made when the round is closed."))
    ranks = {i["need_id"]: i["rank"] for i in json_value(row["result"]) or []}
    if need_id not in ranks:
        raise Invalid(NOT_IN_ROUND, [FieldError("need_id", NOT_IN_ROUND)])
    return row, ranks


async def _store(
    actor: Principal, round_id: int, data: s.DecisionIn, values: dict[str, str]
) -> None:
    existing = (
        await Decision.select(Decision.id)
        .where(Decision.round == round_id, Decision.need == data.need_id)
        .first()
    )
    if existing:
        await Decision.update(
            {
                **{getattr(Decision, k): v for k, v in values.items()},
                Decision.decision: data.decision.value,
                Decision.decided_by: actor.account_id,
                Decision.decided_at: dt.datetime.now(dt.UTC),
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


async def record_decision(actor: Principal, round_id: int, data: s.DecisionIn) -> s.DecisionOut:
    check_text({f: getattr(data, f) for f in DECISION_TEXT})
    async with transaction():
        row, ranks = await _decidable(actor, round_id, data.need_id)
        decided = {
            d["need"]: d["decision"]
            for d in await Decision.select(Decision.need, Decision.decision).where(
                Decision.round == round_id
            )
        }
        departs = departs_from_rank(ranks, decided, data.need_id, data.decision.value)
        if departs and not data.departs_reason.strip():
            raise Invalid(
                N_("The decision departs from the computed ranking and must be justified."),
                [
                    FieldError(
                        "departs_reason",
                        N_("Explain why the decision departs from the ranking."),
                    )
                ],
            )
        values = {f: getattr(data, f).strip() for f in DECISION_TEXT}
        now = dt.datetime.now(dt.UTC)
        await _store(actor, round_id, data, values)
        if decided.get(data.need_id) != data.decision.value:  # a new or changed decision
            await handoffs.decided(row, data.need_id, data.decision.value)
        reason = data.justification.strip()
        await set_status(
            actor, data.need_id, STATUS_FOR[data.decision], reason, rank=ranks[data.need_id]
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
