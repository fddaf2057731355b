"""The reminder before a round closes: each panel member who has not finished scoring is told
once, when the round's deadline is at most two days away. A cron job of the priorities app
(arq cron on the workers, the in-process scheduler in embedded mode); each round and rater
goes out exactly once, even with two workers on the same tick (klynge.once, claimed in the
transaction that sends it)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from klynge import once
from klynge.db import transaction
from klynge.jobs.runner import JobContext, job
from priorities import handoffs
from priorities.tables import PriorityRound, RoundRater

REMIND_RATERS = "remind_round_raters"
DAYS_BEFORE = 2


def closes_soon(deadline: dt.datetime, now: dt.datetime, days: int = DAYS_BEFORE) -> bool:
    """The deadline is still ahead and at most `days` calendar days away. Pure."""
    deadline, now = deadline.astimezone(dt.UTC), now.astimezone(dt.UTC)
    return now < deadline and (deadline.date() - now.date()).days <= days


async def _due(now: dt.datetime) -> list[dict[str, Any]]:
    """Open rounds closing soon, with their unfinished raters (two queries)."""
    rounds = [
        r
        for r in await PriorityRound.select(
            PriorityRound.id, PriorityRound.name, PriorityRound.cluster, PriorityRound.deadline
        ).where(PriorityRound.status == "open", PriorityRound.deadline.is_not_null())
        if closes_soon(r["deadline"], now)
    ]
    by_id = {r["id"]: {**r, "raters": []} for r in rounds}
    for rater in await RoundRater.select(RoundRater.round, RoundRater.account).where(
        RoundRater.round.is_in(sorted(by_id) or [-1]), RoundRater.finished_at.is_null()
    ):
        by_id[rater["round"]]["raters"].append(rater["account"])
    return list(by_id.values())


async def remind(now: dt.datetime | None = None) -> int:
    """Remind every unfinished rater of every round closing soon; the number reminded."""
    moment = now or dt.datetime.now(dt.UTC)
    sent = 0
    for round_row in await _due(moment):
        for account_id in sorted(round_row["raters"]):
            async with transaction():
                if not await once.claim(f"priorities.round:{round_row['id']}:closing:{account_id}"):
                    continue
                await handoffs.round_closing(round_row, account_id)
                sent += 1
    return sent


@job(REMIND_RATERS)
async def remind_round_raters(ctx: JobContext) -> dict[str, Any]:
    return {"reminded": await remind()}


__all__ = ["REMIND_RATERS", "closes_soon", "remind", "remind_round_raters"]
