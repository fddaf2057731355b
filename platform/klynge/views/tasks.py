"""The "My tasks" page: the caller's task list from every app (klynge.tasks)."""

from __future__ import annotations

from litestar import get
from litestar.di import NamedDependency
from litestar.response import Template

from klynge import tasks
from klynge.auth.guards import requires_authenticated
from klynge.auth.principal import Principal
from klynge.views.common import render


@get("/oppgaver", guards=[requires_authenticated], include_in_schema=False, name="my_tasks")
async def my_tasks_page(actor: NamedDependency[Principal]) -> Template:
    return render("core/tasks.html", tasks=await tasks.my_tasks(actor))


HANDLERS = [my_tasks_page]
