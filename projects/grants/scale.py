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


APPLICATION_COLUMNS = (
    "id", "call", "project", "cluster", "title", "summary", "written_standard", "status",
    "requested_ore", "submitted_at", "decided_at", "decided_by", "created_by",
)  # fmt: skip
BUDGET_COLUMNS = ("application", "year", "category", "description", "amount_ore", "position")
REVIEW_COLUMNS = ("application", "reviewer", "comment", "scores", "asks_for_changes", "created_at")
AGREEMENT_COLUMNS = ("id", "application", "amount_ore", "starts_on", "ends_on", "created_by")
REPORT_COLUMNS = ("grant", "kind", "period_start", "period_end", "due", "status")


class _Rows:
    def __init__(self) -> None:
        self.apps: list[tuple[Any, ...]] = []
        self.lines: list[tuple[Any, ...]] = []
        self.financing: list[tuple[Any, ...]] = []
        self.reviews: list[tuple[Any, ...]] = []
        self.grants: list[tuple[Any, ...]] = []
        self.reports: list[tuple[Any, ...]] = []
        self.payments: list[tuple[Any, ...]] = []


def _agreement(ctx: ScaleContext, rows: _Rows, plan: ProjectPlan, app: int, grant: int,
               amount: int, officer: int) -> None:  # fmt: skip
    rows.grants.append((grant, app, amount, plan.starts_on, plan.ends_on, officer))
    mid = plan.starts_on + dt.timedelta(days=182)
    progress = "approved" if mid < ctx.now.date() else "due"
    rows.reports.append(
        (grant, "progress", plan.starts_on, mid, mid + dt.timedelta(days=30), progress)
    )
    final_due = plan.ends_on + dt.timedelta(days=60)
    rows.reports.append((grant, "final", plan.starts_on, plan.ends_on, final_due, "due"))
    rows.payments.append((grant, "disbursement", amount // 2, plan.starts_on, officer))
    rows.payments.append((grant, "request", amount // 2, mid, plan.leader))


def _application(ctx: ScaleContext, rows: _Rows, plan: ProjectPlan, app: int, call: int,
                 rng: random.Random) -> int:  # fmt: skip
    """One application's rows; returns the amount asked for."""
    funder, status = plan.extra["application"]
    amount = rng.randrange(500, 3_000) * 1_000_00
    submitted = dt.datetime.combine(plan.starts_on, dt.time(12), dt.UTC) - dt.timedelta(days=60)
    decided = submitted + dt.timedelta(days=45) if status in ("granted", "declined") else None
    rows.apps.append(
        (app, call, plan.id, plan.cluster, plan.title, plan.needs[0]["title"], plan.language,
         status, amount, None if status == "draft" else submitted, decided,
         funder.officer if decided else None, plan.leader)
    )  # fmt: skip
    for year in (plan.starts_on.year, plan.starts_on.year + 1):
        for position, (category, text, share) in enumerate(BUDGET):
            rows.lines.append((app, year, category, text, amount * share // 200, position))
    rows.financing += [(app, "this_funder", amount), (app, "own", amount // 5)]
    if status not in ("draft", "submitted"):
        scores = {"Relevans": rng.randint(3, 5), "Kvalitet": rng.randint(2, 5)}
        asks = status == "changes_requested"
        comment = "Relevant og godt forankret i tjenestene."
        reviewed = submitted + dt.timedelta(days=30)
        rows.reviews.append((app, funder.officer, comment, scores, asks, reviewed))
    return amount


async def write_grants(ctx: ScaleContext, plans: list[ProjectPlan], rng: random.Random) -> None:
    applying = [p for p in plans if "application" in p.extra]
    calls = await _calls(ctx)
    app_ids = await ctx.writer.ids(Application, len(applying))
    granted = [p for p in applying if p.extra["application"][1] == "granted"]
    grant_ids = iter(await ctx.writer.ids(GrantAgreement, len(granted)))
    rows = _Rows()
    for app, plan in zip(app_ids, applying, strict=True):
        funder, status = plan.extra["application"]
        amount = _application(ctx, rows, plan, app, rng.choice(calls[funder.id]), rng)
        if status == "granted":
            _agreement(ctx, rows, plan, app, next(grant_ids), amount, funder.officer)
    w = ctx.writer
    await w.copy(Application, APPLICATION_COLUMNS, rows.apps)
    await w.add(BudgetLine, BUDGET_COLUMNS, rows.lines)
    await w.add(FinancingLine, ("application", "source", "amount_ore"), rows.financing)
    await w.add(Review, REVIEW_COLUMNS, rows.reviews)
    await w.copy(GrantAgreement, AGREEMENT_COLUMNS, rows.grants)
    await w.add(GrantReport, REPORT_COLUMNS, rows.reports)
    await w.add(Payment, ("grant", "kind", "amount_ore", "on_date", "created_by"), rows.payments)
    ctx.progress(f"grants: {len(rows.apps):,} applications, {len(rows.grants):,} grants")
