"""What every page shares: template responses, form state with field errors, safe redirects."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlencode, urlsplit

import msgspec
from litestar.datastructures import Cookie
from litestar.response import Redirect, Template

from klynge import privacy
from klynge.errors import DomainError, FieldError, Invalid
from klynge.i18n import N_
from klynge.i18n import gettext as _

S = TypeVar("S", bound=msgspec.Struct)

# A field's message for `parse`: a msgid (N_()), or a msgid with the params of its placeholders.
FieldMessage = str | tuple[str, Mapping[str, Any]]


# Statuses a form answers by showing itself again with the problems; anything else (403, 404,
# 500) goes to the error page.
FORM_STATUSES = frozenset({400, 409, 413, 415, 422})

# Status messages shown after a redirect, namespaced per app ("priorities.round-closed"). Only
# registered keys are accepted from the query string, so nobody can put their own words on our
# pages; a key registered twice stops the start.
NOTICES: dict[str, str] = {}


class NoticeCollision(RuntimeError):
    pass


def register_notices(namespace: str, notices: Mapping[str, str]) -> None:
    for key, message in notices.items():
        full = f"{namespace}.{key}"
        if NOTICES.get(full, message) != message:
            raise NoticeCollision(f"notice {full!r} is registered twice")
        NOTICES[full] = message


register_notices(
    "core",
    {
        "approved": N_(
            "The request was approved. The municipality is now a member of the cluster."
        ),
        "declined": N_("The request was declined."),
        "requested": N_("The request has been sent to the cluster's R&D adviser."),
        "service-added": N_("The service was added."),
        "withdrawn": N_("The request was withdrawn."),
        "left": N_("The municipality has left the cluster."),
        "user-created": N_("The user was created."),
        "user-activated": N_("The user was activated."),
        "user-deactivated": N_("The user was deactivated."),
        "role-granted": N_("The role was granted."),
        "role-revoked": N_("The role was removed."),
        "municipality-created": N_("The municipality was created."),
        "cluster-created": N_("The cluster was created."),
        "group-created": N_("The research group was created."),
        "funder-created": N_("The funder was created."),
        "logged-out": N_("You are logged out."),
    },
)

_PATH_IN_ERROR = re.compile(r"`\$\.(\w+)")
_MISSING_FIELD = re.compile(r"missing required field `(\w+)`")
_CONTROL = re.compile(r"[\x00-\x20\x7f\\]")


@dataclass
class Form:
    """One form on a page: what was typed, and what is wrong with it (by field name)."""

    id: str
    fields: tuple[str, ...] = ()
    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    detail: str = ""

    @property
    def failed(self) -> bool:
        return bool(self.detail or self.errors)

    def value(self, name: str, default: Any = "") -> Any:
        value = self.values.get(name)
        return default if value is None else value

    def error(self, name: str) -> str:
        return self.errors.get(name, "")

    def summary(self) -> list[tuple[str, str]]:
        """(anchor, message) per error; the anchor is empty when no visible field matches."""
        return [
            (f"#{self.id}-{name}" if name in self.fields else "", message)
            for name, message in self.errors.items()
        ]

    def fail(self, exc: DomainError, field: str = "") -> Form:
        """Take the errors of a failed use case; `field` gets the detail when the error names
        no field (an upload refused for its size, say)."""
        if field and not exc.errors:
            self.errors[field] = exc.text
        for problem in exc.errors:
            known = self.errors.get(problem.field)
            self.errors[problem.field] = f"{known} {problem.text}" if known else problem.text
        self.detail = exc.text
        return self


def form_values(
    data: Mapping[str, Any], *, secret: tuple[str, ...] = ("password",)
) -> dict[str, Any]:
    """What to put back into the form: everything typed except the CSRF token and secrets.
    National ID numbers are masked, so a refused number never travels back in a page."""
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key.startswith("_") or key in secret:
            continue
        if isinstance(value, str):
            values[key] = privacy.mask(value)
        elif isinstance(value, list):
            values[key] = [privacy.mask(v) for v in value if isinstance(v, str)]
    return values


def text(data: Mapping[str, Any], name: str, *, strip: bool = True) -> str:
    value = data.get(name, "")
    if isinstance(value, list):
        value = value[0] if value else ""
    value = value if isinstance(value, str) else ""
    return value.strip() if strip else value


_TOO_LONG = re.compile(r"Expected `str` of length <= (\d+)")
TOO_LONG = N_("The text is too long: write at most %(max)s characters.")


def parse(struct: type[S], data: Mapping[str, Any], messages: Mapping[str, FieldMessage]) -> S:
    """A use case's input Struct from form fields, or Invalid with a message per field.

    Empty optional fields take the Struct's default; empty required fields are reported all at
    once with the message from `messages`. Messages stay msgids until the error is shown.
    """
    info = msgspec.structs.fields(struct)
    clean: dict[str, Any] = {}
    missing: list[FieldError] = []
    for item in info:
        if item.name not in data:
            if item.required:
                missing.append(_problem(messages, item.name))
            continue
        value = data[item.name]
        if isinstance(value, str) and item.name != "password":
            value = value.strip()
        if value == "" and not item.required:
            continue
        if value == "" and item.required:
            missing.append(_problem(messages, item.name))
            continue
        clean[item.name] = value
    if missing:
        raise Invalid(N_("Some fields need attention."), missing)
    try:
        return msgspec.convert(clean, struct, strict=False)
    except msgspec.ValidationError as exc:
        found = _PATH_IN_ERROR.search(str(exc)) or _MISSING_FIELD.search(str(exc))
        name = found.group(1) if found else ""
        too_long = _TOO_LONG.search(str(exc))
        if too_long:  # say the limit, not the field's "write it" message
            problem = FieldError(name, TOO_LONG, params={"max": too_long.group(1)})
        else:
            problem = _problem(messages, name)
        raise Invalid(N_("Some fields need attention."), [problem]) from None


def _problem(messages: Mapping[str, FieldMessage], name: str) -> FieldError:
    message = messages.get(name) or N_("Check what you wrote in this field.")
    if isinstance(message, tuple):
        return FieldError(name, message[0], params=message[1])
    return FieldError(name, message)


def render(template: str, *, status: int = 200, **context: Any) -> Template:
    return Template(template_name=template, context=context, status_code=status)


def form_failed(exc: DomainError) -> bool:
    """Should this error be shown on the form (True) or on the error page (False)?"""
    return exc.status in FORM_STATUSES


def safe_next(value: str | None, default: str = "/") -> str:
    """Only a path on this site: one leading slash, no scheme or host, nothing a browser
    would read as another host ("//evil", "/\\evil", "/\t/evil")."""
    if not value or not value.startswith("/") or value.startswith("//"):
        return default
    if _CONTROL.search(value):
        return default
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return default
    return value


def see_other(
    path: str, *, notice: str = "", fragment: str = "", cookies: list[Cookie] | None = None
) -> Redirect:
    """303 after a successful POST, so a reload does not send the form again."""
    if notice:
        path += ("&" if "?" in path else "?") + urlencode({"notice": notice})
    if fragment:
        path += f"#{fragment}"
    return Redirect(path=path, status_code=303, cookies=cookies)


def notice_text(key: str | None) -> str:
    return _(NOTICES[key]) if key in NOTICES else ""
