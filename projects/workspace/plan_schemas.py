"""Request and response shapes of the project plan (goals, work packages, milestones and
deliverables)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

import msgspec

from klynge.schemas import FREE, GuardedStruct, Note
from projects.workspace.plan_rules import Kind, Status

Title = Annotated[str, msgspec.Meta(min_length=1, max_length=300, extra_json_schema=FREE)]
Position = Annotated[int, msgspec.Meta(ge=0, le=10_000)]


class Clearable(StrEnum):
    PARENT_ID = "parent_id"
    STARTS_ON = "starts_on"
    DUE = "due"


class PlanItemCreate(GuardedStruct, forbid_unknown_fields=True):
    kind: Kind
    title: Title
    description: Note = ""
    parent_id: int | None = None  # a work package (milestones and deliverables only)
    starts_on: dt.date | None = None
    due: dt.date | None = None
    status: Status = Status.PLANNED
    position: Position = 0


class PlanItemUpdate(GuardedStruct, forbid_unknown_fields=True):
    """Only the fields given change; `clear` names the optional fields to empty
    (parent_id, starts_on, due)."""

    title: Title | None = None
    description: Note | None = None
    parent_id: int | None = None
    starts_on: dt.date | None = None
    due: dt.date | None = None
    status: Status | None = None
    position: Position | None = None
    clear: list[Clearable] = []


class PlanItemOut(msgspec.Struct):
    id: int
    project_id: int
    kind: Kind
    title: str
    description: str
    parent_id: int | None
    starts_on: dt.date | None
    due: dt.date | None
    status: Status
    position: int
    overdue: bool
    overdue_notified_at: dt.datetime | None
    updated_at: dt.datetime


class PlanOut(msgspec.Struct):
    project_id: int
    today: dt.date
    items: list[PlanItemOut]
    overdue: int  # how many items are overdue
