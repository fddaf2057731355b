"""Mail pages: the user's mail preference (/min-profil), the public unsubscribe page
(/epost/avmeld) and the admin's outbox (/admin/utboks). Thin: they call klynge.mail.service."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, URLEncodedBody
from litestar.response import Redirect, Template

from klynge.auth.guards import PUBLIC, requires_admin, requires_authenticated
from klynge.auth.principal import Principal
from klynge.errors import DomainError
from klynge.i18n import N_
from klynge.mail import rules, service
from klynge.views.common import (
    Form,
    form_failed,
    notice_text,
    register_notices,
    render,
    see_other,
    text,
)

register_notices("core", {"mail-preference-saved": N_("Your e-mail choice was saved.")})

PREFERENCE_FIELDS = ("frequency",)


async def _profile(actor: Principal, *, form: Form | None = None, notice: str = "") -> Template:
    current = await service.frequency_of(actor.account_id)
    return render(
        "core/my_profile.html",
        form=form or Form("mail", PREFERENCE_FIELDS, values={"frequency": current}),
        failed=form if form and form.failed else None,
        frequencies=rules.FREQUENCIES,
        notice=notice,
        status=form_status(form),
    )


def form_status(form: Form | None) -> int:
    return 422 if form and form.failed else 200


@get("/min-profil", guards=[requires_authenticated], include_in_schema=False, name="my_profile")
async def profile_page(
    actor: NamedDependency[Principal], request: Request[Any, Any, Any]
) -> Template:
    return await _profile(actor, notice=notice_text(request.query_params.get("notice")))


@post(
    "/min-profil", guards=[requires_authenticated], include_in_schema=False, name="my_profile_save"
)
async def profile_save(
    actor: NamedDependency[Principal], data: URLEncodedBody[dict[str, Any]]
) -> Template | Redirect:
    value = text(data, "frequency")
    try:
        await service.set_frequency(actor, value)
    except DomainError as exc:
        if not form_failed(exc):
            raise
        form = Form("mail", PREFERENCE_FIELDS, values={"frequency": value})
        return await _profile(actor, form=form.fail(exc))
    return see_other("/min-profil", notice="core.mail-preference-saved")


def _forged() -> Template:
    return render("core/unsubscribe.html", state="forged", token="", status=400)


@get("/epost/avmeld", opt=PUBLIC, include_in_schema=False, name="mail_unsubscribe")
async def unsubscribe_page(token: FromQuery[str] = "") -> Template:
    if service.token_account(token) is None:
        return _forged()
    return render("core/unsubscribe.html", state="confirm", token=token)


@post("/epost/avmeld", opt=PUBLIC, include_in_schema=False, name="mail_unsubscribe_confirm")
async def unsubscribe_confirm(data: URLEncodedBody[dict[str, Any]]) -> Template:
    if not await service.unsubscribe(text(data, "token")):
        return _forged()
    return render("core/unsubscribe.html", state="done", token="")


@get("/admin/utboks", guards=[requires_admin], include_in_schema=False, name="admin_outbox")
async def outbox_page() -> Template:
    return render(
        "core/admin/outbox.html", mails=await service.outbox(), statuses=rules.STATUS_LABELS
    )


@get(
    "/admin/utboks/{mail_id:int}",
    guards=[requires_admin],
    include_in_schema=False,
    name="admin_outbox_mail",
)
async def outbox_mail_page(mail_id: FromPath[int]) -> Template:
    return render(
        "core/admin/outbox_mail.html",
        mail=await service.outbox_mail(mail_id),
        statuses=rules.STATUS_LABELS,
    )


@get(
    "/admin/utboks/{mail_id:int}/html",
    guards=[requires_admin],
    include_in_schema=False,
    name="admin_outbox_mail_html",
)
async def outbox_mail_html(mail_id: FromPath[int]) -> Response[str]:
    """The HTML part as the recipient sees it, in a sandbox (no scripts, no forms)."""
    mail = await service.outbox_mail(mail_id)
    return Response(
        mail.html_body,
        media_type="text/html",
        headers={
            "Content-Security-Policy": "sandbox; default-src 'none'; style-src 'unsafe-inline'"
        },
    )


HANDLERS = [
    profile_page,
    profile_save,
    unsubscribe_page,
    unsubscribe_confirm,
    outbox_page,
    outbox_mail_page,
    outbox_mail_html,
]
