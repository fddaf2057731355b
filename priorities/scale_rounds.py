"""Closed prioritisation rounds for the national-scale demo: a panel from the cluster's services,
youth councils and research groups, scores around each need's profile, the ranking computed by
the same pure scoring as a real close (priorities.round_rules), and the adviser's decisions."""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING, Any

from klynge.scale.context import ClusterFacts, ScaleContext
from priorities import scoring
from priorities.round_rules import DEFAULT_WEIGHTS, compute, result_json
from priorities.scale_text import JUSTIFICATIONS
from priorities.tables import Decision, PriorityRound, RoundNeed, RoundRater, Score

if TYPE_CHECKING:
    from priorities.scale import NeedPlan

PRIORITISED_SHARE = 0.35
DEFERRED_SHARE = 0.15
BLANK = 0.04  # answers "kan ikke vurdere"


def _panel(
    ctx: ScaleContext, cluster: ClusterFacts, rng: random.Random
) -> list[tuple[int, str, int | None]]:
    """(account, stakeholder group, municipality) of 10 raters; one account once."""
    services = [s for m in cluster.municipalities for s in ctx.services_of(m)]
    picked = rng.sample(services, k=min(6, len(services)))
    panel = [(s.leader, "leaders", s.municipality) for s in picked[:3]]
    panel += [(s.employee, "staff", s.municipality) for s in picked[3:]]
    for m in rng.sample(list(cluster.municipalities), k=min(2, len(cluster.municipalities))):
        panel.append((ctx.user_representatives[m], "users", m))
    for group in rng.sample(ctx.groups, k=min(2, len(ctx.groups))):
        panel.append((group.researchers[0], "researchers", None))
    seen: set[int] = set()
    return [p for p in panel if not (p[0] in seen or seen.add(p[0]))]  # type: ignore[func-returns-value]


def _answer(rng: random.Random, mean: float) -> int:
    if rng.random() < BLANK:
        return 0
    return max(1, min(5, round(rng.gauss(mean, 0.9))))


class _Rounds:
    """Rows of every round, gathered before they are written."""

    def __init__(self) -> None:
        self.rounds: list[tuple[Any, ...]] = []
        self.round_needs: list[tuple[Any, ...]] = []
        self.raters: list[tuple[Any, ...]] = []
        self.scores: list[tuple[Any, ...]] = []
        self.decisions: list[tuple[Any, ...]] = []


async def _one_round(
    ctx: ScaleContext,
    cluster: ClusterFacts,
    needs: list[NeedPlan],
    number: int,
    rng: random.Random,
    out: _Rounds,
) -> None:
    round_id = (await ctx.writer.ids(PriorityRound, 1))[0]
    opened = max(n.created_at for n in needs) + dt.timedelta(days=25)
    closed = opened + dt.timedelta(days=21)
    panel = _panel(ctx, cluster, rng)
    rater_ids = await ctx.writer.ids(RoundRater, len(panel))
    ratings: list[scoring.Rating] = []
    profiles = {
        n.id: (rng.uniform(2, 4.6), rng.uniform(2, 4.6), rng.uniform(1.5, 4)) for n in needs
    }
    for rater_id, (account, group, municipality) in zip(rater_ids, panel, strict=True):
        out.raters.append((rater_id, round_id, account, group, municipality, closed))
        for need in needs:
            values = [_answer(rng, mean) for mean in profiles[need.id]]
            out.scores.append((round_id, rater_id, need.id, *values, closed))
            answers = [v or None for v in values]
            ratings.append(scoring.Rating(rater_id, need.id, group, municipality, *answers))
    result = result_json(compute([n.id for n in needs], ratings, DEFAULT_WEIGHTS, "group", {}))
    name = f"Prioriteringsrunde {opened.year} nr. {number} – {cluster.name}"[:200]
    out.rounds.append(
        (
            round_id,
            cluster.id,
            name,
            "closed",
            closed,
            DEFAULT_WEIGHTS,
            result,
            cluster.adviser,
            opened,
            closed,
            number % 3 == 0,
        )
    )
    top = round(len(needs) * PRIORITISED_SHARE)
    deferred = top + round(len(needs) * DEFERRED_SHARE)
    by_id = {n.id: n for n in needs}
    for position, item in enumerate(result):
        need = by_id[item["need_id"]]
        kind = (
            "prioritised"
            if position < top
            else "deferred"
            if position < deferred
            else "not_prioritised"
        )
        need.status = kind
        need.rank = item["rank"] if kind == "prioritised" else None
        out.round_needs.append((round_id, need.id))
        out.decisions.append(
            (round_id, need.id, kind, JUSTIFICATIONS[kind], cluster.adviser, closed)
        )


async def _write(ctx: ScaleContext, out: _Rounds) -> None:
    writer = ctx.writer
    await writer.copy(
        PriorityRound,
        (
            "id",
            "cluster",
            "name",
            "status",
            "deadline",
            "weights",
            "result",
            "created_by",
            "created_at",
            "closed_at",
            "publish_public",
        ),
        out.rounds,
    )
    ids = await writer.ids(RoundNeed, len(out.round_needs))
    await writer.copy(
        RoundNeed,
        ("id", "round", "need"),
        [(i, *r) for i, r in zip(ids, out.round_needs, strict=True)],
    )
    await writer.copy(
        RoundRater,
        ("id", "round", "account", "stakeholder_group", "municipality", "finished_at"),
        out.raters,
    )
    ids = await writer.ids(Score, len(out.scores))
    await writer.copy(
        Score,
        ("id", "round", "rater", "need", "nytte", "alvorlighet", "ressurs", "updated_at"),
        ((i, *r) for i, r in zip(ids, out.scores, strict=True)),
    )
    ids = await writer.ids(Decision, len(out.decisions))
    await writer.copy(
        Decision,
        ("id", "round", "need", "decision", "justification", "decided_by", "decided_at"),
        [(i, *r) for i, r in zip(ids, out.decisions, strict=True)],
    )


async def write_rounds(
    ctx: ScaleContext, plans: list[tuple[ClusterFacts, list[NeedPlan], int]], rng: random.Random
) -> None:
    """Cut each cluster's round-bound needs (oldest first) into its rounds, score and close
    them; set each need's status and rank from its decision."""
    out = _Rounds()
    for cluster, needs, rounds in plans:
        size, extra = divmod(len(needs), max(1, rounds))
        start = 0
        for number in range(rounds):
            chunk = needs[start : start + size + (1 if number < extra else 0)]
            start += len(chunk)
            if chunk:
                await _one_round(ctx, cluster, chunk, number + 1, rng, out)
    await _write(ctx, out)
    ctx.progress(
        f"priorities: {len(out.rounds):,} closed rounds, {len(out.scores):,} scores, "
        f"{len(out.decisions):,} decisions"
    )
