"""Run chart rules: the median and the non-random signals (shift, trend, too few or too many
runs) of a measure's values in time order. Pure: no database, no web.

Sources of the rules:
- Provost LP, Murray SK. *The Health Care Data Guide: Learning from Data for Improvement*.
  Jossey-Bass 2011, ch. 3 (run charts): the median as centre line, which may be frozen from a
  baseline period and extended; a shift is six or more consecutive points on the same side of
  the median, a point on the median neither breaks nor adds to it; a trend is five or more
  consecutive points all going up or all going down, a repeated equal value neither breaks nor
  adds to it.
- Perla RJ, Provost LP, Murray SK. The run chart: a simple analytical tool for learning from
  variation in healthcare processes. *BMJ Qual Saf* 2011;20:46-51, table 1: the limits for too
  few and too many runs by the number of useful observations (points not on the median), for
  10 to 60 of them (about a 5 % risk of a false signal, after Swed and Eisenhart 1943). Outside
  that range no runs test is made.
- Anhøj J, Olesen AV. Run charts revisited. *PLoS ONE* 2014;9(11):e113825 — the same counting of
  useful observations and runs (a run is a stretch of useful points on one side of the median).
- Institute for Healthcare Improvement (IHI), "Run chart tool": the same four rules.
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

SHIFT_LENGTH = 6
TREND_LENGTH = 5

# Useful observations -> (lowest number of runs that is not "too few", highest that is not
# "too many"): fewer runs than the first is a signal, more than the second is one too.
# Perla, Provost & Murray 2011, table 1.
RUNS_LIMITS: dict[int, tuple[int, int]] = {
    10: (3, 9), 11: (3, 10), 12: (3, 11), 13: (4, 11), 14: (4, 12),
    15: (5, 12), 16: (5, 13), 17: (5, 13), 18: (6, 14), 19: (6, 15),
    20: (6, 16), 21: (7, 16), 22: (7, 17), 23: (7, 17), 24: (8, 18),
    25: (8, 18), 26: (9, 19), 27: (10, 19), 28: (10, 20), 29: (10, 20),
    30: (11, 21), 31: (11, 22), 32: (11, 23), 33: (12, 23), 34: (12, 24),
    35: (13, 24), 36: (13, 25), 37: (13, 25), 38: (14, 26), 39: (14, 26),
    40: (15, 27), 41: (16, 27), 42: (16, 28), 43: (17, 28), 44: (17, 29),
    45: (17, 30), 46: (17, 31), 47: (18, 31), 48: (18, 32), 49: (19, 32),
    50: (19, 33), 51: (20, 33), 52: (20, 34), 53: (21, 34), 54: (21, 35),
    55: (22, 35), 56: (22, 36), 57: (23, 36), 58: (23, 37), 59: (24, 38),
    60: (24, 38),
}  # fmt: skip

SignalKind = Literal["shift", "trend", "too_few_runs", "too_many_runs"]
Side = Literal[-1, 0, 1]


@dataclass(frozen=True, slots=True)
class Signal:
    """One non-random pattern. `direction` is "above"/"below" for a shift, "up"/"down" for a
    trend and "" for the runs signals; `points` are the indices (in time order) it covers."""

    kind: SignalKind
    direction: str
    points: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class RunsTest:
    useful: int  # points not on the median
    runs: int
    lower: int
    upper: int

    @property
    def too_few(self) -> bool:
        return self.runs < self.lower

    @property
    def too_many(self) -> bool:
        return self.runs > self.upper


@dataclass(frozen=True, slots=True)
class Analysis:
    median: float | None
    sides: tuple[Side, ...]  # per point: 1 above, -1 below, 0 on the median
    signals: tuple[Signal, ...]
    runs: RunsTest | None  # None when the useful observations are outside the table

    def of_kind(self, kind: SignalKind) -> tuple[Signal, ...]:
        return tuple(s for s in self.signals if s.kind == kind)

    def signal_points(self) -> frozenset[int]:
        """The points that belong to a shift or a trend (the ones a chart marks)."""
        return frozenset(i for s in self.signals if s.kind in ("shift", "trend") for i in s.points)


def median(values: Sequence[float], baseline: int | None = None) -> float | None:
    """The median of all values, or of the first `baseline` values (the baseline period,
    frozen and extended over the later points); None without values."""
    period = values[:baseline] if baseline else values
    return float(statistics.median(period)) if period else None


def sides(values: Sequence[float], centre: float | None) -> tuple[Side, ...]:
    if centre is None:
        return tuple(0 for _ in values)
    return tuple(1 if v > centre else -1 if v < centre else 0 for v in values)


def shifts(point_sides: Sequence[Side]) -> list[Signal]:
    """Stretches of SHIFT_LENGTH or more useful points on one side; points on the median are
    skipped (they neither break nor add) and are not part of the signal."""
    found: list[Signal] = []
    current: list[int] = []
    side: Side = 0
    for i, s in enumerate([*point_sides, 0]):
        if i == len(point_sides) or (s != 0 and s != side):
            if len(current) >= SHIFT_LENGTH:
                found.append(Signal("shift", "above" if side > 0 else "below", tuple(current)))
            current, side = ([i], s) if i < len(point_sides) else ([], 0)
        elif s != 0:
            current.append(i)
    return found


def _groups(values: Sequence[float]) -> list[list[int]]:
    """Indices grouped by repeated equal consecutive values."""
    groups: list[list[int]] = []
    for i, v in enumerate(values):
        if groups and values[groups[-1][0]] == v:
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups


def trends(values: Sequence[float]) -> list[Signal]:
    """Stretches of TREND_LENGTH or more points all going up or all going down; a repeated
    equal value neither breaks nor adds (it belongs to the signal but is not counted). Two
    trends in opposite directions share their turning point."""
    groups = _groups(values)
    found: list[Signal] = []
    start = 0
    while start < len(groups) - 1:
        up = values[groups[start + 1][0]] > values[groups[start][0]]
        end = start + 1
        while end + 1 < len(groups) and (values[groups[end + 1][0]] > values[groups[end][0]]) == up:
            end += 1
        if end - start + 1 >= TREND_LENGTH:
            points = tuple(i for g in groups[start : end + 1] for i in g)
            found.append(Signal("trend", "up" if up else "down", points))
        start = end
    return found


def runs_test(point_sides: Sequence[Side]) -> RunsTest | None:
    useful = [s for s in point_sides if s != 0]
    limits = RUNS_LIMITS.get(len(useful))
    if limits is None:
        return None
    runs = 1 + sum(1 for a, b in itertools.pairwise(useful) if a != b)
    return RunsTest(len(useful), runs, *limits)


def analyse(values: Sequence[float], baseline: int | None = None) -> Analysis:
    """The median and every signal of `values` (in time order)."""
    centre = median(values, baseline)
    point_sides = sides(values, centre)
    signals = [*shifts(point_sides), *trends(values)]
    test = runs_test(point_sides)
    if test is not None and (test.too_few or test.too_many):
        useful = tuple(i for i, s in enumerate(point_sides) if s != 0)
        signals.append(Signal("too_few_runs" if test.too_few else "too_many_runs", "", useful))
    return Analysis(centre, point_sides, tuple(signals), test)
