"""PDSA in the browser: the project's PDSA page (the section on its own, where a failed form is
shown again), and the forms that plan cycles, fill their phases, add measures and values."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import msgspec
from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, URLEncodedBody
from litestar.response import Redirect, Template

from klynge.auth.guards import requires_authenticated
from klynge.auth.principal import Principal
from klynge.errors import DomainError, NotFound
from klynge.i18n import N_
from klynge.views.common import Form, form_failed, form_values, notice_text, parse, render
from klynge.views.common import see_other as _see_other
from klynge.views.common import text as field_text
from projects.workspace import pdsa, pdsa_measures
from projects.workspace import pdsa_forms as forms
from projects.workspace import pdsa_schemas as s

MESSAGES = {
    "title": N_("Write at most 200 characters."),
    "started_on": N_("Write the date as YYYY-MM-DD."),
    "ended_on": N_("Write the date as YYYY-MM-DD."),
    "measured_on": N_("Write the date as YYYY-MM-DD."),
    "decision": N_("Choose a decision."),
    "name": N_("Write the name of the measure."),
    "kind": N_("Choose from the list."),
    "better": N_("Choose from the list."),
    "baseline": N_("Write a number, for example 12.5."),
    "value": N_("Write a number, for example 12.5."),
    "cycle_id": N_("Choose from the list."),
    "lines": N_("Paste at least one line."),
    "measure_ids": N_("Choose measures of this project."),
}

TEXT_FIELDS = frozenset(
    {"title", "change_idea", "prediction", "done_what", "study", "learned", "decision", "next_test"}
)

NUMBERS = frozenset({"baseline", "value"})

Action = Callable[[], Awaitable[Any]]


def _body(data: Mapping[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    body: dict[str, Any] = {}
    for name in fields:
        if name == "measure_ids":
            raw = data.get(name, [])
            items = raw if isinstance(raw, list) else [raw]
            body[name] = [int(i) for i in items if isinstance(i, str) and i.isdigit()]
        else:
            body[name] = field_text(data, name, strip=name not in ("lines",))
    for name in NUMBERS & body.keys():  # "12,5" and "1 200" as people write them
        body[name] = body[name].replace(",", ".").replace(" ", "").replace("\u00a0", "")
    return body


def _back(project_id: int, anchor: str, notice: str) -> Redirect:
    return _see_other(f"/prosjekter/{project_id}", notice=notice, fragment=anchor)


async def _page(
    actor: Principal, project_id: int, failed: Form | None = None, notice: str = ""
) -> Template:
    title, section = await pdsa.page(actor, project_id, failed)
    return render(
        "projects/workspace/pdsa_page.html",
        project_title=title,
        project_id=project_id,
        section=section,
        failed=failed,
        notice=notice,
        status=422 if failed is not None else 200,
    )


async def _run(
    actor: Principal,
    project_id: int,
    form: Form,
    action: Callable[[], Awaitable[Any]],
    anchor: str,
    notice: str,
) -> Template | Redirect:
    try:
        await action()
    except DomainError as exc:
        if not form_failed(exc):
            raise
        page = await _page(actor, project_id, form.fail(exc))
        page.status_code = exc.status
        return page
    return _back(project_id, anchor, notice)


@get(
    "/prosjekter/{project_id:int}/pdsa",
    guards=[requires_authenticated],
    include_in_schema=False,
    name="project_pdsa",
)
async def pdsa_page(
    request: Request[Any, Any, Any], actor: NamedDependency[Principal], project_id: FromPath[int]
) -> Template:
    return await _page(actor, project_id, notice=notice_text(request.query_params.get("notice")))


@post(
    "/prosjekter/{project_id:int}/pdsa/sykluser",
    guards=[requires_authenticated],
    include_in_schema=False,
    name="pdsa_cycle_create",
)
async def cycle_create(
    actor: NamedDependency[Principal],
    project_id: FromPath[int],
    data: URLEncodedBody[dict[str, Any]],
) -> Template | Redirect:
    form = Form("pdsa-new", forms.NEW_CYCLE, values=form_values(data))

    async def action() -> s.CycleOut:
        body = parse(s.CycleCreate, _body(data, forms.NEW_CYCLE), MESSAGES)
        return await pdsa.create_cycle(actor, project_id, body)

    return await _run(actor, project_id, form, action, "pdsa", "projects.pdsa-cycle-created")


@post(
    "/prosjekter/{project_id:int}/pdsa/sykluser/{cycle_id:int}/{phase:str}",
    guards=[requires_authenticated],
    include_in_schema=False,
    name="pdsa_cycle_phase",
)
async def cycle_phase(
    actor: NamedDependency[Principal],
    project_id: FromPath[int],
    cycle_id: FromPath[int],
    phase: FromPath[str],
    data: URLEncodedBody[dict[str, Any]],
) -> Template | Redirect:
    """One phase's form (plan, do, study, act), or "neste": start the next cycle."""
    anchor = f"pdsa-syklus-{cycle_id}"
    if phase == "neste":
        form = Form(forms.cycle_form_id(cycle_id, "act"), forms.PHASE_FIELDS["act"])
        action: Action = lambda: pdsa.start_next_cycle(actor, project_id, cycle_id)  # noqa: E731
        return await _run(actor, project_id, form, action, "pdsa", "projects.pdsa-cycle-created")
    fields = forms.PHASE_FIELDS.get(phase)
    if fields is None:
        raise NotFound()
    form = Form(forms.cycle_form_id(cycle_id, phase), fields, values=form_values(data))
    body = _body(data, fields)
    # An emptied text field (or "not decided") clears it; `parse` would keep the saved value.
    cleared = {k: "" for k in fields if k in TEXT_FIELDS and not body.get(k)}

    async def update() -> s.CycleOut:
        parsed = msgspec.structs.replace(parse(s.CycleUpdate, body, MESSAGES), **cleared)
        return await pdsa.update_cycle(actor, project_id, cycle_id, parsed)

    return await _run(actor, project_id, form, update, anchor, "projects.pdsa-cycle-saved")


@post(
    "/prosjekter/{project_id:int}/pdsa/malinger",
    guards=[requires_authenticated],
    include_in_schema=False,
    name="pdsa_measure_create",
)
async def measure_create(
    actor: NamedDependency[Principal],
    project_id: FromPath[int],
    data: URLEncodedBody[dict[str, Any]],
) -> Template | Redirect:
    form = Form("pdsa-measure", forms.MEASURE, values=form_values(data))

    async def action() -> s.MeasureOut:
        body = parse(s.MeasureCreate, _body(data, forms.MEASURE), MESSAGES)
        return await pdsa_measures.create_measure(actor, project_id, body)

    return await _run(
        actor, project_id, form, action, "pdsa-malinger", "projects.pdsa-measure-created"
    )


@post(
    "/prosjekter/{project_id:int}/pdsa/malinger/{measure_id:int}/verdier",
    guards=[requires_authenticated],
    include_in_schema=False,
    name="pdsa_value_add",
)
async def value_add(
    actor: NamedDependency[Principal],
    project_id: FromPath[int],
    measure_id: FromPath[int],
    data: URLEncodedBody[dict[str, Any]],
) -> Template | Redirect:
    form = Form(forms.value_form_id(measure_id), forms.VALUE, values=form_values(data))

    async def action() -> s.MeasureOut:
        body = parse(s.ValueIn, _body(data, forms.VALUE), MESSAGES)
        return await pdsa_measures.add_value(actor, project_id, measure_id, body)

    anchor = f"pdsa-maling-{measure_id}"
    return await _run(actor, project_id, form, action, anchor, "projects.pdsa-values-added")


@post(
    "/prosjekter/{project_id:int}/pdsa/malinger/{measure_id:int}/lim-inn",
    guards=[requires_authenticated],
    include_in_schema=False,
    name="pdsa_values_paste",
)
async def values_paste(
    actor: NamedDependency[Principal],
    project_id: FromPath[int],
    measure_id: FromPath[int],
    data: URLEncodedBody[dict[str, Any]],
) -> Template | Redirect:
    form = Form(forms.paste_form_id(measure_id), forms.PASTE, values=form_values(data))

    async def action() -> s.MeasureOut:
        body = parse(s.ValuesPaste, _body(data, forms.PASTE), MESSAGES)
        return await pdsa_measures.paste_values(actor, project_id, measure_id, body)

    anchor = f"pdsa-maling-{measure_id}"
    return await _run(actor, project_id, form, action, anchor, "projects.pdsa-values-added")


HANDLERS = [pdsa_page, cycle_create, cycle_phase, measure_create, value_add, values_paste]
