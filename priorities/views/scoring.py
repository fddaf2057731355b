"""Scoring a round in the browser (blind, save as you go), and the public priority list."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, URLEncodedBody
from litestar.response import Redirect, Template

from klynge.auth.guards import PUBLIC, requires_authenticated
from klynge.auth.principal import Principal
from klynge.errors import DomainError
from klynge.views.common import (
    Form,
    form_failed,
    form_values,
    notice_text,
    render,
    see_other,
    text,
)
from priorities import round_pages, rounds, scoring
from priorities import schemas as s
from priorities.views import common as c
from priorities.views.rounds import ROUND_MEMBER

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
    scoring_page,
    scores_form,
    scores_save,
    public_ranking_page,
]
