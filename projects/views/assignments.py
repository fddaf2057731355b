"""A closed round's assignment in the browser: the form (candidates per need, the weak
threshold, pins and forbids), the run as a job with its progress bar, and the result table:
candidates per need in rank order, weak ones marked, the weakest need, alternates with their
reason, and each group's load against its capacity."""

from __future__ import annotations

from typing import Any

from litestar import get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, URLEncodedBody
from litestar.response import Redirect, Template

from klynge.auth.principal import Principal
from klynge.errors import DomainError
from klynge.i18n import gettext as _
from klynge.jobs import runner
from klynge.views.common import Form, form_failed, form_values, parse, render, see_other, text
from priorities import api as priorities
from projects import assignment_pages as pages
from projects import assignments
from projects import schemas as s
from projects.views import common as c

ASSIGN_FIELDS = ("k", "weak_threshold", "forbids")


async def _round_page(
    actor: Principal, round_id: int, *, failed: Form | None = None, status: int = 200
) -> Template:
    out = await priorities.round_out(actor, round_id)
    runs = await assignments.list_assignments(actor, round_id)
    last = runs[0] if runs else None
    needs, options = await pages.round_choices(round_id)
    values: dict[str, Any] = {"k": "2", "weak_threshold": "0.2"}
    if last is not None:
        values = {"k": str(last.k), "weak_threshold": str(last.weak_threshold)}
        for need_id, group_id in last.pins:
            values.setdefault(f"pin-{need_id}", str(group_id))
        for need_id, group_id in last.forbids:
            values.setdefault(f"forbid-{need_id}", str(group_id))
    fields = ASSIGN_FIELDS + tuple(f"{kind}-{n}" for n, _t in needs for kind in ("pin", "forbid"))
    form = failed or Form("assign", fields, values=values)
    return render(
        "projects/assignment_round.html",
        round=out,
        runs=runs,
        last=last,
        table=await pages.result_table(last) if last and last.status == "done" else None,
        job=await c.job_or_none(actor, last.job_id) if last else None,
        needs=needs,
        group_options=options,
        manager=c.manages(actor, out.cluster_id),
        form=form,
        failed=failed,
        here=f"/runder/{round_id}/fordeling",
        status=status,
        **c.labels(),
    )


@get(
    "/runder/{round_id:int}/fordeling",
    guards=[c.ADVISERS],
    include_in_schema=False,
    name="round_assignment",
)
async def assignment_round_page(
    actor: NamedDependency[Principal], round_id: FromPath[int]
) -> Template:
    return await _round_page(actor, round_id)


def _pairs(data: dict[str, Any], kind: str) -> list[list[int]]:
    out = []
    for key in data:
        if key.startswith(f"{kind}-"):
            need_id = c.int_or_none(key.split("-", 1)[1])
            group_id = c.int_or_none(text(data, key))
            if need_id is not None and group_id is not None:
                out.append([need_id, group_id])
    return sorted(out)


@post(
    "/runder/{round_id:int}/fordeling",
    guards=[c.ADVISERS],
    include_in_schema=False,
    name="round_assignment_run",
)
async def assignment_run(
    actor: NamedDependency[Principal],
    dispatcher: NamedDependency[runner.Dispatcher],
    round_id: FromPath[int],
    data: URLEncodedBody[dict[str, Any]],
) -> Template | Redirect:
    needs, _options = await pages.round_choices(round_id)
    fields = ASSIGN_FIELDS + tuple(f"{kind}-{n}" for n, _t in needs for kind in ("pin", "forbid"))
    form = Form("assign", fields, values=form_values(data))
    body = {
        "k": text(data, "k"),
        "weak_threshold": text(data, "weak_threshold").replace(",", "."),
        "pins": _pairs(data, "pin"),
        "forbids": _pairs(data, "forbid"),
    }
    messages = {
        "k": _("Write a whole number from 1 to 10."),
        "weak_threshold": _("Write a number between 0 and 1, for example 0.2."),
    }
    try:
        out = await assignments.start_assignment(
            actor, dispatcher, round_id, parse(s.AssignmentIn, body, messages)
        )
    except DomainError as exc:
        if not form_failed(exc):
            raise
        return await _round_page(actor, round_id, failed=form.fail(exc), status=exc.status)
    return see_other(f"/fordelinger/{out.id}", fragment="resultat")


@get(
    "/fordelinger/{assignment_id:int}",
    guards=[c.ADVISERS],
    include_in_schema=False,
    name="assignment",
)
async def assignment_page(
    actor: NamedDependency[Principal], assignment_id: FromPath[int]
) -> Template:
    out = await assignments.get_assignment(actor, assignment_id)
    round_out = await priorities.round_out(actor, out.round_id)
    return render(
        "projects/assignment.html",
        item=out,
        round=round_out,
        table=await pages.result_table(out) if out.status == "done" else None,
        job=await c.job_or_none(actor, out.job_id),
        **c.labels(),
    )


HANDLERS = [assignment_round_page, assignment_run, assignment_page]
