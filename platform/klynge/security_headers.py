"""Security headers on every response — pages, the API, static files and the answers the router
gives itself (404, 405) or the exception handlers (500) — through Litestar's `before_send` hook,
which sees every response the app sends."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from klynge.auth.middleware import ACCESS_COOKIE, REFRESH_COOKIE, _cookies
from klynge.auth.principal import Principal

if TYPE_CHECKING:
    from litestar.types import Message, Scope

CSP = (
    b"default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; "
    b"frame-ancestors 'none'; form-action 'self'"
)
HSTS = b"max-age=63072000; includeSubDomains"
BASE = (
    (b"content-security-policy", CSP),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
)


def _authenticated(scope: Scope) -> bool:
    """A signed-in caller (or one presenting credentials): its answers are never cached."""
    if isinstance(scope.get("user"), Principal):
        return True
    if any(k == b"authorization" for k, _ in scope.get("headers", [])):
        return True
    cookies = _cookies(scope)
    return ACCESS_COOKIE in cookies or REFRESH_COOKIE in cookies


def _private(scope: Scope) -> bool:
    path = str(scope.get("path", ""))
    return path == "/api" or path.startswith("/api/") or _authenticated(scope)


def security_headers(https: bool) -> Callable[[Message, Scope], Awaitable[None]]:
    """The before_send hook: CSP, nosniff, referrer policy and frame denial on every response;
    HSTS when the public address is https; `Cache-Control: no-store` on every /api answer and
    on every answer to a signed-in caller."""
    fixed = (*BASE, (b"strict-transport-security", HSTS)) if https else BASE

    async def before_send(message: Message, scope: Scope) -> None:
        if message["type"] != "http.response.start":
            return
        headers = list(message.get("headers", []))
        names = {k.lower() for k, _ in headers}
        headers.extend((k, v) for k, v in fixed if k not in names)
        if _private(scope):
            headers = [
                (k, v) for k, v in headers if k.lower() not in (b"cache-control", b"expires")
            ]
            headers.append((b"cache-control", b"no-store"))
        message["headers"] = headers

    return before_send
