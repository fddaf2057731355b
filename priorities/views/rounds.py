"""Prioritisation rounds in the browser: set up a round, score blind, follow progress, close,
read the results (table, chart, per group), record decisions, and the public priority list."""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, URLEncodedBody
from litestar.response import Redirect, Template

from klynge.auth import access
from klynge.auth.guards import PUBLIC, requires_authenticated, requires_role
from klynge.auth.principal import Principal
from klynge.auth.roles import Role
from klynge.auth.tables import Account, RoleAssignment
from klynge.errors import DomainError, FieldError, Invalid, NotFound
from klynge.i18n import gettext as _
from klynge.views.common import (
    N_,
    NOTICES,
    Form,
    form_failed,
    form_values,
    notice_text,
    parse,
    render,
    see_other,
    text,
)
from priorities import needs, rounds, scoring
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
DECISION_FIELDS = ("decision", *rounds.DECISION_TEXT)
NOTICES.update(
    {
        "round-created": N_("The round was opened. The panel can start scoring."),
        "round-closed": N_("The round was closed and the ranking computed."),
        "scores-saved": N_("Your scores were saved."),
        "scores-finished": N_("Your scores were saved and you are marked as finished."),
        "decision-saved": N_("The decision was recorded."),
        "not-rater": N_("You are not on this round's panel."),
    }
)


# --- list and setup --------------------------------------------------------------------------


@get("/runder", guards=[requires_authenticated], include_in_schema=False, name="rounds")
async def rounds_page(
    request: Request[Any, Any, Any], actor: NamedDependency[Principal]
) -> Template:
    items = await rounds.list_rounds(actor)
    names = await c.cluster_names(sorted({r.cluster_id for r in items}))
    return render(
        "priorities/rounds.html",
        items=items,
        cluster_names=names,
        may_create=access.holds_any(actor, Role.ADVISER),
        notice=notice_text(request.query_params.get("notice")),
    )


async def _panel_candidates(cluster_id: int) -> list[dict[str, Any]]:
    """Active accounts with a role in the cluster, its member municipalities or their
    services; with a suggested stakeholder group and municipality."""
    munis = dict(await c.member_municipalities(cluster_id))
    services = {x["id"]: x for x in await c.cluster_services(cluster_id)}
    service_muni = {}
    from klynge.orgs.tables import Service

    for row in await Service.select(Service.id, Service.municipality).where(
        Service.id.is_in(list(services) or [-1])
    ):
        service_muni[row["id"]] = row["municipality"]
    rows = await RoleAssignment.select(
        RoleAssignment.account,
        RoleAssignment.role,
        RoleAssignment.cluster,
        RoleAssignment.municipality,
        RoleAssignment.service,
    ).where(
        (RoleAssignment.cluster == cluster_id)
        | RoleAssignment.municipality.is_in(list(munis) or [-1])
        | RoleAssignment.service.is_in(list(services) or [-1])
    )
    group_of = {
        "adviser": "leaders",
        "coordinator": "leaders",
        "service_leader": "leaders",
        "service_employee": "staff",
        "user_representative": "users",
        "researcher": "researchers",
    }
    people: dict[int, dict[str, Any]] = {}
    for row in rows:
        muni = row["municipality"] or service_muni.get(row["service"])
        person = people.setdefault(
            row["account"], {"group": group_of.get(row["role"], "staff"), "municipality": muni}
        )
        if person["municipality"] is None:
            person["municipality"] = muni
    accounts = await Account.select(Account.id, Account.name).where(
        Account.id.is_in(list(people) or [-1]), Account.is_active.eq(True)
    )
    return sorted(
        ({"id": a["id"], "name": a["name"], **people[a["id"]]} for a in accounts),
        key=lambda p: p["name"],
    )


async def _setup_page(
    actor: Principal, form: Form, cluster_id: int | None, status: int = 200
) -> Template:
    if actor.is_admin:
        clusters = await c.cluster_names()
    else:
        clusters = await c.cluster_names(sorted(actor.org_ids(Role.ADVISER)))
    if cluster_id not in clusters:
        cluster_id = next(iter(clusters), None)
    roundable: list[s.NeedOut] = []
    candidates: list[dict[str, Any]] = []
    municipalities: list[tuple[int, str]] = []
    if cluster_id is not None:
        for st in rounds.ROUNDABLE:
            page = await needs.list_needs(
                actor, cluster_id=cluster_id, status=st.value, per_page=200
            )
            roundable += page.items
        candidates = await _panel_candidates(cluster_id)
        municipalities = await c.member_municipalities(cluster_id)
    return render(
        "priorities/round_new.html",
        form=form,
        failed=form if form.failed else None,
        clusters=clusters,
        cluster_id=cluster_id,
        roundable=roundable,
        candidates=candidates,
        municipalities=municipalities,
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
            errors.append(FieldError("weights", _("Weights are numbers from 0 to 100.")))
    deadline = None
    raw_deadline = text(data, "deadline")
    if raw_deadline:
        try:
            day = dt.date.fromisoformat(raw_deadline)
            deadline = dt.datetime.combine(day, dt.time(23, 59), tzinfo=dt.UTC)
        except ValueError:
            errors.append(FieldError("deadline", _("Write the date as YYYY-MM-DD.")))
    if errors:
        raise Invalid(_("Some fields need attention."), errors)
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
                "cluster_id": _("Choose the cluster."),
                "name": _("Give the round a name of at most 200 characters."),
                "need_ids": _("Choose at least one submitted need."),
                "raters": _("Choose at least one person for the panel, with a group."),
                "weights": _("Weights are numbers from 0 to 100."),
                "weighting": _("Choose how the votes are weighed."),
                "deadline": _("Write the date as YYYY-MM-DD."),
            },
        )
        out = await rounds.create_round(actor, body)
    except DomainError as exc:
        if not form_failed(exc):
            raise
        return await _setup_page(
            actor, form.fail(exc), c.int_or_none(data.get("cluster_id")), status=exc.status
        )
    return see_other(f"/runder/{out.id}", notice="round-created")


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
    out = await rounds.round_out(actor, round_id)
    manager = needs.may_manage(actor, out.cluster_id)
    ranking = await rounds.ranking(actor, round_id) if out.status == "closed" else None
    forms: dict[str, Form] = {}
    decisions: dict[int, dict[str, Any]] = {}
    if ranking is not None and manager:
        from priorities.tables import Decision

        decisions = {
            d["need"]: d for d in await Decision.select().where(Decision.round == round_id)
        }
        for item in ranking.items:
            key = f"decision-{item.need_id}"
            values = {
                k: str(v)
                for k, v in decisions.get(item.need_id, {}).items()
                if k in DECISION_FIELDS
            }
            forms[key] = Form(key, DECISION_FIELDS, values=values)
    if failed is not None:
        forms[failed.id] = failed
    municipality_ids = [p.municipality_id for p in out.progress if p.municipality_id]
    group_names = {**c.GROUP_LABELS}
    if ranking is not None and ranking.weighting == "municipality":
        keys = {k for i in ranking.items for k in i.group_scores if k.isdigit()}
        group_names.update(
            {str(k): v for k, v in (await c.municipality_names([int(k) for k in keys])).items()}
        )
    return render(
        "priorities/round.html",
        round=out,
        ranking=ranking,
        chart=_bars(ranking.items) if ranking else None,
        group_tables=_group_tables(ranking.items) if ranking else [],
        group_names=group_names,
        manager=manager,
        forms=forms,
        failed=failed,
        notice=notice,
        municipality_names=await c.municipality_names(municipality_ids),
        cluster_name=(await c.cluster_names([out.cluster_id])).get(out.cluster_id, ""),
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
    return see_other(f"/runder/{round_id}", notice="round-closed", fragment="resultater")


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
                "decision": _("Choose the decision."),
                "justification": _("Write the justification for the decision."),
            },
        )
        await rounds.record_decision(actor, round_id, body)
    except DomainError as exc:
        if not form_failed(exc):
            raise
        return await _round_page(actor, round_id, failed=form.fail(exc), status=exc.status)
    return see_other(f"/runder/{round_id}", notice="decision-saved", fragment=f"behov-{need_id}")


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

    row = await rounds.load_visible(actor, round_id)
    if not rounds.can_manage_cluster(actor, row["cluster"]):
        raise NotFound()
    filename, content = await rounds.export_xlsx(actor, round_id)
    return _xlsx(filename, content)


# --- scoring ---------------------------------------------------------------------------------


async def _scoring_page(
    actor: Principal, round_id: int, *, failed: Form | None = None, status: int = 200, notice=""
) -> Template | Redirect:
    out = await rounds.round_out(actor, round_id)
    if not out.am_rater:
        return see_other(f"/runder/{round_id}", notice="not-rater")
    mine = await rounds.my_scores(actor, round_id)
    given = {x.need_id: x for x in mine.scores}
    items = []
    for need_id in out.need_ids:
        need = await needs.need_out(await needs.load(need_id))
        items.append({"need": need, "score": given.get(need_id)})
    form = failed or Form("scores", ())
    return render(
        "priorities/scoring.html",
        round=out,
        items=items,
        mine=mine,
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
        f"/runder/{round_id}/skaar", notice="scores-finished" if finished else "scores-saved"
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
    if not data.finished:
        mine = await rounds.my_scores(actor, round_id)
        data = s.ScoresIn(scores=data.scores, finished=mine.finished)
    return await rounds.put_scores(actor, round_id, data)


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
