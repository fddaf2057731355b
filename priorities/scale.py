"""The priorities app's part of the national-scale demo (`klynge demo --scale`): knowledge needs
in bokmål and nynorsk from every cluster's services, endorsements across its municipalities, and
closed prioritisation rounds with panels, scores, rankings and decisions (priorities.scale_rounds).
Written in bulk; what later parts need is handed on in ctx.shared["priorities"]."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from klynge.scale.context import ClusterFacts, ScaleContext, ServiceFacts
from priorities.scale_rounds import write_rounds
from priorities.scale_text import compose
from priorities.similarity import word_terms
from priorities.tables import (
    Need,
    NeedEndorsement,
    NeedEvent,
    NeedService,
    NeedSubmitter,
    NeedTerm,
)

NEEDS = 20_000
START = dt.datetime(2023, 1, 9, 8, 0, tzinfo=dt.UTC)
# The share of a cluster's needs in each state before rounds: the rest goes through rounds.
WAITING = (("draft", 0.06), ("withdrawn", 0.03), ("submitted", 0.09), ("under_assessment", 0.07))


@dataclass
class NeedPlan:
    id: int
    cluster: int
    municipality: int
    service: ServiceFacts
    language: str
    theme: str
    title: str
    created_at: dt.datetime
    status: str = "submitted"
    rank: int | None = None
    services: list[int] = field(default_factory=list)
    endorsers: list[int] = field(default_factory=list)  # municipality ids


def _when(rng: random.Random, span_days: int = 1_320) -> dt.datetime:
    return START + dt.timedelta(days=rng.randrange(span_days), minutes=rng.randrange(600))


def _plan_cluster(
    ctx: ScaleContext, cluster: ClusterFacts, ids: range, rng: random.Random
) -> tuple[list[NeedPlan], list[tuple[Any, ...]]]:
    """The cluster's needs and their Need rows (statuses before rounds are set later)."""
    services = [s for m in cluster.municipalities for s in ctx.services_of(m)]
    plans, rows = [], []
    for need_id in ids:
        service = rng.choice(services)
        language = ctx.municipality_language.get(service.municipality, "nb")
        created = _when(rng)
        text = compose(
            rng, language, service.kind, ctx.municipality_names[service.municipality], created.year
        )
        plan = NeedPlan(
            need_id,
            cluster.id,
            service.municipality,
            service,
            language,
            text.theme,
            text.title,
            created,
        )
        own = [s.id for s in ctx.services_of(service.municipality) if s.id != service.id]
        plan.services = [service.id, *rng.sample(own, k=min(len(own), rng.choice((0, 0, 1, 2))))]
        others = [m for m in cluster.municipalities if m != service.municipality]
        plan.endorsers = rng.sample(others, k=min(len(others), rng.choice((0, 0, 1, 1, 2, 3, 4))))
        plans.append(plan)
        rows.append(
            (
                need_id,
                cluster.id,
                service.municipality,
                service.id,
                service.leader if rng.random() < 0.6 else service.employee,
                text.title[:200],
                text.question,
                text.background,
                text.ages[0],
                text.ages[1],
                text.target_group,
                text.prevention,
                text.use,
                language,
                len(plan.services) > 1,
                created,
            )
        )
    return plans, rows


NEED_COLUMNS = (
    "id",
    "cluster",
    "municipality",
    "service",
    "submitted_by",
    "title",
    "question",
    "background",
    "age_from",
    "age_to",
    "target_group",
    "prevention_level",
    "intended_use",
    "language",
    "cross_service",
    "created_at",
)


def _waiting(plans: list[NeedPlan], rng: random.Random) -> list[NeedPlan]:
    """Give some needs a state before any round; return the ones that go through rounds."""
    rng.shuffle(plans)
    start = 0
    for status, share in WAITING:
        end = start + round(len(plans) * share)
        for plan in plans[start:end]:
            plan.status = status
        start = end
    rest = plans[start:]
    rest.sort(key=lambda p: p.created_at)
    return rest


async def _links(ctx: ScaleContext, plans: list[NeedPlan], rows: list[tuple[Any, ...]]) -> None:
    """Services, submitters and endorsements of every need."""
    writer = ctx.writer
    services = [(p.id, s) for p in plans for s in p.services]
    ids = await writer.ids(NeedService, len(services))
    await writer.copy(
        NeedService,
        ("id", "need", "service"),
        [(i, *x) for i, x in zip(ids, services, strict=True)],
    )
    ids = await writer.ids(NeedSubmitter, len(plans))
    await writer.copy(
        NeedSubmitter,
        ("id", "need", "account", "municipality", "service", "original_need", "created_at"),
        [(i, r[0], r[4], r[2], r[3], r[0], r[15]) for i, r in zip(ids, rows, strict=True)],
    )
    coordinators = ctx.coordinators
    endorsements = [
        (p.id, m, coordinators.get(m), p.created_at) for p in plans for m in p.endorsers
    ]
    ids = await writer.ids(NeedEndorsement, len(endorsements))
    await writer.copy(
        NeedEndorsement,
        ("id", "need", "municipality", "account", "note", "created_at"),
        [
            (i, n, m, a, "Vi har det samme behovet.", t + dt.timedelta(days=9))
            for i, (n, m, a, t) in zip(ids, endorsements, strict=True)
        ],
    )


async def _terms(ctx: ScaleContext, rows: list[tuple[Any, ...]]) -> None:
    """The index of similar needs (priorities.need_terms): each need's word stems."""
    terms = [
        (r[0], r[1], term, weight)
        for r in rows
        for term, weight in word_terms(r[5], r[6], r[7]).items()
    ]
    ids = await ctx.writer.ids(NeedTerm, len(terms))
    await ctx.writer.copy(
        NeedTerm,
        ("id", "need", "cluster", "term", "weight"),
        [(i, *t) for i, t in zip(ids, terms, strict=True)],
    )


async def _statuses(ctx: ScaleContext, plans: list[NeedPlan], rows: list[tuple[Any, ...]]) -> None:
    """The final status of every need, and its history: submitted, then what rounds made it."""
    events: list[tuple[Any, ...]] = []
    updates = []
    advisers = {c.id: c.adviser for c in ctx.clusters}
    for plan, row in zip(plans, rows, strict=True):
        submitted = None if plan.status == "draft" else plan.created_at + dt.timedelta(days=2)
        updates.append((plan.status, submitted, plan.rank, plan.id))
        if submitted is None:
            continue
        events.append((plan.id, submitted, row[4], "draft", "submitted", ""))
        if plan.status not in ("submitted", "withdrawn"):
            events.append(
                (
                    plan.id,
                    submitted + dt.timedelta(days=20),
                    advisers[plan.cluster],
                    "submitted",
                    "under_assessment",
                    "Tatt med i prioriteringsrunde",
                )
            )
        if plan.status in ("withdrawn", "prioritised", "not_prioritised", "deferred"):
            events.append(
                (
                    plan.id,
                    submitted + dt.timedelta(days=60),
                    row[4],
                    "under_assessment" if plan.status != "withdrawn" else "submitted",
                    plan.status,
                    "Vedtatt i prioriteringsrunde" if plan.status != "withdrawn" else "Trukket",
                )
            )
    await ctx.writer.update(Need, ("status", "submitted_at", "rank"), updates)
    ids = await ctx.writer.ids(NeedEvent, len(events))
    await ctx.writer.copy(
        NeedEvent,
        ("id", "need", "at", "actor", "kind", "from_status", "to_status", "reason"),
        [
            (i, n, at, a, "status", f, t, r)
            for i, (n, at, a, f, t, r) in zip(ids, events, strict=True)
        ],
    )


async def load_scale(ctx: ScaleContext) -> None:
    """Write the needs and rounds of every cluster (one transaction)."""
    rng = ctx.rng("priorities")
    per_cluster = ctx.split(ctx.count(NEEDS, minimum=len(ctx.clusters) * 10))
    rounds_per_cluster = ctx.split(ctx.count(400, minimum=len(ctx.clusters)))
    async with ctx.writer.part() as writer:
        ids = await writer.ids(Need, sum(per_cluster))
        plans: list[NeedPlan] = []
        rows: list[tuple[Any, ...]] = []
        by_round: list[tuple[ClusterFacts, list[NeedPlan], int]] = []
        start = 0
        for cluster, count, rounds in zip(
            ctx.clusters, per_cluster, rounds_per_cluster, strict=True
        ):
            cluster_plans, cluster_rows = _plan_cluster(
                ctx, cluster, ids[start : start + count], rng
            )
            start += count
            plans.extend(cluster_plans)
            rows.extend(cluster_rows)
            by_round.append((cluster, _waiting(list(cluster_plans), rng), rounds))
        await writer.copy(Need, NEED_COLUMNS, rows)
        ctx.progress(f"priorities: {len(rows):,} needs")
        await _links(ctx, plans, rows)
        await _terms(ctx, rows)
        await write_rounds(ctx, by_round, rng)
        await _statuses(ctx, plans, rows)
    ctx.shared["priorities"] = {
        "needs": [
            {
                "id": p.id,
                "cluster": p.cluster,
                "municipality": p.municipality,
                "service": p.service.id,
                "services": p.services,
                "endorsers": p.endorsers,
                "status": p.status,
                "language": p.language,
                "theme": p.theme,
                "title": p.title,
                "asker": p.service.leader,
                "created_at": p.created_at,
            }
            for p in plans
        ]
    }


async def record_scale_progress(
    ctx: ScaleContext,
    changes: list[tuple[int, str, dt.datetime, int | None, str]],
    *,
    gaps: dict[int, int] | None = None,
    answers: dict[int, tuple[str, str]] | None = None,
) -> None:
    """What later parts did to needs: (need, new status, when, actor, reason) each, with the
    knowledge gap from a literature verdict or the answer from a published outcome. Writes the
    status, the history and those columns, in the caller's part (transaction)."""
    needs = {n["id"]: n for n in ctx.shared["priorities"]["needs"]}
    gaps = gaps or {}
    answers = answers or {}
    events = []
    for need_id, status, at, actor, reason in changes:
        need = needs[need_id]
        events.append((need_id, at, actor, "status", need["status"], status, reason))
        need["status"] = status
        need["changed_at"] = at
    await ctx.writer.update(
        Need,
        ("status", "updated_at"),
        [(needs[n]["status"], needs[n]["changed_at"], n) for n in {c[0] for c in changes}],
    )
    await ctx.writer.update(Need, ("knowledge_gap",), [(gap, n) for n, gap in gaps.items()])
    await ctx.writer.update(
        Need,
        ("answer_summary", "answer_link", "answered_at"),
        [(s, link, needs[n].get("changed_at"), n) for n, (s, link) in answers.items()],
    )
    ids = await ctx.writer.ids(NeedEvent, len(events))
    await ctx.writer.copy(
        NeedEvent,
        ("id", "need", "at", "actor", "kind", "from_status", "to_status", "reason"),
        [(i, *e) for i, e in zip(ids, events, strict=True)],
    )
