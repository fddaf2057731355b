"""Geometry of the run chart SVG: where each point, line, tick and annotation goes in the
chart's viewBox (the template draws it; the page scales it with width 100 %). Pure."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

from projects.workspace.runchart import Analysis

WIDTH = 560
HEIGHT = 300
LEFT = 58  # room for the value labels (wider when they are long)
CHAR_WIDTH = 7.5  # about one digit at font-size 13
RIGHT = 16
TOP = 30  # room for the cycle labels
BOTTOM = 58  # room for the date labels and the axis title
MAX_X_LABELS = 5


@dataclass(frozen=True, slots=True)
class PlotPoint:
    index: int
    x: float
    y: float
    on: dt.date
    value: float
    side: int
    shape: str  # "circle" | "square" (shift) | "triangle" (trend) | "diamond" (both)


@dataclass(frozen=True, slots=True)
class Tick:
    position: float
    label: str
    value: float | None = None  # a value tick (the template formats it for the language)
    on: dt.date | None = None  # a date tick


@dataclass(frozen=True, slots=True)
class Marker:
    x: float
    on: dt.date
    label: str


@dataclass(frozen=True, slots=True)
class ChartGeometry:
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    points: tuple[PlotPoint, ...]
    line: str  # the polyline's points
    median_y: float | None
    baseline_y: float | None
    y_ticks: tuple[Tick, ...]
    x_ticks: tuple[Tick, ...]
    cycles: tuple[Marker, ...]


def nice_step(span: float, count: int = 5) -> float:
    """A round step (1, 2 or 5 times a power of ten) giving about `count` intervals."""
    if span <= 0 or not math.isfinite(span):
        return 1.0
    raw = span / count
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def format_number(value: float) -> str:
    """A value label: no trailing zeros, a comma as the decimal sign (Norwegian style)."""
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text.replace(".", ",")


def label_room(labels: Sequence[str]) -> float:
    """The left margin that fits the longest value label (digit groups add a space each) and
    the rotated axis title."""
    longest = 0
    for label in labels:
        digits = sum(c.isdigit() for c in label.split(",")[0])
        longest = max(longest, len(label) + max(digits - 1, 0) // 3)
    return max(LEFT, 30 + CHAR_WIDTH * longest)


def _value_range(values: Sequence[float]) -> tuple[float, float, float]:
    low, high = min(values), max(values)
    if low == high:
        low, high = low - 1, high + 1
    step = nice_step(high - low)
    return math.floor(low / step) * step, math.ceil(high / step) * step, step


def _shape(index: int, shift: frozenset[int], trend: frozenset[int]) -> str:
    if index in shift and index in trend:
        return "diamond"
    if index in shift:
        return "square"
    return "triangle" if index in trend else "circle"


def _x_ticks(dates: Sequence[dt.date], x_of: dict[dt.date, float]) -> tuple[Tick, ...]:
    unique = sorted(set(dates))
    if len(unique) <= MAX_X_LABELS:
        chosen = unique
    else:
        every = (len(unique) - 1) / (MAX_X_LABELS - 1)
        chosen = [unique[round(k * every)] for k in range(MAX_X_LABELS)]
    return tuple(Tick(x_of[d], d.strftime("%d.%m.%y"), on=d) for d in chosen)


def geometry(
    dates: Sequence[dt.date],
    values: Sequence[float],
    analysis: Analysis,
    *,
    baseline: float | None = None,
    cycles: Sequence[tuple[dt.date, str]] = (),
) -> ChartGeometry:
    """Place everything; `cycles` are (start date, label) of the PDSA cycles, drawn as vertical
    annotations when they fall inside the charted period."""
    if not values:
        raise ValueError("a run chart needs at least one point")
    extra = [v for v in (analysis.median, baseline) if v is not None]
    low, high, step = _value_range([*values, *extra])
    first, last = min(dates), max(dates)
    days = max((last - first).days, 1)
    steps = round((high - low) / step)
    tick_values = [round(low + k * step, 10) for k in range(steps + 1)]
    left = label_room([format_number(v) for v in tick_values])
    inner_w, inner_h = WIDTH - left - RIGHT, HEIGHT - TOP - BOTTOM
    # A single date sits in the middle rather than on the axis.
    offset = inner_w / 2 if first == last else 0.0

    def x_at(on: dt.date) -> float:
        return round(left + offset + (on - first).days / days * inner_w, 2)

    def y_at(value: float) -> float:
        return round(TOP + (high - value) / (high - low) * inner_h, 2)

    shift = frozenset(i for s in analysis.of_kind("shift") for i in s.points)
    trend = frozenset(i for s in analysis.of_kind("trend") for i in s.points)
    points = tuple(
        PlotPoint(i, x_at(d), y_at(v), d, v, analysis.sides[i], _shape(i, shift, trend))
        for i, (d, v) in enumerate(zip(dates, values, strict=True))
    )
    y_ticks = tuple(Tick(y_at(v), format_number(v), value=v) for v in tick_values)
    x_of = {d: x_at(d) for d in dates}
    return ChartGeometry(
        width=WIDTH,
        height=HEIGHT,
        left=left,
        right=WIDTH - RIGHT,
        top=TOP,
        bottom=HEIGHT - BOTTOM,
        points=points,
        line=" ".join(f"{p.x},{p.y}" for p in points),
        median_y=None if analysis.median is None else y_at(analysis.median),
        baseline_y=None if baseline is None else y_at(baseline),
        y_ticks=y_ticks,
        x_ticks=_x_ticks(dates, x_of),
        cycles=tuple(Marker(x_at(on), on, label) for on, label in cycles if first <= on <= last),
    )
