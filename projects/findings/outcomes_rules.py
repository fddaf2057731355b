"""Rules of outcomes (pure): the kinds, what a valid outcome is, how its citation reads, and
what must be in place before it is published (`publish_blockers`, checked first by
projects.findings.publishing)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from klynge.errors import FieldError
from klynge.i18n import N_

KINDS: dict[str, str] = {
    "finding": N_("Finding"),
    "report": N_("Report"),
    "article": N_("Scientific article"),
    "recommendation": N_("Recommendation or measure"),
    "tool": N_("Tool or guide"),
    "practice": N_("Changed practice"),
}
STATUS_LABELS: dict[str, str] = {
    "draft": N_("Draft"),
    "published": N_("Published"),
    "withdrawn": N_("Withdrawn"),
}
MEASURE_LABELS: dict[str, str] = {
    "proposed": N_("Proposed to the knowledge bank"),
    "accepted": N_("Accepted in the knowledge bank"),
    "declined": N_("Declined for the knowledge bank"),
}
LANGUAGES = ("nb", "nn")
BAD_DOI = N_("This is not a DOI. Write it as 10.xxxx/…, for example 10.1000/xyz123.")


def validate(outcome: Mapping[str, Any], evidence_types: Collection[str]) -> list[FieldError]:
    """What is wrong with an outcome (its row-shaped values after a create or update)."""
    errors: list[FieldError] = []
    if not str(outcome.get("title") or "").strip():
        errors.append(FieldError("title", N_("Write a title.")))
    if outcome.get("kind") not in KINDS:
        errors.append(FieldError("kind", N_("Choose the kind of outcome.")))
    if outcome.get("summary_language") not in LANGUAGES:
        errors.append(FieldError("summary_language", N_("Choose bokmål or nynorsk.")))
    evidence = outcome.get("evidence_type") or ""
    if evidence and evidence not in evidence_types:
        errors.append(FieldError("evidence_type", N_("Choose an evidence type from the list.")))
    for i, link in enumerate(outcome.get("links") or []):
        url = str(link.get("url") or "")
        if not url.startswith(("http://", "https://")) or any(c.isspace() for c in url):
            errors.append(
                FieldError(f"links.{i}.url", N_("A link must start with http:// or https://."))
            )
        if not str(link.get("title") or "").strip():
            errors.append(FieldError(f"links.{i}.title", N_("Give the link a title.")))
    if outcome.get("kind") == "article" and not has_reference(outcome):
        errors.append(FieldError("doi", N_("Give the article's DOI or paste its citation.")))
    return errors


def has_reference(outcome: Mapping[str, Any]) -> bool:
    citation = outcome.get("citation") or {}
    return bool(outcome.get("doi")) or bool(str(citation.get("title") or "").strip())


def publish_blockers(outcome: Mapping[str, Any]) -> list[FieldError]:
    """Why the outcome cannot be published yet (empty: it can). `outcome` is its row. The
    English summary is optional."""
    errors: list[FieldError] = []
    if not str(outcome.get("summary") or "").strip():
        errors.append(
            FieldError("summary", N_("Write a plain-language summary before publishing."))
        )
    if not str(outcome.get("practice") or "").strip():
        errors.append(
            FieldError("practice", N_("Write what it means for practice before publishing."))
        )
    if outcome.get("kind") == "article" and not has_reference(outcome):
        errors.append(FieldError("doi", N_("Give the article's DOI or paste its citation.")))
    return errors


def citation_of(record: Any) -> dict[str, Any]:
    """The citation (JSON) of a literature record: title, authors [[family, given]], year,
    container, volume, issue, pages, url."""
    return {
        "title": record.title,
        "authors": [[a.family, a.given] for a in record.authors],
        "year": record.year,
        "container": record.container,
        "volume": record.volume,
        "issue": record.issue,
        "pages": record.pages,
        "url": record.url,
    }


def _author(author: Any) -> str:
    family, given = ([*list(author), "", ""])[:2]
    initials = " ".join(f"{part[0]}." for part in str(given).split() if part)
    return f"{family} {initials}".strip()


def format_citation(citation: Mapping[str, Any], doi: str = "") -> str:
    """ "Family G, Other A (2020). Title. Container, 3(2), 10–20. https://doi.org/…"."""
    if not citation.get("title"):
        return f"https://doi.org/{doi}" if doi else ""
    authors = [_author(a) for a in citation.get("authors") or []]
    names = ", ".join(authors[:6]) + (" et al." if len(authors) > 6 else "")
    year = f" ({citation['year']})" if citation.get("year") else ""
    text = f"{names}{year}. " if names or year else ""
    text += str(citation["title"]).rstrip(".") + "."
    if citation.get("container"):
        text += f" {citation['container']}"
        if citation.get("volume"):
            text += f", {citation['volume']}"
            text += f"({citation['issue']})" if citation.get("issue") else ""
        text += f", {citation['pages']}" if citation.get("pages") else ""
        text += "."
    if doi:
        text += f" https://doi.org/{doi}"
    elif citation.get("url"):
        text += f" {citation['url']}"
    return text.strip()
