"""In-app notifications: a message to an account, or to everyone working in a service or
municipality (e.g. "your knowledge need was matched"). Apps call `notify`; the UI and
`GET /api/notifications` list what the caller may read.

The text is an English msgid (N_) with %(name)s `params`, stored as such and translated when it
is read, in the reader's language (nb, nn or en); the params carry names and titles, never free
text about children."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import msgspec
from litestar import get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.status_codes import HTTP_204_NO_CONTENT
from piccolo.columns import JSONB, ForeignKey, Serial, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.custom_types import Combinable
from piccolo.table import Table

from klynge.auth.guards import requires_authenticated
from klynge.auth.principal import Principal
from klynge.auth.roles import Role
from klynge.auth.tables import Account
from klynge.db import json_value
from klynge.errors import NotFound
from klynge.i18n import N_, gettext
from klynge.mail.outbox import fan_out
from klynge.orgs.tables import Cluster, Municipality, Service


class Notification(Table, tablename="notification"):
    id: Serial  # Piccolo adds the primary key; declared for the type checker
    cluster = ForeignKey(references=Cluster, null=True, on_delete=OnDelete.cascade, index=True)
    account = ForeignKey(references=Account, null=True, on_delete=OnDelete.cascade, index=True)
    service = ForeignKey(references=Service, null=True, on_delete=OnDelete.cascade, index=True)
    municipality = ForeignKey(
        references=Municipality, null=True, on_delete=OnDelete.cascade, index=True
    )
    kind = Varchar(length=40)
    text = Text()  # an English msgid, translated when read (older rows: Norwegian text)
    params = JSONB(default={})  # the msgid's %(name)s values
    link = Varchar(length=300, default="")
    created_at = Timestamptz(default=TimestamptzNow())
    read_at = Timestamptz(null=True, default=None)


class NotificationOut(msgspec.Struct):
    id: int
    kind: str
    text: str
    link: str
    created_at: dt.datetime
    read: bool


async def notify(
    kind: str,
    text: str,
    *,
    params: Mapping[str, str | int] | None = None,
    link: str = "",
    cluster_id: int | None = None,
    account_id: int | None = None,
    service_id: int | None = None,
    municipality_id: int | None = None,
) -> None:
    """Store a notification (in the caller's transaction). At least one recipient. Every
    account it reaches that wants mail at once gets one in the outbox, in the same
    transaction (klynge.mail); the daily ones get it in their digest."""
    if account_id is None and service_id is None and municipality_id is None:
        raise ValueError("a notification needs a recipient")
    rows = await Notification.insert(
        Notification(
            cluster=cluster_id,
            account=account_id,
            service=service_id,
            municipality=municipality_id,
            kind=kind,
            text=text,
            params=dict(params or {}),
            link=link,
        )
    ).returning(Notification.id)
    await fan_out(
        rows[0]["id"],
        render_text,
        kind=kind,
        text=text,
        params=dict(params or {}),
        link=link,
        account_id=account_id,
        service_id=service_id,
        municipality_id=municipality_id,
    )


def _recipient_filter(actor: Principal) -> Any:
    services = list(actor.org_ids(Role.SERVICE_LEADER, Role.SERVICE_EMPLOYEE))
    municipalities = list(actor.org_ids(Role.COORDINATOR))
    where: Combinable = Notification.account == actor.account_id
    if services:
        where = where | Notification.service.is_in(services)
    if municipalities:
        where = where | Notification.municipality.is_in(municipalities)
    return where


def render_text(text: str, params: Any) -> str:
    """The notification's text in the current language."""
    values = json_value(params, {}) or {}
    translated = gettext(text)
    return translated % values if values else translated


async def list_for(actor: Principal, *, unread_only: bool = False) -> list[NotificationOut]:
    query = (
        Notification.select()
        .where(_recipient_filter(actor))
        .order_by(Notification.id, ascending=False)
        .limit(200)
    )
    if unread_only:
        query = query.where(Notification.read_at.is_null())
    return [
        NotificationOut(
            id=r["id"],
            kind=r["kind"],
            text=render_text(r["text"], r["params"]),
            link=r["link"],
            created_at=r["created_at"],
            read=r["read_at"] is not None,
        )
        for r in await query
    ]


async def mark_read(actor: Principal, notification_id: int) -> None:
    updated = (
        await Notification.update({Notification.read_at: dt.datetime.now(dt.UTC)})
        .where(Notification.id == notification_id, _recipient_filter(actor))
        .returning(Notification.id)
    )
    if not updated:
        raise NotFound(N_("We could not find the notification."))


@get(
    "/api/notifications",
    guards=[requires_authenticated],
    operation_id="ListNotifications",
    tags=["notifications"],
    summary="The caller's notifications (their own, their services' and municipalities')",
)
async def list_notifications(
    actor: NamedDependency[Principal], unread: FromQuery[bool] = False
) -> list[NotificationOut]:
    return await list_for(actor, unread_only=unread)


@post(
    "/api/notifications/{notification_id:int}/read",
    guards=[requires_authenticated],
    operation_id="MarkNotificationRead",
    tags=["notifications"],
    status_code=HTTP_204_NO_CONTENT,
    summary="Mark a notification as read",
)
async def read_notification(
    actor: NamedDependency[Principal], notification_id: FromPath[int]
) -> None:
    await mark_read(actor, notification_id)


ROUTE_HANDLERS = [list_notifications, read_notification]
