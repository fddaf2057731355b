"""CSL-JSON (Zotero, citeproc, pandoc output): an array of items or {"items": [...]}."""

from __future__ import annotations

import json
import re
from typing import Any

from klynge.i18n import N_
from literature.formats.record import (
    Author,
    FormatError,
    ParseResult,
    Record,
    decode,
    make_record,
    missing_title,
    nfc,
    problem,
    year_from,
)

__all__ = ["item_to_record", "items_from_json", "parse", "parse_items"]


def _authors(value: Any) -> list[Author]:
    if not isinstance(value, list):
        return []
    authors: list[Author] = []
    for person in value:
        if not isinstance(person, dict):
            continue
        family = nfc(person.get("family"))
        # "van der Stouwe": pandoc puts the particle in dropping-particle, Zotero in
        # non-dropping-particle; either way it belongs to the family name for matching.
        particles = [nfc(person.get(key)) for key in ("dropping-particle", "non-dropping-particle")]
        particle = " ".join(p for p in particles if p)
        if particle and family:
            family = f"{particle} {family}"
        given = nfc(person.get("given"))
        if not family and not given:
            family = nfc(person.get("literal"))  # organisations: "World Health Organization"
        if family or given:
            authors.append(Author(family=family, given=given))
    return authors


def _year(issued: Any) -> int | None:
    if isinstance(issued, dict):
        parts = issued.get("date-parts")
        if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
            year = year_from(parts[0][0])
            if year is not None:
                return year
        for key in ("raw", "literal"):
            year = year_from(issued.get(key))
            if year is not None:
                return year
        return None
    if isinstance(issued, list | str | int):  # sloppy exports: "issued": "2020-05"
        return year_from(issued[0] if isinstance(issued, list) and issued else issued)
    return None


def _keywords(value: Any) -> list[str]:
    if isinstance(value, list):
        return [nfc(item) for item in value]
    text = nfc(value)
    separator = ";" if ";" in text else ","
    return [part.strip() for part in text.split(separator) if part.strip()]


def _text(value: Any) -> str:
    if isinstance(value, list):  # some exporters write one-element lists
        return nfc(value[0]) if value else ""
    if isinstance(value, dict):
        return ""
    return nfc(value)


def item_to_record(item: dict[str, Any], raw: str | None = None) -> Record:
    return make_record(
        raw=raw if raw is not None else json.dumps(item, ensure_ascii=False),
        title=_text(item.get("title")),
        abstract=_text(item.get("abstract")),
        authors=_authors(item.get("author")),
        year=_year(item.get("issued")),
        container=_text(item.get("container-title")),
        volume=_text(item.get("volume")),
        issue=_text(item.get("issue") or item.get("number")),
        pages=_text(item.get("page")).replace("\u2013", "-"),
        doi=_text(item.get("DOI")),
        pmid=_text(item.get("PMID")),
        publication_types=[_text(item.get("type"))] if _text(item.get("type")) else [],
        keywords=_keywords(item.get("keyword")),
        language=_text(item.get("language")),
        url=_text(item.get("URL")),
    )


def parse_items(items: list[Any], first_number: int = 1) -> ParseResult:
    """Records and problems from already loaded CSL-JSON items."""
    result = ParseResult(read=len(items))
    for number, item in enumerate(items, start=first_number):
        if not isinstance(item, dict):
            result.problems.append(
                problem(
                    number, N_("Reference %(number)s is not a CSL-JSON object and was not read.")
                )
            )
            continue
        try:
            record = item_to_record(item)
        except (TypeError, ValueError, AttributeError):
            result.problems.append(
                problem(number, N_("Reference %(number)s has fields that could not be read."))
            )
            continue
        if not record.title:
            result.problems.append(missing_title(number))
            continue
        result.records.append(record)
    return result


_NOT_CSL = N_("The file is not a CSL-JSON file (expected a list of references).")


def items_from_json(text: str) -> list[Any]:
    try:
        loaded = json.loads(text)
    except json.JSONDecodeError as error:
        raise FormatError(
            N_("The file is not valid JSON (error on line %(line)s). It may be partly uploaded."),
            {"line": error.lineno},
        ) from None
    if isinstance(loaded, dict) and isinstance(loaded.get("items"), list):
        loaded = loaded["items"]
    elif isinstance(loaded, dict) and ("title" in loaded or "type" in loaded):
        loaded = [loaded]  # a single item
    if not isinstance(loaded, list):
        raise FormatError(_NOT_CSL)
    if loaded and not any(isinstance(item, dict) for item in loaded):
        raise FormatError(_NOT_CSL)
    return loaded


def parse(data: bytes) -> ParseResult:
    text = decode(data, N_("CSL-JSON file"))
    if not re.match(r"\s*[\[{]", text):
        raise FormatError(_NOT_CSL)
    return parse_items(items_from_json(text))
