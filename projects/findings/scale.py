"""Findings for the national-scale demo: outcomes of running and completed projects, published
ones delivered to every taking-part and endorsing municipality, the asking service and the
cluster, most of them read and answered; the first published outcome answers the need."""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING, Any

from klynge.scale.context import ScaleContext
from priorities import api as priorities
from projects.findings.tables import Delivery, Outcome

if TYPE_CHECKING:
    from projects.scale import ProjectPlan

OUTCOMES = 5_000
KINDS = ("finding", "report", "article", "recommendation", "tool", "practice")
SUMMARIES = {
    "nb": "Prosjektet viser at {title} kan møtes med tettere samarbeid mellom tjenestene.",
    "nn": "Prosjektet viser at {title} kan møtast med tettare samarbeid mellom tenestene.",
}
PRACTICE = {
    "nb": "Tjenestene bør avtale faste møtepunkter og én kontaktperson for familien.",
    "nn": "Tenestene bør avtale faste møtepunkt og éin kontaktperson for familien.",
}
CHANGES = ("Vi tar i bruk sjekklisten i alle team.", "Vi drøfter funnene i ledermøtet.", "")


def _deliveries(
    ctx: ScaleContext,
    plan: ProjectPlan,
    outcome: int,
    published: dt.datetime,
    rng: random.Random,
    rows: list[tuple[Any, ...]],
) -> None:
    need = plan.needs[0]
    recipients: list[tuple[str, str, int | None, int | None]] = [
        (f"{outcome}:municipality:{m}", "participant", m, None) for m in plan.municipalities
    ]
    recipients.append((f"{outcome}:service:{need['service']}", "asker", None, need["service"]))
    recipients.append((f"{outcome}:cluster:{plan.cluster}", "cluster", None, None))
    for key, kind, municipality, service in recipients:
        answered = rng.random() < 0.62
        at = published + dt.timedelta(days=rng.randint(2, 40))
        who = ctx.coordinators.get(municipality) if municipality else None
        rows.append(
            (
                key,
                outcome,
                plan.id,
                plan.cluster,
                kind,
                municipality,
                service,
                plan.language,
                plan.leader,
                published,
                at if answered else None,
                who if answered else None,
                at if answered else None,
                who if answered else None,
                rng.choice(("yes", "partly", "no")) if answered else "",
                rng.choice(("yes", "partly", "undecided")) if answered else "",
                rng.choice(CHANGES) if answered else "",
            )
        )


OUTCOME_COLUMNS = (
    "id", "project", "cluster", "kind", "title", "summary", "summary_language", "summary_en",
    "practice", "evidence_type", "is_public", "status", "published_at", "published_by",
    "created_by", "created_at",
)  # fmt: skip
DELIVERY_COLUMNS = (
    "key", "outcome", "project", "cluster", "kind", "municipality", "service", "language",
    "created_by", "created_at", "read_at", "read_by", "answered_at", "answered_by", "relevant",
    "will_use", "change",
)  # fmt: skip


def _outcome(plan: ProjectPlan, outcome: int, n: int, at: dt.datetime, published: bool,
             rng: random.Random) -> tuple[Any, ...]:  # fmt: skip
    need = plan.needs[0]
    summary = SUMMARIES[plan.language].format(title=need["title"].rstrip("?").lower())
    kind = KINDS[(outcome + n) % len(KINDS)]
    return (
        outcome, plan.id, plan.cluster, kind, f"{kind.capitalize()}: {plan.title}"[:200],
        summary, plan.language, f"The project on {need['theme']} reports its results.",
        PRACTICE[plan.language], "other_primary", published and rng.random() < 0.7,
        "published" if published else "draft", at if published else None,
        plan.leader if published else None, plan.leader, at,
    )  # fmt: skip


def _shares(total: int, parts: int) -> list[int]:
    return [total // parts + (1 if n < total % parts else 0) for n in range(parts)]


async def write_findings(ctx: ScaleContext, plans: list[ProjectPlan], rng: random.Random) -> None:
    producing = [p for p in plans if p.status in ("running", "completed")]
    per = _shares(ctx.count(OUTCOMES), len(producing)) if producing else []
    ids = iter(await ctx.writer.ids(Outcome, sum(per)))
    outcomes: list[tuple[Any, ...]] = []
    deliveries: list[tuple[Any, ...]] = []
    changes, answers = [], {}
    for plan, count in zip(producing, per, strict=True):
        need = plan.needs[0]
        for n in range(count):
            outcome = next(ids)
            published = plan.status == "completed" or (n == 0 and rng.random() < 0.5)
            start = dt.datetime.combine(plan.starts_on, dt.time(13), dt.UTC)
            at = start + dt.timedelta(days=200 + 120 * n)
            outcomes.append(_outcome(plan, outcome, n, at, published, rng))
            if published:
                _deliveries(ctx, plan, outcome, at, rng, deliveries)
                if need["id"] not in answers:
                    answers[need["id"]] = (outcomes[-1][5], f"/resultater/{outcome}")
                    changes.append((need["id"], "answered", at, plan.leader, "Funn publisert"))
    await ctx.writer.copy(Outcome, OUTCOME_COLUMNS, outcomes)
    await ctx.writer.add(Delivery, DELIVERY_COLUMNS, deliveries)
    await priorities.record_scale_progress(ctx, changes, answers=answers)
    ctx.progress(f"findings: {len(outcomes):,} outcomes, {len(deliveries):,} deliveries")
