"""The `send_mail` job: send the due mails of the outbox with aiosmtplib. A mail is claimed by
counting the attempt and moving its next attempt ahead (so two senders never send it twice, and
a sender that dies leaves it for a later run); a failed attempt leaves it queued with the
error, until the last attempt or a permanent (5xx) answer fails it."""

from __future__ import annotations

import datetime as dt
import logging
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from typing import Any

import aiosmtplib

from klynge.jobs.runner import JobContext, job
from klynge.mail import rules
from klynge.mail.config import MailSettings
from klynge.mail.tables import MailOutbox
from klynge.settings import get_settings

log = logging.getLogger("klynge.mail")

SEND_JOB = "send_mail"
SMTP_TIMEOUT = 30.0


def build_message(row: dict[str, Any], sender: str) -> EmailMessage:
    """The MIME message: plain text with an HTML alternative, and the unsubscribe header."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = row["to_address"]
    message["Subject"] = row["subject"]
    message["Date"] = format_datetime(dt.datetime.now(dt.UTC))
    domain = parseaddr(sender)[1].rpartition("@")[2] or "klynge.localhost"
    message["Message-ID"] = make_msgid(domain=domain)
    message["Auto-Submitted"] = "auto-generated"
    unsubscribe = _unsubscribe_link(row["text_body"])
    if unsubscribe:
        message["List-Unsubscribe"] = f"<{unsubscribe}>"
    message.set_content(row["text_body"])
    message.add_alternative(row["html_body"], subtype="html")
    message["Content-Language"] = row["language"]  # after the content, which resets Content-*
    return message


def _unsubscribe_link(text: str) -> str:
    for word in text.split():
        if "/epost/avmeld?token=" in word:
            return word
    return ""


async def _deliver(settings: MailSettings, message: EmailMessage) -> None:
    await aiosmtplib.send(
        message,
        hostname=settings.host,
        port=settings.port,
        username=settings.username,
        password=settings.password,
        use_tls=settings.implicit_tls,
        start_tls=None if not settings.implicit_tls else False,  # None: STARTTLS if offered
        timeout=SMTP_TIMEOUT,
    )


async def _claim(row: dict[str, Any], now: dt.datetime) -> int | None:
    """Count this attempt; the next one is due after the backoff (a lease while we send)."""
    attempts = int(row["attempts"]) + 1
    lease = rules.next_attempt(attempts, now) or now + dt.timedelta(hours=1)
    claimed = (
        await MailOutbox.update({MailOutbox.attempts: attempts, MailOutbox.next_attempt_at: lease})
        .where(
            MailOutbox.id == row["id"],
            MailOutbox.status == rules.QUEUED,
            MailOutbox.attempts == row["attempts"],
        )
        .returning(MailOutbox.id)
    )
    return attempts if claimed else None


async def _failed(row_id: int, attempts: int, error: str, code: int | None) -> str:
    give_up = rules.is_permanent(code) or attempts >= rules.MAX_ATTEMPTS
    values: dict[Any, Any] = {MailOutbox.last_error: error}
    if give_up:
        values[MailOutbox.status] = rules.FAILED
        values[MailOutbox.next_attempt_at] = None
    await MailOutbox.update(values).where(MailOutbox.id == row_id)
    return rules.FAILED if give_up else rules.QUEUED


async def _send_one(settings: MailSettings, row: dict[str, Any], now: dt.datetime) -> str:
    attempts = await _claim(row, now)
    if attempts is None:
        return "taken"  # another sender has it
    try:
        await _deliver(settings, build_message(row, settings.sender))
    except aiosmtplib.SMTPResponseException as exc:
        error = rules.clean_error(f"{exc.code} {exc.message}", (settings.password,))
        return await _failed(row["id"], attempts, error, exc.code)
    except (aiosmtplib.SMTPException, OSError) as exc:
        error = rules.clean_error(f"{type(exc).__name__}: {exc}", (settings.password,))
        log.warning("mail %s not sent (attempt %d): %s", row["id"], attempts, error)
        return await _failed(row["id"], attempts, error, None)
    await MailOutbox.update(
        {
            MailOutbox.status: rules.SENT,
            MailOutbox.sent_at: dt.datetime.now(dt.UTC),
            MailOutbox.next_attempt_at: None,
            MailOutbox.last_error: "",
        }
    ).where(MailOutbox.id == row["id"])
    return rules.SENT


async def send_due(settings: MailSettings, now: dt.datetime | None = None) -> dict[str, int]:
    """Send the mails that are due (one batch); without a mail server, keep them."""
    now = now or dt.datetime.now(dt.UTC)
    due = (MailOutbox.status == rules.QUEUED) & (
        MailOutbox.next_attempt_at.is_null() | (MailOutbox.next_attempt_at <= now)
    )
    if not settings.enabled:
        kept = (
            await MailOutbox.update({MailOutbox.status: rules.KEPT})
            .where(due)
            .returning(MailOutbox.id)
        )
        return {rules.KEPT: len(kept)}
    rows = await MailOutbox.select().where(due).order_by(MailOutbox.id).limit(rules.BATCH)
    counts: dict[str, int] = {}
    for row in rows:
        outcome = await _send_one(settings, row, now)
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


@job(SEND_JOB)
async def send_mail(ctx: JobContext) -> dict[str, Any]:
    """Send batch after batch until nothing is due (a burst of notifications leaves at once,
    not one batch per cron run). A batch that sent nothing (all taken by another sender, or
    all failing) ends the run; the failed ones are due again after their backoff."""
    totals: dict[str, int] = {}
    for batch in range(rules.MAX_BATCHES_PER_RUN):
        counts = await send_due(get_settings().mail)
        for key, value in counts.items():
            totals[key] = totals.get(key, 0) + value
        if sum(counts.values()) < rules.BATCH or not counts.get(rules.SENT):
            break
        await ctx.progress(
            (batch + 1) * 100 // rules.MAX_BATCHES_PER_RUN, f"{totals.get(rules.SENT, 0)} sent"
        )
    return totals
