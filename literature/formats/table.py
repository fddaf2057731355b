"""Spreadsheets of references (.xlsx, .csv): Web of Science, Scopus, Zotero CSV, own lists.

One header row; columns are recognised by name, case- and diacritic-insensitively, in English
and Norwegian. Reading, limits and the zip-bomb check are the core's spreadsheet toolkit.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import PurePath

from klynge import excel
from klynge.i18n import N_
from literature.formats.record import (
    EMPTY,
    Author,
    FormatError,
    ParseResult,
    Problem,
    Record,
    decode,
    make_record,
    missing_title,
    nfc,
    parse_author,
    problem,
    year_from,
)

__all__ = ["MAX_COLUMNS", "MAX_ROWS", "parse"]

MAX_ROWS = 50_000
MAX_COLUMNS = 100
# No file size limit of its own: the upload limit applies. csv's own field limit (131,072
# characters) is left as it is: abstracts fit well within it.
LIMITS = excel.Limits(max_file_bytes=None, max_columns=MAX_COLUMNS, max_rows=MAX_ROWS)
_WORDING = excel.Wording(
    too_many=N_("The file has more than %(limit)s references. Split it into several files."),
    missing_header=N_(
        "The file has no header row. The first row must hold column names such as «Title» "
        "and «Authors»."
    ),
)

_LOOKUP = excel.alias_table(
    {
        "title": ("title", "tittel", "articletitle", "documenttitle", "ti"),
        "abstract": ("abstract", "sammendrag", "abstractnote", "ab", "summary"),
        "authors": ("authors", "author", "forfattere", "forfatter", "authorfullnames", "au"),
        "year": ("year", "ar", "publicationyear", "pubyear", "py", "utgivelsesar", "arstall"),
        "journal": (
            "journal",
            "tidsskrift",
            "sourcetitle",
            "source",
            "publicationtitle",
            "journaltitle",
            "so",
        ),
        "doi": ("doi", "di"),
        "pmid": ("pmid", "pubmedid", "pubmed"),
        "keywords": ("keywords", "authorkeywords", "emneord", "nokkelord", "manualtags", "de"),
        "url": ("url", "link", "lenke"),
        "volume": ("volume", "volum", "vl"),
        "issue": ("issue", "number", "hefte", "nummer", "is"),
        "pages": ("pages", "sider", "pp"),
        "language": ("language", "sprak", "languageofdocument", "la"),
        "type": (
            "type",
            "documenttype",
            "itemtype",
            "publicationtype",
            "publicationtypes",
            "publikasjonstype",
            "publikasjonstyper",
            "dt",
        ),
    }
)

Cell = excel.Cell


@contextmanager
def _as_format_error() -> Iterator[None]:
    """The toolkit's whole-file errors as this package's FormatError, message unchanged."""
    try:
        yield
    except excel.FileFormatError as error:
        raise FormatError(error.message, error.params) from None


def _read_table(data: bytes, filename: str) -> excel.Table:
    suffix = PurePath(filename.strip()).suffix.lower()
    if not data:
        raise FormatError(EMPTY)
    if suffix == ".xlsx":
        with _as_format_error():
            return excel.read_xlsx(data, LIMITS, _WORDING)
    if suffix in {".csv", ".txt", ".tsv"}:
        if data.startswith(b"PK\x03\x04"):
            raise FormatError(
                N_("The file looks like an Excel file. Give it the ending .xlsx and try again.")
            )
        text = decode(data, N_("CSV file"))  # the literature formats' own decoding (NFC, latin-1)
        with _as_format_error():
            return excel.read_csv(text, LIMITS, _WORDING)
    if suffix in {".xls", ".xlsm", ".ods", ".numbers"}:
        raise FormatError(N_("The file type is not supported. Save the file as .xlsx or .csv."))
    raise FormatError(N_("Unknown file type for a table. Upload an .xlsx or .csv file."))


def _authors(value: object) -> list[Author]:
    text = nfc(value)
    if not text:
        return []
    # "Family, Given; Family2, Given2"; Web of Science and Scopus use ";" too.
    parts = re.split(r"\s*;\s*", text) if ";" in text else [text]
    authors = [parse_author(part) for part in parts]
    return [author for author in authors if author is not None]


def _keywords(value: object) -> list[str]:
    text = nfc(value)
    separator = ";" if ";" in text else ","
    return [part.strip() for part in text.split(separator) if part.strip()]


def _cell(value: Cell) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel stores PMIDs and years as floats
    return nfc(value)


def _row(number: int, index: int, values: list[Cell], columns: excel.HeaderMap) -> Record | Problem:
    """The record in one data row, or the problem that keeps it out."""

    def get(column: str) -> str:
        return _cell(columns.cell(values, column))

    year_text = get("year")
    year = year_from(year_text)
    if year_text and year is None:
        return problem(
            number,
            N_(
                "Reference %(number)s (row %(row)s) has a year that cannot be read: "
                "«%(year)s». The reference was not read."
            ),
            row=index,
            year=year_text[:40],
        )
    record = make_record(
        raw="\t".join(_cell(value) for value in values),
        title=get("title"),
        abstract=get("abstract"),
        authors=_authors(get("authors")),
        year=year,
        container=get("journal"),
        volume=get("volume"),
        issue=get("issue"),
        pages=get("pages"),
        doi=get("doi"),
        pmid=get("pmid"),
        # "Article; Early Access" (Web of Science); "," occurs inside PubMed types.
        publication_types=[part for part in re.split(r"\s*;\s*", get("type")) if part],
        keywords=_keywords(get("keywords")),
        language=get("language"),
        url=get("url"),
    )
    return record if record.title else missing_title(number)


def parse(data: bytes, filename: str) -> ParseResult:
    table = _read_table(data, filename)
    columns = excel.map_header(table.header, _LOOKUP)
    if "title" not in columns.positions:
        raise FormatError(
            N_("Found no title column. The first row must have a column named «Title» or «Tittel».")
        )
    result = ParseResult(read=len(table.rows))
    for number, (index, values) in enumerate(table.rows, start=1):
        parsed = _row(number, index, values, columns)
        if isinstance(parsed, Problem):
            result.problems.append(parsed)
        else:
            result.records.append(parsed)
    return result
