"""The dashboard's pure figures and chart geometry: exact sums, the status counts, the report
windows, condition compliance from the budget only, and bars that never leave the chart."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from projects.grants import dashboard_chart as chart
from projects.grants import dashboard_rules as rules

TODAY = dt.date(2026, 6, 1)
ore = st.integers(min_value=0, max_value=10**12)


def _rows(amounts: list[int]) -> rules.Rows:
    calls = [rules.CallRow(1, "Utlysning", "published", 10**13)]
    apps = [rules.ApplicationRow(i, 1, f"S{i}", "granted", a) for i, a in enumerate(amounts)]
    grants = [
        rules.GrantRow(100 + i, i, a, dt.date(2024 + i % 3, 1, 1), dt.date(2027, 1, 1))
        for i, a in enumerate(amounts)
    ]
    return rules.Rows(calls=calls, applications=apps, grants=grants)


@given(st.lists(ore, max_size=30))
def test_granted_sums_are_exact(amounts: list[int]) -> None:
    f = rules.figures(_rows(amounts), TODAY)
    assert f.granted_ore == sum(amounts)
    assert sum(s for _, s in f.granted_by_year) == sum(amounts)
    assert f.calls[0].granted_ore == sum(amounts)
    assert dict(f.by_status)["granted"] == len(amounts)


def test_report_windows() -> None:
    rows = rules.Rows(
        applications=[rules.ApplicationRow(1, 1, "S", "granted", 0)],
        grants=[rules.GrantRow(9, 1, 0, TODAY, TODAY)],
        reports=[
            rules.ReportRow(1, 9, "progress", TODAY, "due"),  # due today: due, not overdue
            rules.ReportRow(2, 9, "progress", TODAY + dt.timedelta(days=30), "returned"),
            rules.ReportRow(3, 9, "progress", TODAY + dt.timedelta(days=31), "due"),
            rules.ReportRow(4, 9, "progress", TODAY - dt.timedelta(days=1), "due"),
            rules.ReportRow(5, 9, "progress", TODAY - dt.timedelta(days=1), "submitted"),
            rules.ReportRow(6, 9, "final", TODAY - dt.timedelta(days=9), "approved"),
        ],
    )
    f = rules.figures(rows, TODAY)
    assert [r.id for r in f.due] == [1, 2]
    assert [r.id for r in f.overdue] == [4]
    assert f.overdue[0].days == -1


def test_compliance_budget_kinds_only() -> None:
    call = rules.CallRow(
        1, "U", "published", 0,
        [{"kind": "min_rnd_share", "params": {"percent": 30}}, {"kind": "approvals"},
         {"kind": "report_schedule"}, {"kind": "max_amount", "params": {"ore": 100}}],
    )  # fmt: skip
    app = rules.ApplicationRow(1, 1, "S", "granted", 200)
    budget = [rules.BudgetRow(1, "rnd", 30), rules.BudgetRow(1, "travel", 70)]
    overdue = [rules.ReportRow(1, 9, "progress", TODAY - dt.timedelta(days=1), "due")]
    out = rules.grant_outcomes(call, app, budget, [], overdue, TODAY)
    assert out == {
        "min_rnd_share": "met",
        "approvals": "not_evaluated",
        "report_schedule": "not_met",
        "max_amount": "not_met",
    }


def test_rnd_shares() -> None:
    rows = rules.Rows(
        applications=[
            rules.ApplicationRow(1, 1, "A", "granted", 0),
            rules.ApplicationRow(2, 1, "B", "submitted", 0),
        ],
        budget=[
            rules.BudgetRow(1, "rnd", 1),
            rules.BudgetRow(1, "operations", 2),
            rules.BudgetRow(2, "rnd", 1000),  # not granted: does not count
        ],
        grants=[rules.GrantRow(9, 1, 3, TODAY, TODAY)],
        reports=[rules.ReportRow(1, 9, "progress", TODAY, "approved", 1, 4)],
    )
    f = rules.figures(rows, TODAY)
    assert (f.rnd_budget_ore, f.budget_ore, str(f.rnd_percent)) == (1, 3, "33.3")
    assert (f.rnd_spent_ore, f.spent_ore, str(f.rnd_spent_percent)) == (1, 4, "25.0")


@given(st.lists(st.tuples(st.text(max_size=200), ore, ore), max_size=20))
def test_bars_stay_inside(rows: list[tuple[str, int, int]]) -> None:
    c = chart.frame_chart([(t, f, g, "x") for t, f, g in rows])
    assert len(c.bars) == len(rows)
    for bar in c.bars:
        assert 0 <= bar.value_width <= chart.RIGHT - chart.LEFT
        assert 0 <= bar.frame_width <= chart.RIGHT - chart.LEFT
        assert len(bar.label) <= chart.LABEL_CHARS
        assert bar.bar_y + 18 <= c.height
    counts = chart.count_chart([(t, g) for t, _, g in rows])
    assert all(b.value_width <= chart.RIGHT - chart.LEFT for b in counts.bars)
