"""A mail's subject, plain text and HTML, from the core's Jinja templates (templates/mail/), in
the recipient's language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import Any

from jinja2 import Environment

from klynge import i18n
from klynge.mail import rules

SUBJECT_LENGTH = 150
# klynge.notifications.render_text, handed in by the caller (notifications imports the mail
# code, never the other way round): (msgid, params) -> the text in the current language.
TextRenderer = Callable[[str, Any], str]


@dataclass(frozen=True, slots=True)
class Rendered:
    subject: str
    text: str
    html: str


@dataclass(frozen=True, slots=True)
class Item:
    """One notification as the mail shows it (its text still a msgid with params)."""

    text: str
    params: Any
    link: str
    created_at: dt.datetime | None = None


@cache
def _environment() -> Environment:
    from klynge.templating import build_environment

    return build_environment()  # the core's templates: .html autoescaped, .txt as written


@contextmanager
def language(code: str) -> Iterator[None]:
    """Render in this language (a job has no request language of its own)."""
    token = i18n.set_language(code)
    try:
        yield
    finally:
        i18n._current.reset(token)


def _subject(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= SUBJECT_LENGTH else line[: SUBJECT_LENGTH - 1] + "…"


def _render(name: str, context: Mapping[str, Any]) -> Rendered:
    env = _environment()
    return Rendered(
        subject=_subject(str(context["subject"])),
        text=env.get_template(f"mail/{name}.txt").render(context).strip() + "\n",
        html=env.get_template(f"mail/{name}.html").render(context),
    )


def notification_mail(
    render_text: TextRenderer,
    *,
    lang: str,
    name: str,
    item: Item,
    public_url: str,
    unsubscribe_url: str,
) -> Rendered:
    """The mail for one notification."""
    with language(lang):
        message = render_text(item.text, item.params)
        return _render(
            "notification",
            {
                "subject": i18n.gettext("Klynge: %(message)s") % {"message": message},
                "name": name,
                "message": message,
                "link": rules.absolute(public_url, item.link or "/"),
                "home": rules.absolute(public_url, "/"),
                "settings_url": rules.absolute(public_url, "/min-profil"),
                "unsubscribe_url": unsubscribe_url,
                "lang": lang,
            },
        )


def digest_mail(
    render_text: TextRenderer,
    *,
    lang: str,
    name: str,
    items: Sequence[Item],
    public_url: str,
    unsubscribe_url: str,
) -> Rendered:
    """The daily summary of several notifications."""
    with language(lang):
        entries = [
            {
                "message": render_text(i.text, i.params),
                "link": rules.absolute(public_url, i.link or "/"),
            }
            for i in items
        ]
        count = len(entries)
        subject = i18n.ngettext(
            "Klynge: %(num)s new notification", "Klynge: %(num)s new notifications", count
        ) % {"num": count}
        return _render(
            "digest",
            {
                "subject": subject,
                "name": name,
                "entries": entries,
                "count": count,
                "home": rules.absolute(public_url, "/"),
                "settings_url": rules.absolute(public_url, "/min-profil"),
                "unsubscribe_url": unsubscribe_url,
                "lang": lang,
            },
        )
