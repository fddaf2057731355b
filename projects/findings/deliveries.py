"""A recipient's side of a delivery: the caller's deliveries, one delivery with the findings
themselves (so a recipient who does not see the project can still read them), marking it read
(the first read is kept) and answering the three questions (an answer may be changed; the
project leader and the adviser are told)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from klynge import audit, notifications
from klynge.auth.principal import Principal
from klynge.db import json_value, transaction
from klynge.directory import cluster_advisers
from klynge.i18n import N_
from projects.findings.access import DeliveryAccess, require_answer
from projects.findings.deliveries_listing import COLUMNS, my_deliveries, present
from projects.findings.deliveries_schemas import AnswerIn, DeliveryDetail, OutcomeContent
from projects.findings.deliveries_sources import project_row
from projects.findings.loading import load_delivery_access
from projects.findings.tables import Delivery, Outcome

ANSWERED = N_("«%(recipient)s» answered the findings «%(title)s»")

__all__ = ["answer", "get_delivery", "mark_read", "my_deliveries"]


async def _row(delivery_id: int) -> dict[str, Any]:
    row = await Delivery.select(*COLUMNS).where(Delivery.id == delivery_id).first()
    assert row is not None  # the access loader found it
    return row


async def _content(outcome_id: int) -> OutcomeContent:
    o = await Outcome.select().where(Outcome.id == outcome_id).first()
    assert o is not None  # cascades
    return OutcomeContent(
        id=o["id"],
        kind=o["kind"],
        title=o["title"],
        summary=o["summary"],
        summary_language=o["summary_language"],
        summary_en=o["summary_en"],
        practice=o["practice"],
        evidence_type=o["evidence_type"],
        evidence_note=o["evidence_note"],
        doi=o["doi"],
        citation=json_value(o["citation"], {}),
        links=json_value(o["links"], []),
        published_at=o["published_at"],
    )


async def _detail(actor: Principal, access: DeliveryAccess) -> DeliveryDetail:
    (out,) = await present(actor, [await _row(access.delivery_id)], answers=True)
    return DeliveryDetail(out, await _content(access.facts.outcome_id))


async def get_delivery(actor: Principal, delivery_id: int) -> DeliveryDetail:
    access = await load_delivery_access(actor, delivery_id)
    return await _detail(actor, access)


async def _read(actor: Principal, delivery_id: int, now: dt.datetime) -> bool:
    """Mark read unless it already is (the first read is kept). True when this call did."""
    rows = await (
        Delivery.update({Delivery.read_at: now, Delivery.read_by: actor.account_id})
        .where(Delivery.id == delivery_id, Delivery.read_at.is_null())
        .returning(Delivery.id)
    )
    return bool(rows)


async def mark_read(actor: Principal, delivery_id: int) -> DeliveryDetail:
    access = await load_delivery_access(actor, delivery_id)
    require_answer(access)
    async with transaction():
        if await _read(actor, delivery_id, dt.datetime.now(dt.UTC)):
            await audit.record(
                actor,
                "projects.delivery.read",
                "delivery",
                delivery_id,
                cluster_id=access.facts.cluster_id,
            )
    return await _detail(actor, access)


async def _tell_project(row: dict[str, Any], recipient: str) -> None:
    project = await project_row(row["project"])
    people = set(await cluster_advisers(row["cluster"]))
    if project["leader"] is not None:
        people.add(project["leader"])
    for account_id in sorted(people):
        await notifications.notify(
            "findings_answered",
            ANSWERED,
            params={"recipient": recipient, "title": row["outcome_title"]},
            link=f"/resultater/{row['outcome']}",
            cluster_id=row["cluster"],
            account_id=account_id,
        )


async def answer(actor: Principal, delivery_id: int, data: AnswerIn) -> DeliveryDetail:
    access = await load_delivery_access(actor, delivery_id)
    require_answer(access)
    async with transaction():
        before = await _row(delivery_id)
        now = dt.datetime.now(dt.UTC)
        await _read(actor, delivery_id, now)
        await Delivery.update(
            {
                Delivery.relevant: data.relevant,
                Delivery.will_use: data.will_use,
                Delivery.change: data.change,
                Delivery.answered_at: now,
                Delivery.answered_by: actor.account_id,
            }
        ).where(Delivery.id == delivery_id)
        await audit.record(
            actor,
            "projects.delivery.answer",
            "delivery",
            delivery_id,
            cluster_id=access.facts.cluster_id,
            before={k: before[k] for k in ("relevant", "will_use", "change", "answered_at")},
            after={"relevant": data.relevant, "will_use": data.will_use, "change": data.change},
        )
        (out,) = await present(actor, [before])
        await _tell_project(before, out.recipient)
    return await _detail(actor, access)
