"""Deliveries as the pages and the API show them: an outcome's recipients with their state (and
the answers for those who may see them), and the caller's own deliveries, found in SQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from klynge.auth.principal import Principal
from klynge.auth.roles import Role
from klynge.directory import account_names, cluster_names, municipality_names, service_names
from projects.findings import delivery_rules as rules
from projects.findings.access import (
    DeliveryFacts,
    OutcomeAccess,
    addressed_to,
    follows_project,
)
from projects.findings.deliveries_notices import LABELS
from projects.findings.deliveries_schemas import AnswerOut, DeliveryOut
from projects.findings.deliveries_sources import addable_municipalities
from projects.findings.loading import delivery_facts
from projects.findings.schedule import answer_due, load_schedule
from projects.findings.tables import Delivery, DeliveryService

COLUMNS = (
    *Delivery.all_columns(),
    Delivery.outcome.title.as_alias("outcome_title"),
    Delivery.project.title.as_alias("project_title"),
)


async def _names(rows: list[dict[str, Any]], facts: list[DeliveryFacts]) -> dict[str, Any]:
    services = {s for f in facts for s in f.service_ids} | {
        r["service"] for r in rows if r["service"]
    }
    return {
        "m": await municipality_names([r["municipality"] for r in rows if r["municipality"]]),
        "s": await service_names(sorted(services)),
        "c": await cluster_names(sorted({r["cluster"] for r in rows})),
        "a": await account_names([r["answered_by"] for r in rows if r["answered_by"]]),
    }


def _recipient(row: dict[str, Any], names: dict[str, Any]) -> str:
    if row["kind"] == rules.CLUSTER:
        return str(names["c"].get(row["cluster"], ""))
    if row["municipality"]:
        return str(names["m"].get(row["municipality"], ""))
    return str(names["s"].get(row["service"], ""))


def _answer(row: dict[str, Any], names: dict[str, Any]) -> AnswerOut | None:
    if row["answered_at"] is None:
        return None
    return AnswerOut(
        row["relevant"],
        row["will_use"],
        row["change"],
        row["answered_at"],
        names["a"].get(row["answered_by"], ""),
    )


async def present(
    actor: Principal | None, rows: list[dict[str, Any]], *, answers: bool = False
) -> list[DeliveryOut]:
    """DeliveryOut of delivery rows (COLUMNS); `answers`: the caller follows the project (else
    only the answers of deliveries addressed to the caller are shown)."""
    facts = await delivery_facts(rows)
    names = await _names(rows, facts)
    schedule, now = load_schedule(), dt.datetime.now(dt.UTC)
    out = []
    for row, fact in zip(rows, facts, strict=True):
        addressed = addressed_to(actor, fact)
        state = rules.status(
            row["created_at"], row["read_at"], row["answered_at"], row["escalated_at"], now,
            schedule,
        )  # fmt: skip
        out.append(
            DeliveryOut(
                id=row["id"],
                outcome_id=row["outcome"],
                outcome_title=row["outcome_title"],
                project_id=row["project"],
                project_title=row["project_title"],
                kind=row["kind"],
                recipient=_recipient(row, names),
                municipality_id=row["municipality"],
                service_id=row["service"],
                services=sorted(names["s"].get(s, "") for s in fact.service_ids),
                language=row["language"],
                status=state,
                created_at=row["created_at"],
                due=answer_due(row["created_at"], schedule),
                read_at=row["read_at"],
                reminders=row["reminders"],
                escalated_at=row["escalated_at"],
                addressed=addressed,
                answer=_answer(row, names) if answers or addressed else None,
            )
        )
    return out


async def deliveries_of(actor: Principal | None, access: OutcomeAccess) -> list[DeliveryOut]:
    """The outcome's recipients with their state, for those who see the project or are
    addressed; the answers for those who follow the project or are addressed."""
    rows = await (
        Delivery.select(*COLUMNS).where(Delivery.outcome == access.outcome_id).order_by(Delivery.id)
    )
    follows = follows_project(actor, access.project)
    out = await present(actor, rows, answers=follows)
    if follows or access.project.see or any(d.addressed for d in out):
        return out
    return []  # a public outcome's readers elsewhere do not see who answered what


@dataclass
class DeliveriesPanel:
    """What the outcome page's deliveries partial shows (iterates as its deliveries):
    the recipients, the member municipalities the adviser may still add, and the labels."""

    items: list[DeliveryOut]
    addable: list[tuple[int, str]] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=lambda: dict(LABELS))

    def __iter__(self) -> Iterator[DeliveryOut]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


async def outcome_deliveries(actor: Principal | None, access: OutcomeAccess) -> DeliveriesPanel:
    """The outcome page's deliveries partial (projects/findings/_outcome_deliveries.html)."""
    items = await deliveries_of(actor, access)
    addable: list[tuple[int, str]] = []
    if access.advise and access.facts.status == "published":
        addable = await addable_municipalities(access.outcome_id, access.facts.cluster_id)
    return DeliveriesPanel(items, addable)


def addressed_where(actor: Principal) -> Any | None:
    """The SQL filter of the deliveries addressed to the caller (None: none are)."""
    leads = sorted(actor.org_ids(Role.SERVICE_LEADER))
    coordinates = sorted(actor.org_ids(Role.COORDINATOR))
    advises = sorted(actor.org_ids(Role.ADVISER))
    parts: list[Any] = []
    if advises:
        parts.append((Delivery.kind == rules.CLUSTER) & Delivery.cluster.is_in(advises))
    if leads:
        parts.append(Delivery.service.is_in(leads))
        parts.append(
            Delivery.id.is_in(
                DeliveryService.select(DeliveryService.delivery).where(
                    DeliveryService.service.is_in(leads)
                )
            )
        )
    if coordinates:
        parts.append(Delivery.municipality.is_in(coordinates))
    if not parts:
        return None
    where = parts[0]
    for part in parts[1:]:
        where = where | part
    return where


async def my_deliveries(actor: Principal, *, unanswered: bool = False) -> list[DeliveryOut]:
    """The deliveries addressed to the caller (`unanswered`: those without an answer only):
    unanswered first (escalated and overdue on top), then newest first."""
    where = addressed_where(actor)
    if where is None:
        return []
    if unanswered:
        where = where & Delivery.answered_at.is_null()
    rows = await Delivery.select(*COLUMNS).where(where).order_by(Delivery.id, ascending=False)
    if not rows:  # the common case on every page's task count: no lookups for nothing
        return []
    out = await present(actor, rows)
    return sorted(out, key=lambda d: rules.STATUS_ORDER[d.status])


async def unanswered_count(actor: Principal) -> int:
    """len(my_deliveries(actor, unanswered=True)), counted in SQL."""
    where = addressed_where(actor)
    if where is None:
        return 0
    return int(await Delivery.count().where(where & Delivery.answered_at.is_null()))
