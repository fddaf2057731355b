"""Loads a grant and decides the caller's access through its application (404 for anyone who
may not see the application): the project team writes reports and asks for payments, the call's
funder approves reports and records disbursements."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from klynge.auth.principal import Principal
from klynge.auth.roles import Role
from klynge.directory import service_municipalities
from klynge.errors import Forbidden, NotFound
from klynge.i18n import N_
from projects.grants import report_rules
from projects.grants.access import ApplicationAccess
from projects.grants.loading import load_application_access
from projects.grants.tables import GrantAgreement

NO_GRANT = N_("No such grant.")


@dataclass(frozen=True, slots=True)
class GrantAccess:
    grant: dict[str, Any]  # the agreement's row, with the application's title and project
    application: ApplicationAccess

    @property
    def team(self) -> bool:
        return self.application.project.edit

    @property
    def funder(self) -> bool:
        return self.application.funder

    @property
    def cluster_id(self) -> int:
        return self.application.facts.cluster_id


async def load_grant_access(actor: Principal, grant_id: int) -> GrantAccess:
    row = await (
        GrantAgreement.select(
            GrantAgreement.all_columns(),
            GrantAgreement.application.title.as_alias("title"),
            GrantAgreement.application.project.as_alias("project"),
        )
        .where(GrantAgreement.id == grant_id)
        .first()
    )
    if row is None:
        raise NotFound(NO_GRANT)
    try:
        access = await load_application_access(actor, row["application"])
    except NotFound:
        raise NotFound(NO_GRANT) from None
    return GrantAccess(row, access)


def require_team(access: GrantAccess) -> None:
    if not access.team:
        raise Forbidden(N_("Only the project team can do this."))


def require_grant_funder(access: GrantAccess) -> None:
    if not access.funder:
        raise Forbidden(N_("Only the call's funder can do this."))


async def can_attest(actor: Principal, access: GrantAccess) -> bool:
    facts = access.application.project.facts
    led = sorted(actor.org_ids(Role.SERVICE_LEADER))
    return report_rules.may_attest(
        actor, facts.municipality_ids, facts.service_ids, await service_municipalities(led)
    )
