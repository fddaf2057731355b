"""UI languages: bokmål (default), nynorsk and English, from Babel message catalogues (.po).

Message ids are English. The core and every app keep their own catalogues (`locale/` beside
their code); a message is looked up in the core's, then in the apps' in their declared order. The
.po files are compiled in memory at start, so no build step and no binary .mo files are needed.
"""

from __future__ import annotations

import contextvars
import gettext as _gettext
import io
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LANGUAGES: dict[str, str] = {"nb": "Norsk bokmål", "nn": "Norsk nynorsk", "en": "English"}
DEFAULT = "nb"
LOCALE_DIR = Path(__file__).parent / "locale"

_current: contextvars.ContextVar[str] = contextvars.ContextVar("klynge_language", default=DEFAULT)


def N_(message: str) -> str:
    """Mark a message for extraction; it is translated where it is shown."""
    return message


def locale_dirs() -> list[Path]:
    """The core's catalogue folder, then each installed app's."""
    from klynge.apps import locale_dirs as app_locale_dirs

    return [LOCALE_DIR, *app_locale_dirs()]


def _compile(path: Path, language: str) -> _gettext.NullTranslations:
    if not path.is_file():
        return _gettext.NullTranslations()
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return _gettext.GNUTranslations(buffer)


@cache
def translations(language: str) -> _gettext.NullTranslations:
    first, *rest = [
        _compile(folder / language / "LC_MESSAGES" / "messages.po", language)
        for folder in locale_dirs()
    ]
    for fallback in rest:
        first.add_fallback(fallback)
    return first


def set_language(language: str) -> contextvars.Token[str]:
    return _current.set(language if language in LANGUAGES else DEFAULT)


def current_language() -> str:
    return _current.get()


def gettext(message: str) -> str:
    return translations(_current.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(_current.get()).ngettext(singular, plural, n)


def pick(accept_language: str | None) -> str | None:
    """The best of our languages from an Accept-Language header (no=nb, as browsers send)."""
    if not accept_language:
        return None
    weighted = []
    for part in accept_language.split(","):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        base = tag.strip().lower().split("-")[0]
        base = {"no": "nb", "nob": "nb", "nno": "nn"}.get(base, base)
        if base in LANGUAGES:
            weighted.append((quality, base))
    return max(weighted)[1] if weighted else None


LANGUAGE_COOKIE = "klynge_lang"  # the visitor's choice (set by POST /language)


def visitor_language(cookie: str | None, accept_language: str | None) -> str:
    """An anonymous visitor's language: their choice (cookie), else the browser's."""
    if cookie in LANGUAGES:
        return str(cookie)
    return pick(accept_language) or DEFAULT
