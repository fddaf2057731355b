"""Parse an uploaded .xlsx or .csv file of municipalities for bulk import.

Every row problem is reported at once, so an administrator can fix the whole file in one go.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import PurePath

from klynge import excel
from klynge.excel import CellError as RowError
from klynge.excel import FileFormatError, HeaderMap
from klynge.i18n import gettext as _
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
    "LIMITS",
    "MAX_FILE_BYTES",
    "FileFormatError",
    "MunicipalityRow",
    "RowError",
    "parse_municipality_file",
]

DEFAULT_VALID_FROM = date(2024, 1, 1)
MAX_NAME_LENGTH = 120  # Municipality.name is Varchar(120)
MAX_CELL_CHARS = 10_000  # a municipality row has short cells; anything longer is not this file
LIMITS = excel.Limits(max_rows=10_000, max_cell_chars=MAX_CELL_CHARS)
MAX_FILE_BYTES = LIMITS.max_file_bytes
_EARLIEST_VALID_FROM = date(1838, 1, 1)  # the first municipalities, formannskapslovene 1837
_LATEST_VALID_FROM = date(2100, 1, 1)


@dataclass(frozen=True)
class MunicipalityRow:
    row: int
    number: str
    name: str
    county: str
    population: int | None
    language: LanguageDecision
    valid_from: date


# Column names as reported in RowError.column.
COL_NUMBER = "kommunenummer"
COL_NAME = "navn"
COL_COUNTY = "fylke"
COL_POPULATION = "innbyggere"
COL_LANGUAGE = "målform"
COL_VALID_FROM = "gyldig fra"

_REQUIRED = (COL_NUMBER, COL_NAME)

_HEADER_ALIASES = excel.alias_table(
    {
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
    }
)

Cell = excel.Cell
_is_empty = excel.is_empty


# --- Reading the file ------------------------------------------------------------------------

_WORDING = excel.Wording()


def _read_table(data: bytes, filename: str, max_rows: int) -> excel.Table:
    limits = replace(LIMITS, max_rows=max_rows)
    excel.check_size(data, limits)
    suffix = PurePath(filename.strip()).suffix.lower()
    if suffix == ".xlsx":
        return excel.read_xlsx(data, limits, _WORDING)
    if suffix == ".csv":
        return excel.read_csv(excel.decode_csv(data, limits), limits, _WORDING)
    if suffix in {".xls", ".xlsm", ".ods", ".numbers"}:
        raise FileFormatError(_("The file type is not supported. Save the file as .xlsx or .csv."))
    raise FileFormatError(_("Unknown file type. Upload an .xlsx or .csv file."))


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


def _header_errors(columns: HeaderMap) -> list[RowError]:
    errors = [
        RowError(1, key, _("The column «%(column)s» appears more than once.") % {"column": key})
        for key in columns.duplicates
    ]
    errors += [
        RowError(1, key, _("The column «%(column)s» is missing.") % {"column": key})
        for key in columns.missing(_REQUIRED)
    ]
    return errors


class _RowReader:
    """Reads one data row into fields, collecting each problem against its cell."""

    def __init__(self, row: int, values: list[Cell], columns: HeaderMap, sheet: str) -> None:
        self.row, self.values, self.columns, self.sheet = row, values, columns, sheet
        self.errors: list[RowError] = []

    def cell(self, key: str) -> Cell:
        return self.columns.cell(self.values, key)

    def fail(self, key: str, reason: str) -> None:
        self.errors.append(RowError(self.row, key, reason, self.columns.letter(key), self.sheet))

    def valid_from(self) -> date | None:
        """The row's date, the default when blank, None when it cannot be read."""
        raw = self.cell(COL_VALID_FROM)
        if _is_empty(raw):
            return DEFAULT_VALID_FROM
        try:
            return _parse_date(raw)
        except ValueError:
            self.fail(
                COL_VALID_FROM,
                _("Invalid date. Use the form dd.mm.yyyy (for example 01.01.2024)."),
            )
            return None

    def number(self, on: date) -> str:
        try:
            return validate_kommunenummer(kommunenummer_from_cell(self.cell(COL_NUMBER)), on=on)
        except ValidationError as error:
            self.fail(COL_NUMBER, error.text)
            return ""

    def name(self) -> str:
        name = " ".join(_text(self.cell(COL_NAME)).split())
        if not name:
            self.fail(COL_NAME, _("The name is missing."))
        elif len(name) > MAX_NAME_LENGTH:
            self.fail(
                COL_NAME,
                _("The name is longer than %(count)s characters.") % {"count": MAX_NAME_LENGTH},
            )
        return name

    def county(self, number: str) -> str:
        county = county_for(number) if number else ""
        raw = self.cell(COL_COUNTY)
        if number and not _is_empty(raw) and not _same_county(raw, number, county):
            self.fail(
                COL_COUNTY,
                _(
                    "The county does not match municipality number %(number)s, "
                    "which belongs to %(county)s."
                )
                % {"number": number, "county": county},
            )
        return county

    def population(self) -> int | None:
        raw = self.cell(COL_POPULATION)
        if _is_empty(raw):
            return None
        try:
            return _parse_population(raw)
        except ValueError:
            self.fail(
                COL_POPULATION, _("The population must be a whole number that is not negative.")
            )
            return None

    def language(self) -> LanguageDecision:
        raw = self.cell(COL_LANGUAGE)
        if _is_empty(raw):
            return LanguageDecision.NEUTRAL
        try:
            return parse_language_decision(_text(raw))
        except ValidationError as error:
            self.fail(COL_LANGUAGE, error.text)
            return LanguageDecision.NEUTRAL


def _parse_row(reader: _RowReader, seen: dict[tuple[str, date], int]) -> MunicipalityRow | None:
    """The row if it is valid; `seen` remembers (number, date) pairs to catch duplicates."""
    row = reader.row
    read_date = reader.valid_from()
    valid_from = read_date or DEFAULT_VALID_FROM
    number = reader.number(valid_from)
    name = reader.name()
    county = reader.county(number)
    population = reader.population()
    language = reader.language()
    if number and read_date is not None:
        key = (number, valid_from)
        if (first := seen.get(key)) is not None:
            reader.fail(
                COL_NUMBER,
                _(
                    "Row %(first)s and row %(row)s have the same municipality number "
                    "(%(number)s) and valid-from date (%(date)s)."
                )
                % {"first": first, "row": row, "number": number, "date": f"{valid_from:%d.%m.%Y}"},
            )
        else:
            seen[key] = row
    if reader.errors:
        return None
    return MunicipalityRow(row, number, name, county, population, language, valid_from)


def parse_municipality_file(
    data: bytes, filename: str, *, max_rows: int = LIMITS.max_rows
) -> tuple[list[MunicipalityRow], list[RowError]]:
    """Municipalities from an .xlsx or .csv file, and every problem found in it.

    Raises FileFormatError when the file as a whole cannot be read. Rows with errors are left
    out of the result, so callers should refuse the import when the error list is not empty.
    """
    table = _read_table(data, filename, max_rows)
    columns = excel.map_header(table.header, _HEADER_ALIASES)
    errors = _header_errors(columns)
    if errors:
        return [], errors
    result: list[MunicipalityRow] = []
    seen: dict[tuple[str, date], int] = {}
    for row, values in table.rows:
        reader = _RowReader(row, values, columns, table.sheet)
        parsed = _parse_row(reader, seen)
        errors.extend(reader.errors)
        if parsed is not None:
            result.append(parsed)
    return result, errors
