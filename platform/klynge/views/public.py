"""Public pages and the session: landing page/dashboard, login, logout, language, statements."""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar import Request, get, post
from litestar.datastructures import Cookie
from litestar.di import NamedDependency
from litestar.params import URLEncodedBody
from litestar.response import Redirect, Template

from klynge import i18n
from klynge.auth import accounts, service
from klynge.auth.devices import DEVICE_COOKIE
from klynge.auth.guards import PUBLIC
from klynge.auth.middleware import (
    REFRESH_COOKIE,
    client_address,
    device_cookie,
    is_https,
    session_cookies,
)
from klynge.auth.principal import Principal
from klynge.errors import Invalid, translate
from klynge.i18n import (
    LANGUAGE_COOKIE,  # read by LanguageMiddleware in klynge.app
    N_,
)
from klynge.i18n import gettext as _
from klynge.orgs import service as orgs
from klynge.settings import Settings
from klynge.views.common import (
    NOTICES,
    Form,
    form_values,
    notice_text,
    render,
    safe_next,
    see_other,
    text,
)
from klynge.views.tasks import START_PAGE

LANGUAGE_COOKIE_SECONDS = 365 * 24 * 3600
LOGIN_FIELDS = ("email", "password")
STATEMENT_DATE = dt.date(2026, 11, 23)  # update when the accessibility statement is reviewed


@get("/", opt=PUBLIC, include_in_schema=False, name="home")
async def home(
    request: Request[Any, Any, Any], caller: NamedDependency[Principal | None]
) -> Template | Redirect:
    """The public portal; a signed-in user's start page is their task list."""
    notice = request.query_params.get("notice")
    if caller is not None:
        return see_other(START_PAGE, notice=notice if notice in NOTICES else "")
    return render(
        "core/landing.html",
        clusters=await orgs.list_public_clusters(),
        notice=notice_text(notice),
    )


def _login_page(form: Form, next_path: str, *, status: int = 200) -> Template:
    return render("core/login.html", form=form, next_path=next_path, status=status)


@get("/login", opt=PUBLIC, include_in_schema=False, name="login")
async def login_page(
    request: Request[Any, Any, Any], caller: NamedDependency[Principal | None]
) -> Template | Redirect:
    next_path = safe_next(request.query_params.get("next"), default=START_PAGE)
    if caller is not None:
        return see_other(next_path)
    return _login_page(Form("login", LOGIN_FIELDS), next_path)


@post("/login", opt=PUBLIC, include_in_schema=False, name="login_submit")
async def login_submit(
    request: Request[Any, Any, Any],
    settings: NamedDependency[Settings],
    data: URLEncodedBody[dict[str, Any]],
) -> Template | Redirect:
    next_path = safe_next(text(data, "next"), default=START_PAGE)
    form = Form("login", LOGIN_FIELDS, values=form_values(data))
    email, password = text(data, "email"), text(data, "password", strip=False)
    if not email:
        form.errors["email"] = _("Enter your work e-mail address.")
    if not password:
        form.errors["password"] = _("Enter your password.")
    if form.errors:
        return _login_page(form, next_path, status=400)
    try:
        pair = await service.login(
            email,
            password,
            client_address(request.scope, settings),
            settings,
            request.app.state.codec,
            device_cookie=request.cookies.get(DEVICE_COOKIE),
        )
    except service.LoginLocked as exc:
        message, params = exc.message
        form.detail = translate(message, params)
        response = _login_page(form, next_path, status=429)
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    except service.LoginFailed:
        form.errors["password"] = _("Wrong e-mail address or password.")
        return _login_page(form, next_path, status=400)
    secure = is_https(request.scope, settings)
    return see_other(
        next_path,
        cookies=[*session_cookies(pair, secure=secure), device_cookie(pair, secure=secure)],
    )


@post("/logout", opt=PUBLIC, include_in_schema=False, name="logout")
async def logout(request: Request[Any, Any, Any], settings: NamedDependency[Settings]) -> Redirect:
    access = request.scope.get("auth")
    await service.logout(
        request.cookies.get(REFRESH_COOKIE), settings, sid=getattr(access, "sid", None)
    )
    return see_other(
        "/",
        notice="core.logged-out",
        cookies=session_cookies(None, secure=is_https(request.scope, settings)),
    )


@post("/language", opt=PUBLIC, include_in_schema=False, name="language")
async def language(
    request: Request[Any, Any, Any],
    caller: NamedDependency[Principal | None],
    settings: NamedDependency[Settings],
    data: URLEncodedBody[dict[str, Any]],
) -> Redirect:
    choice = text(data, "language")
    if choice not in i18n.LANGUAGES:
        raise Invalid(N_("Unknown language."))
    if caller is not None:
        await accounts.set_own_language(caller, choice)
    cookie = Cookie(
        key=LANGUAGE_COOKIE,
        value=choice,
        max_age=LANGUAGE_COOKIE_SECONDS,
        httponly=True,
        samesite="lax",
        secure=is_https(request.scope, settings),
        path="/",
    )
    return see_other(safe_next(text(data, "next")), cookies=[cookie])


@get("/tilgjengelighet", opt=PUBLIC, include_in_schema=False, name="accessibility")
async def accessibility() -> Template:
    return render("core/accessibility.html", statement_date=STATEMENT_DATE)


@get("/personvern", opt=PUBLIC, include_in_schema=False, name="privacy")
async def privacy() -> Template:
    return render("core/privacy.html")


HANDLERS = [home, login_page, login_submit, logout, language, accessibility, privacy]
