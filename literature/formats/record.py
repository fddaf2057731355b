"""The common shape every reference-file parser produces, and the helpers they share.

Pure code: no database, no network. A parser turns bytes into a ParseResult; a file that is
not the format at all raises FormatError with a message the user can act on (an English msgid
with params, shown in the current language: a job's is the language of whoever started it).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from klynge.errors import translate
from klynge.i18n import N_, gettext
from literature.formats.language import normalise_language

__all__ = [
    "Author",
    "FormatError",
    "ParseResult",
    "Problem",
    "Record",
    "decode",
    "decode_pieces",
    "make_record",
    "missing_title",
    "nfc",
    "normalise_doi",
    "parse_author",
    "problem",
    "year_from",
]


class FormatError(ValueError):
    """The file is not the expected format at all (wrong format, binary, truncated).
    `message` is an English msgid (N_) with %(name)s placeholders filled from `params`;
    str() gives it in the current language, meant for the user."""

    def __init__(self, message: str, params: Mapping[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.params = dict(params or {})

    def __str__(self) -> str:
        return translate(self.message, self.params)


@dataclass(frozen=True)
class Author:
    family: str
    given: str


@dataclass(frozen=True)
class Record:
    title: str
    abstract: str
    authors: tuple[Author, ...]
    year: int | None
    container: str
    volume: str
    issue: str
    pages: str
    doi: str
    pmid: str
    publication_types: tuple[str, ...]
    keywords: tuple[str, ...]
    language: str
    url: str
    raw: str


@dataclass(frozen=True)
class Problem:
    record: int  # 1-based position of the record in the file
    reason: str  # shown to the user, in the language current when it was found


@dataclass
class ParseResult:
    records: list[Record] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    read: int = 0  # records seen in the file, good and broken


# --- Text --------------------------------------------------------------------------------------

# C0 control characters other than tab, newline and carriage return never occur in text exports.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


EMPTY = N_("The file is empty.")
_ZIPPED = N_("The file is a compressed file (zip or Excel), not a %(what)s.")
_NOT_TEXT = N_("The file is not a text file and cannot be read as a %(what)s.")
_BINARY = N_("The file contains binary data and cannot be read as a %(what)s.")


def decode(data: bytes, what: str) -> str:
    """Bytes to NFC text: UTF-8 (with or without BOM), else cp1252, else latin-1.

    `what` is a msgid naming the format in messages (N_("RIS file")). Raises FormatError for
    an empty or binary file.
    """
    named = _readable(data, what)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")  # Windows exports from EndNote and Excel
        except UnicodeDecodeError:
            text = data.decode("latin-1")
    if _CONTROL_CHARS.search(text):
        raise FormatError(_BINARY, named)
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


PIECE_BYTES = 1 << 20


def _pieces(data: bytes, size: int) -> Iterator[bytes]:
    """`data` in pieces of about `size` bytes, each ending after a newline (the last one
    excepted). A newline byte is never part of a multi-byte character in UTF-8 or cp1252, and
    NFC never joins across it, so the pieces decode and normalise one by one as the whole."""
    start = 0
    while start < len(data):
        cut = data.find(b"\n", start + size)
        end = len(data) if cut < 0 else cut + 1
        yield data[start:end]
        start = end


def _codec(data: bytes, named: Mapping[str, Any], size: int) -> str:
    """The codec `decode` would pick for the whole file, checked piece by piece (the file's text
    is never held whole); FormatError for binary data, as `decode` gives it."""
    for codec in ("utf-8", "cp1252", "latin-1"):
        try:
            for number, piece in enumerate(_pieces(data, size)):
                text = piece.decode("utf-8-sig" if codec == "utf-8" and number == 0 else codec)
                if _CONTROL_CHARS.search(text):
                    raise FormatError(_BINARY, named)
        except UnicodeDecodeError:
            continue
        return codec
    raise AssertionError("latin-1 decodes every byte")  # pragma: no cover


def _readable(data: bytes, what: str) -> dict[str, str]:
    """Refuse an empty, zipped or binary file (FormatError); the message parameters."""
    if not data or data.isspace():
        raise FormatError(EMPTY)
    named = {"what": gettext(what)}
    if data.startswith(b"PK\x03\x04"):
        raise FormatError(_ZIPPED, named)
    if b"\x00" in data:
        raise FormatError(_NOT_TEXT, named)
    return named


def decode_pieces(data: bytes, what: str, size: int = PIECE_BYTES) -> Iterator[str]:
    """`decode` for large files: the same text (same checks, same errors, raised before any
    text is given) in pieces of whole lines, so a 100 MB file is never held as one string."""
    named = _readable(data, what)
    codec = _codec(data, named, size)
    return _decoded(data, codec, size)


def _decoded(data: bytes, codec: str, size: int) -> Iterator[str]:
    for number, piece in enumerate(_pieces(data, size)):
        text = piece.decode("utf-8-sig" if codec == "utf-8" and number == 0 else codec)
        yield unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def nfc(value: object) -> str:
    """A cell or JSON value as NFC text with collapsed whitespace; None becomes ""."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value))
    return " ".join(text.split())


# --- DOI, year, authors ------------------------------------------------------------------------

_DOI_PREFIX = re.compile(
    r"^(?:(?:https?://)?(?:dx\.)?doi\.org/|doi:\s*|urn:doi:)", flags=re.IGNORECASE
)
_DOI_SHAPE = re.compile(r"^10\.\d{4,9}/\S+$")


def normalise_doi(value: object) -> str:
    """A DOI in lower case without resolver prefix, or "" when the value is no DOI."""
    text = nfc(value).strip()
    previous = None
    while previous != text:  # "doi: https://doi.org/10..." occurs in the wild
        previous = text
        text = _DOI_PREFIX.sub("", text).strip()
    text = "".join(text.split()).lower().rstrip(".,;")
    return text if _DOI_SHAPE.match(text) else ""


_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d|2100)(?!\d)")


def year_from(value: object) -> int | None:
    """The first plausible four-digit year in a date field ("2020/05/01/", "2019 Mar")."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 1500 <= value <= 2100 else None
    if isinstance(value, float) and value.is_integer():
        return year_from(int(value))
    match = _YEAR.search(nfc(value))
    return int(match.group(1)) if match else None


def parse_author(value: str) -> Author | None:
    """ "Family, Given" (or "Given Family" without comma) to an Author; None when empty."""
    text = nfc(value).strip(" ;")
    if not text:
        return None
    if "," in text:
        family, given = text.split(",", 1)
        return Author(family=family.strip(), given=given.strip(" ,"))
    parts = text.rsplit(" ", 1)
    if len(parts) == 2 and not _looks_like_initials(parts[1]):
        return Author(family=parts[1], given=parts[0])
    if len(parts) == 2:  # PubMed "AU - Nordmann O": family first, initials last
        return Author(family=parts[0], given=parts[1])
    return Author(family=text, given="")


def _looks_like_initials(word: str) -> bool:
    return word.isupper() and len(word) <= 3 and word.isalpha()


def _dedupe(values: list[str]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for value in values:
        text = nfc(value)
        if text and text.casefold() not in {key.casefold() for key in seen}:
            seen[text] = None
    return tuple(seen)


def make_record(
    *,
    raw: str,
    title: object = "",
    abstract: object = "",
    authors: list[Author] | tuple[Author, ...] = (),
    year: int | None = None,
    container: object = "",
    volume: object = "",
    issue: object = "",
    pages: object = "",
    doi: object = "",
    pmid: object = "",
    publication_types: list[str] | tuple[str, ...] = (),
    keywords: list[str] | tuple[str, ...] = (),
    language: object = "",
    url: object = "",
) -> Record:
    """A Record with every text field NFC-normalised and trimmed."""
    pmid_text = nfc(pmid)
    return Record(
        title=nfc(title),
        abstract=nfc(abstract),
        authors=tuple(authors),
        year=year,
        container=nfc(container),
        volume=nfc(volume),
        issue=nfc(issue),
        pages=nfc(pages),
        doi=normalise_doi(doi),
        pmid=pmid_text if pmid_text.isdigit() else "",
        publication_types=_dedupe(list(publication_types)),
        keywords=_dedupe(list(keywords)),
        language=normalise_language(nfc(language)),
        url=nfc(url),
        raw=unicodedata.normalize("NFC", raw),
    )


def problem(number: int, message: str, **params: Any) -> Problem:
    """A problem with record `number`, its reason the msgid `message` (placeholders from
    `params` and %(number)s) in the current language."""
    return Problem(record=number, reason=translate(message, {"number": number, **params}))


def missing_title(number: int) -> Problem:
    return problem(number, N_("Reference %(number)s has no title and was not read."))
