"""Loads the facts of outcomes and deliveries and decides the caller's access (404 for those who
may not see them: another cluster's findings do not admit to existing)."""

from __future__ import annotations

from klynge.auth.principal import Principal
from klynge.errors import NotFound
from projects.findings.access import (
    NO_DELIVERY,
    NO_OUTCOME,
    DeliveryAccess,
    DeliveryFacts,
    OutcomeAccess,
    OutcomeFacts,
    addressed_to,
    decide_delivery,
    decide_outcome,
)
from projects.findings.tables import Delivery, DeliveryService, Outcome
from projects.workspace import api as workspace


async def delivery_facts(rows: list[dict[str, object]]) -> list[DeliveryFacts]:
    """DeliveryFacts of delivery rows (id, outcome, project, cluster, kind, municipality,
    service), with their relevant services in one query."""
    ids = [int(str(r["id"])) for r in rows]
    services: dict[int, set[int]] = {}
    for link in await DeliveryService.select(
        DeliveryService.delivery, DeliveryService.service
    ).where(DeliveryService.delivery.is_in(ids or [-1])):
        services.setdefault(link["delivery"], set()).add(link["service"])
    return [
        DeliveryFacts(
            delivery_id=int(str(r["id"])),
            outcome_id=int(str(r["outcome"])),
            project_id=int(str(r["project"])),
            cluster_id=int(str(r["cluster"])),
            kind=str(r["kind"]),
            municipality_id=int(str(r["municipality"])) if r["municipality"] else None,
            service_id=int(str(r["service"])) if r["service"] else None,
            service_ids=frozenset(services.get(int(str(r["id"])), set())),
        )
        for r in rows
    ]


FACT_COLUMNS = (
    Delivery.id,
    Delivery.outcome,
    Delivery.project,
    Delivery.cluster,
    Delivery.kind,
    Delivery.municipality,
    Delivery.service,
)


async def is_recipient(actor: Principal | None, outcome_id: int) -> bool:
    """Is the caller addressed by one of the outcome's deliveries?"""
    if actor is None:
        return False
    rows = await Delivery.select(*FACT_COLUMNS).where(Delivery.outcome == outcome_id)
    return any(addressed_to(actor, f) for f in await delivery_facts(rows))


async def load_outcome_access(actor: Principal | None, outcome_id: int) -> OutcomeAccess:
    row = await (
        Outcome.select(
            Outcome.id, Outcome.project, Outcome.cluster, Outcome.status, Outcome.is_public
        )
        .where(Outcome.id == outcome_id)
        .first()
    )
    if row is None:
        raise NotFound(NO_OUTCOME)
    facts = OutcomeFacts(
        row["id"], row["project"], row["cluster"], row["status"], bool(row["is_public"])
    )
    project_facts = await workspace.load_facts(facts.project_id)
    if project_facts is None:  # pragma: no cover - the project's row cascades to the outcome
        raise NotFound(NO_OUTCOME)
    project = workspace.decide(actor, project_facts)
    recipient = not project.see and await is_recipient(actor, outcome_id)
    access = decide_outcome(actor, facts, project, recipient)
    if not access.see:
        raise NotFound(NO_OUTCOME)
    return access


async def load_delivery_access(actor: Principal | None, delivery_id: int) -> DeliveryAccess:
    rows = await Delivery.select(*FACT_COLUMNS).where(Delivery.id == delivery_id)
    if not rows:
        raise NotFound(NO_DELIVERY)
    facts = (await delivery_facts(rows))[0]
    project_facts = await workspace.load_facts(facts.project_id)
    if project_facts is None:  # pragma: no cover - cascades
        raise NotFound(NO_DELIVERY)
    access = decide_delivery(actor, facts, workspace.decide(actor, project_facts))
    if not access.see:
        raise NotFound(NO_DELIVERY)
    return access
