"""Request and response shapes of the approvals checklist and the project's transitions."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Literal

import msgspec

from klynge.schemas import FREE, GuardedStruct, Name, Note
from projects.workspace.approvals_rules import ApprovalStatus
from projects.workspace.lifecycle import Status

# A case number elsewhere ("REK 2026/123456", "Sikt 123456"): free text, it is typed by people.
Reference = Annotated[str, msgspec.Meta(max_length=100, extra_json_schema=FREE)]
Clearable = Literal["decided_on", "document_id"]


class Required(StrEnum):
    YES = "yes"
    NO = "no"
    UNDECIDED = "undecided"


class ApprovalUpdate(GuardedStruct, forbid_unknown_fields=True):
    """The team sets status, reference, date and document; the adviser decides `required` (with
    `required_reason`). Fields left out (null) are kept; `clear` empties the date or document."""

    status: ApprovalStatus | None = None
    reference: Reference | None = None
    decided_on: dt.date | None = None
    document_id: Annotated[int, msgspec.Meta(ge=1, le=2_147_483_647)] | None = None
    clear: Annotated[list[Clearable], msgspec.Meta(max_length=2)] = []
    required: Required | None = None
    required_reason: Note | None = None


class ApprovalCreate(GuardedStruct, forbid_unknown_fields=True):
    """The adviser adds an item of their own to the checklist."""

    label: Name
    required: Required = Required.UNDECIDED
    required_reason: Note = ""


class ApprovalOut(msgspec.Struct):
    id: int
    kind: str
    name: str  # in the caller's language (the adviser's own label for added items)
    help: str
    required: bool | None
    required_reason: str
    status: str
    reference: str
    decided_on: dt.date | None
    document_id: int | None
    document_name: str
    updated_at: dt.datetime | None


class MissingOut(msgspec.Struct):
    code: str
    message: str


class ChecklistOut(msgspec.Struct):
    project_id: int
    project_status: str
    items: list[ApprovalOut]
    # What blocks "running" now, in the caller's language.
    missing: list[MissingOut]


class TransitionRequest(GuardedStruct, forbid_unknown_fields=True):
    to: Status
    reason: Note = ""


class TransitionOut(msgspec.Struct):
    project_id: int
    status: str
    status_label: str
    status_changed_at: dt.datetime | None
