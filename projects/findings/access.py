"""Who may see and do what with outcomes and deliveries: pure rules over plain facts.

- Outcomes: the project's leader and the adviser (`manage`) record, edit and publish them; the
  project team reads drafts; a published outcome is read by everyone who sees the project, by
  every recipient of one of its deliveries, and by anyone at all when it is public.
- Deliveries: a delivery is *addressed* to the municipality's coordinators and the leaders of its
  relevant services (a municipality delivery), the service's leaders (the asking service), or
  the cluster's R&D advisers (the cluster's delivery); they read and answer it. The answers are
  seen by the project (team, leader, adviser), the municipalities taking part in it, and the
  funders of its grants. Nobody else, and another cluster nothing (404)."""

from __future__ import annotations

from dataclasses import dataclass, field

from klynge.auth.principal import Principal
from klynge.auth.roles import Role
from klynge.errors import Forbidden
from klynge.i18n import N_
from projects.workspace import api as workspace

NO_OUTCOME = N_("No such outcome.")
NO_DELIVERY = N_("No such delivery.")


@dataclass(frozen=True, slots=True)
class OutcomeFacts:
    outcome_id: int
    project_id: int
    cluster_id: int
    status: str  # draft | published | withdrawn
    is_public: bool


@dataclass(frozen=True, slots=True)
class OutcomeAccess:
    facts: OutcomeFacts
    project: workspace.Access
    see: bool
    manage: bool  # record, edit, attach, publish (leader and adviser)
    advise: bool  # the cluster's adviser: add recipients, accept a measure for the bank

    @property
    def outcome_id(self) -> int:
        return self.facts.outcome_id


def decide_outcome(
    actor: Principal | None,
    facts: OutcomeFacts,
    project: workspace.Access,
    recipient: bool = False,
) -> OutcomeAccess:
    """`recipient`: the caller is addressed by one of the outcome's deliveries."""
    published = facts.status == "published"
    see = (
        project.edit
        or project.manage
        or (published and (project.see or recipient or facts.is_public))
    )
    return OutcomeAccess(facts, project, see, project.manage, project.advise)


@dataclass(frozen=True, slots=True)
class DeliveryFacts:
    delivery_id: int
    outcome_id: int
    project_id: int
    cluster_id: int
    kind: str  # participant | endorser | asker | cluster | added
    municipality_id: int | None
    service_id: int | None
    # The relevant services of a municipality's delivery: their leaders are addressed too.
    service_ids: frozenset[int] = field(default_factory=frozenset)


@dataclass(frozen=True, slots=True)
class DeliveryAccess:
    facts: DeliveryFacts
    see: bool
    answer: bool  # addressed to the caller: mark read, answer the three questions

    @property
    def delivery_id(self) -> int:
        return self.facts.delivery_id


def addressed_to(actor: Principal | None, facts: DeliveryFacts) -> bool:
    """Is the delivery addressed to the caller? Pure."""
    if actor is None:
        return False
    if facts.kind == "cluster":
        return actor.advises(facts.cluster_id)
    leads = actor.org_ids(Role.SERVICE_LEADER)
    if facts.service_id is not None and facts.service_id in leads:
        return True
    if facts.municipality_id is not None:
        if actor.has(Role.COORDINATOR, facts.municipality_id):
            return True
        return bool(leads & facts.service_ids)
    return False


def follows_project(actor: Principal | None, project: workspace.Access) -> bool:
    """Sees every delivery of the project and its answers: the team (leader, researchers,
    named participants), the adviser, the taking-part municipalities and the grants' funders."""
    if actor is None:
        return False
    facts = project.facts
    municipality = bool(actor.municipality_ids & facts.municipality_ids)
    funder = bool(actor.org_ids(Role.FUNDER_OFFICER) & facts.funder_ids)
    return project.edit or project.manage or project.advise or municipality or funder


def decide_delivery(
    actor: Principal | None, facts: DeliveryFacts, project: workspace.Access
) -> DeliveryAccess:
    answer = addressed_to(actor, facts)
    see = answer or follows_project(actor, project) or bool(actor and actor.is_admin)
    return DeliveryAccess(facts, see, answer)


def require_manage(access: OutcomeAccess) -> None:
    if not access.manage:
        raise Forbidden(N_("Only the project leader or the R&D adviser can do this."))


def require_advise(access: OutcomeAccess) -> None:
    if not access.advise:
        raise Forbidden(N_("Only the cluster's R&D adviser can do this."))


def require_answer(access: DeliveryAccess) -> None:
    if not access.answer:
        raise Forbidden(N_("Only those the findings were sent to can answer."))
