"""Authentication for every request: Bearer tokens for /api, an HttpOnly cookie for the UI.

The middleware only establishes who is calling (scope["user"] = Principal or None); guards
decide what they may do. A bad Bearer token is a 401 at once. A bad or expired UI cookie is
renewed from the refresh cookie when possible and otherwise cleared.
"""

from __future__ import annotations

import ipaddress
from http.cookies import SimpleCookie
from typing import TYPE_CHECKING, Any

from litestar.datastructures import Cookie
from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware

from klynge.auth import service
from klynge.auth.devices import DEVICE_COOKIE, DEVICE_COOKIE_SECONDS
from klynge.auth.tokens import InvalidToken, TokenCodec
from klynge.errors import Unauthorized
from klynge.i18n import N_

if TYPE_CHECKING:
    from litestar.types import ASGIApp, Message, Receive, Scope, Send

    from klynge.settings import Settings

ACCESS_COOKIE = "klynge_access"
REFRESH_COOKIE = "klynge_refresh"
SKIP_PREFIXES = ("/static/", "/favicon.ico")


def _from_right(scope: Scope, name: bytes, hops: int) -> str | None:
    """The entry our proxies wrote: the `hops`-th from the right of a comma-separated header.
    Entries further left came from the client and prove nothing. None when there are fewer."""
    raw = _header(scope, name)
    if hops <= 0 or raw is None:
        return None
    entries = [entry.strip() for entry in raw.split(",")]
    if len(entries) < hops:
        return None
    return entries[-hops] or None


def is_https(scope: Scope, settings: Settings) -> bool:
    if scope.get("scheme") == "https":
        return True
    proto = _from_right(scope, b"x-forwarded-proto", settings.trusted_proxy_hops)
    return proto is not None and proto.lower() == "https"


def session_cookies(pair: service.TokenPair | None, *, secure: bool) -> list[Cookie]:
    """Cookies that set (or, with pair=None, clear) the UI session."""
    if pair is None:
        return [
            Cookie(
                key=ACCESS_COOKIE,
                value="",
                max_age=0,
                httponly=True,
                samesite="lax",
                secure=secure,
                path="/",
            ),
            Cookie(
                key=REFRESH_COOKIE,
                value="",
                max_age=0,
                httponly=True,
                samesite="lax",
                secure=secure,
                path="/",
            ),
        ]
    return [
        Cookie(
            key=ACCESS_COOKIE,
            value=pair.access_token,
            max_age=pair.expires_in,
            httponly=True,
            samesite="lax",
            secure=secure,
            path="/",
        ),
        Cookie(
            key=REFRESH_COOKIE,
            value=pair.refresh_token,
            max_age=pair.refresh_expires_in,
            httponly=True,
            samesite="lax",
            secure=secure,
            path="/",
        ),
    ]


def device_cookie(pair: service.TokenPair, *, secure: bool) -> Cookie:
    """The known-device cookie (klynge.auth.devices) set after a successful UI login."""
    return Cookie(
        key=DEVICE_COOKIE,
        value=pair.device_cookie,
        max_age=DEVICE_COOKIE_SECONDS,
        httponly=True,
        samesite="lax",
        secure=secure,
        path="/login",
    )


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return None


def _cookies(scope: Scope) -> dict[str, str]:
    raw = _header(scope, b"cookie")
    if not raw:
        return {}
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(raw)
    except Exception:  # a malformed Cookie header means "no cookies", not a 500
        return {}
    return {k: m.value for k, m in jar.items()}


class AuthMiddleware(ASGIMiddleware):
    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        scope["user"] = None
        scope["auth"] = None
        path: str = scope.get("path", "")
        if path.startswith(SKIP_PREFIXES):
            await next_app(scope, receive, send)
            return
        app = scope["litestar_app"]
        settings: Settings = app.state.settings
        codec: TokenCodec = app.state.codec
        authorization = _header(scope, b"authorization")
        if authorization is not None:
            scheme, _, credentials = authorization.partition(" ")
            if scheme.lower() != "bearer" or not credentials.strip():
                raise Unauthorized(N_("Use «Authorization: Bearer <token>»."))
            try:
                token = codec.decode(credentials.strip())
            except InvalidToken as exc:
                raise Unauthorized(N_("The token is not valid: %(reason)s."), reason=exc) from None
            if await service.session_ended(token.sid):
                raise Unauthorized(N_("You have logged out. Log in again."))
            principal = await service.load_principal(token.account_id)
            if principal is None:
                raise Unauthorized(N_("The account is not active."))
            scope["user"], scope["auth"] = principal, token
            await next_app(scope, receive, send)
            return
        if path.startswith("/api"):
            # The API never reads the UI cookie: cookie-authenticated API calls would need CSRF.
            await next_app(scope, receive, send)
            return
        await self._cookie_session(scope, receive, send, next_app, settings, codec)

    async def _cookie_session(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        next_app: ASGIApp,
        settings: Settings,
        codec: TokenCodec,
    ) -> None:
        cookies = _cookies(scope)
        access, refresh = cookies.get(ACCESS_COOKIE), cookies.get(REFRESH_COOKIE)
        set_cookies: list[Cookie] = []
        principal = None
        if access:
            try:
                token = codec.decode(access)
                if not await service.session_ended(token.sid):
                    principal = await service.load_principal(token.account_id)
                    scope["auth"] = token
            except InvalidToken:
                principal = None
        if principal is None and refresh:
            try:
                pair = await service.refresh(refresh, settings, codec)
                token = codec.decode(pair.access_token)
                principal = await service.load_principal(token.account_id)
                scope["auth"] = token
                set_cookies = session_cookies(pair, secure=is_https(scope, settings))
            except (service.RefreshFailed, InvalidToken):
                principal = None
        if principal is None and (access or refresh) and not set_cookies:
            set_cookies = session_cookies(None, secure=is_https(scope, settings))
        scope["user"] = principal
        if not set_cookies:
            await next_app(scope, receive, send)
            return

        async def send_with_cookies(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                for cookie in set_cookies:
                    name, value = cookie.to_encoded_header()
                    headers.append((name, value))
                message["headers"] = headers
            await send(message)

        await next_app(scope, receive, send_with_cookies)


def client_address(scope: Scope, settings: Settings) -> str:
    """The address the login throttle counts: with N trusted proxies, the N-th entry from the
    right of X-Forwarded-For (the one our outermost proxy appended); otherwise the peer."""
    forwarded = _from_right(scope, b"x-forwarded-for", settings.trusted_proxy_hops)
    if forwarded is not None:
        try:
            return str(ipaddress.ip_address(forwarded))
        except ValueError:
            pass  # not an address: our proxy did not write it, so fall back to the peer
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


__all__ = ["ACCESS_COOKIE", "REFRESH_COOKIE", "Any", "AuthMiddleware", "client_address"]
