"""RIS (EndNote, Zotero, Mendeley, Web of Science, Scopus exports), parsed by hand.

A hand parser over "TY  - " ... "ER  - " blocks can report each broken record, which pandoc's
RIS reader cannot: it fails or skips silently.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from klynge.i18n import N_
from literature.formats.record import (
    Author,
    FormatError,
    ParseResult,
    decode,
    make_record,
    missing_title,
    parse_author,
    problem,
    year_from,
)

__all__ = ["parse"]

# "TY  - JOUR": two letters/digits, two spaces, dash, then a space or end of line.
_TAG = re.compile(r"^([A-Z][A-Z0-9])  -(?: (.*))?$")

# RIS reference types to readable publication types.
_TYPES = {
    "JOUR": "Journal Article",
    "JFULL": "Journal Article",
    "MGZN": "Magazine Article",
    "NEWS": "Newspaper Article",
    "BOOK": "Book",
    "EBOOK": "Book",
    "CHAP": "Book Section",
    "ECHAP": "Book Section",
    "CONF": "Conference Proceedings",
    "CPAPER": "Conference Paper",
    "RPRT": "Report",
    "GOVDOC": "Government Document",
    "THES": "Thesis",
    "ELEC": "Web Page",
    "WEB": "Web Page",
    "DATA": "Dataset",
    "GEN": "Generic",
}


class _Block(NamedTuple):
    tags: list[tuple[str, str]]
    raw: str
    closed: bool
    line: int  # where its "TY  - " stands (1-based)


def _blocks(text: str) -> list[_Block]:
    """Each TY ... ER block; lines outside blocks are ignored."""
    blocks: list[_Block] = []
    tags: list[tuple[str, str]] | None = None
    lines: list[str] = []
    start = 0
    for number, line in enumerate(text.split("\n"), start=1):
        match = _TAG.match(line.rstrip())
        if match and match.group(1) == "TY":
            if tags is not None:  # a TY before the previous ER: that record was cut off
                blocks.append(_Block(tags, "\n".join(lines), False, start))
            tags, lines = [(match.group(1), (match.group(2) or "").strip())], [line]
            start = number
            continue
        if tags is None:
            continue
        lines.append(line)
        if match and match.group(1) == "ER":
            blocks.append(_Block(tags, "\n".join(lines), True, start))
            tags, lines = None, []
        elif match:
            tags.append((match.group(1), (match.group(2) or "").strip()))
        elif line.strip() and tags:  # continuation of a wrapped value
            name, value = tags[-1]
            tags[-1] = (name, f"{value} {line.strip()}")
    if tags is not None:
        blocks.append(_Block(tags, "\n".join(lines), False, start))
    return blocks


def _first(tags: list[tuple[str, str]], *names: str) -> str:
    for name in names:
        for tag, value in tags:
            if tag == name and value:
                return value
    return ""


def _all(tags: list[tuple[str, str]], *names: str) -> list[str]:
    return [value for tag, value in tags if tag in names and value]


def _pmid(tags: list[tuple[str, str]]) -> str:
    """PMID from AN/M1 only when labelled ("PMID: 123", "PubMed ID 123") or AN is numeric."""
    for tag, value in tags:
        if tag not in {"AN", "M1", "C2"}:
            continue
        labelled = re.fullmatch(r"(?:PMID|PubMed(?: ID)?)\s*[:=]?\s*(\d{1,9})", value, re.I)
        if labelled:
            return labelled.group(1)
        if tag == "AN" and re.fullmatch(r"\d{1,9}", value):
            return value
    return ""


def _record(tags: list[tuple[str, str]], raw: str):
    type_code = tags[0][1].upper()
    authors: list[Author] = []
    for value in _all(tags, "AU", "A1"):
        author = parse_author(value)
        if author is not None:
            authors.append(author)
    start, end = _first(tags, "SP"), _first(tags, "EP")
    pages = f"{start}-{end}" if start and end and start != end and "-" not in start else start
    keywords: list[str] = []
    for value in _all(tags, "KW"):
        keywords.extend(part for part in re.split(r"\s*;\s*", value) if part)
    types = _all(tags, "M3") or ([_TYPES.get(type_code, type_code)] if type_code else [])
    return make_record(
        raw=raw,
        title=_first(tags, "TI", "T1", "CT"),
        abstract=_first(tags, "AB", "N2"),
        authors=authors,
        year=year_from(_first(tags, "PY", "Y1", "DA")),
        container=_first(tags, "JO", "JF", "T2", "JA", "J2"),
        volume=_first(tags, "VL"),
        issue=_first(tags, "IS"),
        pages=pages,
        doi=_first(tags, "DO"),
        pmid=_pmid(tags),
        publication_types=types,
        keywords=keywords,
        language=_first(tags, "LA"),
        url=_first(tags, "UR", "L2"),
    )


def parse(data: bytes) -> ParseResult:
    text = decode(data, N_("RIS file"))
    blocks = _blocks(text)
    if not blocks:
        raise FormatError(
            N_("The file is not a RIS file: no references starting with «TY  - » were found.")
        )
    if not blocks[-1].closed:
        # The file ends inside a record: the upload or export was cut off. Refuse it whole
        # rather than import a part the user believes is everything.
        raise FormatError(
            N_(
                "The RIS file is cut off: the reference starting on line %(line)s lacks the "
                "closing «ER  - ». Nothing was read; upload the whole file again."
            ),
            {"line": blocks[-1].line},
        )
    result = ParseResult(read=len(blocks))
    for number, (tags, raw, closed, _line) in enumerate(blocks, start=1):
        if not closed:
            result.problems.append(
                problem(
                    number,
                    N_(
                        "Reference %(number)s is incomplete (it lacks the closing «ER  - ») "
                        "and was not read."
                    ),
                )
            )
            continue
        record = _record(tags, raw)
        if not record.title:
            result.problems.append(missing_title(number))
            continue
        result.records.append(record)
    return result
