"""The outbox: who a notification reaches, and one rendered mail per account that wants it,
written in the caller's transaction. The `send_mail` job (klynge.mail.sending) is queued in
the same transaction, and the job sweeper hands it on once that transaction has committed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from klynge import directory
from klynge.auth.roles import Role
from klynge.auth.service import load_principal
from klynge.auth.tables import Account
from klynge.jobs.request_end import dispatch_when_request_ends
from klynge.jobs.runner import QUEUED, Dispatcher, Submitter
from klynge.jobs.tables import Job
from klynge.mail import rules
from klynge.mail.rendering import Item, Rendered, TextRenderer, notification_mail
from klynge.mail.sending import SEND_JOB
from klynge.mail.tables import MailOutbox
from klynge.settings import get_settings


@dataclass(frozen=True, slots=True)
class Recipient:
    account_id: int
    name: str
    email: str
    language: str
    frequency: str


async def recipient_ids(
    account_id: int | None, service_id: int | None, municipality_id: int | None
) -> list[int]:
    """The accounts a notification reaches, as the notification list reads it: the account
    itself, a service's leaders and employees, a municipality's coordinators."""
    found: set[int] = {account_id} if account_id is not None else set()
    if service_id is not None:
        people = await directory.org_people(
            service_ids=[service_id], roles=(Role.SERVICE_LEADER, Role.SERVICE_EMPLOYEE)
        )
        found.update(p["id"] for p in people if p["service_id"] == service_id)
    if municipality_id is not None:
        people = await directory.org_people(
            municipality_ids=[municipality_id], roles=(Role.COORDINATOR,)
        )
        found.update(p["id"] for p in people if p["org_id"] == municipality_id)
    return sorted(found)


async def recipients(account_ids: Sequence[int]) -> list[Recipient]:
    """Active accounts with their mail preference and their resolved UI language."""
    if not account_ids:
        return []
    rows = await Account.select(
        Account.id, Account.name, Account.email, Account.mail_frequency
    ).where(Account.id.is_in(list(account_ids)), Account.is_active.eq(True))
    found: list[Recipient] = []
    for row in rows:
        principal = await load_principal(row["id"])
        if principal is None:
            continue
        found.append(
            Recipient(
                account_id=row["id"],
                name=row["name"],
                email=row["email"],
                language=principal.language,
                frequency=row["mail_frequency"] or rules.IMMEDIATE,
            )
        )
    return sorted(found, key=lambda r: r.account_id)


def unsubscribe_url(account_id: int) -> str:
    settings = get_settings()
    token = rules.unsubscribe_token(settings.tokens.secret_key, account_id)
    return rules.absolute(settings.public_url, f"/epost/avmeld?token={token}")


async def enqueue(
    recipient: Recipient, mail: Rendered, *, kind: str, notification_id: int | None = None
) -> None:
    """One mail in the outbox (inside the caller's transaction)."""
    await MailOutbox.insert(
        MailOutbox(
            account=recipient.account_id,
            notification=notification_id,
            to_address=recipient.email,
            language=recipient.language,
            subject=mail.subject,
            text_body=mail.text,
            html_body=mail.html,
            kind=kind,
            status=rules.QUEUED,
        )
    )


async def queue_sender() -> None:
    """Queue a `send_mail` run unless one is already waiting (its status row commits with the
    caller's transaction; the sweeper dispatches it, and the cron job retries what is due)."""
    waiting = await Job.exists().where(Job.name == SEND_JOB, Job.status == QUEUED)
    if not waiting:
        # A Submitter only writes the status row here; it is handed over when the request
        # ends (after its commit), else by the sweeper.
        dispatch_when_request_ends(await Submitter(Dispatcher(None))(SEND_JOB))


async def fan_out(
    notification_id: int,
    render_text: TextRenderer,
    *,
    kind: str,
    text: str,
    params: Mapping[str, str | int],
    link: str,
    account_id: int | None,
    service_id: int | None,
    municipality_id: int | None,
) -> int:
    """Queue the mail of a notification for every account that wants it immediately; the
    daily ones get it in their digest. Returns the number of mails queued."""
    ids = await recipient_ids(account_id, service_id, municipality_id)
    public_url = get_settings().public_url
    item = Item(text=text, params=dict(params), link=link)
    queued = 0
    for recipient in await recipients(ids):
        if recipient.frequency != rules.IMMEDIATE:
            continue
        mail = notification_mail(
            render_text,
            lang=recipient.language,
            name=recipient.name,
            item=item,
            public_url=public_url,
            unsubscribe_url=unsubscribe_url(recipient.account_id),
        )
        await enqueue(recipient, mail, kind=kind, notification_id=notification_id)
        queued += 1
    if queued:
        await queue_sender()
    return queued
