"""The researcher's inbox: needs matched to their groups with the explanation, and the
"interested" and "decline (with a reason)" answers."""

from __future__ import annotations

from typing import Any

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, URLEncodedBody
from litestar.response import Redirect, Template

from klynge.auth.principal import Principal
from klynge.errors import DomainError
from klynge.i18n import gettext as _
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
from projects import match_lists, proposals
from projects import schemas as s
from projects.views import common as c


async def _inbox_page(
    actor: Principal, *, failed: Form | None = None, notice: str = "", status: int = 200
) -> Template:
    rows = await match_lists.inbox(actor)
    keys = [f"decline-{r['need']}-{r['group']}" for r in rows]
    forms = {key: Form(key, ("reason",)) for key in keys}
    if failed is not None:
        forms[failed.id] = failed
    return render(
        "projects/inbox.html",
        rows=rows,
        forms=forms,
        failed=failed,
        notice=notice,
        here="/forsker/innboks",
        status=status,
        **c.labels(),
    )


@get("/forsker/innboks", guards=[c.RESEARCHERS], include_in_schema=False, name="inbox")
async def inbox_page(
    request: Request[Any, Any, Any], actor: NamedDependency[Principal]
) -> Template:
    return await _inbox_page(actor, notice=notice_text(request.query_params.get("notice")))


@post(
    "/forsker/innboks/{need_id:int}/svar",
    guards=[c.RESEARCHERS],
    include_in_schema=False,
    name="inbox_answer",
)
async def inbox_answer(
    actor: NamedDependency[Principal],
    need_id: FromPath[int],
    data: URLEncodedBody[dict[str, Any]],
) -> Template | Redirect:
    group_id = text(data, "group_id")
    interested = text(data, "answer") == "interested"
    form = Form(f"decline-{need_id}-{group_id}", ("reason",), values=form_values(data))
    body = {
        "group_id": group_id,
        "interested": "true" if interested else "false",
        "reason": text(data, "reason", strip=False).strip(),
    }
    try:
        await proposals.set_interest(
            actor, need_id, parse(s.InterestIn, body, {"group_id": _("Choose the group.")})
        )
    except DomainError as exc:
        if not form_failed(exc):
            raise
        return await _inbox_page(actor, failed=form.fail(exc, "reason"), status=exc.status)
    return see_other(
        "/forsker/innboks",
        notice="projects.interest-saved" if interested else "projects.decline-saved",
        fragment=f"behov-{need_id}-{group_id}",
    )


HANDLERS = [inbox_page, inbox_answer]
