"""Jobs a request queued deep inside a use case, with no dispatcher at hand (the mail sender
that `notify` queues), are handed over when the request has ended — after its transaction
committed — instead of waiting for the next sweep (KLYNGE_JOB_SWEEP_SECONDS)."""

from __future__ import annotations

import uuid
from contextvars import ContextVar

from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send

from klynge.jobs.runner import Dispatcher

_PENDING: ContextVar[list[uuid.UUID] | None] = ContextVar("klynge_jobs_pending", default=None)


def dispatch_when_request_ends(job_id: uuid.UUID) -> None:
    """Hand the job over once the current request is done (outside a request: the sweeper's)."""
    pending = _PENDING.get()
    if pending is not None and job_id not in pending:
        pending.append(job_id)


class DispatchAtRequestEnd(ASGIMiddleware):
    """Collects the request's deferred jobs and dispatches them after the response. A job
    whose row was rolled back is simply not found by the runner; one that cannot be handed
    over stays queued for the sweeper (Dispatcher.dispatch_committed)."""

    scopes = (ScopeType.HTTP,)

    def __init__(self, dispatcher: Dispatcher) -> None:
        self.dispatcher = dispatcher

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        pending: list[uuid.UUID] = []
        token = _PENDING.set(pending)
        try:
            await next_app(scope, receive, send)
        finally:
            _PENDING.reset(token)
        if pending:
            await self.dispatcher.dispatch_committed(pending)
