"""The mail outbox: one row per mail, rendered when it is queued (what the admin sees at
/admin/utboks is exactly what is sent)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from piccolo.columns import ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.reference import LazyTableReference
from piccolo.table import Table

from klynge.auth.tables import Account

if TYPE_CHECKING:
    from klynge.notifications import Notification

# klynge.notifications queues the mails, so the outbox names its table lazily (no import cycle).
_NOTIFICATION = LazyTableReference("Notification", module_path="klynge.notifications")


class MailOutbox(Table, tablename="mail_outbox"):
    id: Serial  # Piccolo adds the primary key; declared for the type checker
    account = ForeignKey(references=Account, on_delete=OnDelete.cascade, index=True)
    notification: ForeignKey[Notification] = ForeignKey(
        references=_NOTIFICATION, null=True, on_delete=OnDelete.set_null, index=True
    )
    to_address = Varchar(length=254)
    language = Varchar(length=2, default="nb")
    subject = Varchar(length=300)
    text_body = Text()
    html_body = Text()
    kind = Varchar(length=40)  # the notification's kind, or "digest"
    status = Varchar(length=10, default="queued", index=True)  # queued|sent|kept|failed
    attempts = Integer(default=0)
    next_attempt_at = Timestamptz(null=True, default=None)
    last_error = Varchar(length=500, default="")  # the server's answer, never a secret
    sent_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
