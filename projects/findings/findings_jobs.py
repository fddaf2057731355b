"""Jobs of the findings part: remind the recipients of unanswered deliveries (14 and 30 days
after delivery by default) and then escalate to the cluster's advisers (schedule.py). A daily
cron job of the projects app; each delivery and step goes out exactly once, even with two
workers on the same tick (klynge.once, claimed in the transaction that sends it)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from klynge import notifications, once
from klynge.db import transaction
from klynge.directory import cluster_advisers, cluster_names, municipality_names, service_names
from klynge.i18n import N_
from klynge.jobs.runner import JobContext, job
from projects.findings.schedule import ESCALATE, Schedule, due_steps, load_schedule
from projects.findings.tables import Delivery, DeliveryService

REMIND_DELIVERIES = "remind_findings_deliveries"
REMINDER = N_("Reminder: answer the findings «%(title)s»")
ESCALATION = N_("The findings «%(title)s» to %(recipient)s are still unanswered")


async def _candidates() -> list[dict[str, Any]]:
    return list(
        await Delivery.select(
            Delivery.id,
            Delivery.kind,
            Delivery.cluster,
            Delivery.municipality,
            Delivery.service,
            Delivery.created_at,
            Delivery.outcome.title.as_alias("title"),
        ).where(Delivery.answered_at.is_null())
    )


async def _recipient_name(row: dict[str, Any]) -> str:
    if row["kind"] == "cluster":
        return (await cluster_names([row["cluster"]])).get(row["cluster"], "")
    if row["municipality"]:
        return (await municipality_names([row["municipality"]])).get(row["municipality"], "")
    return (await service_names([row["service"]])).get(row["service"], "")


async def _remind(row: dict[str, Any], common: dict[str, Any]) -> None:
    """The reminder to the delivery's recipients (as publishing notified them)."""
    if row["kind"] == "cluster":
        for account_id in await cluster_advisers(row["cluster"]):
            await notifications.notify(
                "findings_reminder", REMINDER, account_id=account_id, **common
            )
        return
    services = [row["service"]] if row["service"] else []
    services += [
        r["service"]
        for r in await DeliveryService.select(DeliveryService.service).where(
            DeliveryService.delivery == row["id"]
        )
    ]
    if row["municipality"]:
        await notifications.notify(
            "findings_reminder", REMINDER, municipality_id=row["municipality"], **common
        )
    for service_id in services:
        await notifications.notify("findings_reminder", REMINDER, service_id=service_id, **common)


async def _send_once(row: dict[str, Any], step: str, now: dt.datetime) -> bool:
    """Claim the step and send it in one transaction: if sending fails the claim goes too."""
    async with transaction():
        if not await once.claim(f"findings.delivery:{row['id']}:{step}"):
            return False
        common: dict[str, Any] = {
            "params": {"title": row["title"]},
            "link": f"/leveranser/{row['id']}",
            "cluster_id": row["cluster"],
        }
        if step == ESCALATE:
            common["params"]["recipient"] = await _recipient_name(row)
            for account_id in await cluster_advisers(row["cluster"]):
                await notifications.notify(
                    "findings_escalated", ESCALATION, account_id=account_id, **common
                )
            await Delivery.update({Delivery.escalated_at: now}).where(Delivery.id == row["id"])
        else:
            await _remind(row, common)
            await Delivery.update(
                {Delivery.reminders: Delivery.reminders + 1, Delivery.last_reminded_at: now}
            ).where(Delivery.id == row["id"])
    return True


async def remind(now: dt.datetime | None = None, schedule: Schedule | None = None) -> int:
    """Send every reminder and escalation step that has come due; the number of steps sent."""
    moment = now or dt.datetime.now(dt.UTC)
    plan = schedule or load_schedule()
    sent = 0
    for row in await _candidates():
        for step in due_steps(row["created_at"], False, moment, plan):
            sent += await _send_once(row, step, moment)
    return sent


@job(REMIND_DELIVERIES)
async def remind_findings_deliveries(ctx: JobContext) -> dict[str, Any]:
    return {"reminded": await remind()}


__all__ = ["REMIND_DELIVERIES", "remind", "remind_findings_deliveries"]
