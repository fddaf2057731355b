"""Grants for the national-scale demo: each funder's calls, applications from projects (most
granted, some still under review or declined), budgets and financing, reviews, agreements with
their reports (a progress report approved, the final one due) and payments. Money in øre."""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING, Any

from klynge.scale.context import ScaleContext
from projects.grants.tables import (
    Application,
    BudgetLine,
    Call,
    FinancingLine,
    GrantAgreement,
    GrantReport,
    Payment,
    Review,
)

if TYPE_CHECKING:
    from projects.scale import ProjectPlan

GRANTS = 1_000
CALLS_PER_FUNDER = 4
OTHER = (("submitted", 0.10), ("declined", 0.08), ("changes_requested", 0.04), ("draft", 0.06))
BUDGET = (
    ("rnd", "FoU-partnerens arbeid", 60),
    ("new_position", "Prosjektmedarbeider", 25),
    ("operations", "Samlinger og drift", 10),
    ("travel", "Reiser", 5),
)


def choose_funders(ctx: ScaleContext, plans: list[ProjectPlan], rng: random.Random) -> None:
    """Which projects apply, to whom, and how it went (before the projects are written, so each
    project names the funders that read it)."""
    eligible = [p for p in plans if p.status in ("preparation", "running", "completed")]
    granted = ctx.count(GRANTS)
    others = round(granted * sum(s for _, s in OTHER) / (1 - sum(s for _, s in OTHER)))
    chosen = rng.sample(eligible, k=min(len(eligible), granted + others))
    for n, plan in enumerate(chosen):
        funder = ctx.funders[n % len(ctx.funders)]
        status = "granted" if n < granted else rng.choice([s for s, _ in OTHER])
        plan.extra["application"] = (funder, status)
        if status != "draft":
            plan.funder = funder.id


async def _calls(ctx: ScaleContext) -> dict[int, list[int]]:
    rows, calls = [], {}
    ids = iter(await ctx.writer.ids(Call, len(ctx.funders) * CALLS_PER_FUNDER))
    for funder in ctx.funders:
        calls[funder.id] = []
        for year in range(2023, 2023 + CALLS_PER_FUNDER):
            call = next(ids)
            calls[funder.id].append(call)
            rows.append(
                (
                    call,
                    funder.id,
                    f"{funder.name}: kommunal FoU for barn og unge {year}",
                    "Midler til samskapt forskning og utvikling i kommunale tjenester.",
                    dt.date(year, 2, 1),
                    dt.date(year, 4, 30),
                    40_000_000_00,
                    3_000_000_00,
                    {"progress_months": 6, "final": True},
                    ["Relevans", "Kvalitet", "Gjennomføring"],
                    "closed" if year < 2026 else "published",
                    True,
                    funder.officer,
                )
            )
    await ctx.writer.copy(
        Call,
        (
            "id",
            "funder",
            "title",
            "description",
            "opens_on",
            "closes_on",
            "budget_ore",
            "max_per_application_ore",
            "report_schedule",
            "criteria",
            "status",
            "is_public",
            "created_by",
        ),
        rows,
    )
    return calls


async def write_grants(ctx: ScaleContext, plans: list[ProjectPlan], rng: random.Random) -> None:
    applying = [p for p in plans if "application" in p.extra]
    calls = await _calls(ctx)
    w = ctx.writer
    app_ids = await w.ids(Application, len(applying))
    apps, lines, financing, reviews, grants, reports, payments = [], [], [], [], [], [], []
    granted = [p for p in applying if p.extra["application"][1] == "granted"]
    grant_ids = iter(await w.ids(GrantAgreement, len(granted)))
    for app, plan in zip(app_ids, applying, strict=True):
        funder, status = plan.extra["application"]
        call = rng.choice(calls[funder.id])
        amount = rng.randrange(500, 3_000) * 1_000_00
        submitted = dt.datetime.combine(plan.starts_on, dt.time(12), dt.UTC) - dt.timedelta(days=60)
        decided = submitted + dt.timedelta(days=45) if status in ("granted", "declined") else None
        apps.append(
            (
                app,
                call,
                plan.id,
                plan.cluster,
                plan.title,
                plan.needs[0]["title"],
                plan.language,
                status,
                amount,
                None if status == "draft" else submitted,
                decided,
                funder.officer if decided else None,
                plan.leader,
            )
        )
        for year_offset in range(2):
            for position, (category, text, share) in enumerate(BUDGET):
                lines.append(
                    (
                        app,
                        plan.starts_on.year + year_offset,
                        category,
                        text,
                        amount * share // 200,
                        position,
                    )
                )
        financing += [(app, "this_funder", amount), (app, "own", amount // 5)]
        if status not in ("draft", "submitted"):
            reviews.append(
                (
                    app,
                    funder.officer,
                    "Relevant og godt forankret i tjenestene.",
                    {"Relevans": rng.randint(3, 5), "Kvalitet": rng.randint(2, 5)},
                    status == "changes_requested",
                    submitted + dt.timedelta(days=30),
                )
            )
        if status == "granted":
            grant = next(grant_ids)
            grants.append((grant, app, amount, plan.starts_on, plan.ends_on, funder.officer))
            mid = plan.starts_on + dt.timedelta(days=182)
            reports.append(
                (
                    grant,
                    "progress",
                    plan.starts_on,
                    mid,
                    mid + dt.timedelta(days=30),
                    "approved" if mid < ctx.now.date() else "due",
                )
            )
            reports.append(
                (
                    grant,
                    "final",
                    plan.starts_on,
                    plan.ends_on,
                    plan.ends_on + dt.timedelta(days=60),
                    "due",
                )
            )
            payments += [
                (grant, "disbursement", amount // 2, plan.starts_on, funder.officer),
                (grant, "request", amount // 2, mid, plan.leader),
            ]
    await _write(ctx, apps, lines, financing, reviews, grants, reports, payments)
    ctx.progress(f"grants: {len(apps):,} applications, {len(grants):,} grants")


async def _write(ctx: ScaleContext, *tables: list[tuple[Any, ...]]) -> None:
    apps, lines, financing, reviews, grants, reports, payments = tables
    w = ctx.writer
    await w.copy(
        Application,
        (
            "id",
            "call",
            "project",
            "cluster",
            "title",
            "summary",
            "written_standard",
            "status",
            "requested_ore",
            "submitted_at",
            "decided_at",
            "decided_by",
            "created_by",
        ),
        apps,
    )
    for table, columns, rows in (
        (
            BudgetLine,
            ("application", "year", "category", "description", "amount_ore", "position"),
            lines,
        ),
        (FinancingLine, ("application", "source", "amount_ore"), financing),
        (
            Review,
            ("application", "reviewer", "comment", "scores", "asks_for_changes", "created_at"),
            reviews,
        ),
        (GrantReport, ("grant", "kind", "period_start", "period_end", "due", "status"), reports),
        (Payment, ("grant", "kind", "amount_ore", "on_date", "created_by"), payments),
    ):
        if table is GrantReport:
            await w.copy(
                GrantAgreement,
                ("id", "application", "amount_ore", "starts_on", "ends_on", "created_by"),
                grants,
            )
        ids = await w.ids(table, len(rows))
        await w.copy(table, ("id", *columns), [(i, *r) for i, r in zip(ids, rows, strict=True)])
