"""Request and response shapes of PDSA cycles, measures and run charts."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import msgspec

from klynge.schemas import FREE, NOT_FREE, FreeText, GuardedStruct, Name

Title = Annotated[str, msgspec.Meta(max_length=200, extra_json_schema=FREE)]
Unit = Annotated[str, msgspec.Meta(max_length=40, extra_json_schema=FREE)]
ValueNote = Annotated[str, msgspec.Meta(max_length=300, extra_json_schema=FREE)]
Decision = Annotated[
    str, msgspec.Meta(pattern="^(adopt|adapt|abandon)?$", extra_json_schema=NOT_FREE)
]
MeasureKind = Annotated[
    str, msgspec.Meta(pattern="^(outcome|process|balancing)$", extra_json_schema=NOT_FREE)
]
Direction = Annotated[str, msgspec.Meta(pattern="^(up|down)$", extra_json_schema=NOT_FREE)]
# Bounded so a value always fits a float column and a chart axis.
Number = Annotated[float, msgspec.Meta(ge=-1e12, le=1e12)]
Id = Annotated[int, msgspec.Meta(ge=1, le=2**31 - 1)]


class CycleCreate(GuardedStruct, forbid_unknown_fields=True):
    """Plan a new cycle: the change idea, the prediction and the measures it follows."""

    change_idea: FreeText = ""
    prediction: FreeText = ""
    title: Title = ""
    measure_ids: list[Id] = []


class CycleUpdate(GuardedStruct, forbid_unknown_fields=True):
    """Fill in or change phases; a field left out (null) is kept."""

    title: Title | None = None
    change_idea: FreeText | None = None
    prediction: FreeText | None = None
    measure_ids: list[Id] | None = None
    done_what: FreeText | None = None
    started_on: dt.date | None = None
    ended_on: dt.date | None = None
    study: FreeText | None = None
    learned: FreeText | None = None
    decision: Decision | None = None
    next_test: FreeText | None = None


class CycleOut(msgspec.Struct):
    id: int
    project_id: int
    number: int
    title: str
    change_idea: str
    prediction: str
    measure_ids: list[int]
    done_what: str
    started_on: dt.date | None
    ended_on: dt.date | None
    study: str
    learned: str
    decision: str
    next_test: str
    phase: str  # plan | do | study | act | done
    may_continue: bool
    created_at: dt.datetime
    updated_at: dt.datetime


class MeasureCreate(GuardedStruct, forbid_unknown_fields=True):
    name: Name
    kind: MeasureKind = "outcome"
    unit: Unit = ""
    better: Direction = "up"
    baseline: Number | None = None
    cycle_id: Id | None = None


class ValueIn(GuardedStruct, forbid_unknown_fields=True):
    measured_on: dt.date
    value: Number
    note: ValueNote = ""


class ValuesPaste(GuardedStruct, forbid_unknown_fields=True):
    """Values pasted one a line: "date;value" or "date;value;note"."""

    lines: FreeText


class ValueOut(msgspec.Struct):
    id: int
    measured_on: dt.date
    value: float
    note: str


class MeasureOut(msgspec.Struct):
    id: int
    project_id: int
    name: str
    kind: str
    unit: str
    better: str
    baseline: float | None
    cycle_id: int | None
    values: list[ValueOut]


class RunPointOut(msgspec.Struct):
    measured_on: dt.date
    value: float
    side: str  # above | below | on
    signals: list[str]  # shift | trend


class SignalOut(msgspec.Struct):
    kind: str  # shift | trend | too_few_runs | too_many_runs
    direction: str  # above | below (shift), up | down (trend), "" (runs)
    improvement: bool | None  # in the measure's better direction; None for the runs signals
    points: list[int]  # indices into `points`


class RunsOut(msgspec.Struct):
    useful_observations: int
    runs: int
    lower_limit: int
    upper_limit: int


class RunChartOut(msgspec.Struct):
    measure_id: int
    median: float | None
    baseline_points: int | None
    points: list[RunPointOut]
    signals: list[SignalOut]
    runs: RunsOut | None
