"""Request and response shapes of reviews, requests for changes and decisions. Amounts are
integer øre (`amount_ore`), as everywhere in the grants API."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

import msgspec

from klynge.schemas import FREE, GuardedPart, GuardedStruct, Note, ShortText

Ore = Annotated[
    int, msgspec.Meta(ge=0, le=10**14, description="An amount in øre (1 kr = 100 øre).")
]
Score = Annotated[int, msgspec.Meta(ge=1, le=5)]


class CriterionScore(GuardedPart):
    criterion: ShortText  # one of the call's criteria
    score: Score


class ReviewCreate(GuardedStruct, forbid_unknown_fields=True):
    """A funder officer's comment and scores 1–5 against the call's criteria."""

    comment: Note = ""
    scores: Annotated[list[CriterionScore], msgspec.Meta(max_length=30)] = []


class ChangesRequest(GuardedStruct, forbid_unknown_fields=True):
    """Send a submitted application back to the applicants with what to change."""

    comment: Annotated[str, msgspec.Meta(min_length=1, max_length=2_000, extra_json_schema=FREE)]


class Decision(GuardedStruct, forbid_unknown_fields=True):
    """`granted` needs `amount_ore`, `starts_on` and `ends_on`; `declined` needs `reason`."""

    decision: Literal["granted", "declined"]
    amount_ore: Ore | None = None
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    extra_conditions: Note = ""
    reason: Note = ""


class ReviewOut(msgspec.Struct):
    id: int
    reviewer: str
    comment: str
    scores: dict[str, int]
    asks_for_changes: bool
    created_at: dt.datetime


class ReviewsOut(msgspec.Struct):
    application_id: int
    status: str
    criteria: list[str]
    reviews: list[ReviewOut]
    averages: dict[str, str]  # criterion -> mean score, one decimal ("3,5")


class DecisionOut(msgspec.Struct):
    application_id: int
    status: str
    grant_id: int | None
    reports: int  # how many reports the schedule holds
