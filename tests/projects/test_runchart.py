"""Run chart rules (median, shift, trend, runs), the chart geometry and the PDSA phase rules:
exact examples and hypothesis properties."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from projects.workspace import pdsa_chart, pdsa_rules
from projects.workspace.runchart import RUNS_LIMITS, analyse
from projects.workspace.runchart_svg import HEIGHT, WIDTH, format_number, geometry, nice_step

# Small integers keep exact arithmetic (no rounding) under the transformations below.
values = st.lists(st.integers(min_value=-50, max_value=50).map(float), max_size=40)


def kinds(
    values: list[float], baseline: int | None = None
) -> list[tuple[str, str, tuple[int, ...]]]:
    return [(s.kind, s.direction, s.points) for s in analyse(values, baseline).signals]


# --- exact examples --------------------------------------------------------------------------


def test_median_of_all_points_or_of_the_baseline_period() -> None:
    assert analyse([3, 1, 2]).median == 2
    assert analyse([4, 1, 2, 3]).median == 2.5
    assert analyse([1, 2, 3, 10, 11, 12], baseline=3).median == 2
    assert analyse([]).median is None
    assert analyse([]).signals == ()


def test_six_on_one_side_is_a_shift_five_is_not() -> None:
    # median 5: six points above from index 6 on
    series = [1, 2, 3, 1, 2, 3, 8, 9, 8, 9, 8, 9]
    shifts = analyse(series).of_kind("shift")
    assert [(s.direction, s.points) for s in shifts] == [
        ("below", (0, 1, 2, 3, 4, 5)),
        ("above", (6, 7, 8, 9, 10, 11)),
    ]
    assert analyse([1, 9, 1, 9, 9, 9, 9, 9, 1, 1]).of_kind("shift") == ()


def test_points_on_the_median_neither_break_nor_add_to_a_shift() -> None:
    # median of the first 5 points (baseline) is 5; the 5s after them are on the median
    series = [5, 5, 5, 5, 5, 7, 7, 5, 7, 7, 5, 7, 7]
    (shift,) = analyse(series, baseline=5).of_kind("shift")
    assert shift.direction == "above"
    assert shift.points == (5, 6, 8, 9, 11, 12)
    # five above with a median point among them: still only five
    assert analyse([5, 5, 5, 5, 5, 7, 7, 5, 7, 7, 7], baseline=5).of_kind("shift") == ()


def test_five_going_up_is_a_trend_and_equal_values_neither_break_nor_add() -> None:
    assert kinds([1, 2, 3, 4, 5])[0] == ("trend", "up", (0, 1, 2, 3, 4))
    assert analyse([1, 2, 3, 4]).of_kind("trend") == ()
    # 1 2 2 3 4: only four distinct steps -> no trend; 1 2 2 3 4 5 -> a trend of all six
    assert analyse([1, 2, 2, 3, 4]).of_kind("trend") == ()
    (trend,) = analyse([1, 2, 2, 3, 4, 5]).of_kind("trend")
    assert trend.points == (0, 1, 2, 3, 4, 5)
    (down,) = analyse([9, 7, 7, 5, 3, 1, 4]).of_kind("trend")
    assert (down.direction, down.points) == ("down", (0, 1, 2, 3, 4, 5))


def test_a_peak_can_end_one_trend_and_start_the_next() -> None:
    trends = analyse([1, 2, 3, 4, 5, 4, 3, 2, 1]).of_kind("trend")
    assert [(t.direction, t.points) for t in trends] == [
        ("up", (0, 1, 2, 3, 4)),
        ("down", (4, 5, 6, 7, 8)),
    ]


def test_runs_table_from_10_to_60_useful_observations() -> None:
    assert sorted(RUNS_LIMITS) == list(range(10, 61))
    assert RUNS_LIMITS[10] == (3, 9)
    assert RUNS_LIMITS[20] == (6, 16)
    assert RUNS_LIMITS[60] == (24, 38)
    for n, (lower, upper) in RUNS_LIMITS.items():
        assert lower > 1, (n, lower)
        assert lower < upper < n, (n, lower, upper)
    lows = [RUNS_LIMITS[n][0] for n in range(10, 61)]
    highs = [RUNS_LIMITS[n][1] for n in range(10, 61)]
    assert lows == sorted(lows)
    assert highs == sorted(highs)


def test_too_many_and_too_few_runs() -> None:
    zigzag = [1.0, 9.0] * 10  # 20 useful points, 20 runs > 16
    analysis = analyse(zigzag)
    assert analysis.runs is not None
    assert analysis.runs.runs == 20
    assert [s.kind for s in analysis.signals] == ["too_many_runs"]
    blocks = [1.0] * 10 + [9.0] * 10  # 2 runs < 6
    assert "too_few_runs" in [s.kind for s in analyse(blocks).signals]
    assert analyse([1.0, 9.0] * 4).runs is None  # 8 useful points: outside the table
    random_like = [3, 7, 2, 8, 4, 4, 9, 1, 6, 5, 2, 8, 3, 7]
    analysis = analyse([float(v) for v in random_like])
    assert analysis.runs is not None
    assert not analysis.runs.too_few
    assert not analysis.runs.too_many


# --- properties ------------------------------------------------------------------------------


@settings(max_examples=150)
@given(values, st.integers(min_value=-1000, max_value=1000))
def test_signals_are_invariant_under_adding_a_constant(series: list[float], c: int) -> None:
    assert kinds(series) == kinds([v + c for v in series])


@settings(max_examples=150)
@given(values, st.integers(min_value=1, max_value=100))
def test_signals_are_invariant_under_positive_scaling(series: list[float], k: int) -> None:
    assert kinds(series) == kinds([v * k for v in series])


@settings(max_examples=150)
@given(values)
def test_reversing_keeps_the_shifts(series: list[float]) -> None:
    n = len(series)
    forward = {(s.direction, s.points) for s in analyse(series).of_kind("shift")}
    backward = {
        (s.direction, tuple(sorted(n - 1 - i for i in s.points)))
        for s in analyse(series[::-1]).of_kind("shift")
    }
    assert forward == backward


@settings(max_examples=150)
@given(values)
def test_reversing_turns_trends_around(series: list[float]) -> None:
    n = len(series)
    flip = {"up": "down", "down": "up"}
    forward = {(s.direction, s.points) for s in analyse(series).of_kind("trend")}
    backward = {
        (flip[s.direction], tuple(sorted(n - 1 - i for i in s.points)))
        for s in analyse(series[::-1]).of_kind("trend")
    }
    assert forward == backward


@given(st.lists(st.floats(-1e6, 1e6), max_size=5))
def test_fewer_than_six_points_never_give_a_shift(series: list[float]) -> None:
    assert analyse(series).of_kind("shift") == ()


@given(st.lists(st.floats(-1e6, 1e6), min_size=5, max_size=40, unique=True))
def test_a_strictly_increasing_series_is_one_trend(series: list[float]) -> None:
    ordered = sorted(series)
    (trend,) = analyse(ordered).of_kind("trend")
    assert trend.direction == "up"
    assert trend.points == tuple(range(len(ordered)))


@given(values)
def test_shift_points_lie_on_their_side(series: list[float]) -> None:
    analysis = analyse(series)
    for shift in analysis.of_kind("shift"):
        assert len(shift.points) >= 6
        side = 1 if shift.direction == "above" else -1
        assert all(analysis.sides[i] == side for i in shift.points)


# --- geometry and the chart model ------------------------------------------------------------


def _dates(n: int) -> list[dt.date]:
    return [dt.date(2026, 1, 5) + dt.timedelta(weeks=i) for i in range(n)]


@given(st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=30))
def test_every_point_and_label_stays_inside_the_viewbox(series: list[float]) -> None:
    dates = _dates(len(series))
    analysis = analyse(series)
    g = geometry(dates, series, analysis, baseline=series[0], cycles=[(dates[-1], "PDSA 1")])
    for p in g.points:
        assert g.left <= p.x <= g.right
        assert g.top - 0.01 <= p.y <= g.bottom + 0.01
    assert all(g.top - 0.01 <= t.position <= g.bottom + 0.01 for t in g.y_ticks)
    assert 2 <= len(g.y_ticks) <= 12
    assert (g.width, g.height) == (WIDTH, HEIGHT)
    assert all(g.left >= 30 + 7.5 * len(t.label) for t in g.y_ticks)  # value labels fit
    assert len(g.x_ticks) <= 5
    assert len(g.cycles) == 1


def test_geometry_marks_signal_points_with_shapes() -> None:
    series = [1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
    g = geometry(_dates(12), series, analyse(series), cycles=[(dt.date(2020, 1, 1), "old")])
    shapes = [p.shape for p in g.points]
    assert shapes == ["diamond"] * 12  # both shifts and the trend
    assert g.cycles == ()  # a cycle before the chart's period is not drawn
    flat = [5.0, 1, 5, 1, 5, 1]
    assert {p.shape for p in geometry(_dates(6), flat, analyse(flat)).points} == {"circle"}


def test_long_value_labels_widen_the_left_margin() -> None:
    series = [1_000_000.0, 3_000_000.0]
    g = geometry(_dates(2), series, analyse(series))
    assert g.left > 58
    assert g.points[0].x == g.left
    assert g.points[-1].x == g.right


def test_nice_steps_and_numbers() -> None:
    assert nice_step(10) == 2
    assert nice_step(0.9) == 0.2
    assert nice_step(0) == 1
    assert format_number(12.5) == "12,5"
    assert format_number(3.0) == "3"
    assert format_number(-0.0) == "0"


def test_chart_model_names_improvements() -> None:
    dates = _dates(12)
    series = [1.0] * 6 + [9.0] * 6
    _, out = pdsa_chart.run_chart(1, "up", dates, series)
    by_kind = {(s.kind, s.direction): s.improvement for s in out.signals}
    assert by_kind[("shift", "above")] is True
    assert by_kind[("shift", "below")] is False
    assert by_kind[("too_few_runs", "")] is None
    _, out = pdsa_chart.run_chart(1, "down", dates, series)
    assert {(s.kind, s.direction): s.improvement for s in out.signals}[("shift", "above")] is False
    assert out.points[0].side == "below"
    assert out.points[0].signals == ["shift"]


# --- PDSA phases and pasted values -----------------------------------------------------------


def test_current_phase_follows_what_is_filled_in() -> None:
    cycle: dict[str, object] = {}
    assert pdsa_rules.current_phase(cycle) == "plan"
    cycle.update(change_idea="Ring foreldre", prediction="Fravær ned 20 %")
    assert pdsa_rules.current_phase(cycle) == "do"
    cycle.update(done_what="Ringte", started_on=dt.date(2026, 1, 5))
    assert pdsa_rules.current_phase(cycle) == "study"
    cycle.update(study="Ned 10 %", learned="Tidlig kontakt virker")
    assert pdsa_rules.current_phase(cycle) == "act"
    cycle.update(decision="adapt", next_test="Også SMS", number=2)
    assert pdsa_rules.current_phase(cycle) == "done"
    assert pdsa_rules.may_continue(cycle, latest_number=2)
    assert not pdsa_rules.may_continue(cycle, latest_number=3)
    assert not pdsa_rules.may_continue({**cycle, "decision": "abandon"}, latest_number=2)
    assert not pdsa_rules.may_continue({**cycle, "next_test": " "}, latest_number=2)


def test_dates_in_order() -> None:
    assert pdsa_rules.date_problems(dt.date(2026, 2, 1), dt.date(2026, 1, 1))[0].field == "ended_on"
    assert pdsa_rules.date_problems(dt.date(2026, 1, 1), None) == []


def test_pasted_lines() -> None:
    text = "2026-01-05;12,5\n\n12.01.2026;13.5;etter møtet\n2026-01-19\t1 200\n"
    found, problems = pdsa_rules.parse_lines(text)
    assert problems == []
    assert [(p.measured_on.isoformat(), p.value, p.note) for p in found] == [
        ("2026-01-05", 12.5, ""),
        ("2026-01-12", 13.5, "etter møtet"),
        ("2026-01-19", 1200.0, ""),
    ]
    found, problems = pdsa_rules.parse_lines("2026-01-05;12\nigår;x\n2026-13-01;4\n2026-01-07;inf")
    assert [p.row for p in problems] == [2, 3, 4]
    assert len(found) == 1
    assert pdsa_rules.parse_lines("  \n")[1][0].message == "Paste at least one line."
