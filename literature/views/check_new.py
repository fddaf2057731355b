"""Starting a literature check of a need in the browser: the form and its submission."""

from __future__ import annotations

from typing import Any

from litestar import get, post
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
    parse,
    render,
    see_other,
    text,
)
from literature import checks
from literature import schemas as s
from literature.views import common as c

CHECK_FIELDS = (
    "question",
    "population",
    "intervention",
    "comparison",
    "outcome",
    "blind",
    "screeners",
    "exclusion_reasons",
)


def _check_messages() -> dict[str, str]:
    return {
        "question": _("Write the question as it was searched, at most 4,000 characters."),
        "population": _("At most 10,000 characters."),
        "intervention": _("At most 10,000 characters."),
        "comparison": _("At most 10,000 characters."),
        "outcome": _("At most 10,000 characters."),
        "exclusion_reasons": _("Each reason can be at most 200 characters."),
        "screeners": _("Choose the screeners among the cluster's users."),
    }


async def _new_page(actor: Principal, need_id: int, form: Form, *, status: int = 200) -> Template:
    need, accounts = await checks.new_check_form(actor, need_id)
    return _render_new(need_id, need, accounts, form, status=status)


def _render_new(
    need_id: int,
    need: dict[str, Any],
    accounts: list[tuple[int, str]],
    form: Form,
    *,
    status: int = 200,
) -> Template:
    return render(
        "literature/check_new.html",
        form=form,
        failed=form if form.failed else None,
        need=need,
        accounts=accounts,
        here=f"/behov/{need_id}/litteratursjekk/ny",
        status=status,
        **c.labels(),
    )


@get(
    "/behov/{need_id:int}/litteratursjekk/ny",
    guards=[c.MANAGERS],
    include_in_schema=False,
    name="lit_check_new",
)
async def check_new(actor: NamedDependency[Principal], need_id: FromPath[int]) -> Template:
    need, accounts = await checks.new_check_form(actor, need_id)
    values = {
        "question": need["question"],
        "exclusion_reasons": "\n".join(checks.DEFAULT_EXCLUSION_REASONS),
    }
    return _render_new(need_id, need, accounts, Form("check", CHECK_FIELDS, values=values))


@post(
    "/behov/{need_id:int}/litteratursjekk/ny",
    guards=[c.MANAGERS],
    include_in_schema=False,
    name="lit_check_create",
)
async def check_create(
    actor: NamedDependency[Principal], need_id: FromPath[int], data: URLEncodedBody[dict[str, Any]]
) -> Template | Redirect:
    form = Form("check", CHECK_FIELDS, values=form_values(data))
    try:
        body = parse(
            s.CheckCreate,
            {
                **{k: text(data, k) for k in CHECK_FIELDS[:5]},
                "blind": text(data, "blind") == "1",
                "screeners": c.int_list(data.get("screeners", [])),
                "exclusion_reasons": [
                    line.strip()
                    for line in text(data, "exclusion_reasons", strip=False).splitlines()
                    if line.strip()
                ],
            },
            _check_messages(),
        )
        out = await checks.create_check(actor, need_id, body)
    except DomainError as exc:
        if not form_failed(exc):
            raise
        return await _new_page(actor, need_id, form.fail(exc), status=exc.status)
    return see_other(f"/litteratursjekker/{out.id}", notice="literature.check-created")


HANDLERS = [check_new, check_create]
