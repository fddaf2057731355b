"""A round's page in the browser: progress, close, results (table, chart, per group), decisions
and the export."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, URLEncodedBody
from litestar.response import Redirect, Template

from klynge.auth.principal import Principal
from klynge.errors import DomainError, NotFound
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
from priorities.views.rounds import ADVISERS, DECISION_FIELDS, ROUND_MEMBER

# --- the round: progress, close, results, decisions ------------------------------------------


def _bars(items: list[s.RankingItem]) -> dict[str, Any]:
    """Geometry of the chart: one group of horizontal bars (0-100) per need, in viewBox units.
    Labels end at `label_x` (room for about 16 characters at the chart's 8-unit font, the
    longest criterion label in nb, nn and en is 13), bars start at `bar_x`, and the width
    leaves room for a value of 100 after a full bar, so no text reaches past the box."""
    row, gap, left, width = 14, 10, 0, 100
    label_x, bar_x = 74, 78
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
    return {
        "groups": groups,
        "height": max(y, 1),
        "left": left,
        "row": row,
        "label_x": label_x,
        "bar_x": bar_x,
        "width": bar_x + width + 22,
    }


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
    decide: int | None = None,
) -> Template:
    """`decide`: the need whose decision form is open. The page lists every need's decision
    and shows one form (of `decide`, or the one that failed): a form per ranked need made the
    page of a round with dozens of needs too heavy to render on every view."""
    view = await round_pages.round_view(actor, round_id, c.GROUP_LABELS)
    ranking = view.ranking
    forms: dict[str, Form] = {}
    if ranking is not None and view.manager:
        for item in ranking.items:
            if item.need_id != decide:
                continue
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
        actor,
        round_id,
        notice=notice_text(request.query_params.get("notice")),
        decide=c.int_or_none(request.query_params.get("beslutt")),
    )


@get(
    "/runder/{round_id:int}/lukk",
    guards=[ADVISERS, ROUND_MEMBER],
    include_in_schema=False,
    name="round_close_confirm",
)
async def round_close_confirm(
    actor: NamedDependency[Principal], round_id: FromPath[int]
) -> Template:
    """Closing asks first, and says what will happen and who has not finished."""
    return render("priorities/round_close.html", round=await rounds.round_out(actor, round_id))


@post("/runder/{round_id:int}/lukk", guards=[ADVISERS], include_in_schema=False, name="round_close")
async def round_close(
    actor: NamedDependency[Principal],
    round_id: FromPath[int],
    data: URLEncodedBody[dict[str, Any]],
) -> Redirect:
    if text(data, "confirm") != "yes":  # not confirmed on the confirmation page: ask there
        return see_other(f"/runder/{round_id}/lukk")
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


HANDLERS = [
    round_page,
    round_close_confirm,
    round_close,
    round_decide,
    round_export,
]
