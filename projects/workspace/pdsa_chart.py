"""A measure's run chart as data: the analysis (runchart), the API answer, and what the page
draws (geometry, the table rows and the words that sum up the signals). Pure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from projects.workspace import pdsa_schemas as s
from projects.workspace import runchart
from projects.workspace.runchart_svg import ChartGeometry, format_number, geometry

SIDE_NAMES = {1: "above", -1: "below", 0: "on"}
GOOD = {("shift", "up"): "above", ("shift", "down"): "below", ("trend", "up"): "up"}


def improvement(kind: str, direction: str, better: str) -> bool | None:
    """Is the signal in the measure's better direction? None for the runs signals."""
    if kind == "shift":
        return direction == ("above" if better == "up" else "below")
    if kind == "trend":
        return direction == better
    return None


def run_chart(
    measure_id: int,
    better: str,
    dates: Sequence[dt.date],
    values: Sequence[float],
    baseline_points: int | None = None,
) -> tuple[runchart.Analysis, s.RunChartOut]:
    analysis = runchart.analyse(values, baseline_points)
    marks: dict[int, list[str]] = {}
    for signal in analysis.signals:
        if signal.kind in ("shift", "trend"):
            for i in signal.points:
                marks.setdefault(i, []).append(signal.kind)
    test = analysis.runs
    out = s.RunChartOut(
        measure_id=measure_id,
        median=analysis.median,
        baseline_points=baseline_points,
        points=[
            s.RunPointOut(d, v, SIDE_NAMES[analysis.sides[i]], sorted(set(marks.get(i, []))))
            for i, (d, v) in enumerate(zip(dates, values, strict=True))
        ],
        signals=[
            s.SignalOut(
                kind=sig.kind,
                direction=sig.direction,
                improvement=improvement(sig.kind, sig.direction, better),
                points=list(sig.points),
            )
            for sig in analysis.signals
        ],
        runs=None if test is None else s.RunsOut(test.useful, test.runs, test.lower, test.upper),
    )
    return analysis, out


@dataclass(frozen=True, slots=True)
class SignalWords:
    """One signal for the page's words: the template turns `kind`/`direction` into a sentence
    with the first and last date and the number of points."""

    kind: str
    direction: str
    improvement: bool | None
    count: int
    first: dt.date
    last: dt.date


@dataclass(frozen=True, slots=True)
class ChartView:
    measure: s.MeasureOut
    chart: s.RunChartOut
    geometry: ChartGeometry | None  # None without values
    median_label: str
    words: tuple[SignalWords, ...]
    cycle_numbers: tuple[int, ...]  # the cycles that follow this measure
    notes: tuple[str, ...]  # each point's note, in the chart's order


def chart_view(
    measure: s.MeasureOut, cycles: Sequence[s.CycleOut], baseline_points: int | None = None
) -> ChartView:
    values = sorted(measure.values, key=lambda v: (v.measured_on, v.id))
    dates = [v.measured_on for v in values]
    numbers = [v.value for v in values]
    analysis, out = run_chart(measure.id, measure.better, dates, numbers, baseline_points)
    words = tuple(
        SignalWords(
            sig.kind,
            sig.direction,
            sig.improvement,
            len(sig.points),
            dates[sig.points[0]],
            dates[sig.points[-1]],
        )
        for sig in out.signals
        if sig.points
    )
    starts = [(c.started_on, f"PDSA {c.number}") for c in cycles if c.started_on is not None]
    shape = (
        geometry(dates, numbers, analysis, baseline=measure.baseline, cycles=starts)
        if values
        else None
    )
    return ChartView(
        measure=measure,
        chart=out,
        geometry=shape,
        median_label="" if analysis.median is None else format_number(analysis.median),
        words=words,
        cycle_numbers=tuple(c.number for c in cycles if measure.id in c.measure_ids),
        notes=tuple(v.note for v in values),
    )
