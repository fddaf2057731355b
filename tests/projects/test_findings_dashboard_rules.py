"""The return-rate figures (pure): counts per state, the median, overdue, and that a whole's
figures equal the sum of its parts' (property-based)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from projects.findings.dashboard_chart import answered_chart
from projects.findings.dashboard_rules import (
    DeliveryRow,
    OutcomeRow,
    Scope,
    breakdown,
    figures,
    sees_project,
    summed,
)
from projects.findings.schedule import Schedule

NOW = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)
PLAN = Schedule()


def _ago(days: float) -> dt.datetime:
    return NOW - dt.timedelta(days=days)


def _row(
    i: int,
    age: float,
    read: float | None = None,
    answered: float | None = None,
    will_use: str = "",
    municipality: int | None = 1,
) -> DeliveryRow:
    return DeliveryRow(
        delivery_id=i,
        outcome_id=1,
        cluster_id=1,
        project_id=1,
        municipality_id=municipality,
        created_at=_ago(age),
        read_at=_ago(read) if read is not None else None,
        answered_at=_ago(answered) if answered is not None else None,
        will_use=will_use,
    )


def test_figures_count_every_state() -> None:
    rows = [
        _row(1, 10, read=7, answered=6, will_use="yes"),  # acknowledged after 3 days
        _row(2, 10, answered=9, will_use="partly"),  # answered without a read: 1 day
        _row(3, 10, read=5),  # read, unanswered: 5 days, not yet due
        _row(4, 14),  # unread and due today: overdue
        _row(5, 50),  # escalated long ago: overdue
        _row(6, 30, read=1, answered=1, will_use="no"),  # late, but answered: not overdue
    ]
    f = figures([1, 1, 2], rows, NOW, PLAN)
    assert (f.outcomes, f.deliveries, f.acknowledged, f.answered) == (2, 6, 4, 3)
    assert (f.will_use_yes, f.will_use_partly, f.overdue) == (1, 1, 2)
    assert f.median_days == 4.0  # of 3, 1, 5 and 29
    assert f.answered_percent == 50
    empty = figures([], [], NOW, PLAN)
    assert (empty.median_days, empty.answered_percent, empty.deliveries) == (None, 0, 0)


def test_municipality_outcomes_are_those_delivered_to_it() -> None:
    outcomes = [OutcomeRow(1, 1, 1), OutcomeRow(2, 1, 1)]
    b = breakdown(outcomes, [_row(1, 3, municipality=7), _row(2, 3, municipality=None)], NOW, PLAN)
    assert b.projects[1].outcomes == 2
    assert b.municipalities == {7: figures([1], [_row(1, 3, municipality=7)], NOW, PLAN)}


def test_scope() -> None:
    assert sees_project(Scope(everything=True), 1, [])
    assert sees_project(Scope(clusters=frozenset({1})), 1, [])
    assert not sees_project(Scope(clusters=frozenset({2})), 1, [9])
    assert sees_project(Scope(funders=frozenset({9})), 1, [8, 9])
    assert not sees_project(Scope(municipalities=frozenset({1})), 1, [])
    assert Scope().empty
    assert not Scope(municipalities=frozenset({1})).empty


def test_chart_scales_to_the_largest_group() -> None:
    chart = answered_chart([("A" * 80, 10, 5, "5 av 10"), ("B", 5, 0, "0 av 5")])
    assert [b.whole_width for b in chart.bars] == [624.0, 312.0]
    assert [b.part_width for b in chart.bars] == [312.0, 0.0]
    assert chart.bars[0].label.endswith("…")
    assert len(chart.bars[0].label) == 48
    assert answered_chart([]).bars == []


@st.composite
def worlds(draw: st.DrawFn) -> tuple[list[OutcomeRow], list[DeliveryRow]]:
    """Outcomes of projects (each in one cluster) and deliveries of those outcomes."""
    n = draw(st.integers(0, 8))
    project_cluster = {p: draw(st.integers(1, 3)) for p in range(1, 6)}
    outcomes = [
        OutcomeRow(i, project_cluster[p], p)
        for i, p in enumerate(draw(st.lists(st.integers(1, 5), min_size=n, max_size=n)), 1)
    ]
    rows = []
    for i in range(draw(st.integers(0, 25)) if outcomes else 0):
        o = draw(st.sampled_from(outcomes))
        age = draw(st.integers(0, 60))
        read = draw(st.none() | st.integers(0, age))
        answered = draw(st.none() | st.integers(0, age))
        rows.append(
            DeliveryRow(
                delivery_id=i,
                outcome_id=o.outcome_id,
                cluster_id=o.cluster_id,
                project_id=o.project_id,
                municipality_id=draw(st.none() | st.integers(1, 4)),
                created_at=_ago(age),
                read_at=_ago(read) if read is not None else None,
                answered_at=_ago(answered) if answered is not None else None,
                will_use=draw(st.sampled_from(["yes", "partly", "no", "undecided"]))
                if answered is not None
                else "",
            )
        )
    return outcomes, rows


@settings(max_examples=150, deadline=None)
@given(worlds())
def test_totals_equal_the_sum_of_the_parts(
    world: tuple[list[OutcomeRow], list[DeliveryRow]],
) -> None:
    outcomes, rows = world
    b = breakdown(outcomes, rows, NOW, PLAN)
    total = summed([b.total])
    assert summed(b.clusters.values()) == total
    assert summed(b.projects.values()) == total
    municipal = [r for r in rows if r.municipality_id is not None]
    by_municipality = summed(b.municipalities.values())
    whole = summed([figures([], municipal, NOW, PLAN)])
    assert {k: v for k, v in by_municipality.items() if k != "outcomes"} == {
        k: v for k, v in whole.items() if k != "outcomes"
    }
    assert total["answered"] == sum(1 for r in rows if r.answered_at is not None)
    assert total["acknowledged"] >= total["answered"]
    assert total["deliveries"] == len(rows)
