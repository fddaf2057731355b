"""Request and response shapes of deliveries: who an outcome went to, its state, and the
recipient's answer to the three questions."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

import msgspec

from klynge.schemas import FreeText, GuardedStruct

Relevant = Literal["yes", "partly", "no"]
WillUse = Literal["yes", "partly", "no", "undecided"]
Id = Annotated[int, msgspec.Meta(ge=1, le=2_147_483_647)]


class AnswerIn(GuardedStruct, forbid_unknown_fields=True):
    """The recipient's answer: is it relevant for us, will we use it, what will we change."""

    relevant: Relevant
    will_use: WillUse
    change: FreeText = ""


class RecipientsIn(GuardedStruct, forbid_unknown_fields=True):
    """Member municipalities of the cluster the adviser delivers the outcome to as well."""

    municipality_ids: Annotated[list[Id], msgspec.Meta(min_length=1, max_length=500)]


class AnswerOut(msgspec.Struct):
    relevant: str
    will_use: str
    change: str
    answered_at: dt.datetime
    answered_by: str


class DeliveryOut(msgspec.Struct):
    id: int
    outcome_id: int
    outcome_title: str
    project_id: int
    project_title: str
    kind: str  # participant | endorser | asker | cluster | added
    recipient: str  # the municipality's, service's or cluster's name
    municipality_id: int | None
    service_id: int | None
    services: list[str]  # a municipality's relevant services
    language: str
    status: str  # delivered | read | answered | overdue | escalated
    created_at: dt.datetime
    due: dt.date
    read_at: dt.datetime | None
    reminders: int
    escalated_at: dt.datetime | None
    addressed: bool  # to the caller: may mark read and answer
    answer: AnswerOut | None  # for those who follow the project or are addressed


class OutcomeContent(msgspec.Struct):
    """The findings themselves, so a recipient who does not see the project can read them."""

    id: int
    kind: str
    title: str
    summary: str
    summary_language: str
    summary_en: str
    practice: str
    evidence_type: str
    evidence_note: str
    doi: str
    citation: dict[str, Any]
    links: list[dict[str, Any]]
    published_at: dt.datetime | None


class DeliveryDetail(msgspec.Struct):
    delivery: DeliveryOut
    outcome: OutcomeContent
