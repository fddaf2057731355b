"""The daily digest (`send_mail_digest`, a core cron job): one mail per account that chose a
daily summary, with the notifications that reached it since its last digest. Exactly once per
account and day, however many workers run the tick (klynge.once)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from klynge.auth.service import load_principal
from klynge.auth.tables import Account
from klynge.db import transaction
from klynge.jobs.runner import JobContext, job
from klynge.mail import outbox, rules
from klynge.mail.rendering import Item, digest_mail
from klynge.mail.tables import MailOutbox
from klynge.notifications import Notification, _recipient_filter, render_text
from klynge.once import claim
from klynge.settings import get_settings

DIGEST_JOB = "send_mail_digest"
DIGEST_KIND = "digest"
MAX_ITEMS = 50


async def _since(account_id: int, now: dt.datetime) -> dt.datetime:
    last = (
        await MailOutbox.select(MailOutbox.created_at)
        .where(MailOutbox.account == account_id, MailOutbox.kind == DIGEST_KIND)
        .order_by(MailOutbox.created_at, ascending=False)
        .first()
    )
    return last["created_at"] if last else now - dt.timedelta(days=1)


async def _digest_for(recipient: outbox.Recipient, day: dt.date, now: dt.datetime) -> bool:
    """Queue this account's digest for `day` unless it has one; True when a mail was queued."""
    async with transaction():
        if not await claim(f"mail-digest:{recipient.account_id}:{day.isoformat()}"):
            return False
        principal = await load_principal(recipient.account_id)
        if principal is None:
            return False
        since = await _since(recipient.account_id, now)
        rows = (
            await Notification.select(
                Notification.text, Notification.params, Notification.link, Notification.created_at
            )
            .where(_recipient_filter(principal), Notification.created_at > since)
            .order_by(Notification.id)
            .limit(MAX_ITEMS)
        )
        if not rows:
            return False
        mail = digest_mail(
            render_text,
            lang=recipient.language,
            name=recipient.name,
            items=[Item(r["text"], r["params"], r["link"], r["created_at"]) for r in rows],
            public_url=get_settings().public_url,
            unsubscribe_url=outbox.unsubscribe_url(recipient.account_id),
        )
        await outbox.enqueue(recipient, mail, kind=DIGEST_KIND)
        await outbox.queue_sender()
        return True


async def send_digests(day: dt.date | None = None, now: dt.datetime | None = None) -> int:
    """Queue today's digest for every daily account; returns how many were queued here."""
    now = now or dt.datetime.now(dt.UTC)
    day = day or dt.date.today()
    rows = await Account.select(Account.id).where(
        Account.mail_frequency == rules.DAILY, Account.is_active.eq(True)
    )
    queued = 0
    for recipient in await outbox.recipients([r["id"] for r in rows]):
        if await _digest_for(recipient, day, now):
            queued += 1
    return queued


@job(DIGEST_JOB)
async def send_mail_digest(ctx: JobContext) -> dict[str, Any]:
    return {"digests": await send_digests()}
