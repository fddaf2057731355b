"""The caller's task list: what is waiting for this person now, computed from the state of the
platform each time (never stored to-dos that go stale). Each app contributes a provider
(`App.tasks`: "module:function", an async (actor) -> list[Task]); the core gathers them for the
"My tasks" page, the count in the page header and `GET /api/me/tasks`; an app may give a
provider a count in SQL (`App.task_counts`) so that the header's count does not build the list.

One provider pass per request: within an HTTP request (klynge.task_count opens a cache for each)
the list is computed once per account and shared by the page, its header badge and the API."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import msgspec
from litestar import get
from litestar.di import NamedDependency

from klynge import apps
from klynge.auth.guards import requires_authenticated
from klynge.auth.principal import Principal
from klynge.i18n import gettext


class Task(msgspec.Struct, frozen=True):
    """One thing to do. `label` is an English msgid (N_) with %(name)s params, translated where
    it is shown; `subject` is the thing's own name (a need's or an outcome's title)."""

    kind: str  # "<app>.<what>", e.g. "projects.delivery"
    label: str
    subject: str
    link: str
    due: dt.date | None = None
    params: dict[str, str] = msgspec.field(default_factory=dict)


class TaskOut(msgspec.Struct):
    kind: str
    text: str
    subject: str
    link: str
    due: dt.date | None
    overdue: bool


Provider = Callable[[Principal], Awaitable[Sequence[Task]]]
Counter = Callable[[Principal], Awaitable[int]]


def providers() -> list[Provider]:
    return [apps.resolve(ref) for app in apps.installed() for ref in app.tasks]


def _length_of(provider: Provider) -> Counter:
    async def count(actor: Principal) -> int:
        return len(await provider(actor))

    return count


def counters() -> list[Counter]:
    """One count per provider: the app's SQL count where it declares one, else the length of
    the provider's list."""
    return [
        apps.resolve(app.task_counts[ref])
        if ref in app.task_counts
        else _length_of(apps.resolve(ref))
        for app in apps.installed()
        for ref in app.tasks
    ]


def order(tasks: Sequence[Task]) -> list[Task]:
    """Soonest due first, undated after, then by subject. Pure."""
    return sorted(tasks, key=lambda t: (t.due is None, t.due or dt.date.max, t.subject, t.link))


# The current request's task lists by account id; None outside a request (jobs, the CLI).
_request_cache: ContextVar[dict[int, list[Task]] | None] = ContextVar(
    "klynge_request_tasks", default=None
)


@contextmanager
def request_cache() -> Iterator[None]:
    """Within the block, each account's task list is computed at most once."""
    token = _request_cache.set({})
    try:
        yield
    finally:
        _request_cache.reset(token)


async def tasks_for(actor: Principal) -> list[Task]:
    cache = _request_cache.get()
    if cache is not None and actor.account_id in cache:
        return list(cache[actor.account_id])
    found: list[Task] = []
    for provider in providers():
        found.extend(await provider(actor))
    ordered = order(found)
    if cache is not None:
        cache[actor.account_id] = ordered
    return list(ordered)


async def task_count(actor: Principal) -> int:
    """len(tasks_for(actor)): the list's length when this request built it already, else the
    providers' counts (the header of every page: counted in SQL, the list is not built)."""
    cache = _request_cache.get()
    if cache is not None and actor.account_id in cache:
        return len(cache[actor.account_id])
    return sum([await count(actor) for count in counters()])


def present(task: Task, today: dt.date) -> TaskOut:
    """The task in the request's language."""
    text = gettext(task.label) % task.params if task.params else gettext(task.label)
    overdue = task.due is not None and task.due < today
    return TaskOut(task.kind, text, task.subject, task.link, task.due, overdue)


async def my_tasks(actor: Principal) -> list[TaskOut]:
    today = dt.datetime.now(dt.UTC).date()
    return [present(t, today) for t in await tasks_for(actor)]


@get(
    "/api/me/tasks",
    guards=[requires_authenticated],
    operation_id="ListMyTasks",
    tags=["tasks"],
    summary="What is waiting for the caller now, soonest due first",
)
async def list_my_tasks(actor: NamedDependency[Principal]) -> list[TaskOut]:
    return await my_tasks(actor)


ROUTE_HANDLERS: list[Any] = [list_my_tasks]
