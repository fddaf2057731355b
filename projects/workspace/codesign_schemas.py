"""Request and response shapes of co-design sessions and their follow-up actions."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

import msgspec

from klynge.schemas import FREE, FreeText, GuardedPart, GuardedStruct

Title = Annotated[str, msgspec.Meta(min_length=1, max_length=300, extra_json_schema=FREE)]
PlaceText = Annotated[str, msgspec.Meta(max_length=200, extra_json_schema=FREE)]
Count = Annotated[int, msgspec.Meta(ge=0, le=10_000)]

# The roles attendance is counted by; the last three are the user representatives.
ROLES = ("leaders", "employees", "researchers", "youth", "parents", "user_organisations", "others")
USER_REPRESENTATIVE_ROLES = ("youth", "parents", "user_organisations")


class Mode(StrEnum):
    IN_PERSON = "in_person"
    VIDEO = "video"
    HYBRID = "hybrid"


class Attendance(GuardedPart, forbid_unknown_fields=True):
    """How many took part, by role: never names (and never children's)."""

    leaders: Count = 0
    employees: Count = 0
    researchers: Count = 0
    youth: Count = 0
    parents: Count = 0
    user_organisations: Count = 0
    others: Count = 0


class SessionCreate(GuardedStruct, forbid_unknown_fields=True):
    held_on: dt.date
    mode: Mode = Mode.IN_PERSON
    place: PlaceText = ""
    attendance: Attendance = msgspec.field(default_factory=Attendance)
    agenda: FreeText = ""
    decisions: FreeText = ""


class SessionUpdate(GuardedStruct, forbid_unknown_fields=True):
    """Only the fields given change."""

    held_on: dt.date | None = None
    mode: Mode | None = None
    place: PlaceText | None = None
    attendance: Attendance | None = None
    agenda: FreeText | None = None
    decisions: FreeText | None = None


class ActionOut(msgspec.Struct):
    id: int
    project_id: int
    project_title: str
    session_id: int | None
    title: str
    owner_id: int | None
    owner_name: str
    due: dt.date | None
    done: bool
    done_at: dt.datetime | None
    overdue: bool


class SessionOut(msgspec.Struct):
    id: int
    project_id: int
    held_on: dt.date
    mode: Mode
    place: str
    attendance: Attendance
    user_representatives: int
    agenda: str
    decisions: str
    actions: list[ActionOut]
    created_at: dt.datetime


class ActionCreate(GuardedStruct, forbid_unknown_fields=True):
    title: Title
    owner_id: int | None = None
    due: dt.date | None = None
    session_id: int | None = None


class ActionUpdate(GuardedStruct, forbid_unknown_fields=True):
    """Only the fields given change; `done` true marks the action done, false opens it again."""

    title: Title | None = None
    owner_id: int | None = None
    due: dt.date | None = None
    done: bool | None = None


class OwnerChoice(msgspec.Struct):
    account_id: int
    name: str
