"""Request and response shapes of the project list, the project page's overview and its edit
(msgspec Structs; every request text field is a declared type the privacy guard reads)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Literal

import msgspec

from klynge.errors import FieldError, Invalid
from klynge.i18n import N_
from klynge.orgs.schemas import ServiceType
from klynge.schemas import FREE, NOT_FREE, FreeText, GuardedPart, GuardedStruct, Name
from projects.workspace.overview_rules import (
    KEYWORD_LENGTH,
    KEYWORDS_MAX,
    registration_errors,
)

Keyword = Annotated[str, msgspec.Meta(max_length=KEYWORD_LENGTH, extra_json_schema=FREE)]
RegistrationId = Annotated[str, msgspec.Meta(max_length=100, extra_json_schema=NOT_FREE)]
Status = Literal["planned", "preparation", "running", "completed", "stopped"]


@dataclass(frozen=True, slots=True)
class ProjectFilter:
    """The list's filters (all optional) and its page."""

    status: str | None = None
    municipality_id: int | None = None
    service_area: str | None = None
    group_id: int | None = None
    cluster_id: int | None = None
    q: str = ""  # part of the title, any case


class Registrations(GuardedPart, forbid_unknown_fields=True):
    """Ids of the project elsewhere; an empty string means none."""

    cristin: RegistrationId = ""
    nva: RegistrationId = ""
    clinicaltrials: RegistrationId = ""


class ProjectUpdate(GuardedStruct, forbid_unknown_fields=True):
    """A change to the overview: fields left out (or null) stay as they are."""

    title: Name | None = None
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    summary_popular: FreeText | None = None
    summary_language: Literal["nb", "nn"] | None = None
    summary_en: FreeText | None = None
    summary_academic: FreeText | None = None
    keywords: Annotated[list[Keyword], msgspec.Meta(max_length=KEYWORDS_MAX)] | None = None
    service_areas: Annotated[list[ServiceType], msgspec.Meta(max_length=20)] | None = None
    registrations: Registrations | None = None
    is_public: bool | None = None
    # Publishing text the privacy guard warns about (a phone number, say) needs this.
    confirm_warnings: bool = False

    def __post_init__(self) -> None:
        super().__post_init__()
        errors: list[FieldError] = []
        if self.registrations is not None:
            errors += registration_errors(msgspec.structs.asdict(self.registrations))
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors.append(FieldError("ends_on", N_("The end must be after the start.")))
        if errors:
            raise Invalid(N_("Some fields need attention."), errors)


class NamedRef(msgspec.Struct):
    id: int
    name: str


class ProjectListItem(msgspec.Struct):
    """A row of the list (the fields the old list answered are kept)."""

    id: int
    cluster_id: int
    title: str
    status: str
    status_label: str
    group_id: int
    group_name: str
    proposal_id: int | None
    need_ids: list[int]
    municipality_ids: list[int]
    municipalities: list[NamedRef]
    service_areas: list[str]
    starts_on: dt.date | None
    ends_on: dt.date | None
    is_public: bool
    created_at: dt.datetime


class ProjectPublic(msgspec.Struct, tag_field="view", tag="public"):
    """What anyone may read of a public project."""

    id: int
    title: str
    status: str
    status_label: str
    summary_popular: str
    summary_language: str
    summary_en: str
    keywords: list[str]
    municipalities: list[NamedRef]


class ProjectOverview(msgspec.Struct, tag_field="view", tag="full"):
    """The project page's overview, for those who see the whole workspace."""

    id: int
    cluster_id: int
    title: str
    status: str
    status_label: str
    leader: NamedRef | None
    group: NamedRef
    proposal_id: int | None
    starts_on: dt.date | None
    ends_on: dt.date | None
    summary_popular: str
    summary_language: str
    summary_en: str
    summary_academic: str
    keywords: list[str]
    service_areas: list[str]
    registrations: dict[str, str]
    is_public: bool
    municipalities: list[NamedRef]
    needs: list[NamedRef]
    status_changed_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime
    # What the caller may do (the page's buttons; clients may show the same).
    may_edit: bool = False
    may_manage: bool = False
