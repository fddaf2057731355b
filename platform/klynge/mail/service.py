"""Use cases behind the mail pages: the user's mail preference, unsubscribing by token, and
the admin's view of the outbox."""

from __future__ import annotations

import datetime as dt

import msgspec

from klynge import audit
from klynge.auth.principal import Principal
from klynge.auth.tables import Account
from klynge.db import transaction
from klynge.errors import FieldError, Invalid, NotFound
from klynge.i18n import N_
from klynge.mail import rules
from klynge.mail.tables import MailOutbox
from klynge.settings import get_settings

OUTBOX_PAGE = 200


class OutboxRow(msgspec.Struct):
    id: int
    to_address: str
    subject: str
    kind: str
    status: str
    attempts: int
    created_at: dt.datetime
    sent_at: dt.datetime | None
    next_attempt_at: dt.datetime | None
    last_error: str
    language: str


class OutboxMail(OutboxRow):
    text_body: str
    html_body: str


async def frequency_of(account_id: int) -> str:
    row = await Account.select(Account.mail_frequency).where(Account.id == account_id).first()
    if row is None:
        raise NotFound()
    return str(row["mail_frequency"] or rules.IMMEDIATE)


async def _set(actor: Principal | None, account_id: int, value: str, action: str) -> None:
    async with transaction():
        before = await frequency_of(account_id)
        if before == value:
            return
        await Account.update({Account.mail_frequency: value}).where(Account.id == account_id)
        await audit.record(
            actor,
            action,
            "account",
            account_id,
            before={"mail_frequency": before},
            after={"mail_frequency": value},
        )


async def set_frequency(actor: Principal, value: str) -> None:
    """The caller chooses how often they get e-mail."""
    if not rules.is_frequency(value):
        raise Invalid(
            N_("Some fields need attention."),
            [FieldError("frequency", N_("Choose how often you want e-mail."))],
        )
    await _set(actor, actor.account_id, value, "core.mail.preference")


def token_account(token: str) -> int | None:
    """The account of a genuine unsubscribe token, else None (a forged or damaged link)."""
    return rules.read_unsubscribe_token(get_settings().tokens.secret_key, token)


async def unsubscribe(token: str) -> bool:
    """Turn all mail off for the token's account; False for a forged token."""
    account_id = token_account(token)
    if account_id is None:
        return False
    if not await Account.exists().where(Account.id == account_id):
        return False
    await _set(None, account_id, rules.OFF, "core.mail.unsubscribed")
    return True


async def outbox(limit: int = OUTBOX_PAGE) -> list[OutboxRow]:
    """The newest mails first (admin only: the guard is on the page)."""
    rows = (
        await MailOutbox.select(*(getattr(MailOutbox, f) for f in OutboxRow.__struct_fields__))
        .order_by(MailOutbox.id, ascending=False)
        .limit(limit)
    )
    return [msgspec.convert(r, OutboxRow) for r in rows]


async def outbox_mail(mail_id: int) -> OutboxMail:
    row = await MailOutbox.select().where(MailOutbox.id == mail_id).first()
    if row is None:
        raise NotFound(N_("We could not find the e-mail."))
    return msgspec.convert(row, OutboxMail, strict=False)
