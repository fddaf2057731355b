"""The plan's timeline geometry, pure: one row per work package with its milestones and
deliverables beneath it, bars from start to due, diamonds at a milestone's due date, a line at
today, overdue items flagged. The template draws it as SVG in viewBox units; label widths are
computed here so no label is ever clipped."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

from projects.workspace.plan_rules import Kind, is_overdue

CHART_WIDTH = 640.0  # viewBox units for the dates; the SVG scales to its container
ROW_HEIGHT = 28.0
HEADER = 28.0  # room for the month labels
CHAR_WIDTH = 7.2  # generous average advance of a 13 px sans-serif character
INDENT = 16.0
PADDING = 16.0
MAX_LABEL = 48  # longer titles end in "…" (the full title is in the row's <title> and the table)
MIN_LABEL_WIDTH = 120.0
MAX_TICKS = 12


@dataclass(frozen=True, slots=True)
class Entry:
    """One plan item, as plain data."""

    id: int
    kind: str
    title: str
    parent_id: int | None
    starts_on: dt.date | None
    due: dt.date | None
    status: str


@dataclass(frozen=True, slots=True)
class Row:
    id: int
    kind: str
    title: str
    label: str
    status: str
    starts_on: dt.date | None
    due: dt.date | None
    indent: int  # 0 = a work package or an item of no package, 1 = inside a package
    label_x: float
    y: float  # the row's middle
    has_mark: bool  # False: no dates to draw
    diamond: bool  # a point at `x` rather than a bar from `x` to `x + width`
    x: float
    width: float
    overdue: bool


@dataclass(frozen=True, slots=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True, slots=True)
class Timeline:
    width: float
    height: float
    label_width: float
    chart_left: float
    chart_right: float
    start: dt.date
    end: dt.date
    rows: tuple[Row, ...]
    ticks: tuple[Tick, ...]
    today: dt.date
    today_x: float
    overdue: int

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width:g} {self.height:g}"


def x_of(day: dt.date, start: dt.date, end: dt.date, left: float, right: float) -> float:
    """Where a date falls between `left` (start) and `right` (end); monotonic in `day`."""
    span = max((end - start).days, 1)
    return round(left + (day - start).days / span * (right - left), 2)


def label_of(title: str) -> str:
    title = " ".join(title.split())
    return title if len(title) <= MAX_LABEL else title[: MAX_LABEL - 1].rstrip() + "…"


def ordered(entries: Sequence[Entry]) -> list[tuple[Entry, int]]:
    """Work packages in the given order, each followed by its milestones and deliverables; then
    the milestones and deliverables of no package. Goals are not on the timeline."""
    packages = [e for e in entries if e.kind == Kind.WORK_PACKAGE]
    package_ids = {p.id for p in packages}
    parts = [e for e in entries if e.kind in (Kind.MILESTONE, Kind.DELIVERABLE)]
    out: list[tuple[Entry, int]] = []
    for package in packages:
        out.append((package, 0))
        out.extend((e, 1) for e in parts if e.parent_id == package.id)
    out.extend((e, 0) for e in parts if e.parent_id not in package_ids)
    return out


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def span_of(entries: Sequence[Entry], today: dt.date) -> tuple[dt.date, dt.date]:
    """Whole months around every date on the chart and today."""
    days = [d for e in entries for d in (e.starts_on, e.due) if d is not None] + [today]
    return _month_start(min(days)), _next_month(max(days))


def ticks(start: dt.date, end: dt.date, left: float, right: float) -> tuple[Tick, ...]:
    months: list[dt.date] = []
    day = start
    while day <= end:
        months.append(day)
        day = _next_month(day)
    step = max(1, math.ceil(len(months) / MAX_TICKS))
    return tuple(
        Tick(x_of(m, start, end, left, right), f"{m.month:02d}.{m.year}") for m in months[::step]
    )


Scale = tuple[dt.date, dt.date, float, float]


def _row(entry: Entry, indent: int, label: str, index: int, scale: Scale, today: dt.date) -> Row:
    first = entry.starts_on or entry.due
    last = entry.due or entry.starts_on
    diamond = entry.kind == Kind.MILESTONE or entry.starts_on is None or entry.due is None
    x = x_of(last if diamond and last else first, *scale) if first else 0.0
    width = 0.0 if diamond or not (first and last) else x_of(last, *scale) - x
    return Row(
        id=entry.id,
        kind=entry.kind,
        title=entry.title,
        label=label,
        status=entry.status,
        starts_on=entry.starts_on,
        due=entry.due,
        indent=indent,
        label_x=PADDING / 2 + indent * INDENT,
        y=HEADER + index * ROW_HEIGHT + ROW_HEIGHT / 2,
        has_mark=first is not None,
        diamond=diamond,
        x=x,
        width=round(max(width, 0.0), 2),
        overdue=is_overdue(entry.due, entry.status, today),
    )


def build(entries: Sequence[Entry], today: dt.date) -> Timeline:
    """The timeline of the plan's work packages, milestones and deliverables."""
    rows_in = ordered(entries)
    labels = [label_of(e.title) for e, _ in rows_in]
    widest = max(
        (
            len(label) * CHAR_WIDTH + indent * INDENT
            for label, (_, indent) in zip(labels, rows_in, strict=True)
        ),
        default=0.0,
    )
    label_width = max(MIN_LABEL_WIDTH, math.ceil(widest + 2 * PADDING))
    left, right = label_width, label_width + CHART_WIDTH
    start, end = span_of([e for e, _ in rows_in], today)
    rows = [
        _row(entry, indent, label, index, (start, end, left, right), today)
        for index, ((entry, indent), label) in enumerate(zip(rows_in, labels, strict=True))
    ]
    return Timeline(
        width=right + PADDING,
        height=HEADER + len(rows) * ROW_HEIGHT + PADDING / 2,
        label_width=label_width,
        chart_left=left,
        chart_right=right,
        start=start,
        end=end,
        rows=tuple(rows),
        ticks=ticks(start, end, left, right),
        today=today,
        today_x=x_of(today, start, end, left, right),
        overdue=sum(1 for e in entries if is_overdue(e.due, e.status, today)),
    )
