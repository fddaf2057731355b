"""Spreadsheets of references (.xlsx, .csv): Web of Science, Scopus, Zotero CSV, own lists.

One header row; columns are recognised by name, case- and diacritic-insensitively, in English
and Norwegian. Reuses the zip-bomb check and header split of the municipality import.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Generator
from pathlib import PurePath

import openpyxl

from klynge.orgs.municipality_file import FileFormatError, check_zip, split_header
from literature.formats.record import (
    Author,
    FormatError,
    ParseResult,
    Problem,
    decode,
    make_record,
    missing_title,
    nfc,
    parse_author,
    year_from,
)

__all__ = ["MAX_COLUMNS", "MAX_ROWS", "parse"]

MAX_ROWS = 50_000
MAX_COLUMNS = 100

_ALIASES = {
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
_LOOKUP = {alias: column for column, aliases in _ALIASES.items() for alias in aliases}
_NORWEGIAN_LETTERS = str.maketrans({"ø": "o", "æ": "ae", "å": "a"})


def _fold(value: object) -> str:
    text = nfc(value).casefold().translate(_NORWEGIAN_LETTERS)
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if ch.isalnum() and not unicodedata.combining(ch))


Cell = object
RawRow = tuple[int, list[Cell]]


def _xlsx_rows(data: bytes) -> Generator[RawRow, None, None]:
    try:
        check_zip(data)
    except FileFormatError as error:
        raise FormatError(str(error)) from None
    try:
        workbook = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=True, keep_links=False
        )
    except Exception:  # openpyxl raises many unrelated exception types on malformed input
        raise FormatError(
            "Filen kunne ikke leses som Excel-arbeidsbok (.xlsx). Lagre den på nytt og prøv igjen."
        ) from None
    try:
        if not workbook.worksheets:
            raise FormatError("Excel-filen har ingen regneark.")
        sheet = workbook.worksheets[0]
        for index, values in enumerate(
            sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1
        ):
            yield index, list(values)
    except FormatError:
        raise
    except Exception:  # as above; a broken sheet only fails while its rows are read
        raise FormatError(
            "Regnearket i Excel-filen er skadet og kan ikke leses. "
            "Lagre filen på nytt og prøv igjen."
        ) from None
    finally:
        workbook.close()


def _sniff_delimiter(text: str) -> str:
    header = next((line for line in text.splitlines() if line.strip()), "")
    counts = {delimiter: header.count(delimiter) for delimiter in (";", ",", "\t")}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] > counts[";"] else ";"  # Norwegian Excel writes ";"


def _csv_rows(text: str) -> Generator[RawRow, None, None]:
    # csv's own field limit (131,072 characters) is process-wide and left alone: changing it
    # here would change every other CSV reader in the process. Abstracts fit well within it.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
    try:
        for index, values in enumerate(reader, start=1):
            yield index, list(values[:MAX_COLUMNS])
    except csv.Error:
        raise FormatError(
            "CSV-filen kan ikke leses, for eksempel fordi en celle er altfor lang."
        ) from None


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


def parse(data: bytes, filename: str) -> ParseResult:
    suffix = PurePath(filename.strip()).suffix.lower()
    if not data:
        raise FormatError("Filen er tom.")
    if suffix == ".xlsx":
        rows = _xlsx_rows(data)
    elif suffix in {".csv", ".txt", ".tsv"}:
        if data.startswith(b"PK\x03\x04"):
            raise FormatError("Filen ser ut som en Excel-fil. Gi den endelsen .xlsx og prøv igjen.")
        rows = _csv_rows(decode(data, "CSV-fil"))
    elif suffix in {".xls", ".xlsm", ".ods", ".numbers"}:
        raise FormatError("Filtypen støttes ikke. Lagre filen som .xlsx eller .csv.")
    else:
        raise FormatError("Ukjent filtype for en tabell. Last opp en .xlsx- eller .csv-fil.")
    try:
        header, body = split_header(
            rows,
            MAX_ROWS,
            too_many="referanser",
            missing_header="Første rad skal inneholde kolonnenavn som «Title» og «Authors».",
        )
    except FileFormatError as error:
        raise FormatError(str(error)) from None

    columns: dict[str, int] = {}
    for position, name in enumerate(header):
        column = _LOOKUP.get(_fold(name))
        if column is not None and column not in columns:
            columns[column] = position
    if "title" not in columns:
        raise FormatError(
            "Fant ingen tittelkolonne. Første rad må ha en kolonne som heter «Title» eller "
            "«Tittel»."
        )

    result = ParseResult(read=len(body))
    for number, (_index, values) in enumerate(body, start=1):

        def get(column: str, values: list[Cell] = values) -> str:
            position = columns.get(column)
            if position is None or position >= len(values):
                return ""
            return _cell(values[position])

        raw = "\t".join(_cell(value) for value in values)
        year_text = get("year")
        year = year_from(year_text)
        if year_text and year is None:
            result.problems.append(
                Problem(
                    number,
                    f"Referanse {number} (rad {_index}) har et årstall som ikke kan leses: "
                    f"«{year_text[:40]}». Referansen ble ikke lest inn.",
                )
            )
            continue
        record = make_record(
            raw=raw,
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
        if not record.title:
            result.problems.append(missing_title(number))
            continue
        result.records.append(record)
    return result
