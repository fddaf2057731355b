"""RIS (EndNote, Zotero, Mendeley, Web of Science, Scopus exports), parsed by hand.

A hand parser over "TY  - " ... "ER  - " blocks can report each broken record, which pandoc's
RIS reader cannot: it fails or skips silently.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from klynge.i18n import N_
from literature.formats.record import (
    Author,
    FormatError,
    ParseResult,
    Problem,
    Record,
    decode_pieces,
    make_record,
    missing_title,
    parse_author,
    problem,
    year_from,
)

__all__ = ["parse", "read"]

# "TY  - JOUR": a capital letter, a capital or digit, two spaces, dash, then a space or end of
# line (read by _tag).

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


_UPPER = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_TAG_SECOND = _UPPER | frozenset("0123456789")


class _Block(NamedTuple):
    tags: list[tuple[str, str]]
    raw: str
    closed: bool
    line: int  # where its "TY  - " stands (1-based)


def _tag(line: str) -> tuple[str, str] | None:
    """(tag, value) of a "XY  - value" line, else None: what _TAG matches, without a regex
    (it runs on every line of files of 100,000 records)."""
    line = line.rstrip()
    if line[2:5] != "  -" or (len(line) > 5 and line[5] != " "):
        return None
    if line[0] not in _UPPER or line[1] not in _TAG_SECOND:
        return None
    return line[:2], line[6:].strip()


def _lines(pieces: Iterable[str]) -> Iterator[str]:
    """The lines of text given in pieces of whole lines (as text.split("\n") gives them)."""
    rest = ""
    for piece in pieces:
        lines = (rest + piece).split("\n")
        rest = lines.pop()
        yield from lines
    yield rest


def _blocks(pieces: Iterable[str]) -> Iterator[_Block]:
    """Each TY ... ER block, as the text is read; lines outside blocks are ignored."""
    tags: list[tuple[str, str]] | None = None
    lines: list[str] = []
    start = 0
    for number, line in enumerate(_lines(pieces), start=1):
        tag = _tag(line) if len(line) >= 5 else None
        if tag is not None and tag[0] == "TY":
            if tags is not None:  # a TY before the previous ER: that record was cut off
                yield _Block(tags, "\n".join(lines), False, start)
            tags, lines = [tag], [line]
            start = number
            continue
        if tags is None:
            continue
        lines.append(line)
        if tag is None:
            if line.strip() and tags:  # continuation of a wrapped value
                name, value = tags[-1]
                tags[-1] = (name, f"{value} {line.strip()}")
        elif tag[0] == "ER":
            yield _Block(tags, "\n".join(lines), True, start)
            tags, lines = None, []
        else:
            tags.append(tag)
    if tags is not None:
        yield _Block(tags, "\n".join(lines), False, start)


def _first(first: dict[str, str], *names: str) -> str:
    for name in names:
        if name in first:
            return first[name]
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


def _record(tags: list[tuple[str, str]], raw: str) -> Record:
    first: dict[str, str] = {}  # each tag's first non-empty value
    for tag, value in tags:
        if value and tag not in first:
            first[tag] = value
    type_code = tags[0][1].upper()
    authors: list[Author] = []
    for value in _all(tags, "AU", "A1"):
        author = parse_author(value)
        if author is not None:
            authors.append(author)
    start, end = _first(first, "SP"), _first(first, "EP")
    pages = f"{start}-{end}" if start and end and start != end and "-" not in start else start
    keywords: list[str] = []
    for value in _all(tags, "KW"):
        keywords.extend(part for part in re.split(r"\s*;\s*", value) if part)
    types = _all(tags, "M3") or ([_TYPES.get(type_code, type_code)] if type_code else [])
    return make_record(
        raw=raw,
        title=_first(first, "TI", "T1", "CT"),
        abstract=_first(first, "AB", "N2"),
        authors=authors,
        year=year_from(_first(first, "PY", "Y1", "DA")),
        container=_first(first, "JO", "JF", "T2", "JA", "J2"),
        volume=_first(first, "VL"),
        issue=_first(first, "IS"),
        pages=pages,
        doi=_first(first, "DO"),
        pmid=_pmid(tags),
        publication_types=types,
        keywords=keywords,
        language=_first(first, "LA"),
        url=_first(first, "UR", "L2"),
    )


def parse(data: bytes) -> ParseResult:
    result = ParseResult()
    for number, item in read(data):
        result.read = number
        if isinstance(item, Record):
            result.records.append(item)
        else:
            result.problems.append(item)
    return result


def read(data: bytes) -> Iterator[tuple[int, Record | Problem]]:
    """Each record (or the problem that kept it out) with its number in the file, as the file
    is read. FormatError when the file is not RIS or is cut off: before any record for a file
    that is not text, at the end otherwise (a caller writing as it reads rolls back)."""
    number = 0
    last: _Block | None = None
    for number, block in enumerate(_blocks(decode_pieces(data, N_("RIS file"))), start=1):
        if last is not None:
            yield number - 1, _item(number - 1, last)
        last = block
    if last is None:
        raise FormatError(
            N_("The file is not a RIS file: no references starting with «TY  - » were found.")
        )
    if not last.closed:
        # The file ends inside a record: the upload or export was cut off. Refuse it whole
        # rather than import a part the user believes is everything.
        raise FormatError(
            N_(
                "The RIS file is cut off: the reference starting on line %(line)s lacks the "
                "closing «ER  - ». Nothing was read; upload the whole file again."
            ),
            {"line": last.line},
        )
    yield number, _item(number, last)


def _item(number: int, block: _Block) -> Record | Problem:
    if not block.closed:
        return problem(
            number,
            N_(
                "Reference %(number)s is incomplete (it lacks the closing «ER  - ») "
                "and was not read."
            ),
        )
    record = _record(block.tags, block.raw)
    return record if record.title else missing_title(number)
