"""Prioritisation rounds in the browser: the list, and setting up a round (the round's page is
in round_page, scoring and the public priority list in scoring)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.params import URLEncodedBody
from litestar.response import Redirect, Template

from klynge.auth.guards import requires_authenticated, requires_role
from klynge.auth.principal import Principal
from klynge.auth.roles import Role
from klynge.errors import DomainError, FieldError, Invalid
from klynge.i18n import N_
from klynge.views.common import (
    Form,
    form_failed,
    form_values,
    notice_text,
    parse,
    render,
    see_other,
    text,
)
from priorities import decisions, round_pages, rounds, scoring
from priorities import schemas as s
from priorities.views import common as c

ADVISERS = requires_role(Role.ADVISER)
ROUND_MEMBER = c.requires_cluster_member("round")
ROUND_FIELDS = (
    "cluster_id",
    "name",
    "need_ids",
    "raters",
    "extra_raters",
    "weights",
    "weighting",
    "deadline",
    "pseudonymise",
    "publish_public",
    "confirm_warnings",
)
DECISION_FIELDS = ("decision", *decisions.DECISION_TEXT)


# --- list and setup --------------------------------------------------------------------------


@get("/runder", guards=[requires_authenticated], include_in_schema=False, name="rounds")
async def rounds_page(
    request: Request[Any, Any, Any], actor: NamedDependency[Principal]
) -> Template:
    index = await round_pages.rounds_index(actor)
    return render(
        "priorities/rounds.html",
        items=index.items,
        cluster_names=index.cluster_names,
        may_create=index.may_create,
        notice=notice_text(request.query_params.get("notice")),
    )


async def _setup_page(
    actor: Principal, form: Form, cluster_id: int | None, status: int = 200
) -> Template:
    setup = await round_pages.round_setup(actor, cluster_id)
    return render(
        "priorities/round_new.html",
        form=form,
        failed=form if form.failed else None,
        clusters=setup.clusters,
        cluster_id=setup.cluster_id,
        roundable=setup.roundable,
        candidates=setup.candidates,
        municipalities=setup.municipalities,
        criteria=scoring.ALL_CRITERIA,
        here="/runder/ny",
        status=status,
        **c.labels(),
    )


@get("/runder/ny", guards=[ADVISERS], include_in_schema=False, name="round_new")
async def round_new(request: Request[Any, Any, Any], actor: NamedDependency[Principal]) -> Template:
    form = Form(
        "round",
        ROUND_FIELDS,
        values={"weighting": "group", "pseudonymise": "1", "need_ids": [], "raters": []},
    )
    for criterion in scoring.ALL_CRITERIA:
        form.values[f"weight_{criterion}"] = "1"
    return await _setup_page(actor, form, c.int_or_none(request.query_params.get("cluster_id")))


def _round_body(data: dict[str, Any]) -> dict[str, Any]:
    raters = []
    for account_id in c.int_list(data.get("raters", [])):
        group = text(data, f"group_{account_id}")
        muni = c.int_or_none(data.get(f"municipality_{account_id}"))
        raters.append({"account_id": account_id, "group": group, "municipality_id": muni})
    weights: dict[str, Any] = {}
    errors = []
    for criterion in scoring.ALL_CRITERIA:
        raw = text(data, f"weight_{criterion}").replace(",", ".")
        if not raw:
            continue
        try:
            weights[criterion] = float(raw)
        except ValueError:
            errors.append(FieldError("weights", N_("Weights are numbers from 0 to 100.")))
    deadline = None
    raw_deadline = text(data, "deadline")
    if raw_deadline:
        try:
            day = dt.date.fromisoformat(raw_deadline)
            deadline = dt.datetime.combine(day, dt.time(23, 59), tzinfo=dt.UTC)
        except ValueError:
            errors.append(FieldError("deadline", N_("Write the date as YYYY-MM-DD.")))
    if errors:
        raise Invalid(N_("Some fields need attention."), errors)
    body: dict[str, Any] = {
        "cluster_id": text(data, "cluster_id"),
        "name": text(data, "name"),
        "need_ids": c.int_list(data.get("need_ids", [])),
        "raters": raters,
        "weights": weights,
        "weighting": text(data, "weighting") or "group",
        "pseudonymise": "pseudonymise" in data,
        "publish_public": "publish_public" in data,
        "confirm_warnings": "confirm_warnings" in data,
    }
    if deadline:
        body["deadline"] = deadline
    for key in ("need_ids", "raters"):
        if not body[key]:
            del body[key]
    return body


@post("/runder/ny", guards=[ADVISERS], include_in_schema=False, name="round_create")
async def round_create(
    actor: NamedDependency[Principal], data: URLEncodedBody[dict[str, Any]]
) -> Template | Redirect:
    form = Form("round", ROUND_FIELDS, values=form_values(data))
    try:
        raw = _round_body(data)
        chosen = {r["account_id"] for r in raw.get("raters", [])}
        extra = await round_pages.extra_raters(text(data, "extra_raters"))
        raw["raters"] = raw.get("raters", []) + [r for r in extra if r["account_id"] not in chosen]
        if not raw["raters"]:
            del raw["raters"]
        body = parse(
            s.RoundCreate,
            raw,
            {
                "cluster_id": N_("Choose the cluster."),
                "name": N_("Give the round a name of at most 200 characters."),
                "need_ids": N_("Choose at least one submitted need."),
                "raters": N_("Choose at least one person for the panel, with a group."),
                "weights": N_("Weights are numbers from 0 to 100."),
                "weighting": N_("Choose how the votes are weighed."),
                "deadline": N_("Write the date as YYYY-MM-DD."),
            },
        )
        out = await rounds.create_round(actor, body)
    except DomainError as exc:
        if not form_failed(exc):
            raise
        return await _setup_page(
            actor, form.fail(exc), c.int_or_none(data.get("cluster_id")), status=exc.status
        )
    return see_other(f"/runder/{out.id}", notice="priorities.round-created")


HANDLERS = [
    rounds_page,
    round_new,
    round_create,
]
