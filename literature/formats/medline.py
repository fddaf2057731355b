"""PubMed MEDLINE tagged format (.nbib, .txt from "Send to: Citation manager" / "PubMed")."""

from __future__ import annotations

import re

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

# "PMID- 123", "TI  - Title", "FAU - Family, Given": a tag of up to four characters padded
# to four, a dash and a space.
_TAG = re.compile(r"^([A-Z][A-Z0-9]{0,3}) {0,3}- ?(.*)$")
_CONTINUATION = "      "


def _records(text: str) -> list[tuple[list[tuple[str, str]], str, list[str]]]:
    """(tags, raw, stray lines) per record; records are separated by blank lines."""
    records: list[tuple[list[tuple[str, str]], str, list[str]]] = []
    chunks = re.split(r"\n[ \t]*\n+", text.strip("\n"))
    for chunk in chunks:
        if not chunk.strip():
            continue
        tags: list[tuple[str, str]] = []
        stray: list[str] = []
        for line in chunk.split("\n"):
            if line.startswith(_CONTINUATION) and tags:
                name, value = tags[-1]
                tags[-1] = (name, f"{value} {line.strip()}")
                continue
            match = _TAG.match(line.rstrip())
            if match and len(line) >= 5 and line[4] == "-":
                tags.append((match.group(1), match.group(2).strip()))
            elif line.strip():
                stray.append(line)
        records.append((tags, chunk, stray))
    return records


def _first(tags: list[tuple[str, str]], *names: str) -> str:
    for name in names:
        for tag, value in tags:
            if tag == name and value:
                return value
    return ""


def _all(tags: list[tuple[str, str]], *names: str) -> list[str]:
    return [value for tag, value in tags if tag in names and value]


def _doi(tags: list[tuple[str, str]]) -> str:
    for value in _all(tags, "AID", "LID"):
        if value.endswith("[doi]"):
            return value.removesuffix("[doi]").strip()
    return ""


def _authors(tags: list[tuple[str, str]]) -> list[Author]:
    names = _all(tags, "FAU") or _all(tags, "AU")
    authors = [parse_author(name) for name in names]
    if not authors:  # collective authors only: "CN  - Norwegian Covid Group"
        return [Author(family=name, given="") for name in _all(tags, "CN")]
    return [author for author in authors if author is not None]


def parse(data: bytes) -> ParseResult:
    text = decode(data, N_("MEDLINE file"))
    records = _records(text)
    if not any(tags for tags, _raw, _stray in records):
        raise FormatError(
            N_(
                "The file is not in PubMed's MEDLINE format: no lines such as «PMID- » or "
                "«TI  - » were found."
            )
        )
    medline_tags = {"PMID", "FAU", "DP", "TA", "JT", "PT", "STAT", "OWN", "LID", "AID", "PG"}
    if not any(tag in medline_tags for tags, _raw, _stray in records for tag, _value in tags):
        raise FormatError(
            N_(
                "The file is not in PubMed's MEDLINE format (no PMID, DP or PT lines). "
                "Is it a RIS file?"
            )
        )
    # Whole chunks without a single tag (a heading, a note) are not records.
    records = [entry for entry in records if entry[0]]
    result = ParseResult(read=len(records))
    for number, (tags, raw, stray) in enumerate(records, start=1):
        if stray and len(stray) * 2 > len(tags):
            result.problems.append(
                problem(
                    number, N_("Reference %(number)s is not in MEDLINE format and was not read.")
                )
            )
            continue
        record = make_record(
            raw=raw,
            title=_first(tags, "TI", "BTI"),
            abstract=_first(tags, "AB"),
            authors=_authors(tags),
            year=year_from(_first(tags, "DP", "DEP", "EDAT")),
            container=_first(tags, "JT", "TA"),
            volume=_first(tags, "VI"),
            issue=_first(tags, "IP"),
            pages=_first(tags, "PG"),
            doi=_doi(tags),
            pmid=_first(tags, "PMID"),
            publication_types=_all(tags, "PT"),
            keywords=[keyword.lstrip("*") for keyword in _all(tags, "MH", "OT")],
            language=_first(tags, "LA"),
            url=f"https://pubmed.ncbi.nlm.nih.gov/{_first(tags, 'PMID')}/"
            if _first(tags, "PMID").isdigit()
            else "",
        )
        if not record.title:
            result.problems.append(missing_title(number))
            continue
        result.records.append(record)
    return result
