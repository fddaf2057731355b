"""Request and response shapes of the projects app (msgspec Structs)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any

import msgspec

from klynge.errors import FieldError, Invalid
from klynge.i18n import N_
from klynge.orgs.schemas import Sector
from klynge.schemas import FREE, NOT_FREE, GuardedPart, GuardedStruct

__all__ = ["Sector"]

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200, extra_json_schema=FREE)]
Short = Annotated[str, msgspec.Meta(max_length=200, extra_json_schema=FREE)]
Place = Annotated[str, msgspec.Meta(max_length=120, extra_json_schema=FREE)]  # varchar(120)
Text = Annotated[str, msgspec.Meta(max_length=10_000, extra_json_schema=FREE)]
Title = Annotated[str, msgspec.Meta(min_length=1, max_length=2000, extra_json_schema=FREE)]
# Normalised and checked by the service (to the column's 19): a pasted orcid.org URL is fine.
Orcid = Annotated[str, msgspec.Meta(max_length=100, extra_json_schema=NOT_FREE)]
OrgNumber = Annotated[str, msgspec.Meta(max_length=40, extra_json_schema=NOT_FREE)]  # see orgs
Code = Annotated[str, msgspec.Meta(max_length=30, extra_json_schema=NOT_FREE)]
Language = Annotated[str, msgspec.Meta(max_length=20, extra_json_schema=NOT_FREE)]
# Not bounded here: PublicationIn checks the length (the column is varchar(255)) and the shape
# itself, so an over-long or invalid DOI is a 422 naming the field, never silently emptied.
Doi = Annotated[str, msgspec.Meta(extra_json_schema=NOT_FREE)]
DOI_MAX = 255
Url = Annotated[str, msgspec.Meta(max_length=2000, extra_json_schema=NOT_FREE)]
Choice = Annotated[
    str, msgspec.Meta(pattern="^(accept|changes|decline)$", extra_json_schema=NOT_FREE)
]


class Method(StrEnum):
    QUALITATIVE = "qualitative"
    SURVEY = "survey"
    REGISTER = "register"
    RCT = "rct"
    QUASI_EXPERIMENTAL = "quasi_experimental"
    IMPLEMENTATION = "implementation"
    PARTICIPATORY = "participatory"  # participatory / co-design
    ECONOMIC = "economic"
    SYSTEMATIC_REVIEWS = "systematic_reviews"


class Ethics(StrEnum):
    REK = "rek"  # regional ethics committee
    SIKT = "sikt"  # data protection assessment
    BUFDIR = "bufdir_exemption"  # exemption from confidentiality (taushetsplikt)
    DPIA = "dpia"


class MemberIn(GuardedPart):
    name: Name
    id: int | None = None  # an existing member (kept, with its account link); None = new
    role: Place = ""
    orcid: Orcid = ""
    account_id: int | None = None
    employer_service_id: int | None = None


class MemberOut(msgspec.Struct):
    id: int
    name: str
    role: str
    orcid: str
    account_id: int | None
    employer_service_id: int | None


class ProfileIn(GuardedStruct, forbid_unknown_fields=True):
    expertise: Text = ""
    keywords: list[Short] = []
    methods: list[Method] = []
    target_groups: list[Short] = []
    service_types: list[Code] = []
    languages: list[Language] = []
    region: Place = ""
    location: Place = ""
    latitude: Annotated[float, msgspec.Meta(ge=-90, le=90)] | None = None
    longitude: Annotated[float, msgspec.Meta(ge=-180, le=180)] | None = None
    capacity: Annotated[int, msgspec.Meta(ge=0, le=100)] = 0
    recency_years: Annotated[int, msgspec.Meta(ge=1, le=100)] | None = None
    members: list[MemberIn] = []


class GroupCreate(ProfileIn, forbid_unknown_fields=True):
    name: Short = ""
    institution: Short = ""
    org_number: OrgNumber = ""
    sector: Sector = Sector.UOH
    unit: Short = ""
    description: Text = ""


class PublicationIn(GuardedStruct):
    title: Title
    abstract: Text = ""
    year: int | None = None
    doi: Doi = ""
    container: Short = ""
    authors: list[Short] = []
    keywords: list[Short] = []
    language: Language = ""
    url: Url = ""

    def __post_init__(self) -> None:
        super().__post_init__()
        if not self.doi.strip():
            return
        from literature.api import normalise_doi

        doi = normalise_doi(self.doi) if len(self.doi) <= 4 * DOI_MAX else ""
        if not doi or len(doi) > DOI_MAX:
            raise Invalid(
                N_("The DOI cannot be saved."),
                [FieldError("doi", N_("Write a DOI like 10.1234/abcd, at most 255 characters."))],
            )
        self.doi = doi


class PublicationOut(msgspec.Struct):
    id: int
    title: str
    abstract: str
    year: int | None
    doi: str
    container: str
    authors: list[str]
    language: str
    included: bool
    in_window: bool  # inside the group's recency window
    source: str


class CurationIn(GuardedStruct):
    include: list[int] = []
    exclude: list[int] = []
    recency_years: Annotated[int, msgspec.Meta(ge=1, le=100)] | None = None
    clear_recency: bool = False


class PublicationImportOut(msgspec.Struct):
    read: int
    imported: int
    duplicates: int
    problems: list[dict[str, Any]]


class GroupOut(msgspec.Struct):
    id: int
    name: str
    institution: str
    unit: str
    org_number: str
    sector: str
    description: str
    expertise: str
    keywords: list[str]
    methods: list[str]
    target_groups: list[str]
    service_types: list[str]
    languages: list[str]
    region: str
    location: str
    latitude: float | None
    longitude: float | None
    capacity: int
    capacity_left: int
    recency_years: int | None
    members: list[MemberOut]
    publications: int  # how many, and how many represent the group
    publications_included: int


class Reason(msgspec.Struct):
    kind: (
        str  # concept | term | publication | method | service | target_group | capacity | distance
    )
    text: str
    weight: float = 0.0


class MatchOut(msgspec.Struct):
    group_id: int
    group_name: str
    institution: str
    rank: int
    score: float
    text_fit: float
    explanation: dict[str, Any]
    interest: str | None = None  # interested | declined, when the group has answered


class MatchList(msgspec.Struct):
    need_id: int
    run_id: int | None
    computed_at: dt.datetime | None
    matches: list[MatchOut]


class ConflictIn(GuardedStruct):
    group_id: int
    need_id: int | None = None
    reason: Text = ""


class AssignmentIn(GuardedStruct):
    k: Annotated[int, msgspec.Meta(ge=1, le=10)] = 2
    weak_threshold: Annotated[float, msgspec.Meta(ge=0, le=1)] = 0.2
    pins: list[tuple[int, int]] = []  # (need id, group id)
    forbids: list[tuple[int, int]] = []


class AssignmentOut(msgspec.Struct):
    id: int
    round_id: int
    status: str
    k: int
    weak_threshold: float
    pins: list[tuple[int, int]]
    forbids: list[tuple[int, int]]
    message: str
    result: dict[str, Any]
    job_id: str | None
    progress: int
    created_at: dt.datetime


class InterestIn(GuardedStruct):
    group_id: int
    interested: bool
    reason: Text = ""


class CodesignIn(GuardedPart):
    municipality_ids: list[int] = []
    service_ids: list[int] = []
    user_representatives: Text = ""  # who (roles, youth council ...), never names of children
    how: Text = ""


class ProposalIn(GuardedStruct):
    group_id: int
    need_ids: Annotated[list[int], msgspec.Meta(min_length=1, max_length=20)]
    title: Name
    aims: Text
    research_questions: Text
    design: Text
    methods: list[Method] = []
    codesign: CodesignIn = msgspec.field(default_factory=CodesignIn)
    ethics: list[Ethics] = []
    ethics_note: Text = ""
    budget_nok: Annotated[int, msgspec.Meta(ge=0, le=1_000_000_000)] | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    timeline: Text = ""


class ReviewIn(GuardedStruct):
    decision: Choice
    reason: Text = ""


class ProposalOut(msgspec.Struct):
    id: int
    cluster_id: int
    group_id: int
    group_name: str
    need_ids: list[int]
    title: str
    aims: str
    research_questions: str
    design: str
    methods: list[str]
    codesign: dict[str, Any]
    ethics: list[str]
    ethics_note: str
    budget_nok: int | None
    start: dt.date | None
    end: dt.date | None
    timeline: str
    status: str
    review_reason: str
    project_id: int | None
    created_at: dt.datetime
    updated_at: dt.datetime
