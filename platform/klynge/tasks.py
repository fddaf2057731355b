"""The caller's task list: what is waiting for this person now, computed from the state of the
platform each time (never stored to-dos that go stale). Each app contributes a provider
(`App.tasks`: "module:function", an async (actor) -> list[Task]); the core gathers them for the
"My tasks" page and `GET /api/me/tasks`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Sequence
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


def providers() -> list[Provider]:
    return [apps.resolve(ref) for app in apps.installed() for ref in app.tasks]


def order(tasks: Sequence[Task]) -> list[Task]:
    """Soonest due first, undated after, then by subject. Pure."""
    return sorted(tasks, key=lambda t: (t.due is None, t.due or dt.date.max, t.subject, t.link))


async def tasks_for(actor: Principal) -> list[Task]:
    found: list[Task] = []
    for provider in providers():
        found.extend(await provider(actor))
    return order(found)


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
