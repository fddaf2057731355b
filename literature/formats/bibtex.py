"""BibTeX / BibLaTeX, read by the pandoc bundled with `pypandoc-binary` into CSL-JSON.

pandoc turns LaTeX accents ({\\"o}, {\\aa}, \\ss) into Unicode. It stops at the first syntax
error and silently leaves out entries it cannot use, so the entries are counted here, and
when pandoc fails on the whole file the file is bisected to find and report the broken entries
while the rest are still imported.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections import defaultdict, deque
from dataclasses import dataclass
from typing import Any

from klynge.i18n import N_
from literature.formats.csljson import item_to_record
from literature.formats.record import (
    FormatError,
    ParseResult,
    Problem,
    decode,
    missing_title,
    problem,
)

__all__ = ["MAX_PANDOC_RUNS", "PANDOC_TIMEOUT_SECONDS", "parse"]

PANDOC_TIMEOUT_SECONDS = 60
# pandoc runs spent finding broken entries; a file broken everywhere is not bisected to the end.
MAX_PANDOC_RUNS = 200

_ENTRY = re.compile(r"^[ \t]*@[ \t]*([A-Za-z]+)[ \t]*[{(][ \t]*([^,\s{}()]*)", re.MULTILINE)
_NOT_ENTRIES = {"comment", "string", "preamble"}


# A broken entry's problem, without and with its citation key.
_SYNTAX = (
    N_("Reference %(number)s has errors in the BibTeX syntax and was not read."),
    N_("Reference %(number)s (%(key)s) has errors in the BibTeX syntax and was not read."),
)
_UNREADABLE = (
    N_("Reference %(number)s could not be interpreted and was not read."),
    N_("Reference %(number)s (%(key)s) could not be interpreted and was not read."),
)


def _problem(number: int, key: str, plain: str, keyed: str) -> Problem:
    return problem(number, keyed, key=key) if key else problem(number, plain)


_TITLE_FIELD = re.compile(r"(?<![A-Za-z])(title|subtitle|titleaddon)[ \t]*=[ \t]*([{\"])", re.I)


@dataclass
class _Entry:
    key: str
    text: str  # as in the file, for Record.raw
    protected: str  # with title fields braced, for pandoc


def _closing(text: str, start: int, opener: str) -> int | None:
    """Index of the delimiter closing the value that opens at text[start] (or None)."""
    depth = 0
    index = start + 1
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            if depth == 0:
                return index if opener == "{" else None
            depth -= 1
        elif char == '"' and opener == '"' and depth == 0:
            return index
        index += 1
    return None


def _protect_titles(text: str) -> str:
    """Brace whole title values: pandoc otherwise sentence-cases titles it takes for English
    ("Cafés in Oslo" becomes "Cafés in oslo"), losing the capitals of names."""
    parts: list[str] = []
    position = 0
    for match in _TITLE_FIELD.finditer(text):
        start = match.start(2)
        if start < position:
            continue
        end = _closing(text, start, match.group(2))
        if end is None:
            continue
        parts.append(text[position:start])
        parts.append("{{" + text[start + 1 : end] + "}}")
        position = end + 1
    parts.append(text[position:])
    return "".join(parts)


def _pandoc_path() -> str:
    import pypandoc  # imported lazily: only BibTeX needs pandoc

    return pypandoc.get_pandoc_path()


class _PandocFailed(Exception):
    pass


def _pandoc(text: str) -> list[dict[str, Any]]:
    try:
        completed = subprocess.run(  # noqa: S603 - fixed argv, input on stdin
            [_pandoc_path(), "-f", "bibtex", "-t", "csljson"],
            input=text.encode("utf-8"),
            capture_output=True,
            timeout=PANDOC_TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise FormatError(
            N_("The BibTeX file took too long to read. Split it into smaller files and try again.")
        ) from None
    if completed.returncode != 0:
        raise _PandocFailed(completed.stderr.decode("utf-8", "replace"))
    items = json.loads(completed.stdout.decode("utf-8") or "[]")
    return [item for item in items if isinstance(item, dict)]


def _split(text: str) -> tuple[str, list[_Entry]]:
    """The @string/@preamble definitions (needed by every entry) and the entries in order."""
    matches = list(_ENTRY.finditer(text))
    definitions: list[str] = []
    entries: list[_Entry] = []
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        chunk = text[match.start() : end]
        kind = match.group(1).lower()
        if kind in {"string", "preamble"}:
            definitions.append(chunk)
        elif kind != "comment":
            entries.append(_Entry(key=match.group(2), text=chunk, protected=_protect_titles(chunk)))
    return "".join(definitions), entries


def _convert(
    definitions: str, entries: list[_Entry], failed: list[int], runs: list[int], offset: int = 0
) -> list[dict[str, Any]]:
    """pandoc over the entries; on failure, halve until each broken entry stands alone."""
    if not entries:
        return []
    runs[0] += 1
    if runs[0] > MAX_PANDOC_RUNS:
        raise FormatError(
            N_(
                "The BibTeX file has errors in so many references that it cannot be read. "
                "Export it again from the reference manager."
            )
        )
    try:
        return _pandoc(definitions + "\n" + "\n".join(entry.protected for entry in entries))
    except _PandocFailed:
        if len(entries) == 1:
            failed.append(offset)
            return []
    middle = len(entries) // 2
    return _convert(definitions, entries[:middle], failed, runs, offset) + _convert(
        definitions, entries[middle:], failed, runs, offset + middle
    )


def parse(data: bytes) -> ParseResult:
    text = decode(data, N_("BibTeX file"))
    definitions, entries = _split(text)
    if not entries:
        raise FormatError(
            N_(
                "The file is not a BibTeX file: no references starting with «@article{» or "
                "similar were found."
            )
        )
    failed: list[int] = []
    items = _convert(definitions, entries, failed, [0])
    by_key: dict[str, deque[dict[str, Any]]] = defaultdict(deque)
    for item in items:
        by_key[str(item.get("id", ""))].append(item)

    result = ParseResult(read=len(entries))
    broken = set(failed)
    for index, entry in enumerate(entries):
        number = index + 1
        if index in broken:
            result.problems.append(_problem(number, entry.key, *_SYNTAX))
            continue
        queue = by_key.get(entry.key)
        if not entry.key or not queue:
            result.problems.append(_problem(number, entry.key, *_UNREADABLE))
            continue
        record = item_to_record(queue.popleft(), raw=entry.text.strip())
        if not record.title:
            result.problems.append(missing_title(number))
            continue
        result.records.append(record)
    return result
