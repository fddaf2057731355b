"""The project description as pandoc Markdown, in the reader's language. Pure: plain data and a
translate function in, text out. Every user text is escaped (ASCII punctuation backslashed, which
pandoc's Markdown allows), so `*`, `#`, `|` and brackets in titles come through literally."""

from __future__ import annotations

import datetime as dt
import re
import string
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from klynge.i18n import N_

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ESCAPE = re.compile("([" + re.escape(string.punctuation) + "])")

HEADINGS = {
    "period": N_("Period"),
    "status": N_("Status"),
    "group": N_("Research group"),
    "leader": N_("Project leader"),
    "participants": N_("Participants"),
    "municipalities": N_("Municipalities"),
    "popular": N_("Popular summary"),
    "english": N_("Summary in English"),
    "academic": N_("Academic summary"),
    "keywords": N_("Keywords"),
    "service_areas": N_("Service areas"),
    "registrations": N_("Registrations"),
    "needs": N_("Originating knowledge needs"),
    "none": N_("Not given."),
}


@dataclass(frozen=True)
class Description:
    title: str
    status: str  # translated label
    group: str
    leader: str = ""
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    summary_popular: str = ""
    summary_en: str = ""
    summary_academic: str = ""
    keywords: Sequence[str] = ()
    service_areas: Sequence[str] = ()  # translated labels
    registrations: Sequence[tuple[str, str]] = ()  # (translated label, id)
    municipalities: Sequence[str] = ()
    participants: Sequence[str] = ()  # one line each: "name (role)"
    needs: Sequence[str] = ()
    extra: Sequence[tuple[str, str]] = field(default_factory=tuple)  # (heading, markdown)


def md_escape(text: object) -> str:
    """Inline Markdown for literal text: punctuation escaped, whitespace runs made single."""
    plain = " ".join(_CONTROL.sub("", str(text)).split())
    return _ESCAPE.sub(r"\\\1", plain)


def _paragraphs(text: str) -> list[str]:
    return [md_escape(p) for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]


def _bullets(items: Sequence[str]) -> list[str]:
    return [f"- {md_escape(item)}" for item in items]


def _period(d: Description) -> str:
    start = d.starts_on.strftime("%d.%m.%Y") if d.starts_on else "…"
    end = d.ends_on.strftime("%d.%m.%Y") if d.ends_on else "…"
    return f"{start}–{end}"


def description_markdown(d: Description, t: Callable[[str], str]) -> str:
    """The description with headings translated by `t`; empty parts say "Not given."."""
    none = md_escape(t(HEADINGS["none"]))
    facts = [
        (HEADINGS["status"], d.status),
        (HEADINGS["period"], _period(d)),
        (HEADINGS["group"], d.group),
        (HEADINGS["leader"], d.leader),
    ]
    lines = [f"# {md_escape(d.title)}", ""]
    for key, value in facts:
        lines += [f"**{md_escape(t(key))}:** {md_escape(value) if value else none}", ""]

    def part(key: str, body: list[str]) -> None:
        lines.extend([f"## {md_escape(t(HEADINGS[key]))}", "", *(body or [none]), ""])

    part("popular", _paragraphs(d.summary_popular))
    part("english", _paragraphs(d.summary_en))
    part("academic", _paragraphs(d.summary_academic))
    part("keywords", [md_escape(", ".join(d.keywords))] if d.keywords else [])
    part("service_areas", _bullets(d.service_areas))
    part("municipalities", _bullets(d.municipalities))
    part("participants", _bullets(d.participants))
    part("needs", _bullets(d.needs))
    part("registrations", _bullets([f"{label}: {value}" for label, value in d.registrations]))
    for heading, body in d.extra:
        lines += [f"## {md_escape(heading)}", "", body, ""]
    return "\n".join(lines).rstrip() + "\n"
