"""The number of the caller's tasks in the page header (a badge on "My tasks").

Every HTML page of a signed-in user shows it, so it must stay cheap: a middleware opens the
request's task cache (klynge.tasks.request_cache) and remembers who is calling; after the
handler, a hook adds `task_count` to the context of a page (a Template response) only. The
count reuses the list when the page computed it already ("My tasks"); other pages ask each
provider's count (in SQL where the app declares one, `App.task_counts`), never building the list.
API calls, redirects, files and anonymous visits cost nothing.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.response import Response, Template

from klynge import tasks
from klynge.auth.principal import Principal

if TYPE_CHECKING:
    from litestar.types import ASGIApp, Receive, Scope, Send

# Who is calling in the current request (None: anonymous or outside a request).
_caller: ContextVar[Principal | None] = ContextVar("klynge_task_caller", default=None)


class TaskCountMiddleware(ASGIMiddleware):
    """Per HTTP request: a fresh task cache, and the caller for the header's count. Runs after
    the AuthMiddleware, which sets scope["user"]."""

    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        user = scope.get("user")
        token = _caller.set(user if isinstance(user, Principal) else None)
        try:
            with tasks.request_cache():
                await next_app(scope, receive, send)
        finally:
            _caller.reset(token)


async def add_task_count(response: Response[Any]) -> Response[Any]:
    """The after-request hook: a page for a signed-in user gets `task_count` in its context."""
    actor = _caller.get()
    if actor is None or not isinstance(response, Template):
        return response
    if "task_count" not in response.context:
        response.context["task_count"] = await tasks.task_count(actor)
    return response
