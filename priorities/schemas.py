"""Request and response shapes for needs and rounds (msgspec Structs)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

import msgspec

from klynge.schemas import FREE, NOT_FREE, GuardedPart, GuardedStruct
from priorities.needs_xlsx import IntendedUse, PreventionLevel

__all__ = ["IntendedUse", "PreventionLevel"]

Title = Annotated[str, msgspec.Meta(min_length=1, max_length=200, extra_json_schema=FREE)]
Question = Annotated[str, msgspec.Meta(min_length=1, max_length=4000, extra_json_schema=FREE)]
LongText = Annotated[str, msgspec.Meta(max_length=10_000, extra_json_schema=FREE)]
Note = Annotated[str, msgspec.Meta(max_length=2000, extra_json_schema=FREE)]
Justification = Annotated[
    str, msgspec.Meta(min_length=1, max_length=10_000, extra_json_schema=FREE)
]
Language = Annotated[str, msgspec.Meta(max_length=2, extra_json_schema=NOT_FREE)]  # nb | nn | en
Age = Annotated[int, msgspec.Meta(ge=0, le=24)]
# 1..5 on the anchored scale, 0 = "kan ikke vurdere" (not counted), null = not answered yet
Answer = Annotated[int, msgspec.Meta(ge=0, le=5)]


class NeedStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    UNDER_ASSESSMENT = "under_assessment"
    PRIORITISED = "prioritised"
    NOT_PRIORITISED = "not_prioritised"
    DEFERRED = "deferred"
    LITERATURE_CHECKED = "literature_checked"
    MATCHED = "matched"
    IN_PROJECT = "in_project"
    ANSWERED = "answered"
    ARCHIVED = "archived"
    WITHDRAWN = "withdrawn"
    MERGED = "merged"


class StakeholderGroup(StrEnum):
    LEADERS = "leaders"  # tjenesteledere
    STAFF = "staff"  # ansatte
    USERS = "users"  # brukerrepresentanter og ungdom
    RESEARCHERS = "researchers"


class DecisionKind(StrEnum):
    PRIORITISED = "prioritised"
    NOT_PRIORITISED = "not_prioritised"
    DEFERRED = "deferred"


class Weighting(StrEnum):
    GROUP = "group"
    MUNICIPALITY = "municipality"
    NONE = "none"


class NeedCreate(GuardedStruct, forbid_unknown_fields=True):
    cluster_id: int
    municipality_id: int
    title: Title
    question: Question
    service_ids: Annotated[list[int], msgspec.Meta(min_length=1, max_length=20)]
    prevention_level: PreventionLevel
    intended_use: IntendedUse
    background: LongText = ""
    age_from: Age = 0
    age_to: Age = 24
    target_group: LongText = ""
    service_id: int | None = None  # the submitting service
    language: Language = "nb"
    submit: bool = False  # submit at once instead of saving a draft


class NeedUpdate(GuardedStruct, forbid_unknown_fields=True):
    title: Title | None = None
    question: Question | None = None
    background: LongText | None = None
    age_from: Age | None = None
    age_to: Age | None = None
    target_group: LongText | None = None
    service_ids: Annotated[list[int], msgspec.Meta(min_length=1, max_length=20)] | None = None
    prevention_level: PreventionLevel | None = None
    intended_use: IntendedUse | None = None
    language: Language | None = None


class Transition(GuardedStruct, forbid_unknown_fields=True):
    reason: Note = ""


class EndorsementCreate(GuardedStruct, forbid_unknown_fields=True):
    municipality_id: int
    note: Note = ""
    service_id: int | None = None


class MergeRequest(GuardedStruct, forbid_unknown_fields=True):
    target_id: int
    source_ids: Annotated[list[int], msgspec.Meta(min_length=1, max_length=50)]
    reason: Note = ""


class Ref(msgspec.Struct):
    id: int
    name: str


class MergeChoice(msgspec.Struct):
    """A need the page offers to merge into the one shown."""

    id: int
    title: str
    status: str
    municipality: Ref


class Warning(msgspec.Struct):  # noqa: A001 (a field warning in the API, not the builtin)
    field: str
    kind: str
    message: str


class SimilarNeed(msgspec.Struct):
    id: int
    title: str
    status: str
    similarity: float


class EndorsementOut(msgspec.Struct):
    municipality: Ref
    service: Ref | None
    note: str
    created_at: dt.datetime


class EventOut(msgspec.Struct):
    at: dt.datetime
    kind: str
    from_status: str
    to_status: str
    reason: str
    actor: str
    original_need: int | None


class NeedOut(msgspec.Struct):
    id: int
    cluster_id: int
    title: str
    question: str
    background: str
    age_from: int
    age_to: int
    target_group: str
    prevention_level: str
    intended_use: str
    language: str
    status: str
    status_reason: str
    rank: int | None
    cross_service: bool
    knowledge_gap: int | None
    municipality: Ref
    service: Ref | None
    services: list[Ref]
    municipalities_sharing: int
    services_sharing: int
    merged_into: int | None
    created_at: dt.datetime
    submitted_at: dt.datetime | None
    # Answered by a project's findings: the public summary and the link to the findings.
    answer_summary: str = ""
    answer_link: str = ""
    submitters: list[Ref] = msgspec.field(default_factory=list)
    endorsements: list[EndorsementOut] = msgspec.field(default_factory=list)
    history: list[EventOut] = msgspec.field(default_factory=list)
    similar: list[SimilarNeed] = msgspec.field(default_factory=list)
    warnings: list[Warning] = msgspec.field(default_factory=list)


class NeedPage(msgspec.Struct):
    items: list[NeedOut]
    total: int
    page: int
    per_page: int


class RaterIn(GuardedStruct, forbid_unknown_fields=True):
    account_id: int
    group: StakeholderGroup
    municipality_id: int | None = None


class RoundCreate(GuardedStruct, forbid_unknown_fields=True):
    cluster_id: int
    name: Title
    need_ids: Annotated[list[int], msgspec.Meta(min_length=1, max_length=2000)]
    raters: Annotated[list[RaterIn], msgspec.Meta(min_length=1, max_length=500)]
    weights: dict[str, Annotated[float, msgspec.Meta(ge=0, le=100)]] = msgspec.field(
        default_factory=dict
    )
    weighting: Weighting = Weighting.GROUP
    deadline: dt.datetime | None = None
    pseudonymise: bool = True
    publish_public: bool = False
    confirm_warnings: bool = False  # publish although the guard warned (audited)


class RaterProgress(msgspec.Struct):
    account_id: int
    name: str
    group: str
    municipality_id: int | None
    answered: int
    total: int
    finished: bool


class RoundOut(msgspec.Struct):
    id: int
    cluster_id: int
    name: str
    status: str
    deadline: dt.datetime | None
    weights: dict[str, float]
    weighting: str
    pseudonymise: bool
    publish_public: bool
    created_at: dt.datetime
    closed_at: dt.datetime | None
    need_ids: list[int]
    am_rater: bool
    progress: list[RaterProgress] = msgspec.field(default_factory=list)


class ScoreIn(GuardedPart, forbid_unknown_fields=True):
    need_id: int
    nytte: Answer | None = None
    alvorlighet: Answer | None = None
    ressurs: Answer | None = None
    comment: Note = ""


class ScoresIn(GuardedStruct, forbid_unknown_fields=True):
    scores: Annotated[list[ScoreIn], msgspec.Meta(max_length=2000)]
    finished: bool = False


class ScoresOut(msgspec.Struct):
    round_id: int
    scores: list[ScoreIn]
    answered: int
    total: int
    finished: bool


class RankingItem(msgspec.Struct):
    need_id: int
    title: str
    rank: int | None
    score: float | None
    criteria: dict[str, float | None]
    agreement: dict[str, float | None]
    aea: float | None
    rank_min: int | None
    rank_max: int | None
    unstable: bool
    raters: int
    blanks: int
    group_scores: dict[str, dict[str, float | None]]
    decision: str | None = None
    justification: str = ""
    # Answered by a project's findings: the public summary and the link to them.
    answered: bool = False
    answer_summary: str = ""
    answer_link: str = ""


class Ranking(msgspec.Struct):
    round_id: int
    name: str
    closed_at: dt.datetime | None
    weights: dict[str, float]
    weighting: str
    items: list[RankingItem]


class DecisionIn(GuardedStruct, forbid_unknown_fields=True):
    need_id: int
    decision: DecisionKind
    justification: Justification
    situation: LongText = ""
    frame: LongText = ""
    assessment: LongText = ""
    knowledge_base: LongText = ""
    participation: LongText = ""
    child_best_interest: LongText = ""
    local_conditions: LongText = ""
    equal_access: LongText = ""
    departs_reason: LongText = ""


class DecisionOut(msgspec.Struct):
    need_id: int
    decision: str
    justification: str
    departs_from_rank: bool
    departs_reason: str
    decided_at: dt.datetime
