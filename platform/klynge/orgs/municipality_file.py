"""Parse an uploaded .xlsx or .csv file of municipalities for bulk import.

Every row problem is reported at once, so an administrator can fix the whole file in one go.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Generator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import PurePath

import openpyxl

from klynge.orgs.validators import (
    LanguageDecision,
    ValidationError,
    county_for,
    kommunenummer_from_cell,
    parse_language_decision,
    validate_kommunenummer,
)

__all__ = [
    "DEFAULT_VALID_FROM",
    "MAX_FILE_BYTES",
    "FileFormatError",
    "MunicipalityRow",
    "RowError",
    "parse_municipality_file",
]

DEFAULT_VALID_FROM = date(2024, 1, 1)
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
# Tiny members (styles, empty sheets) compress extremely well without being dangerous.
_RATIO_CHECK_FROM_BYTES = 1024 * 1024
MAX_ZIP_MEMBERS = 1000
MAX_COLUMNS = 50
MAX_NAME_LENGTH = 120  # Municipality.name is Varchar(120)
_EARLIEST_VALID_FROM = date(1838, 1, 1)  # the first municipalities, formannskapslovene 1837
_LATEST_VALID_FROM = date(2100, 1, 1)


class FileFormatError(ValueError):
    """The file as a whole cannot be read; the message is Norwegian and meant for the user."""


@dataclass(frozen=True)
class MunicipalityRow:
    row: int
    number: str
    name: str
    county: str
    population: int | None
    language: LanguageDecision
    valid_from: date


@dataclass(frozen=True)
class RowError:
    """A problem in one cell; row is the spreadsheet row the user sees, with the header as 1."""

    row: int
    column: str
    reason: str


# Column names as reported in RowError.column.
COL_NUMBER = "kommunenummer"
COL_NAME = "navn"
COL_COUNTY = "fylke"
COL_POPULATION = "innbyggere"
COL_LANGUAGE = "målform"
COL_VALID_FROM = "gyldig fra"

_REQUIRED = (COL_NUMBER, COL_NAME)

# Keys are folded by _fold_header.
_HEADER_ALIASES: dict[str, str] = {
    alias: column
    for column, aliases in {
        COL_NUMBER: (
            "kommunenummer",
            "kommunenr",
            "nummer",
            "knr",
            "nr",
            "number",
            "code",
            "kode",
            "kommunekode",
            "municipalitynumber",
            "municipalitycode",
        ),
        COL_NAME: ("navn", "name", "kommunenavn", "kommune", "municipality", "municipalityname"),
        COL_COUNTY: ("fylke", "county", "fylkesnavn", "fylkenavn"),
        COL_POPULATION: (
            "innbyggere",
            "folketall",
            "population",
            "innbyggertall",
            "antallinnbyggere",
        ),
        COL_LANGUAGE: ("malform", "sprak", "language", "sprakform", "sprakvedtak"),
        COL_VALID_FROM: ("gyldigfra", "validfrom", "fra", "fradato", "gyldigfom", "fom"),
    }.items()
    for alias in aliases
}

_NORWEGIAN_LETTERS = str.maketrans({"ø": "o", "æ": "ae", "å": "a"})


def _fold_header(value: object) -> str:
    text = str(value).casefold().translate(_NORWEGIAN_LETTERS)
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if ch.isalnum() and not unicodedata.combining(ch))


# --- Reading the file into raw rows ------------------------------------------------------------

Cell = object
RawRow = tuple[int, list[Cell]]


def _is_empty(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def check_zip(data: bytes) -> None:
    """Refuse zip bombs before openpyxl inflates anything.

    zipfile stops reading a member at its declared size (and fails the CRC if the data is
    longer), so checking the declared sizes bounds what openpyxl can be made to inflate.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, EOFError, ValueError):
        raise FileFormatError(
            "Filen er ikke en gyldig Excel-fil (.xlsx). Den kan være skadet eller ufullstendig "
            "lastet opp. Lagre den på nytt som Excel-arbeidsbok og prøv igjen."
        ) from None
    if len(members) > MAX_ZIP_MEMBERS:
        raise FileFormatError("Excel-filen har en uvanlig oppbygning og kan ikke leses.")
    total = 0
    for member in members:
        if member.flag_bits & 0x1:
            raise FileFormatError("Excel-filen er passordbeskyttet. Fjern passordet og prøv igjen.")
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > _RATIO_CHECK_FROM_BYTES and ratio > MAX_COMPRESSION_RATIO:
            raise FileFormatError(
                "Excel-filen pakker ut til uforholdsmessig mye data og blir ikke lest."
            )
    if total > MAX_UNCOMPRESSED_BYTES:
        raise FileFormatError(
            "Excel-filen er for stor når den pakkes ut. Del den opp i flere filer."
        )


def _xlsx_rows(data: bytes) -> Generator[RawRow, None, None]:
    check_zip(data)
    try:
        workbook = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=True, keep_links=False
        )
    except Exception:  # openpyxl raises many unrelated exception types on malformed input
        raise FileFormatError(
            "Filen kunne ikke leses som Excel-arbeidsbok (.xlsx). Lagre den på nytt og prøv igjen."
        ) from None
    try:
        if not workbook.worksheets:
            raise FileFormatError("Excel-filen har ingen regneark.")
        sheet = workbook.worksheets[0]
        for index, values in enumerate(
            sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1
        ):
            yield index, list(values)
    except FileFormatError:
        raise
    except Exception:  # as above; a broken sheet only fails while its rows are read
        raise FileFormatError(
            "Regnearket i Excel-filen er skadet og kan ikke leses. "
            "Lagre filen på nytt og prøv igjen."
        ) from None
    finally:
        workbook.close()


# C0 control characters other than tab, newline and carriage return never occur in real CSV.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _decode_csv(data: bytes) -> str:
    if data.startswith(b"PK\x03\x04"):
        raise FileFormatError("Filen ser ut som en Excel-fil. Gi den endelsen .xlsx og prøv igjen.")
    if b"\x00" in data:
        raise FileFormatError(
            "Filen er ikke en tekstfil (CSV). Lagre den som «CSV UTF-8» eller .xlsx og prøv igjen."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            # Excel's plain "CSV" on Norwegian Windows writes cp1252.
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise FileFormatError(
                "Tegnkodingen i filen ble ikke gjenkjent. Lagre den som «CSV UTF-8» og prøv igjen."
            ) from None
    if _CONTROL_CHARS.search(text):
        raise FileFormatError(
            "Filen inneholder tegn som ikke hører hjemme i en CSV-fil. "
            "Lagre den som «CSV UTF-8» eller .xlsx og prøv igjen."
        )
    return text


def _sniff_delimiter(text: str) -> str:
    header = next((line for line in text.splitlines() if line.strip()), "")
    counts = {delimiter: header.count(delimiter) for delimiter in (";", ",", "\t")}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    # Norwegian Excel writes ";" because "," is the decimal separator, so it wins ties.
    return best if counts[best] > counts[";"] else ";"


MAX_CELL_CHARS = 10_000  # a municipality row has short cells; anything longer is not this file


def _csv_rows(data: bytes) -> Generator[RawRow, None, None]:
    text = _decode_csv(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
    try:
        # Excel shows one row per record, so the record count is the row number the user sees.
        for index, values in enumerate(reader, start=1):
            # Our own limit, not csv.field_size_limit(): that one is process-wide state.
            if any(len(value) > MAX_CELL_CHARS for value in values):
                raise FileFormatError(f"Rad {index} har en celle som er altfor lang.")
            yield index, list(values[:MAX_COLUMNS])
    except csv.Error:
        raise FileFormatError(
            "CSV-filen kan ikke leses, for eksempel fordi en celle er altfor lang."
        ) from None


def _read_rows(data: bytes, filename: str, max_rows: int) -> tuple[list[Cell], list[RawRow]]:
    if not data:
        raise FileFormatError("Filen er tom.")
    if len(data) > MAX_FILE_BYTES:
        raise FileFormatError("Filen er for stor. Største tillatte størrelse er 20 MB.")
    suffix = PurePath(filename.strip()).suffix.lower()
    if suffix == ".xlsx":
        rows = _xlsx_rows(data)
    elif suffix == ".csv":
        rows = _csv_rows(data)
    elif suffix in {".xls", ".xlsm", ".ods", ".numbers"}:
        raise FileFormatError("Filtypen støttes ikke. Lagre filen som .xlsx eller .csv.")
    else:
        raise FileFormatError("Ukjent filtype. Last opp en .xlsx- eller .csv-fil.")
    return split_header(
        rows,
        max_rows,
        too_many="rader med data",
        missing_header="Første rad skal inneholde kolonnenavn.",
    )


def split_header(
    rows: Generator[RawRow, None, None],
    max_rows: int,
    *,
    too_many: str,
    missing_header: str,
) -> tuple[list[Cell], list[RawRow]]:
    """The header row and the non-empty data rows, at most max_rows of them. Closes the row
    source (and so the workbook) at once, also when it stops early. Shared by every
    spreadsheet import; `too_many` names the rows, `missing_header` says what row 1 holds."""
    header: list[Cell] | None = None
    body: list[RawRow] = []
    try:
        for index, values in rows:
            if header is None:
                header = values
                continue
            if all(_is_empty(cell) for cell in values):
                continue
            if len(body) >= max_rows:
                limit = f"{max_rows:,}".replace(",", "\u00a0")
                raise FileFormatError(
                    f"Filen har flere enn {limit} {too_many}. Del den opp i flere filer."
                )
            body.append((index, values))
    finally:
        rows.close()
    if header is None or all(_is_empty(cell) for cell in header):
        raise FileFormatError(f"Filen mangler overskriftsrad. {missing_header}")
    return header, body


# --- Interpreting cells ------------------------------------------------------------------------


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


_THOUSANDS_SEPARATORS = str.maketrans("", "", " \u00a0\u202f\u2009")


def _parse_population(cell: Cell) -> int:
    if isinstance(cell, bool):
        raise ValueError
    if isinstance(cell, int):
        value = cell
    elif isinstance(cell, float):
        if not cell.is_integer():
            raise ValueError
        value = int(cell)
    else:
        text = _text(cell).translate(_THOUSANDS_SEPARATORS)
        if not (text.isascii() and text.isdigit()):
            raise ValueError
        value = int(text)
    if value < 0:
        raise ValueError
    return value


_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_NORWEGIAN_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")


def _parse_date(cell: Cell) -> date:
    if isinstance(cell, datetime):
        parsed = cell.date()
    elif isinstance(cell, date):
        parsed = cell
    else:
        text = _text(cell)
        # Excel writes dates with a midnight time ("2024-01-01 00:00:00") in some exports.
        text = text.removesuffix(" 00:00:00").removesuffix("T00:00:00")
        if match := _ISO_DATE.fullmatch(text):
            year, month, day = (int(part) for part in match.groups())
        elif match := _NORWEGIAN_DATE.fullmatch(text):
            day, month, year = (int(part) for part in match.groups())
        else:
            raise ValueError
        parsed = date(year, month, day)
    if not _EARLIEST_VALID_FROM <= parsed < _LATEST_VALID_FROM:
        raise ValueError
    return parsed


# SSB's official names add Sami and Kven forms: "Troms - Romsa - Tromssa".
_NAME_VARIANT_SEPARATOR = re.compile(r"\s+[-\u2013]\s+")


def _same_county(given: Cell, number: str, county: str) -> bool:
    text = _text(given)
    if text.isascii() and text.isdigit():
        return text.zfill(2) == number[:2]
    first_name = _NAME_VARIANT_SEPARATOR.split(text)[0]
    return " ".join(first_name.split()).casefold() == county.casefold()


# --- Public entry point ------------------------------------------------------------------------


def _map_header(header: list[Cell]) -> tuple[dict[str, int], list[RowError]]:
    columns: dict[str, int] = {}
    errors: list[RowError] = []
    for position, cell in enumerate(header):
        if _is_empty(cell):
            continue
        column = _HEADER_ALIASES.get(_fold_header(cell))
        if column is None:
            continue  # extra columns are allowed, so a register export can be uploaded as is
        if column in columns:
            errors.append(RowError(1, column, f"Kolonnen «{column}» finnes mer enn én gang."))
            continue
        columns[column] = position
    for column in _REQUIRED:
        if column not in columns:
            errors.append(RowError(1, column, f"Mangler kolonnen «{column}»."))
    return columns, errors


def parse_municipality_file(
    data: bytes, filename: str, *, max_rows: int = 10_000
) -> tuple[list[MunicipalityRow], list[RowError]]:
    """Municipalities from an .xlsx or .csv file, and every problem found in it.

    Raises FileFormatError when the file as a whole cannot be read. Rows with errors are left
    out of the result, so callers should refuse the import when the error list is not empty.
    """
    header, body = _read_rows(data, filename, max_rows)
    columns, errors = _map_header(header)
    if errors:
        return [], errors

    def cell(values: list[Cell], column: str) -> Cell:
        position = columns.get(column)
        if position is None or position >= len(values):
            return None
        return values[position]

    result: list[MunicipalityRow] = []
    seen: dict[tuple[str, date], int] = {}
    for row, values in body:
        row_errors: list[RowError] = []

        valid_from = DEFAULT_VALID_FROM
        raw_date = cell(values, COL_VALID_FROM)
        date_ok = True
        if not _is_empty(raw_date):
            try:
                valid_from = _parse_date(raw_date)
            except ValueError:
                date_ok = False
                row_errors.append(
                    RowError(
                        row,
                        COL_VALID_FROM,
                        "Ugyldig dato. Bruk formen dd.mm.åååå (for eksempel 01.01.2024).",
                    )
                )

        number = ""
        try:
            number = validate_kommunenummer(
                kommunenummer_from_cell(cell(values, COL_NUMBER)), on=valid_from
            )
        except ValidationError as error:
            row_errors.append(RowError(row, COL_NUMBER, error.message))

        name = _text(cell(values, COL_NAME))
        name = " ".join(name.split())
        if not name:
            row_errors.append(RowError(row, COL_NAME, "Navn mangler."))
        elif len(name) > MAX_NAME_LENGTH:
            row_errors.append(
                RowError(row, COL_NAME, f"Navnet er lengre enn {MAX_NAME_LENGTH} tegn.")
            )

        county = county_for(number) if number else ""
        raw_county = cell(values, COL_COUNTY)
        if number and not _is_empty(raw_county) and not _same_county(raw_county, number, county):
            row_errors.append(
                RowError(
                    row,
                    COL_COUNTY,
                    f"Fylket stemmer ikke med kommunenummeret {number}, som hører til {county}.",
                )
            )

        population: int | None = None
        raw_population = cell(values, COL_POPULATION)
        if not _is_empty(raw_population):
            try:
                population = _parse_population(raw_population)
            except ValueError:
                row_errors.append(
                    RowError(
                        row,
                        COL_POPULATION,
                        "Innbyggertallet må være et helt tall som ikke er negativt.",
                    )
                )

        language = LanguageDecision.NEUTRAL
        raw_language = cell(values, COL_LANGUAGE)
        if not _is_empty(raw_language):
            try:
                language = parse_language_decision(_text(raw_language))
            except ValidationError as error:
                row_errors.append(RowError(row, COL_LANGUAGE, error.message))

        if number and date_ok:
            key = (number, valid_from)
            if (first := seen.get(key)) is not None:
                row_errors.append(
                    RowError(
                        row,
                        COL_NUMBER,
                        f"Rad {first} og rad {row} har samme kommunenummer ({number}) og "
                        f"gyldig fra-dato ({valid_from:%d.%m.%Y}).",
                    )
                )
            else:
                seen[key] = row

        if row_errors:
            errors.extend(row_errors)
            continue
        result.append(
            MunicipalityRow(
                row=row,
                number=number,
                name=name,
                county=county,
                population=population,
                language=language,
                valid_from=valid_from,
            )
        )
    return result, errors
