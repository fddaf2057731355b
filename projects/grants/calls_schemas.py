"""Request and response shapes of calls. Amounts come in as NOK text ("1 500 000",
"1500000,50") and are stored and returned as integer øre (with the formatted NOK beside)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

import msgspec

from klynge.orgs.schemas import ServiceType
from klynge.schemas import NOT_FREE, FreeText, GuardedPart, GuardedStruct, Name, ShortText
from projects.grants.conditions import Kind

Nok = Annotated[
    str,
    msgspec.Meta(
        max_length=30,
        description='An amount in NOK, e.g. "1 500 000" or "1500000.50"; stored as øre',
        extra_json_schema=NOT_FREE,
    ),
]
ApprovalKind = Literal["rek", "data_protection", "confidentiality", "consent", "owner"]
EligibleKind = Literal["cluster", "municipality"]
Id = Annotated[int, msgspec.Meta(ge=1, le=2_147_483_647)]
Small = Annotated[int, msgspec.Meta(ge=0, le=1000)]


class ConditionParams(GuardedPart, forbid_unknown_fields=True):
    """The parameters of a condition; each kind reads its own (see GET /api/calls/catalogue).
    The maximum amount and the report schedule are taken from the call's own fields."""

    percent: Small | None = None  # min_rnd_share
    own_percent: Small | None = None  # co_financing
    count: Small | None = None  # min_municipalities, user_representatives
    kinds: Annotated[list[ApprovalKind], msgspec.Meta(max_length=5)] | None = None  # approvals


class ConditionIn(GuardedPart, forbid_unknown_fields=True):
    kind: Kind
    params: ConditionParams = msgspec.field(default_factory=ConditionParams)
    hard: bool = msgspec.field(default=True)  # a hard condition not met refuses submission


class ReportSchedule(msgspec.Struct, forbid_unknown_fields=True):
    progress_months: Annotated[int, msgspec.Meta(ge=1, le=24)] = 6
    final: bool = True


class CallCreate(GuardedStruct, forbid_unknown_fields=True):
    funder_id: Id
    title: Name
    opens_on: dt.date
    closes_on: dt.date
    description: FreeText = ""
    budget: Nok = "0"
    max_per_application: Nok = "0"  # 0 = no maximum
    eligible_kinds: Annotated[list[EligibleKind], msgspec.Meta(max_length=2)] = msgspec.field(
        default_factory=lambda: ["cluster"]
    )
    eligible_cluster_ids: Annotated[list[Id], msgspec.Meta(max_length=200)] = []
    measure_ids: Annotated[list[Id], msgspec.Meta(max_length=200)] = []
    service_areas: Annotated[list[ServiceType], msgspec.Meta(max_length=20)] = []
    criteria: Annotated[list[ShortText], msgspec.Meta(max_length=12)] = []
    report_schedule: ReportSchedule = msgspec.field(default_factory=ReportSchedule)
    conditions: Annotated[list[ConditionIn], msgspec.Meta(max_length=10)] = []
    is_public: bool = False


class CallUpdate(GuardedStruct, forbid_unknown_fields=True):
    """Fields left out (null) are kept. Once published, the money, the applicants, the report
    schedule and the conditions are fixed (409); the texts, dates and portal flag are not."""

    title: Name | None = None
    opens_on: dt.date | None = None
    closes_on: dt.date | None = None
    description: FreeText | None = None
    budget: Nok | None = None
    max_per_application: Nok | None = None
    eligible_kinds: Annotated[list[EligibleKind], msgspec.Meta(max_length=2)] | None = None
    eligible_cluster_ids: Annotated[list[Id], msgspec.Meta(max_length=200)] | None = None
    measure_ids: Annotated[list[Id], msgspec.Meta(max_length=200)] | None = None
    service_areas: Annotated[list[ServiceType], msgspec.Meta(max_length=20)] | None = None
    criteria: Annotated[list[ShortText], msgspec.Meta(max_length=12)] | None = None
    report_schedule: ReportSchedule | None = None
    conditions: Annotated[list[ConditionIn], msgspec.Meta(max_length=10)] | None = None
    is_public: bool | None = None


class ConditionOut(msgspec.Struct):
    kind: str
    name: str  # in the caller's language
    params: dict[str, Any]
    hard: bool
    text: str  # the condition in words, in the caller's language


class NamedRef(msgspec.Struct):
    id: int
    name: str


class CallOut(msgspec.Struct):
    id: int
    funder: NamedRef
    title: str
    description: str
    status: str
    status_label: str
    is_open: bool
    is_public: bool
    opens_on: dt.date
    closes_on: dt.date
    budget_ore: int
    budget: str  # formatted NOK
    max_per_application_ore: int
    max_per_application: str
    eligible_kinds: list[str]
    eligible_clusters: list[NamedRef]
    measures: list[NamedRef]
    service_areas: list[str]
    criteria: list[str]
    report_schedule: dict[str, Any]
    conditions: list[ConditionOut]
    manage: bool  # the caller may edit, publish and close it


class CallPage(msgspec.Struct):
    total: int
    items: list[CallOut]


class Choice(msgspec.Struct):
    value: str
    label: str


class ParamOut(msgspec.Struct):
    name: str
    type: str  # int | bool | list
    default: Any
    choices: list[Choice] = []


class CatalogueKindOut(msgspec.Struct):
    kind: str
    name: str
    description: str
    params: list[ParamOut]
