"""Request and response shapes of the literature app (msgspec Structs)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import msgspec

from klynge.schemas import FREE, NOT_FREE, GuardedPart, GuardedStruct
from literature.classify import EvidenceType
from literature.vocabulary import (
    Certainty as Certainty,
)
from literature.vocabulary import (
    EvidenceScale as EvidenceScale,
)
from literature.vocabulary import (  # re-exported: the app's one schemas module
    ImportFormat as ImportFormat,
)
from literature.vocabulary import (
    ReasonCode as ReasonCode,
)
from literature.vocabulary import (
    ScreeningChoice as ScreeningChoice,
)
from literature.vocabulary import (
    Stage as Stage,
)
from literature.vocabulary import (
    Verdict as Verdict,
)

__all__ = ["EvidenceType"]

Short = Annotated[str, msgspec.Meta(max_length=200, extra_json_schema=FREE)]
Text = Annotated[str, msgspec.Meta(max_length=10_000, extra_json_schema=FREE)]
Query = Annotated[str, msgspec.Meta(max_length=20_000, extra_json_schema=FREE)]
# An exclusion reason is chosen from the check's list and stored in a varchar(80).
ExclusionReason = Annotated[str, msgspec.Meta(max_length=80, extra_json_schema=FREE)]
Question = Annotated[str, msgspec.Meta(min_length=1, max_length=4000, extra_json_schema=FREE)]
Source = Annotated[str, msgspec.Meta(min_length=1, max_length=120, extra_json_schema=FREE)]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200, extra_json_schema=FREE)]
Url = Annotated[
    str, msgspec.Meta(pattern=r"^https?://\S+$", max_length=2000, extra_json_schema=NOT_FREE)
]
Code = Annotated[str, msgspec.Meta(min_length=1, max_length=10, extra_json_schema=NOT_FREE)]
ServiceType = Annotated[str, msgspec.Meta(max_length=30, extra_json_schema=NOT_FREE)]
Choice = Annotated[
    str, msgspec.Meta(pattern="^(merge|not_duplicate|unmerge)$", extra_json_schema=NOT_FREE)
]


class ImportProblem(msgspec.Struct):
    record: int
    reason: str


class ImportReport(msgspec.Struct):
    """What an import did; the CLI prints this (keys read/imported/duplicates/problems)."""

    read: int
    imported: int
    duplicates: int
    possible_duplicates: int
    problems: list[ImportProblem]
    duplicates_by_tier: dict[str, int] = {}


class ImportOut(msgspec.Struct):
    id: int
    cluster_id: int
    check_id: int | None
    filename: str
    format: str
    source: str
    query: str
    searched_on: dt.date | None
    status: str  # queued | running | done | failed | undone
    read: int
    imported: int
    duplicates: int
    possible_duplicates: int
    problems: list[ImportProblem]
    job_id: str | None
    job_status: str | None
    progress: int
    message: str
    can_undo: bool
    created_at: dt.datetime
    undone_at: dt.datetime | None


# --- References --------------------------------------------------------------------------------


class AuthorOut(msgspec.Struct):
    family: str
    given: str


class ReferenceOut(msgspec.Struct):
    id: int
    cluster_id: int
    title: str
    abstract: str
    authors: list[AuthorOut]
    year: int | None
    container: str
    volume: str
    issue: str
    pages: str
    doi: str
    pmid: str
    publication_types: list[str]
    keywords: list[str]
    language: str
    url: str
    evidence_type: EvidenceType
    evidence_auto: EvidenceType
    evidence_reason: str
    evidence_corrected: bool
    summarised: bool
    merged_into: int | None
    sources: list[SourceOut] = []


class SourceOut(msgspec.Struct):
    id: int
    import_id: int
    source: str
    filename: str
    searched_on: dt.date | None
    position: int
    duplicate_tier: int | None
    duplicate_reason: str


class EvidenceCorrection(GuardedStruct):
    evidence_type: EvidenceType


class DuplicateOut(msgspec.Struct):
    id: int
    keeper: ReferenceOut
    duplicate: ReferenceOut
    score: float
    reason: str
    status: str


class DuplicateDecision(GuardedStruct):
    decision: Choice


# --- Checks ------------------------------------------------------------------------------------


class CheckCreate(GuardedStruct):
    question: Question
    population: Text = ""
    intervention: Text = ""
    comparison: Text = ""
    outcome: Text = ""
    blind: bool = False
    screeners: list[int] = []
    exclusion_reasons: list[ExclusionReason] = []


class SearchCreate(GuardedStruct):
    source: Source
    query: Query = ""
    searched_on: dt.date | None = None
    hits: int | None = None
    notes: Text = ""


class SearchOut(msgspec.Struct):
    id: int
    source: str
    query: str
    searched_on: dt.date | None
    import_id: int | None
    hits: int | None
    notes: str


class DecisionCreate(GuardedStruct):
    reference_id: int
    decision: ScreeningChoice
    stage: Stage = Stage.TITLE
    reason: ExclusionReason = ""
    note: Text = ""
    reconcile: bool = False  # the adviser's final word on a blind conflict


class DecisionOut(msgspec.Struct):
    id: int
    reference_id: int
    stage: Stage
    decision: ScreeningChoice
    reason: str
    note: str
    screener_id: int | None
    reconciled: bool
    created_at: dt.datetime


class ReviewIn(GuardedPart):
    reference_id: int
    certainty: Certainty | None = None
    reliability: Text = ""
    supports: Verdict = Verdict.ANSWERED


class VerdictCreate(GuardedStruct):
    verdict: Verdict
    reviews: list[ReviewIn] = []
    certainty: Certainty | None = None
    reason_code: ReasonCode | None = None
    summary: Text = ""
    public: bool = False
    confirm_warnings: bool = False  # publish although the guard warned (audited)


class PrismaOut(msgspec.Struct):
    identified_total: int
    identified_per_source: dict[str, int]
    duplicates_removed: int
    records_screened: int
    records_excluded: int
    reports_sought: int
    reports_not_retrieved: int
    reports_assessed: int
    reports_excluded: dict[str, int]
    studies_included: int
    awaiting_title: int
    awaiting_fulltext: int
    problems: list[str]


class CandidateOut(msgspec.Struct):
    reference: ReferenceOut
    title_state: str
    fulltext_state: str
    title_reason: str
    fulltext_reason: str
    decisions: list[DecisionOut]  # only those the caller may see (blind screening)


class ReviewOut(msgspec.Struct):
    reference: ReferenceOut
    certainty: str
    reliability: str
    supports: str


class CheckOut(msgspec.Struct):
    id: int
    cluster_id: int
    need_id: int
    need_title: str
    question: str
    population: str
    intervention: str
    comparison: str
    outcome: str
    blind: bool
    screeners: list[int]
    exclusion_reasons: list[str]
    status: str
    verdict: Verdict | None
    reason_code: ReasonCode | None
    certainty: Certainty | None
    verdict_summary: str
    public: bool
    disseminate: bool
    disseminate_to: list[str]  # who asked (municipalities and services), for an answered need
    created_at: dt.datetime
    completed_at: dt.datetime | None
    searches: list[SearchOut]
    imports: list[ImportOut]
    prisma: PrismaOut
    reviews: list[ReviewOut]


# --- Measures ----------------------------------------------------------------------------------


class LinkIn(GuardedPart):
    title: Short
    url: Url


class MeasureCreate(GuardedStruct):
    name: Name
    scale: EvidenceScale
    level: Code
    description: Text = ""
    target_group: Text = ""
    age_from: Annotated[int, msgspec.Meta(ge=0, le=24)] = 0
    age_to: Annotated[int, msgspec.Meta(ge=0, le=24)] = 24
    service_types: list[ServiceType] = []
    links: list[LinkIn] = []
    reference_ids: list[int] = []
    confirm_warnings: bool = False  # publish although the guard warned (audited)


class AdoptionCreate(GuardedStruct):
    municipality_id: int
    service_id: int | None = None
    since: dt.date | None = None
    note: Text = ""


class AdoptionOut(msgspec.Struct):
    id: int
    measure_id: int
    municipality_id: int
    municipality: str
    service_id: int | None
    service: str
    since: dt.date | None
    note: str


class MeasureOut(msgspec.Struct):
    id: int
    slug: str
    name: str
    description: str
    target_group: str
    age_from: int
    age_to: int
    service_types: list[str]
    scale: EvidenceScale
    scale_name: str
    level: str
    level_label: str
    links: list[LinkIn]
    references: list[ReferenceOut]
    adoptions: int  # municipalities using it
    adoptions_in_cluster: dict[str, int]  # cluster id -> municipalities using it
    adoption_list: list[AdoptionOut] = []


class PublicReview(msgspec.Struct):
    title: str
    citation: str
    year: int | None
    doi: str
    url: str
    evidence_type: EvidenceType
    certainty: str


class PublicVerdict(msgspec.Struct):
    """A published verdict on a need, for the portal: nothing about who asked or screened."""

    id: int
    need_title: str
    question: str
    target_group: str
    verdict: Verdict
    reason_code: ReasonCode | None
    certainty: Certainty | None
    summary: str
    completed_at: dt.datetime | None
    reviews: list[PublicReview]


class MeasurePage(msgspec.Struct):
    total: int
    items: list[MeasureOut]
