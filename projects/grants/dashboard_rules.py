"""The dashboard's figures, pure: a funder's (or a cluster's) calls, applications, grants and
reports as plain rows in, the sums, counts, shares, condition compliance and report deadlines
out. Exact integer øre throughout."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from projects.grants.conditions import Facts as ConditionFacts
from projects.grants.conditions import (
    Kind,
    Line,
    evaluate,
    parse_conditions,
)
from projects.grants.money import percent

STATUSES = ("draft", "submitted", "changes_requested", "granted", "declined", "withdrawn")
# The kinds the dashboard can judge from the stored budget, financing and reports alone; the
# others need the project's participants and approvals, which the workspace does not yet expose.
BUDGET_KINDS = frozenset(
    {
        Kind.FULL_FINANCING,
        Kind.CO_FINANCING,
        Kind.MIN_RND_SHARE,
        Kind.NO_EXISTING_POSITIONS,
        Kind.MAX_AMOUNT,
        Kind.REPORT_SCHEDULE,
    }
)
NOT_EVALUATED = "not_evaluated"
OUTCOMES = ("met", "not_met", "needs_evidence", NOT_EVALUATED)
DUE_DAYS = 30
DONE = frozenset({"submitted", "approved"})


@dataclass(frozen=True, slots=True)
class CallRow:
    id: int
    title: str
    status: str
    budget_ore: int
    conditions: Sequence[Mapping[str, Any]] = ()


@dataclass(frozen=True, slots=True)
class ApplicationRow:
    id: int
    call_id: int
    title: str
    status: str
    requested_ore: int


@dataclass(frozen=True, slots=True)
class BudgetRow:
    application_id: int
    category: str
    amount_ore: int
    year: int = 0


@dataclass(frozen=True, slots=True)
class FinancingRow:
    application_id: int
    source: str
    amount_ore: int


@dataclass(frozen=True, slots=True)
class GrantRow:
    id: int
    application_id: int
    amount_ore: int
    starts_on: dt.date
    ends_on: dt.date


@dataclass(frozen=True, slots=True)
class ReportRow:
    id: int
    grant_id: int
    kind: str
    due: dt.date
    status: str
    rnd_spent_ore: int = 0
    spent_ore: int = 0  # the report's total spending (the sum of its `spending`)


@dataclass(frozen=True, slots=True)
class Rows:
    calls: Sequence[CallRow] = ()
    applications: Sequence[ApplicationRow] = ()
    budget: Sequence[BudgetRow] = ()
    financing: Sequence[FinancingRow] = ()
    grants: Sequence[GrantRow] = ()
    reports: Sequence[ReportRow] = ()


@dataclass(frozen=True, slots=True)
class CallFigure:
    id: int
    title: str
    status: str
    budget_ore: int
    applications: int
    requested_ore: int
    granted_ore: int
    granted_percent: Decimal


@dataclass(frozen=True, slots=True)
class GrantFigure:
    id: int
    application_id: int
    call_id: int
    title: str
    amount_ore: int
    starts_on: dt.date
    ends_on: dt.date
    outcomes: Mapping[str, str]  # condition kind -> met | not_met | needs_evidence | ...


@dataclass(frozen=True, slots=True)
class ReportFigure:
    id: int
    grant_id: int
    application_id: int
    title: str
    kind: str
    due: dt.date
    status: str
    days: int  # days until due (negative: overdue)


@dataclass(frozen=True, slots=True)
class Figures:
    calls: list[CallFigure]
    by_status: list[tuple[str, int]]
    applications: list[ApplicationRow]
    granted_ore: int
    framework_ore: int
    granted_by_year: list[tuple[int, int]]
    grants: list[GrantFigure]
    rnd_budget_ore: int
    budget_ore: int
    rnd_percent: Decimal
    rnd_spent_ore: int
    spent_ore: int  # all spending reported in approved reports
    rnd_spent_percent: Decimal
    compliance: list[tuple[str, dict[str, int]]]  # kind -> outcome -> count
    due: list[ReportFigure]
    overdue: list[ReportFigure]
    kinds: list[str] = field(default_factory=list)


def _grouped(rows: Sequence[Any], key: str) -> dict[int, list[Any]]:
    out: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        out[getattr(row, key)].append(row)
    return out


def overdue_count(reports: Sequence[ReportRow], today: dt.date) -> int:
    return sum(1 for r in reports if r.due < today and r.status not in DONE)


def grant_outcomes(
    call: CallRow | None,
    app: ApplicationRow,
    budget: Sequence[BudgetRow],
    financing: Sequence[FinancingRow],
    reports: Sequence[ReportRow],
    today: dt.date,
) -> dict[str, str]:
    """The condition engine's outcome per condition kind of the call, from the stored budget and
    financing; kinds needing participants or approvals are `not_evaluated`."""
    if call is None:
        return {}
    facts = ConditionFacts(
        budget=[Line(b.category, b.amount_ore, b.year) for b in budget],
        financing=[(f.source, f.amount_ore) for f in financing],
        requested_ore=app.requested_ore,
        overdue_reports=overdue_count(reports, today),
    )
    conditions = parse_conditions(call.conditions)
    judged = [c for c in conditions if c.kind in BUDGET_KINDS]
    out = {str(c.kind): NOT_EVALUATED for c in conditions}
    for result in evaluate(judged, facts):
        out[str(result.kind)] = result.outcome
    return out


def _report_figure(
    r: ReportRow, grants: Mapping[int, GrantRow], apps: Mapping[int, ApplicationRow], today: dt.date
) -> ReportFigure:
    application_id = grants[r.grant_id].application_id
    title = apps[application_id].title if application_id in apps else ""
    return ReportFigure(
        r.id, r.grant_id, application_id, title, r.kind, r.due, r.status, (r.due - today).days
    )


def _reports(
    rows: Rows, grants: Mapping[int, GrantRow], apps: Mapping[int, ApplicationRow], today: dt.date
) -> tuple[list[ReportFigure], list[ReportFigure]]:
    horizon = today + dt.timedelta(days=DUE_DAYS)
    open_reports = sorted(
        (r for r in rows.reports if r.status not in DONE and r.grant_id in grants),
        key=lambda r: (r.due, r.id),
    )
    due = [
        _report_figure(r, grants, apps, today) for r in open_reports if today <= r.due <= horizon
    ]
    overdue = [_report_figure(r, grants, apps, today) for r in open_reports if r.due < today]
    return due, overdue


def _calls(rows: Rows, granted_by_app: Mapping[int, int]) -> list[CallFigure]:
    by_call = _grouped(rows.applications, "call_id")
    out = []
    for call in rows.calls:
        apps = by_call.get(call.id, [])
        granted = sum(granted_by_app.get(a.id, 0) for a in apps)
        out.append(
            CallFigure(
                call.id,
                call.title,
                call.status,
                call.budget_ore,
                len(apps),
                sum(a.requested_ore for a in apps),
                granted,
                percent(granted, call.budget_ore),
            )
        )
    return out


def _compliance(
    grants: Sequence[GrantFigure],
) -> tuple[list[str], list[tuple[str, dict[str, int]]]]:
    kinds = [str(k) for k in Kind if any(str(k) in g.outcomes for g in grants)]
    table = []
    for kind in kinds:
        counts = Counter(g.outcomes[kind] for g in grants if kind in g.outcomes)
        table.append((kind, {o: counts.get(o, 0) for o in OUTCOMES}))
    return kinds, table


def _grant_figures(rows: Rows, today: dt.date) -> list[GrantFigure]:
    apps = {a.id: a for a in rows.applications}
    calls = {c.id: c for c in rows.calls}
    budget, financing = (
        _grouped(rows.budget, "application_id"),
        _grouped(rows.financing, "application_id"),
    )
    reports = _grouped(rows.reports, "grant_id")
    out = []
    for g in sorted(rows.grants, key=lambda g: (g.starts_on, g.id)):
        app = apps.get(g.application_id)
        if app is None:
            continue
        outcomes = grant_outcomes(
            calls.get(app.call_id),
            app,
            budget.get(app.id, []),
            financing.get(app.id, []),
            reports.get(g.id, []),
            today,
        )
        out.append(
            GrantFigure(
                g.id, app.id, app.call_id, app.title, g.amount_ore, g.starts_on, g.ends_on, outcomes
            )
        )
    return out


def figures(rows: Rows, today: dt.date) -> Figures:
    """Every figure of the dashboard from the rows (those of one funder or one cluster)."""
    apps = {a.id: a for a in rows.applications}
    grants = {g.id: g for g in rows.grants if g.application_id in apps}
    granted_by_app = {g.application_id: g.amount_ore for g in grants.values()}
    grant_figures = _grant_figures(rows, today)
    per_year: Counter[int] = Counter()
    for g in grants.values():
        per_year[g.starts_on.year] += g.amount_ore
    counts = Counter(a.status for a in rows.applications)
    granted_apps = set(granted_by_app)
    budget = [b for b in rows.budget if b.application_id in granted_apps]
    rnd_budget = sum(b.amount_ore for b in budget if b.category == "rnd")
    budget_total = sum(b.amount_ore for b in budget)
    approved = [r for r in rows.reports if r.status == "approved" and r.grant_id in grants]
    rnd_spent = sum(r.rnd_spent_ore for r in approved)
    spent_base = sum(r.spent_ore for r in approved)
    due, overdue = _reports(rows, grants, apps, today)
    kinds, compliance = _compliance(grant_figures)
    return Figures(
        calls=_calls(rows, granted_by_app),
        by_status=[(s, counts.get(s, 0)) for s in STATUSES],
        applications=sorted(rows.applications, key=lambda a: a.id),
        granted_ore=sum(granted_by_app.values()),
        framework_ore=sum(c.budget_ore for c in rows.calls),
        granted_by_year=sorted(per_year.items()),
        grants=grant_figures,
        rnd_budget_ore=rnd_budget,
        budget_ore=budget_total,
        rnd_percent=percent(rnd_budget, budget_total),
        rnd_spent_ore=rnd_spent,
        spent_ore=spent_base,
        rnd_spent_percent=percent(rnd_spent, spent_base),
        compliance=compliance,
        due=due,
        overdue=overdue,
        kinds=kinds,
    )
