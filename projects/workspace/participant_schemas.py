"""Request and response shapes of the project's participants and documents (msgspec Structs).
Free text is a declared, privacy-guarded type; nothing here describes a person beyond a label."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

import msgspec

from klynge.schemas import NOT_FREE, GuardedStruct, Note, ShortText
from projects.workspace.participants_rules import Kind, Status

Role = Annotated[
    str,
    msgspec.Meta(
        pattern="^(|leader|partner|youth|parent|user_organisation)$", extra_json_schema=NOT_FREE
    ),
]


class Decision(StrEnum):
    APPROVE = "approve"
    DECLINE = "decline"


class Response(StrEnum):
    ACCEPT = "accept"
    DECLINE = "decline"


class DocumentKind(StrEnum):
    PLAN = "plan"
    APPROVAL = "approval"
    MINUTES = "minutes"
    OTHER = "other"


class ParticipantCreate(GuardedStruct, forbid_unknown_fields=True):
    """Add a participant: a partner research group, a municipality (invited), a service with its
    contact person, or a user representative by role with a label (e.g. "Ungdomsrådet i
    Askøy") and, where they have an account, that account."""

    kind: Kind
    group_id: int | None = None
    municipality_id: int | None = None
    service_id: int | None = None
    account_id: int | None = None  # contact person / the representative's own account
    role: Role = ""
    label: ShortText = ""


class JoinRequest(GuardedStruct, forbid_unknown_fields=True):
    """A member municipality of the cluster asks to join the project."""

    municipality_id: int
    note: Note = ""


class ParticipantDecision(GuardedStruct, forbid_unknown_fields=True):
    """The project leader or adviser approves or declines a request to join."""

    decision: Decision
    reason: Note = ""


class InvitationResponse(GuardedStruct, forbid_unknown_fields=True):
    """The invited municipality accepts (naming its contact person; default the caller) or
    declines."""

    response: Response
    contact_id: int | None = None
    note: Note = ""


class ParticipantOut(msgspec.Struct):
    id: int
    project_id: int
    kind: Kind
    status: Status
    role: str
    label: str
    group_id: int | None
    group_name: str
    municipality_id: int | None
    municipality_name: str
    service_id: int | None
    service_name: str
    account_id: int | None
    account_name: str
    note: str
    created_at: dt.datetime
    decided_at: dt.datetime | None


class DocumentOut(msgspec.Struct):
    id: int
    project_id: int
    kind: DocumentKind
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_by: int | None
    uploaded_by_name: str
    created_at: dt.datetime


class ContactUpdate(GuardedStruct, forbid_unknown_fields=True):
    """The contact person of a participating municipality or service (None: nobody yet)."""

    account_id: int | None = None
