"""Request and response shapes for organisations (msgspec Structs, explicit fields only)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

import msgspec

from klynge.schemas import FREE, NOT_FREE, GuardedStruct

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200, extra_json_schema=FREE)]
LongText = Annotated[str, msgspec.Meta(max_length=10_000, extra_json_schema=FREE)]
Reason = Annotated[str, msgspec.Meta(max_length=2_000, extra_json_schema=FREE)]
Short = Annotated[str, msgspec.Meta(max_length=200, extra_json_schema=FREE)]
# Numbers are normalised (spaces, dots) and checked by the service, which answers a wrong one
# with its own 422; the schema only bounds the raw input.
MunicipalityNumber = Annotated[str, msgspec.Meta(max_length=40, extra_json_schema=NOT_FREE)]
OrgNumber = Annotated[str, msgspec.Meta(max_length=40, extra_json_schema=NOT_FREE)]
Language = Annotated[str, msgspec.Meta(max_length=10, extra_json_schema=NOT_FREE)]
MunicipalityName = Annotated[
    str, msgspec.Meta(min_length=1, max_length=120, extra_json_schema=FREE)
]


class ServiceType(StrEnum):
    """The services of the mandate (domain.md §1), plus "annet"."""

    BARNEVERN = "barnevern"
    SKOLE = "skole"
    BARNEHAGE = "barnehage"
    HELSESTASJON = "helsestasjon"  # helsestasjon og skolehelsetjeneste
    FASTLEGE = "fastlege"
    BUP = "bup"  # psykisk helsevern for barn og unge
    TSB = "tsb"  # tverrfaglig spesialisert rusbehandling
    PPT = "ppt"
    JUSTIS = "justis"  # politi, konfliktråd
    NAV = "nav"
    ANNET = "annet"


SERVICE_TYPE_LABELS: dict[ServiceType, str] = {
    ServiceType.BARNEVERN: "Child welfare (barnevern)",
    ServiceType.SKOLE: "School",
    ServiceType.BARNEHAGE: "Kindergarten",
    ServiceType.HELSESTASJON: "Health centre and school health service",
    ServiceType.FASTLEGE: "General practitioner",
    ServiceType.BUP: "Child and adolescent mental health (BUP)",
    ServiceType.TSB: "Specialised substance abuse treatment (TSB)",
    ServiceType.PPT: "Educational-psychological service (PPT)",
    ServiceType.JUSTIS: "Justice sector (police, mediation service)",
    ServiceType.NAV: "NAV",
    ServiceType.ANNET: "Other",
}


class Sector(StrEnum):
    UOH = "uoh"
    INSTITUTE = "institute"
    HEALTH_TRUST = "health_trust"
    COMPETENCE_CENTRE = "competence_centre"
    OTHER = "other"


SECTOR_LABELS: dict[Sector, str] = {
    Sector.UOH: "University or university college",
    Sector.INSTITUTE: "Research institute",
    Sector.HEALTH_TRUST: "Health trust",
    Sector.COMPETENCE_CENTRE: "Competence centre",
    Sector.OTHER: "Other",
}


class MembershipStatus(StrEnum):
    REQUESTED = "requested"
    MEMBER = "member"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    LEFT = "left"


class MunicipalityOut(msgspec.Struct):
    id: int
    number: str
    name: str
    county: str
    population: int | None
    language: str
    valid_from: dt.date
    valid_to: dt.date | None


class MunicipalityCreate(GuardedStruct, forbid_unknown_fields=True):
    number: MunicipalityNumber
    name: MunicipalityName
    population: Annotated[int, msgspec.Meta(ge=0)] | None = None
    language: Language = "neutral"
    valid_from: dt.date = dt.date(2024, 1, 1)


class ClusterCreate(GuardedStruct, forbid_unknown_fields=True):
    name: Name
    motor_municipality_id: int
    description: LongText = ""
    adviser_ids: list[int] = msgspec.field(default_factory=list)
    is_public: bool = True


class ClusterUpdate(GuardedStruct, forbid_unknown_fields=True):
    description: LongText | None = None
    is_public: bool | None = None


class AccountRef(msgspec.Struct):
    id: int
    name: str
    email: str


class ClusterOut(msgspec.Struct):
    id: int
    name: str
    description: str
    is_public: bool
    created_at: dt.datetime
    motor_municipality: MunicipalityOut
    advisers: list[AccountRef]
    members: list[MunicipalityOut]


class MembershipRequest(GuardedStruct, forbid_unknown_fields=True):
    municipality_id: int
    note: Reason = ""


class MembershipDecision(GuardedStruct, forbid_unknown_fields=True):
    approve: bool
    reason: Reason = ""


class MembershipEnd(GuardedStruct, forbid_unknown_fields=True):
    reason: Reason = ""


class MembershipEventOut(msgspec.Struct):
    at: dt.datetime
    from_status: str
    to_status: str
    reason: str
    actor: str


class MembershipOut(msgspec.Struct):
    id: int
    cluster_id: int
    cluster_name: str
    municipality: MunicipalityOut
    status: str
    request_note: str
    requested_at: dt.datetime
    decided_at: dt.datetime | None
    decision_reason: str
    ended_at: dt.datetime | None
    history: list[MembershipEventOut] = msgspec.field(default_factory=list)


class ServiceCreate(GuardedStruct, forbid_unknown_fields=True):
    service_type: ServiceType
    name: Name
    description: LongText = ""


class ServiceOut(msgspec.Struct):
    id: int
    municipality_id: int
    service_type: ServiceType
    name: str
    description: str


class ResearchGroupCreate(GuardedStruct, forbid_unknown_fields=True):
    name: Name
    institution: Name
    org_number: OrgNumber
    sector: Sector
    unit: Short = ""
    description: LongText = ""


class ResearchGroupOut(msgspec.Struct):
    id: int
    name: str
    institution: str
    unit: str
    org_number: str
    sector: Sector
    description: str


class FunderCreate(GuardedStruct, forbid_unknown_fields=True):
    name: Name
    org_number: OrgNumber
    description: LongText = ""


class FunderOut(msgspec.Struct):
    id: int
    name: str
    org_number: str
    description: str
