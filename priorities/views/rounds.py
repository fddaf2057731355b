"""Prioritisation rounds in the browser: set up a round, score blind, follow progress, close,
read the results (table, chart, per group), record decisions, and the public priority list."""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, URLEncodedBody
from litestar.response import Redirect, Template

from klynge.auth.guards import PUBLIC, requires_authenticated, requires_role
from klynge.auth.principal import Principal
from klynge.auth.roles import Role
from klynge.errors import DomainError, FieldError, Invalid, NotFound
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
    "weights",
    "weighting",
    "deadline",
    "pseudonymise",
    "publish_public",
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
        body = parse(
            s.RoundCreate,
            _round_body(data),
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


# --- the round: progress, close, results, decisions ------------------------------------------


def _bars(items: list[s.RankingItem]) -> dict[str, Any]:
    """Geometry of the chart: one group of horizontal bars (0-100) per need."""
    row, gap, left, width = 14, 10, 0, 100
    criteria = scoring.ALL_CRITERIA
    groups = []
    y = 0
    for item in items:
        bars = []
        for index, criterion in enumerate(criteria):
            value = item.criteria.get(criterion)
            bars.append(
                {
                    "criterion": criterion,
                    "index": index,
                    "y": y + index * row,
                    "value": value,
                    "length": round(max(0.0, min(100.0, value or 0.0)) * width / 100, 1),
                }
            )
        groups.append({"item": item, "y": y, "bars": bars, "height": len(criteria) * row})
        y += len(criteria) * row + gap
    return {"groups": groups, "height": max(y, 1), "left": left, "row": row}


def _group_tables(items: list[s.RankingItem]) -> list[tuple[str, list[dict[str, Any]]]]:
    keys: list[str] = []
    for item in items:
        for key in item.group_scores:
            if key not in keys:
                keys.append(key)
    return [
        (
            key,
            [
                {"item": item, "scores": item.group_scores.get(key, {})}
                for item in items
                if key in item.group_scores
            ],
        )
        for key in keys
    ]


async def _round_page(
    actor: Principal,
    round_id: int,
    *,
    failed: Form | None = None,
    notice: str = "",
    status: int = 200,
) -> Template:
    view = await round_pages.round_view(actor, round_id, c.GROUP_LABELS)
    ranking = view.ranking
    forms: dict[str, Form] = {}
    if ranking is not None and view.manager:
        for item in ranking.items:
            key = f"decision-{item.need_id}"
            values = {
                k: str(v)
                for k, v in view.decisions.get(item.need_id, {}).items()
                if k in DECISION_FIELDS
            }
            forms[key] = Form(key, DECISION_FIELDS, values=values)
    if failed is not None:
        forms[failed.id] = failed
    return render(
        "priorities/round.html",
        round=view.round,
        ranking=ranking,
        chart=_bars(ranking.items) if ranking else None,
        group_tables=_group_tables(ranking.items) if ranking else [],
        group_names=view.group_names,
        manager=view.manager,
        forms=forms,
        failed=failed,
        notice=notice,
        municipality_names=view.municipality_names,
        cluster_name=view.cluster_name,
        criteria=scoring.ALL_CRITERIA,
        here=f"/runder/{round_id}",
        status=status,
        **c.labels(),
    )


@get("/runder/{round_id:int}", guards=[ROUND_MEMBER], include_in_schema=False, name="round")
async def round_page(
    request: Request[Any, Any, Any], actor: NamedDependency[Principal], round_id: FromPath[int]
) -> Template:
    return await _round_page(
        actor, round_id, notice=notice_text(request.query_params.get("notice"))
    )


@post("/runder/{round_id:int}/lukk", guards=[ADVISERS], include_in_schema=False, name="round_close")
async def round_close(actor: NamedDependency[Principal], round_id: FromPath[int]) -> Redirect:
    await rounds.close_round(actor, round_id)
    return see_other(f"/runder/{round_id}", notice="priorities.round-closed", fragment="resultater")


@post(
    "/runder/{round_id:int}/beslutninger",
    guards=[ADVISERS],
    include_in_schema=False,
    name="round_decide",
)
async def round_decide(
    actor: NamedDependency[Principal],
    round_id: FromPath[int],
    data: URLEncodedBody[dict[str, Any]],
) -> Template | Redirect:
    need_id = c.int_or_none(data.get("need_id"))
    if need_id is None:
        raise NotFound()
    form = Form(f"decision-{need_id}", DECISION_FIELDS, values=form_values(data))
    try:
        body = parse(
            s.DecisionIn,
            {"need_id": need_id, **{k: text(data, k) for k in DECISION_FIELDS if k in data}},
            {
                "decision": N_("Choose the decision."),
                "justification": N_("Write the justification for the decision."),
            },
        )
        await decisions.record_decision(actor, round_id, body)
    except DomainError as exc:
        if not form_failed(exc):
            raise
        return await _round_page(actor, round_id, failed=form.fail(exc), status=exc.status)
    return see_other(
        f"/runder/{round_id}", notice="priorities.decision-saved", fragment=f"behov-{need_id}"
    )


@post(
    "/runder/{round_id:int}/eksport",
    guards=[ADVISERS],
    include_in_schema=False,
    name="round_export",
)
async def round_export(
    actor: NamedDependency[Principal], round_id: FromPath[int]
) -> Response[bytes]:
    """The closed round as a workbook (a POST form: a download is not a page)."""
    from priorities.controllers import _xlsx

    filename, content = await round_pages.export_for_page(actor, round_id)
    return _xlsx(filename, content)


# --- scoring ---------------------------------------------------------------------------------


async def _scoring_page(
    actor: Principal, round_id: int, *, failed: Form | None = None, status: int = 200, notice=""
) -> Template | Redirect:
    sheet = await round_pages.scoring_sheet(actor, round_id)
    if sheet is None:
        return see_other(f"/runder/{round_id}", notice="priorities.not-rater")
    form = failed or Form("scores", ())
    return render(
        "priorities/scoring.html",
        round=sheet.round,
        items=sheet.items,
        mine=sheet.mine,
        form=form,
        failed=failed,
        notice=notice,
        criteria=scoring.CRITERIA,
        here=f"/runder/{round_id}/skaar",
        status=status,
        **c.labels(),
    )


@get(
    "/runder/{round_id:int}/skaar",
    guards=[ROUND_MEMBER],
    include_in_schema=False,
    name="round_scoring",
)
async def scoring_page(
    request: Request[Any, Any, Any], actor: NamedDependency[Principal], round_id: FromPath[int]
) -> Template | Redirect:
    return await _scoring_page(
        actor, round_id, notice=notice_text(request.query_params.get("notice"))
    )


def _answer(data: dict[str, Any], name: str) -> int | None:
    value = text(data, name)
    return int(value) if value.isdigit() and int(value) <= 5 else None


@post(
    "/runder/{round_id:int}/skaar",
    guards=[requires_authenticated],
    include_in_schema=False,
    name="round_scores_form",
)
async def scores_form(
    actor: NamedDependency[Principal],
    round_id: FromPath[int],
    data: URLEncodedBody[dict[str, Any]],
) -> Template | Redirect:
    """The no-JavaScript way: every need's answers in one form."""
    form = Form("scores", (), values=form_values(data))
    finished = text(data, "action") == "finish"
    try:
        scores = [
            s.ScoreIn(
                need_id=need_id,
                nytte=_answer(data, f"n{need_id}-nytte"),
                alvorlighet=_answer(data, f"n{need_id}-alvorlighet"),
                ressurs=_answer(data, f"n{need_id}-ressurs"),
                comment=text(data, f"n{need_id}-comment"),
            )
            for need_id in c.int_list(data.get("need_ids", []))
        ]
        await rounds.put_scores(actor, round_id, s.ScoresIn(scores=scores, finished=finished))
    except DomainError as exc:
        if not form_failed(exc):
            raise
        return await _scoring_page(actor, round_id, failed=form.fail(exc), status=exc.status)
    return see_other(
        f"/runder/{round_id}/skaar",
        notice="priorities.scores-finished" if finished else "priorities.scores-saved",
    )


@post(
    "/runder/{round_id:int}/skaar/lagre",
    guards=[requires_authenticated],
    include_in_schema=False,
    name="round_scores_save",
)
async def scores_save(
    actor: NamedDependency[Principal], round_id: FromPath[int], data: JSONBody[s.ScoresIn]
) -> s.ScoresOut:
    """Save as you go: the scoring page's script sends the fieldset that changed. The
    finished mark is kept as it was unless the script says otherwise."""
    return await round_pages.save_as_you_go(actor, round_id, data)


# --- the public priority list ----------------------------------------------------------------


@get(
    "/prioriteringer/{round_id:int}",
    opt=PUBLIC,
    include_in_schema=False,
    name="public_ranking_page",
)
async def public_ranking_page(round_id: FromPath[int]) -> Template:
    ranking = await rounds.ranking(None, round_id, public=True)
    return render("priorities/public_ranking.html", ranking=ranking, **c.labels())


HANDLERS = [
    rounds_page,
    round_new,
    round_create,
    round_page,
    round_close,
    round_decide,
    round_export,
    scoring_page,
    scores_form,
    scores_save,
    public_ranking_page,
]
