"""BibTeX out, with unique ASCII citation keys (the inverse of literature.formats.bibtex). Pure."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from literature.export.common import (
    BIBTEX_ENTRY_TYPES,
    clean,
    csl_type,
    keyword_text,
    record_authors,
)
from literature.formats.record import Author, Record

_KEY_FOLDS = str.maketrans(
    {"æ": "ae", "ø": "o", "å": "a", "œ": "oe", "đ": "d", "ð": "d", "ł": "l", "þ": "th", "ß": "ss"}
)
_KEY_FOLDS_UPPER = str.maketrans(
    {"Æ": "Ae", "Ø": "O", "Å": "A", "Œ": "Oe", "Đ": "D", "Ð": "D", "Ł": "L", "Þ": "Th"}
)


def _ascii(text: str) -> str:
    text = text.translate(_KEY_FOLDS).translate(_KEY_FOLDS_UPPER)
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if ch.isascii() and ch.isalnum())


def bibtex_keys(records: Sequence[Record]) -> list[str]:
    """Unique ASCII keys: family name of the first author, year, first title word
    ("Saether2021Tidlig"); "ref" when nothing is ASCII; "a", "b", ... for repeats."""
    keys: list[str] = []
    used: set[str] = set()
    for record in records:
        authors = record_authors(record)
        family = _ascii(authors[0].family or authors[0].given)[:20] if authors else ""
        word = next((_ascii(part)[:15] for part in clean(record.title).split() if _ascii(part)), "")
        base = f"{family}{record.year or ''}{word.capitalize()}" or "ref"
        if not base[0].isalpha():
            base = f"ref{base}"
        key, suffix = base, 0
        while key.casefold() in used:  # BibTeX keys compare case-insensitively in practice
            suffix += 1
            key = f"{base}{_suffix(suffix)}"
        used.add(key.casefold())
        keys.append(key)
    return keys


def _suffix(number: int) -> str:
    """1 -> "a", 26 -> "z", 27 -> "aa"."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


_LATEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "'": r"\textquotesingle{}",  # pandoc would make quotes typographic
    "`": r"\`{}",
    '"': r"\textquotedbl{}",  # a raw quote could also end a quoted field in bibtex.py's scan
}
_LATEX_SPECIAL = re.compile(r"[\\{}%&$#_~^'`\"]|-(?=-)")


def _latex(value: object) -> str:
    """Text as LaTeX that pandoc reads back unchanged (no ligatures, quotes or math)."""
    return _LATEX_SPECIAL.sub(
        lambda match: "-{}" if match.group(0) == "-" else _LATEX_ESCAPES[match.group(0)],
        clean(value),
    )


def _verbatim(value: object) -> str:
    """DOI and URL fields are read verbatim; only unbalanced braces could break the entry."""
    return clean(value).replace("{", "%7B").replace("}", "%7D")


def _bibtex_name(author: Author) -> str:
    family = "{" + _latex(author.family) + "}"
    if not author.given:
        return family  # a braced single name is an organisation (CSL "literal")
    return f"{family}, {{{_latex(author.given)}}}"


def _bibtex_entry(record: Record, key: str) -> str:
    entry_type = BIBTEX_ENTRY_TYPES.get(csl_type(record), "misc")
    container = "booktitle" if entry_type in {"incollection", "inproceedings"} else "journal"
    fields: list[tuple[str, str]] = [("title", "{" + _latex(record.title) + "}")]
    authors = record_authors(record)
    if authors:
        fields.append(("author", " and ".join(_bibtex_name(author) for author in authors)))
    if record.year is not None:
        fields.append(("year", str(record.year)))
    for name, value in (
        (container, record.container),
        ("volume", record.volume),
        ("number", record.issue),
        ("pages", record.pages),
    ):
        if clean(value):
            fields.append((name, "{" + _latex(value) + "}"))
    for name, value in (("doi", record.doi), ("pmid", record.pmid), ("url", record.url)):
        if clean(value):
            fields.append((name, _verbatim(value)))
    keywords = [text for text in (clean(value) for value in record.keywords) if text]
    if keywords:
        fields.append(("keywords", "{" + _latex(keyword_text(keywords)) + "}"))
    if clean(record.language):
        fields.append(("langid", _latex(record.language)))
    if clean(record.abstract):
        fields.append(("abstract", "{" + _latex(record.abstract) + "}"))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{entry_type}{{{key},\n{body}\n}}\n"


def to_bibtex(records: Sequence[Record]) -> bytes:
    """BibTeX (UTF-8, biblatex field names pandoc and Zotero read: langid, pmid, doi, url)."""
    keys = bibtex_keys(records)
    entries = [_bibtex_entry(record, key) for record, key in zip(records, keys, strict=True)]
    return "\n".join(entries).encode("utf-8")
