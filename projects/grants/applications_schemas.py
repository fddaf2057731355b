"""Request and response shapes of applications: start, edit, the budget and financing plan
(amounts in NOK as typed — "150 000", "1 234,50" — or as a number; stored and returned in øre
with a Norwegian display text), the live conditions and the list."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

import msgspec

from klynge.schemas import NOT_FREE, FreeText, GuardedPart, GuardedStruct, Name, ShortText

Id = Annotated[int, msgspec.Meta(ge=1, le=2_147_483_647)]
AmountText = Annotated[str, msgspec.Meta(max_length=40, extra_json_schema=NOT_FREE)]
Amount = Annotated[
    AmountText | int | float,
    msgspec.Meta(
        description="NOK: a Norwegian amount as text ('150 000', '1 234,50', 'kr 12 000,-') or "
        "a number of kroner (at most two decimals); stored in øre"
    ),
]
Year = Annotated[int, msgspec.Meta(ge=1900, le=2200)]
Fte = Annotated[
    int,
    msgspec.Meta(ge=1, le=100, description="Percent of a full-time position (position lines only)"),
]


class Category(StrEnum):
    NEW_POSITION = "new_position"
    EXISTING_POSITION = "existing_position"
    RND = "rnd"
    OPERATIONS = "operations"
    TRAVEL = "travel"
    EQUIPMENT = "equipment"
    INDIRECT = "indirect"


class Source(StrEnum):
    THIS_FUNDER = "this_funder"
    OWN = "own"
    OTHER = "other"


class ApplicationCreate(GuardedStruct, forbid_unknown_fields=True):
    """Start an application to an open call from a project (its leader or R&D adviser)."""

    project_id: Id
    call_id: Id
    title: Name | None = None  # default: the project's title
    summary: FreeText | None = None


class ApplicationUpdate(GuardedStruct, forbid_unknown_fields=True):
    title: Name | None = None
    summary: FreeText | None = None


class BudgetLineIn(GuardedPart, forbid_unknown_fields=True):
    year: Year
    category: Category
    amount: Amount
    description: ShortText = ""
    fte_percent: Fte | None = None


class BudgetIn(GuardedStruct, forbid_unknown_fields=True):
    """All the budget's lines at once (replaces them)."""

    lines: Annotated[list[BudgetLineIn], msgspec.Meta(max_length=500)]


class FinancingLineIn(GuardedPart, forbid_unknown_fields=True):
    source: Source
    amount: Amount
    description: ShortText = ""


class FinancingIn(GuardedStruct, forbid_unknown_fields=True):
    """All the financing plan's lines at once (replaces them)."""

    lines: Annotated[list[FinancingLineIn], msgspec.Meta(max_length=100)]


class BudgetLineOut(msgspec.Struct):
    id: int
    year: int
    category: str
    category_label: str
    description: str
    fte_percent: int | None
    amount_ore: int
    amount: str  # "150 000 kr"


class FinancingLineOut(msgspec.Struct):
    id: int
    source: str
    source_label: str
    description: str
    amount_ore: int
    amount: str


class SumOut(msgspec.Struct):
    key: str  # a year, a category or a source
    label: str
    amount_ore: int
    amount: str


class TotalsOut(msgspec.Struct):
    total_ore: int
    total: str
    by_year: list[SumOut]
    by_category: list[SumOut]
    by_source: list[SumOut]
    financing_ore: int
    requested_ore: int
    requested: str
    gap_ore: int  # costs not covered by the financing plan


class ConditionOut(msgspec.Struct):
    kind: str
    name: str
    outcome: str  # met | not_met | needs_evidence
    hard: bool
    message: str  # in the caller's language
    numbers: dict[str, int | str]


class ConditionsOut(msgspec.Struct):
    application_id: int
    may_submit: bool  # no hard condition fails
    conditions: list[ConditionOut]


class Ref(msgspec.Struct):
    id: int
    title: str


class CallRef(msgspec.Struct):
    id: int
    title: str
    funder_id: int
    funder_name: str
    opens_on: dt.date
    closes_on: dt.date
    max_ore: int


class ApplicationListItem(msgspec.Struct):
    id: int
    title: str
    status: str
    status_label: str
    call: Ref
    project: Ref
    requested_ore: int
    requested: str
    submitted_at: dt.datetime | None
    updated_at: dt.datetime | None


class ApplicationOut(msgspec.Struct):
    id: int
    title: str
    summary: str
    written_standard: str
    status: str
    status_label: str
    cluster_id: int
    call: CallRef
    project: Ref
    requested_ore: int
    requested: str
    submitted_at: dt.datetime | None
    created_at: dt.datetime | None
    updated_at: dt.datetime | None
    budget: list[BudgetLineOut]
    financing: list[FinancingLineOut]
    totals: TotalsOut
    conditions: list[ConditionOut]
    may_edit: bool
    may_submit: bool
    may_withdraw: bool


class OpenCall(msgspec.Struct):
    id: int
    title: str
    funder_name: str
    closes_on: dt.date
