"""Who may see and do what in a project: a pure rule over the project's facts and the caller, and
the loader every workspace use case starts from (`load_access`), which answers 404 to anyone who
may not see the project (another cluster's projects do not admit to existing)."""

from __future__ import annotations

from dataclasses import dataclass, field

from klynge.auth.principal import Principal
from klynge.auth.roles import Role
from klynge.errors import Forbidden, NotFound
from klynge.i18n import N_

NOT_FOUND = N_("No such project.")


@dataclass(frozen=True, slots=True)
class ProjectFacts:
    """What access depends on, loaded in one place (`load_facts`)."""

    project_id: int
    cluster_id: int
    status: str
    is_public: bool
    leader_id: int | None
    group_ids: frozenset[int] = field(default_factory=frozenset)  # active research groups
    municipality_ids: frozenset[int] = field(default_factory=frozenset)  # active
    service_ids: frozenset[int] = field(default_factory=frozenset)  # active
    participant_accounts: frozenset[int] = field(default_factory=frozenset)  # named, active
    # Funders that may read the project (grants: an application to one of their calls).
    funder_ids: frozenset[int] = field(default_factory=frozenset)


@dataclass(frozen=True, slots=True)
class Access:
    facts: ProjectFacts
    see: bool  # the whole workspace
    public_only: bool  # only the public summary
    edit: bool  # the project team: plan, sessions, PDSA, documents, summaries
    manage: bool  # leader and adviser: joins, transitions, approvals
    advise: bool  # the cluster's adviser (or admin): decides which approvals are required

    @property
    def project_id(self) -> int:
        return self.facts.project_id

    @property
    def cluster_id(self) -> int:
        return self.facts.cluster_id


def decide(actor: Principal | None, facts: ProjectFacts) -> Access:
    """The access rule. Pure: the same facts and caller always give the same answer."""
    if actor is None:
        return Access(facts, False, facts.is_public, False, False, False)
    admin = actor.is_admin
    advise = admin or actor.advises(facts.cluster_id)
    leader = facts.leader_id is not None and actor.account_id == facts.leader_id
    coordinator = facts.cluster_id in actor.cluster_ids and actor.has(Role.COORDINATOR)
    researcher = bool(actor.org_ids(Role.RESEARCHER) & facts.group_ids)
    service = bool(actor.org_ids(Role.SERVICE_LEADER, Role.SERVICE_EMPLOYEE) & facts.service_ids)
    municipality = bool(actor.municipality_ids & facts.municipality_ids)
    named = actor.account_id in facts.participant_accounts
    funder = bool(actor.org_ids(Role.FUNDER_OFFICER) & facts.funder_ids)
    see = (
        advise or leader or coordinator or researcher or service or municipality or named or funder
    )
    edit = advise or leader or researcher or named
    manage = advise or leader
    return Access(facts, see, facts.is_public and not see, edit, manage, advise)


def require_edit(access: Access) -> None:
    if not access.edit:
        raise Forbidden(N_("Only the project team can change the project."))


def require_manage(access: Access) -> None:
    if not access.manage:
        raise Forbidden(N_("Only the project leader or the R&D adviser can do this."))


def require_advise(access: Access) -> None:
    if not access.advise:
        raise Forbidden(N_("Only the cluster's R&D adviser can do this."))


def require_see(access: Access) -> None:
    if not access.see:
        raise NotFound(NOT_FOUND)
