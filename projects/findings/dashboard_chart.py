"""Geometry of the return-rate chart, pure: per group (cluster, project or municipality) a light
bar for its deliveries with a dark bar over it for those answered, on a shared scale. The label
sits on its own line above each bar and carries the numbers, so nothing depends on colour; the
table below the chart is its text alternative."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 640
LEFT = 8
RIGHT = WIDTH - 8
LABEL_CHARS = 48  # with " – 12 av 30 besvart" after it, at 13 px fits in 624
ROW = 52  # label line + bar
TOP = 8


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value_text: str
    y: float  # the label's baseline
    bar_y: float
    whole_width: float  # deliveries
    part_width: float  # answered


@dataclass(frozen=True, slots=True)
class BarChart:
    width: int
    height: int
    left: int
    bars: list[Bar]


def shorten(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _scale(value: int, top: int) -> float:
    return round((RIGHT - LEFT) * value / top, 1) if top > 0 else 0.0


def answered_chart(rows: Sequence[tuple[str, int, int, str]]) -> BarChart:
    """(label, deliveries, answered, value text) per group."""
    top = max([whole for _, whole, _, _ in rows] or [0])
    bars = [
        Bar(
            shorten(label),
            text,
            TOP + i * ROW + 14,
            TOP + i * ROW + 22,
            _scale(whole, top),
            _scale(part, top),
        )
        for i, (label, whole, part, text) in enumerate(rows)
    ]
    return BarChart(WIDTH, TOP + len(rows) * ROW + 8, LEFT, bars)
