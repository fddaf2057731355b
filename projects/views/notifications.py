"""The caller's notifications (their own, their services' and municipalities'), with
"mark as read"."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from klynge import notifications
from klynge.auth.guards import requires_authenticated
from klynge.auth.principal import Principal
from klynge.views.common import notice_text, render, safe_next, see_other


@get("/varsler", guards=[requires_authenticated], include_in_schema=False, name="notifications")
async def notifications_page(
    request: Request[Any, Any, Any], actor: NamedDependency[Principal]
) -> Template:
    items = await notifications.list_for(actor)
    return render(
        "projects/notifications.html",
        items=items,
        unread=sum(1 for n in items if not n.read),
        # A notification's link is written by our own code, but the page treats it as untrusted.
        links={n.id: safe_next(n.link, default="") for n in items if n.link},
        notice=notice_text(request.query_params.get("notice")),
    )


@post(
    "/varsler/{notification_id:int}/lest",
    guards=[requires_authenticated],
    include_in_schema=False,
    name="notification_read",
)
async def notification_read(
    actor: NamedDependency[Principal], notification_id: FromPath[int]
) -> Redirect:
    await notifications.mark_read(actor, notification_id)
    return see_other("/varsler", notice="projects.notification-read")


HANDLERS = [notifications_page, notification_read]
