"""Geometry of the dashboard's bar charts, pure: granted amount against the budget frame per
call, and applications by status. Labels sit on their own line above each bar (never clipped:
long titles are shortened, the table below the chart has them in full)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 640
LEFT = 8
RIGHT = WIDTH - 8
LABEL_CHARS = 60  # with " – 1 234 567 kr" after it, at 13 px (~7 px a character) fits in 624
ROW = 52  # label line + bar(s)
TOP = 8


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    y: float  # the label's baseline
    bar_y: float
    frame_width: float  # the budget frame (or 0)
    value_width: float  # the granted amount (or the count)
    value_text: str


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


def frame_chart(rows: Sequence[tuple[str, int, int, str]]) -> BarChart:
    """(label, frame, granted, value text) per call: a light bar for the frame with the granted
    amount as a dark bar over it, on a shared scale."""
    top = max([max(frame, granted) for _, frame, granted, _ in rows] or [0])
    bars = [
        Bar(
            shorten(label),
            TOP + i * ROW + 14,
            TOP + i * ROW + 22,
            _scale(frame, top),
            _scale(granted, top),
            text,
        )
        for i, (label, frame, granted, text) in enumerate(rows)
    ]
    return BarChart(WIDTH, TOP + len(rows) * ROW + 8, LEFT, bars)


def count_chart(rows: Sequence[tuple[str, int]]) -> BarChart:
    """(label, count) per status, on a shared scale."""
    top = max([n for _, n in rows] or [0])
    bars = [
        Bar(shorten(label), TOP + i * ROW + 14, TOP + i * ROW + 22, 0.0, _scale(n, top), str(n))
        for i, (label, n) in enumerate(rows)
    ]
    return BarChart(WIDTH, TOP + len(rows) * ROW + 8, LEFT, bars)
