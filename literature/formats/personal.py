"""Imported records go through the privacy guard: a record with a national ID number anywhere
(title, abstract, authors, keywords, the raw text ...) is reported as broken and not stored.

Pure code: the guard of klynge.privacy over parsed records; no database."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from klynge import privacy
from klynge.i18n import N_, gettext
from literature.formats.record import ParseResult, Problem, Record, problem

__all__ = ["numbered", "personal_data_problem", "without_personal_data"]

# Where the number was found, as the problem names it.
_FIELD_NAMES = {
    "title": N_("title"),
    "abstract": N_("abstract"),
    "authors": N_("authors"),
    "container": N_("journal"),
    "keywords": N_("keywords"),
    "publication_types": N_("publication type"),
    "raw": N_("the record"),
}


def _fields(record: Record) -> dict[str, str]:
    return {
        "title": record.title,
        "abstract": record.abstract,
        "authors": "\n".join(f"{a.family}, {a.given}" for a in record.authors),
        "container": record.container,
        "keywords": "\n".join(record.keywords),
        "publication_types": "\n".join(record.publication_types),
        "raw": record.raw,
    }


def _record_numbers(result: ParseResult) -> list[int]:
    """The 1-based position in the file of each parsed record: the numbers of the records
    read, without those reported broken, in order."""
    broken = {p.record for p in result.problems}
    numbers = [n for n in range(1, result.read + 1) if n not in broken]
    if len(numbers) < len(result.records):  # a parser that counts otherwise: best effort
        numbers += range(len(numbers) + 1, len(result.records) + 1)
    return numbers


def numbered(result: ParseResult) -> Iterator[tuple[int, Record | Problem]]:
    """The parse result's problems, then its records in their order, with their numbers in the
    file (what a streaming parser gives, for an import that reads a whole result)."""
    yield from ((p.record, p) for p in result.problems)
    yield from zip(_record_numbers(result), result.records, strict=False)


def personal_data_problem(number: int, record: Record) -> Problem | None:
    """The problem that keeps record `number` out when it holds a national ID number."""
    found = [name for name, text in _fields(record).items() if privacy.contains_national_id(text)]
    if not found:
        return None
    where = ", ".join(gettext(_FIELD_NAMES[name]) for name in found)
    return problem(
        number,
        N_(
            "Reference %(number)s contains what looks like a national identity number "
            "or D number (%(where)s) and was not read."
        ),
        where=where,
    )


def without_personal_data(result: ParseResult) -> ParseResult:
    """The result with every record holding a national ID number moved to the problems."""
    kept: list[Record] = []
    problems = list(result.problems)
    for number, record in zip(_record_numbers(result), result.records, strict=False):
        found = personal_data_problem(number, record)
        if found is None:
            kept.append(record)
        else:
            problems.append(found)
    problems.sort(key=lambda p: p.record)
    return replace(result, records=kept, problems=problems)
