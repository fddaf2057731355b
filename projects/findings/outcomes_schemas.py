"""Request and response shapes of outcomes, their attachments and a recommendation's
proposal to the knowledge bank of measures. Free text carries the privacy guard."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

import msgspec

from klynge.schemas import NOT_FREE, Code, FreeText, GuardedPart, GuardedStruct, Name, Note
from klynge.schemas import ShortText as LinkTitle

Url = Annotated[str, msgspec.Meta(max_length=2000, extra_json_schema=NOT_FREE)]
Doi = Annotated[str, msgspec.Meta(max_length=255, extra_json_schema=NOT_FREE)]
# A citation pasted as RIS or BibTeX (names and titles: free text, guarded).
Pasted = Annotated[str, msgspec.Meta(max_length=20_000, extra_json_schema={"x-free-text": True})]


class LinkIn(GuardedPart):
    title: LinkTitle
    url: Url


class OutcomeCreate(GuardedStruct, forbid_unknown_fields=True):
    kind: Code
    title: Name
    summary: FreeText = ""
    summary_language: Code = "nb"
    summary_en: FreeText = ""
    practice: FreeText = ""
    evidence_type: Code = ""
    evidence_note: FreeText = ""
    doi: Doi = ""
    citation_text: Pasted = ""  # RIS or BibTeX, instead of (or besides) the DOI
    links: Annotated[list[LinkIn], msgspec.Meta(max_length=50)] = []
    is_public: bool = False


class OutcomeUpdate(GuardedStruct, forbid_unknown_fields=True):
    """Fields left out (null) are kept; `links` replaces all links."""

    kind: Code | None = None
    title: Name | None = None
    summary: FreeText | None = None
    summary_language: Code | None = None
    summary_en: FreeText | None = None
    practice: FreeText | None = None
    evidence_type: Code | None = None
    evidence_note: FreeText | None = None
    doi: Doi | None = None
    citation_text: Pasted | None = None
    links: Annotated[list[LinkIn], msgspec.Meta(max_length=50)] | None = None
    is_public: bool | None = None


class LinkOut(msgspec.Struct):
    title: str
    url: str


class FileOut(msgspec.Struct):
    id: int
    outcome_id: int
    filename: str
    media_type: str
    size: int
    sha256: str
    created_at: dt.datetime


class OutcomeOut(msgspec.Struct):
    id: int
    project_id: int
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
    citation_text: str  # the citation formatted
    links: list[LinkOut]
    is_public: bool
    status: str
    published_at: dt.datetime | None
    measure_scale: str = ""
    measure_level: str = ""
    measure_status: str = ""
    measure_slug: str = ""
    measure_note: str = ""
    files: list[FileOut] = []
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None


class MeasureProposal(GuardedStruct, forbid_unknown_fields=True):
    """Propose a recommendation to the knowledge bank, with its evidence on a literature
    scale (ungsinn | ungsinn_old | grade | eif) and level."""

    scale: Code
    level: Code


class MeasureDecision(GuardedStruct, forbid_unknown_fields=True):
    """The adviser accepts the proposal (the measure is created, public) or declines it with a
    reason."""

    decision: Literal["accept", "decline"]
    reason: Note = ""
    target_group: Note = ""
    confirm_warnings: bool = False
