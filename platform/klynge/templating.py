"""The Jinja environment for the HTML UI: i18n (per-request language), filters, globals."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape

from klynge import apps, i18n
from klynge.auth.roles import ROLE_LABELS, Role
from klynge.orgs.schemas import SECTOR_LABELS, SERVICE_TYPE_LABELS, Sector, ServiceType

TEMPLATE_DIRS: list[Path] = [Path(__file__).parent / "templates"]
_BABEL_LOCALE = {"nb": "nb_NO", "nn": "nn_NO", "en": "en_GB"}


def _locale() -> str:
    return _BABEL_LOCALE.get(i18n.current_language(), "nb_NO")


def _date(value: dt.date | dt.datetime | None, style: str = "medium") -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return format_datetime(value, format=style, locale=_locale(), tzinfo=None)
    return format_date(value, format=style, locale=_locale())


def _number(value: int | float | None) -> str:
    return "" if value is None else format_decimal(value, locale=_locale())


def _role(value: str | Role) -> str:
    try:
        return i18n.gettext(ROLE_LABELS[Role(value)])
    except ValueError:
        return str(value)


def _service_type(value: str) -> str:
    try:
        return i18n.gettext(SERVICE_TYPE_LABELS[ServiceType(value)])
    except ValueError:
        return value


def _sector(value: str) -> str:
    try:
        return i18n.gettext(SECTOR_LABELS[Sector(value)])
    except ValueError:
        return value


def build_environment(extra_dirs: list[Path] | None = None) -> Environment:
    loader = ChoiceLoader([FileSystemLoader(str(d)) for d in [*TEMPLATE_DIRS, *(extra_dirs or [])]])
    env = Environment(
        loader=loader,
        autoescape=select_autoescape(["html", "xml"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=i18n.gettext, ngettext=i18n.ngettext, newstyle=True
    )
    env.filters.update(
        date=_date, number=_number, role=_role, service_type=_service_type, sector=_sector
    )
    env.globals.update(
        languages=i18n.LANGUAGES,
        current_language=i18n.current_language,
        service_types=list(ServiceType),
        sectors=list(Sector),
        roles=list(Role),
        app_menu=apps.menu,
    )
    return env


def context_defaults(**extra: Any) -> dict[str, Any]:
    return extra
