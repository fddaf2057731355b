"""Domain errors raised by services, and their rendering: problem+json (RFC 9457) for the API,
a friendly page for the HTML UI. No stack trace ever reaches a user.

Messages are English msgids marked with N_() and translated (nb, nn, en) when the error is
rendered, in the language of the request; `params` fill their %(name)s placeholders."""

from __future__ import annotations

import dataclasses
import logging
import re
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any
from urllib.parse import urlencode

from asyncpg.exceptions import DataError as PostgresDataError
from litestar import MediaType, Request, Response
from litestar.exceptions import (
    HTTPException,
    NotAuthorizedException,
    PermissionDeniedException,
    ValidationException,
)
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from klynge.i18n import LANGUAGE_COOKIE, N_, set_language, visitor_language
from klynge.i18n import gettext as _
from klynge.lengths import TOO_LONG

log = logging.getLogger("klynge.errors")

PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = "https://klynge.no/problems/"


def translate(message: str, params: Mapping[str, Any] | None = None) -> str:
    """A msgid in the current language, with its placeholders filled."""
    text = _(message)
    # Always formatted, as Jinja's newstyle gettext does, so "%%" reads "%" with or without
    # params.
    values = dict(params or {})
    try:
        return text % values
    except (KeyError, TypeError, ValueError):  # a translation that lost a placeholder
        try:
            return message % values
        except (KeyError, TypeError, ValueError):
            return message


@dataclass
class FieldError:
    field: str
    message: str
    row: int | None = None  # for file imports: the spreadsheet row
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict)

    @property
    def text(self) -> str:
        return translate(self.message, self.params)

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"field": self.field, "message": self.text}
        if self.row is not None:
            data["row"] = self.row
        return data


@dataclass
class DomainError(Exception):
    """A rule said no. `detail` (an English msgid, N_()) is shown to the user, translated."""

    detail: str
    status: int = 400
    code: str = "bad-request"
    errors: list[FieldError] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return translate(self.detail, self.params)

    def __str__(self) -> str:
        return self.text


class Unauthorized(NotAuthorizedException):
    """A 401 whose detail is an English msgid (N_) with params, translated in the response."""

    def __init__(self, detail: str = N_("You must log in."), **params: Any) -> None:
        super().__init__(detail)
        self.params = params


NOT_FOUND = N_("We could not find what you asked for.")
NO_ACCESS = N_("You do not have access to this.")
ERROR = N_("Error")


class NotFound(DomainError):
    def __init__(self, detail: str = NOT_FOUND, params: Mapping[str, Any] | None = None) -> None:
        super().__init__(detail, 404, "not-found", params=params or {})


class Forbidden(DomainError):
    def __init__(self, detail: str = NO_ACCESS, params: Mapping[str, Any] | None = None) -> None:
        super().__init__(detail, 403, "forbidden", params=params or {})


class Conflict(DomainError):
    def __init__(
        self,
        detail: str,
        errors: list[FieldError] | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(detail, 409, "conflict", errors or [], params=params or {})


class Invalid(DomainError):
    def __init__(
        self,
        detail: str,
        errors: list[FieldError] | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(detail, 422, "validation", errors or [], params=params or {})


TITLES = {
    400: N_("Bad request"),
    401: N_("Not logged in"),
    403: N_("No access"),
    404: N_("Page not found"),
    405: N_("Method not allowed"),
    409: N_("Conflict"),
    413: N_("The file is too large"),
    415: N_("File type not supported"),
    422: N_("Invalid data"),
    429: N_("Too many attempts"),
    500: N_("Something went wrong"),
    503: N_("The service is unavailable"),
}


def wants_html(request: Request[Any, Any, Any]) -> bool:
    """API paths always answer problem+json; pages answer HTML unless the client asks for
    JSON and not HTML (a browser's Accept, curl's */* and a missing header all mean HTML)."""
    path = request.url.path
    if path.startswith(("/api", "/schema", "/.well-known")) or path == "/healthz":
        return False
    accept = request.headers.get("accept", "")
    return not ("json" in accept and "text/html" not in accept)


def problem(
    request: Request[Any, Any, Any],
    status: int,
    detail: str,
    code: str | None = None,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response[Any]:
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + (code or str(status)),
        "title": _(TITLES.get(status, ERROR)),
        "status": status,
        "detail": detail,
        "instance": request.url.path,
    }
    if errors:
        body["errors"] = errors
    if wants_html(request):
        if status == 401:
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return Redirect(path="/login?" + urlencode({"next": target}, safe="/"))
        return Template(
            template_name="error.html",
            context={
                "status": status,
                "title": body["title"],
                "detail": detail,
                "errors": errors or [],
            },
            status_code=status,
            headers=headers,
        )
    return Response(content=body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _domain(request: Request[Any, Any, Any], exc: DomainError) -> Response[Any]:
    return problem(
        request,
        exc.status,
        exc.text,
        exc.code,
        [e.as_dict() for e in exc.errors] or None,
        headers=exc.headers or None,
    )


# msgspec names a missing or unknown field only inside its message ("Object missing required
# field `password`"), and Litestar then reports the whole body ("data") as the field.
_NAMED_FIELD = re.compile(r"Object (?:missing required|contains unknown) field `([^`]+)`")


def _field_of(item: dict[str, Any]) -> str:
    key = str(item.get("key") or item.get("source") or "body")
    named = _NAMED_FIELD.search(str(item.get("message", "")))
    if named is None:
        return key
    return named.group(1) if key in ("data", "body") else f"{key}.{named.group(1)}"


def _validation(request: Request[Any, Any, Any], exc: ValidationException) -> Response[Any]:
    errors = []
    for item in exc.extra if isinstance(exc.extra, list) else []:
        if isinstance(item, dict):
            errors.append({"field": _field_of(item), "message": str(item.get("message", ""))})
    return problem(request, 400, _("The request has invalid fields."), "validation", errors or None)


# What a user is told when the framework refuses a request with only its status.
DETAILS = {
    400: N_("The request could not be read. Go back and try again."),
    405: N_(
        "This address does not take that kind of request. Go back and use the page's links "
        "and buttons."
    ),
    413: N_("What you sent is too large."),
    415: N_("The content type of the request is not supported."),
    429: N_("Too many requests in a short time. Wait a little and try again."),
}


def _is_stock_phrase(status: int, detail: str) -> bool:
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        return False
    return detail.strip().casefold() in {phrase.casefold(), ""}


def _http(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    status = exc.status_code
    if request.scope.get("user") is None:
        # Refused by the router (404, 405) or by the authentication (401) before the middleware
        # chose a language; for a visitor, the language middleware chooses the same.
        language = visitor_language(
            request.cookies.get(LANGUAGE_COOKIE), request.headers.get("accept-language")
        )
        set_language(language)
    if isinstance(exc, NotAuthorizedException):
        if exc.detail == "Unauthorized":  # Litestar's own phrase
            detail = _("You must log in.")
        else:
            detail = translate(exc.detail, getattr(exc, "params", None))
        return problem(
            request,
            401,
            detail,
            "unauthorized",
            headers={"WWW-Authenticate": 'Bearer realm="klynge"'},
        )
    if isinstance(exc, PermissionDeniedException):
        return problem(request, 403, _(NO_ACCESS), "forbidden")
    detail = _(TITLES.get(status, ERROR)) if status >= 500 else str(exc.detail)
    if status == 404:
        detail = _(NOT_FOUND)
    elif _is_stock_phrase(status, detail):  # Litestar's English phrase: say it in the language
        detail = _(DETAILS.get(status, TITLES.get(status, ERROR)))
    headers = dict(exc.headers or {})
    return problem(request, status, detail, None, headers=headers or None)


def _out_of_range(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    # A number or text the database cannot hold (an id beyond 32 bits, say) is the client's
    # mistake: SQLite raises OverflowError, PostgreSQL a data exception (SQLSTATE class 22).
    log.info("value out of range on %s %s: %s", request.method, request.url.path, exc)
    return problem(request, 400, _("A value in the request is out of range."), "range")


def _integrity(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    # SQLite's length triggers (klynge.lengths) refuse an over-long value as PostgreSQL's
    # varchar(n) does; any other integrity error is ours, not the client's.
    if TOO_LONG in str(exc):
        return _out_of_range(request, exc)
    return _crash(request, exc)


def _crash(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem(
        request,
        HTTP_500_INTERNAL_SERVER_ERROR,
        _("An unexpected error occurred. It has been logged."),
        "internal",
    )


EXCEPTION_HANDLERS: dict[Any, Any] = {
    DomainError: _domain,
    ValidationException: _validation,
    HTTPException: _http,
    OverflowError: _out_of_range,
    PostgresDataError: _out_of_range,
    sqlite3.IntegrityError: _integrity,
    Exception: _crash,
}

__all__ = ["MediaType"]
