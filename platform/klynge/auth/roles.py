"""The roles of Klynge and the kind of organisation each is held in."""

from __future__ import annotations

from enum import StrEnum


class OrgKind(StrEnum):
    PLATFORM = "platform"
    CLUSTER = "cluster"
    MUNICIPALITY = "municipality"
    SERVICE = "service"
    RESEARCH_GROUP = "research_group"
    FUNDER = "funder"


class Role(StrEnum):
    PLATFORM_ADMIN = "platform_admin"
    ADVISER = "adviser"  # FoU-rådgiver of a cluster
    COORDINATOR = "coordinator"  # kommunekoordinator
    SERVICE_LEADER = "service_leader"
    SERVICE_EMPLOYEE = "service_employee"
    USER_REPRESENTATIVE = "user_representative"  # brukerrepresentant, incl. youth councils
    RESEARCHER = "researcher"
    FUNDER_OFFICER = "funder_officer"


ROLE_ORG_KIND: dict[Role, OrgKind] = {
    Role.PLATFORM_ADMIN: OrgKind.PLATFORM,
    Role.ADVISER: OrgKind.CLUSTER,
    Role.COORDINATOR: OrgKind.MUNICIPALITY,
    Role.SERVICE_LEADER: OrgKind.SERVICE,
    Role.SERVICE_EMPLOYEE: OrgKind.SERVICE,
    Role.USER_REPRESENTATIVE: OrgKind.MUNICIPALITY,
    Role.RESEARCHER: OrgKind.RESEARCH_GROUP,
    Role.FUNDER_OFFICER: OrgKind.FUNDER,
}

ROLE_LABELS: dict[Role, str] = {
    Role.PLATFORM_ADMIN: "Platform administrator",
    Role.ADVISER: "R&D adviser",
    Role.COORDINATOR: "Municipality coordinator",
    Role.SERVICE_LEADER: "Service leader",
    Role.SERVICE_EMPLOYEE: "Service employee",
    Role.USER_REPRESENTATIVE: "User representative",
    Role.RESEARCHER: "Researcher",
    Role.FUNDER_OFFICER: "Funder officer",
}
