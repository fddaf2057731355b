"""The knowledge bank of measures (tiltak): public list and pages, "we use this measure", and
the advisers' form to add a measure."""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, URLEncodedBody
from litestar.response import Redirect, Template

from klynge.auth.guards import PUBLIC
from klynge.auth.principal import Principal
from klynge.directory import cluster_names
from klynge.errors import DomainError, FieldError, Invalid
from klynge.i18n import N_
from klynge.orgs.schemas import ServiceType
from klynge.views.common import (
    Form,
    form_failed,
    form_values,
    notice_text,
    render,
    see_other,
    text,
)
from literature import measures, people
from literature import schemas as s
from literature.views import common as c

MEASURE_FIELDS = (
    "name",
    "scale",
    "level",
    "description",
    "target_group",
    "age_from",
    "age_to",
    "service_types",
    "links",
    "reference_ids",
    "confirm_warnings",
)
ADOPT_FIELDS = ("municipality_id", "service_id", "since")
ADOPTER_ROLES = {"coordinator", "service_leader", "adviser"}


def _filters(query: Any) -> dict[str, str]:
    service_type = query.get("service_type", "")
    scale = query.get("scale", "")
    return {
        "q": query.get("q", "").strip()[:200],
        "target_group": query.get("target_group", "").strip()[:200],
        "service_type": service_type if service_type in {t.value for t in ServiceType} else "",
        "scale": scale if scale in c.SCALE_LABELS else "",
    }


@get("/tiltak", opt=PUBLIC, include_in_schema=False, name="measures")
async def measures_page(
    request: Request[Any, Any, Any], caller: NamedDependency[Principal | None]
) -> Template:
    filters = _filters(request.query_params)
    result = await measures.list_measures(caller, **filters)
    return render(
        "literature/measures.html",
        result=result,
        filters=filters,
        may_add=caller is not None and measures.may_edit(caller),
        notice=notice_text(request.query_params.get("notice")),
        **c.labels(),
    )


# --- add a measure ---------------------------------------------------------------------------


def _new_page(form: Form, *, status: int = 200) -> Template:
    return render(
        "literature/measure_new.html",
        form=form,
        failed=form if form.failed else None,
        here="/tiltak/ny",
        status=status,
        **c.labels(),
    )


@get("/tiltak/ny", guards=[c.MANAGERS], include_in_schema=False, name="measure_new")
async def measure_new() -> Template:
    return _new_page(
        Form(
            "measure", MEASURE_FIELDS, values={"scale": "ungsinn", "age_from": "0", "age_to": "24"}
        )
    )


def _links(value: str) -> tuple[list[s.LinkIn], list[FieldError]]:
    """One link a line: "title | https://…" (or just the address)."""
    links, errors = [], []
    for line in value.splitlines():
        if not line.strip():
            continue
        title, _sep, url = line.rpartition("|") if "|" in line else ("", "", line)
        url = url.strip()
        if not url.startswith(("http://", "https://")) or " " in url:
            errors.append(FieldError("links", N_("Write one link a line: title | https://…")))
            break
        links.append(s.LinkIn(title=(title.strip() or url)[:200], url=url))
    return links, errors


@post("/tiltak/ny", guards=[c.MANAGERS], include_in_schema=False, name="measure_create")
async def measure_create(
    actor: NamedDependency[Principal], data: URLEncodedBody[dict[str, Any]]
) -> Template | Redirect:
    form = Form("measure", MEASURE_FIELDS, values=form_values(data))
    try:
        errors: list[FieldError] = []
        name = text(data, "name")
        if not name or len(name) > 200:
            errors.append(
                FieldError("name", N_("Write the name of the measure, at most 200 characters."))
            )
        scale = text(data, "scale")
        if scale not in c.SCALE_LABELS:
            errors.append(FieldError("scale", N_("Choose the evidence scale.")))
        level = text(data, "level")
        if not level:
            errors.append(FieldError("level", N_("Choose the level on the scale.")))
        ages = {}
        for key, default in (("age_from", 0), ("age_to", 24)):
            value = text(data, key)
            number = c.int_or_none(value) if value else default
            if number is None or not 0 <= number <= 24:
                errors.append(FieldError(key, N_("Write an age from 0 to 24.")))
            ages[key] = number if number is not None else default
        links, link_errors = _links(text(data, "links", strip=False))
        errors += link_errors
        raw_ids = text(data, "reference_ids").replace(",", " ").split()
        if any(not v.isdigit() for v in raw_ids):
            errors.append(
                FieldError("reference_ids", N_("Write reference numbers separated by spaces."))
            )
        if errors:
            raise Invalid(N_("Some fields need attention."), errors)
        out = await measures.create_measure(
            actor,
            s.MeasureCreate(
                name=name,
                scale=s.EvidenceScale(scale),
                level=level,
                description=text(data, "description")[:10_000],
                target_group=text(data, "target_group")[:10_000],
                age_from=ages["age_from"],
                age_to=ages["age_to"],
                service_types=c.str_list(data.get("service_types", [])),
                links=links,
                reference_ids=[int(v) for v in raw_ids],
                confirm_warnings=text(data, "confirm_warnings") == "1",
            ),
        )
    except DomainError as exc:
        if not form_failed(exc):
            raise
        for problem in exc.errors:
            if problem.field.startswith("service_types."):
                problem.field = "service_types"
        return _new_page(form.fail(exc), status=exc.status)
    return see_other(f"/tiltak/{out.slug}", notice="literature.measure-created")


# --- one measure -----------------------------------------------------------------------------


async def _measure_page(
    actor: Principal | None,
    slug: str,
    *,
    failed: Form | None = None,
    notice: str = "",
    status: int = 200,
) -> Template:
    measure = await measures.get_measure(actor, int(slug) if slug.isdigit() else slug)
    may_adopt = actor is not None and (
        actor.is_admin or bool({r.value for r in actor.roles} & ADOPTER_ROLES)
    )
    munis, services = await people.adopt_choices(actor) if may_adopt and actor else ([], [])
    clusters = await cluster_names([int(k) for k in measure.adoptions_in_cluster])
    return render(
        "literature/measure.html",
        measure=measure,
        form=failed or Form("adopt", ADOPT_FIELDS),
        failed=failed,
        may_adopt=may_adopt and bool(munis),
        municipalities=munis,
        services=services,
        cluster_counts=[
            (clusters.get(int(k), k), v) for k, v in measure.adoptions_in_cluster.items()
        ],
        today=dt.date.today().isoformat(),
        notice=notice,
        here=f"/tiltak/{measure.slug}",
        status=status,
        **c.labels(),
    )


@get("/tiltak/{slug:str}", opt=PUBLIC, include_in_schema=False, name="measure")
async def measure_page(
    request: Request[Any, Any, Any], caller: NamedDependency[Principal | None], slug: FromPath[str]
) -> Template:
    return await _measure_page(caller, slug, notice=notice_text(request.query_params.get("notice")))


@post("/tiltak/{slug:str}/bruk", guards=[c.ADOPTERS], include_in_schema=False, name="measure_adopt")
async def measure_adopt(
    actor: NamedDependency[Principal], slug: FromPath[str], data: URLEncodedBody[dict[str, Any]]
) -> Template | Redirect:
    form = Form("adopt", ADOPT_FIELDS, values=form_values(data))
    try:
        measure = await measures.get_measure(actor, int(slug) if slug.isdigit() else slug)
        errors: list[FieldError] = []
        municipality_id = c.int_or_none(text(data, "municipality_id"))
        if municipality_id is None:
            errors.append(FieldError("municipality_id", N_("Choose the municipality.")))
        since = None
        if text(data, "since"):
            try:
                since = dt.date.fromisoformat(text(data, "since"))
            except ValueError:
                errors.append(FieldError("since", N_("Write the date as YYYY-MM-DD.")))
        if errors:
            raise Invalid(N_("Some fields need attention."), errors)
        assert municipality_id is not None
        await measures.add_adoption(
            actor,
            measure.id,
            s.AdoptionCreate(
                municipality_id=municipality_id,
                service_id=c.int_or_none(text(data, "service_id")),
                since=since,
            ),
        )
    except DomainError as exc:
        if not form_failed(exc):
            raise
        return await _measure_page(
            actor, slug, failed=form.fail(exc, "municipality_id"), status=exc.status
        )
    return see_other(
        f"/tiltak/{measure.slug}", notice="literature.measure-adopted", fragment="bruk"
    )


HANDLERS = [measures_page, measure_new, measure_create, measure_page, measure_adopt]
