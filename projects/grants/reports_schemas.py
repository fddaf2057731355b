"""Request and response shapes of grants, their reports (with the attestation) and payments.
Amounts are integer øre (`amount_ore`, `rnd_spent_ore`)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

import msgspec

from klynge.schemas import FreeText, GuardedPart, GuardedStruct, Note, ShortText
from projects.grants.reviews_schemas import Ore

Id = Annotated[int, msgspec.Meta(ge=1, le=2_147_483_647)]


class Spent(GuardedPart):
    budget_line_id: Id
    amount_ore: Ore


class ReportUpdate(GuardedStruct, forbid_unknown_fields=True):
    """The team's report; fields left out (null) are kept. `spending` replaces the whole
    spending per budget line."""

    progress: FreeText | None = None
    rnd_activity: FreeText | None = None
    deviations: FreeText | None = None
    spending: Annotated[list[Spent], msgspec.Meta(max_length=200)] | None = None
    rnd_spent_ore: Ore | None = None


class Attestation(GuardedStruct, forbid_unknown_fields=True):
    """A municipal leader (the caller) confirms whether existing positions are financed."""

    no_existing_positions: bool


class ReportReview(GuardedStruct, forbid_unknown_fields=True):
    """The funder approves the report or returns it with a comment (required to return)."""

    decision: Literal["approve", "return"]
    comment: Note = ""


class PaymentCreate(GuardedStruct, forbid_unknown_fields=True):
    """A payment request (the project team) or a disbursement (the funder)."""

    kind: Literal["request", "disbursement"]
    amount_ore: Annotated[int, msgspec.Meta(ge=1, le=10**14, description="Øre.")]
    on_date: dt.date
    note: ShortText = ""


class ConditionOut(msgspec.Struct):
    kind: str
    outcome: str
    message: str  # in the caller's language


class BudgetLineOut(msgspec.Struct):
    id: int
    year: int
    category: str
    description: str
    budget_ore: int
    spent_ore: int


class ReportOut(msgspec.Struct):
    id: int
    grant_id: int
    kind: str
    period_start: dt.date
    period_end: dt.date
    due: dt.date
    status: str
    overdue: bool
    progress: str
    rnd_activity: str
    deviations: str
    spending: list[BudgetLineOut]
    rnd_spent_ore: int
    attestation_name: str
    attestation_role: str
    no_existing_positions: bool | None
    attested_at: dt.datetime | None
    submitted_at: dt.datetime | None
    review_comment: str
    conditions: list[ConditionOut]
    can_edit: bool
    can_attest: bool
    can_review: bool


class ReportRow(msgspec.Struct):
    id: int
    kind: str
    period_start: dt.date
    period_end: dt.date
    due: dt.date
    status: str
    overdue: bool


class PaymentOut(msgspec.Struct):
    id: int
    kind: str
    amount_ore: int
    on_date: dt.date
    note: str
    created_at: dt.datetime


class GrantOut(msgspec.Struct):
    id: int
    application_id: int
    project_id: int
    title: str
    amount_ore: int
    starts_on: dt.date
    ends_on: dt.date
    extra_conditions: str
    reports: list[ReportRow]
    payments: list[PaymentOut]
    requested_ore: int  # payment requests so far
    paid_ore: int  # disbursements so far
    is_funder: bool
    is_team: bool


class GrantListItem(msgspec.Struct):
    id: int
    application_id: int
    title: str
    amount_ore: int
    starts_on: dt.date
    ends_on: dt.date
    overdue_reports: int
