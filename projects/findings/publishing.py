"""Publishing an outcome = delivering it: the outcome becomes published and every recipient
(`delivery_rules.recipients`) gets a delivery, created with INSERT ... ON CONFLICT (key) DO
NOTHING so that publishing twice or a retry creates none twice; each new recipient is notified
in-app. A project's first published outcome answers its originating needs (priorities.api).

- `publish(actor, outcome_id)`: the project leader or the adviser (`manage`).
- `add_recipients(actor, outcome_id, municipality_ids)`: the adviser adds member municipalities
  of the cluster to a published outcome.
- `outcome_deliveries(actor, access)` (projects.findings.deliveries_listing): the outcome page's
  deliveries and answers."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from klynge import audit, notifications
from klynge.auth.principal import Principal
from klynge.db import transaction
from klynge.directory import cluster_advisers, member_municipalities
from klynge.errors import Conflict, FieldError, Invalid
from klynge.i18n import N_
from klynge.schemas import ensure_publishable
from priorities import api as priorities
from projects.findings import delivery_rules as rules
from projects.findings.access import require_advise, require_manage
from projects.findings.deliveries_listing import DeliveriesPanel, deliveries_of, outcome_deliveries
from projects.findings.deliveries_schemas import DeliveryOut
from projects.findings.deliveries_sources import (
    delivered_municipalities,
    load_sources,
    project_row,
)
from projects.findings.loading import load_outcome_access
from projects.findings.outcomes_rules import publish_blockers
from projects.findings.tables import Delivery, DeliveryService, Outcome

NOT_YET = N_("The outcome cannot be published yet.")
DELIVERED = N_("New findings for you: «%(title)s»")
NOT_MEMBER = N_("Only member municipalities of the cluster can be added.")

__all__ = [
    "DeliveriesPanel",
    "PublishResult",
    "add_recipients",
    "deliveries_of",
    "outcome_deliveries",
    "outcome_deliveries_api",
    "publish",
]


class PublishResult(msgspec.Struct):
    outcome_id: int
    status: str
    published_at: dt.datetime | None
    created: int  # deliveries created by this call (0 when published before)
    deliveries: int  # the outcome's deliveries in all
    needs_answered: list[int]


async def _outcome(outcome_id: int) -> dict[str, Any]:
    row = await Outcome.select().where(Outcome.id == outcome_id).first()
    assert row is not None  # the access loader found it
    return row


async def _create(
    actor: Principal, outcome: dict[str, Any], recipients: list[rules.Recipient]
) -> list[rules.Recipient]:
    """Insert the deliveries not there yet; the ones this call created."""
    created = []
    now = dt.datetime.now(dt.UTC)
    for r in recipients:
        rows = await (
            Delivery.insert(
                Delivery(
                    key=r.key,
                    outcome=outcome["id"],
                    project=outcome["project"],
                    cluster=outcome["cluster"],
                    kind=r.kind,
                    municipality=r.municipality_id,
                    service=r.service_id,
                    language=r.language,
                    created_by=actor.account_id,
                    created_at=now,
                )
            )
            .on_conflict(target=Delivery.key, action="DO NOTHING")
            .returning(Delivery.id)
        )
        if not rows:
            continue
        if r.service_ids:
            await DeliveryService.insert(
                *(DeliveryService(delivery=rows[0]["id"], service=s) for s in r.service_ids)
            )
        await _notify(outcome, r, rows[0]["id"])
        created.append(r)
    return created


async def _notify(outcome: dict[str, Any], r: rules.Recipient, delivery_id: int) -> None:
    common: dict[str, Any] = {
        "params": {"title": outcome["title"]},
        "link": f"/leveranser/{delivery_id}",
        "cluster_id": outcome["cluster"],
    }
    if r.kind == rules.CLUSTER:
        for account_id in await cluster_advisers(outcome["cluster"]):
            await notifications.notify(
                "findings_delivered", DELIVERED, account_id=account_id, **common
            )
        return
    if r.municipality_id is not None:
        await notifications.notify(
            "findings_delivered", DELIVERED, municipality_id=r.municipality_id, **common
        )
    for service_id in ([r.service_id] if r.service_id else []) + list(r.service_ids):
        await notifications.notify("findings_delivered", DELIVERED, service_id=service_id, **common)


def _public_summary(outcome: dict[str, Any]) -> str:
    """The summary a public page may show: the outcome's, when it is public and the privacy
    guard has nothing to warn about; else nothing."""
    if not outcome["is_public"]:
        return ""
    try:
        ensure_publishable({"summary": outcome["summary"]}, confirmed=False)
    except Conflict:
        return ""
    return str(outcome["summary"])


async def _answer_needs(actor: Principal, outcome: dict[str, Any]) -> list[int]:
    """The project's first published outcome answers its needs; the needs this call answered."""
    earlier = await Outcome.exists().where(
        Outcome.project == outcome["project"],
        Outcome.status == "published",
        Outcome.id != outcome["id"],
    )
    if earlier:
        return []
    project = await project_row(outcome["project"])
    answered = []
    for need_id in project["need_ids"]:
        if await priorities.mark_answered(
            actor,
            need_id,
            summary=_public_summary(outcome),
            link=f"/resultater/{outcome['id']}",
            reason=f"Besvart av funnene i prosjektet «{project['title']}»",
        ):
            answered.append(need_id)
    return answered


async def _count(outcome_id: int) -> int:
    return int(await Delivery.count().where(Delivery.outcome == outcome_id))


async def publish(actor: Principal, outcome_id: int) -> PublishResult:
    access = await load_outcome_access(actor, outcome_id)
    require_manage(access)
    async with transaction():
        outcome = await _outcome(outcome_id)
        if outcome["status"] == "withdrawn":
            raise Conflict(N_("A withdrawn outcome cannot be published."))
        errors = publish_blockers(outcome)
        if errors:
            raise Invalid(NOT_YET, errors)
        answered: list[int] = []
        if outcome["status"] != "published":
            answered = await _answer_needs(actor, outcome)
            now = dt.datetime.now(dt.UTC)
            await Outcome.update(
                {
                    Outcome.status: "published",
                    Outcome.published_at: now,
                    Outcome.published_by: actor.account_id,
                    Outcome.updated_at: now,
                }
            ).where(Outcome.id == outcome_id)
            outcome = {**outcome, "status": "published", "published_at": now}
        sources = await load_sources(outcome["project"])
        created = await _create(actor, outcome, rules.recipients(outcome_id, sources))
        await audit.record(
            actor,
            "projects.outcome.publish",
            "outcome",
            outcome_id,
            cluster_id=outcome["cluster"],
            after={"deliveries": [r.key for r in created], "needs_answered": answered},
        )
        return PublishResult(
            outcome_id,
            "published",
            outcome["published_at"],
            len(created),
            await _count(outcome_id),
            answered,
        )


async def add_recipients(
    actor: Principal, outcome_id: int, municipality_ids: list[int]
) -> PublishResult:
    """The adviser delivers a published outcome to more member municipalities of the cluster."""
    access = await load_outcome_access(actor, outcome_id)
    require_advise(access)
    async with transaction():
        outcome = await _outcome(outcome_id)
        if outcome["status"] != "published":
            raise Conflict(N_("Publish the outcome before adding recipients."))
        members = {m for m, _ in await member_municipalities(outcome["cluster"])}
        outside = [m for m in municipality_ids if m not in members]
        if outside or not municipality_ids:
            raise Invalid(NOT_MEMBER, [FieldError("municipality_ids", NOT_MEMBER)])
        added = set(municipality_ids) - await delivered_municipalities(outcome_id)
        sources = await load_sources(outcome["project"], added)
        wanted = [
            r
            for r in rules.recipients(outcome_id, sources)
            if r.kind == rules.ADDED and r.municipality_id in added
        ]
        created = await _create(actor, outcome, wanted)
        await audit.record(
            actor,
            "projects.outcome.add_recipients",
            "outcome",
            outcome_id,
            cluster_id=outcome["cluster"],
            after={"deliveries": [r.key for r in created]},
        )
        return PublishResult(
            outcome_id,
            outcome["status"],
            outcome["published_at"],
            len(created),
            await _count(outcome_id),
            [],
        )


async def outcome_deliveries_api(actor: Principal, outcome_id: int) -> list[DeliveryOut]:
    """GET /api/outcomes/{id}/deliveries: as the outcome page shows them."""
    return await deliveries_of(actor, await load_outcome_access(actor, outcome_id))
