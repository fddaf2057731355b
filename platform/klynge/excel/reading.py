"""Read the first (or a named) sheet of an .xlsx file, or a CSV text, into a header row and
numbered data rows, with the same limits and messages for every import."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Generator
from dataclasses import dataclass

import openpyxl

from klynge.excel.archive import Limits, check_size, check_zip
from klynge.excel.errors import FileFormatError
from klynge.excel.headers import fold, is_empty
from klynge.i18n import N_

LOOKS_LIKE_EXCEL = N_("The file looks like an Excel file. Give it the ending .xlsx and try again.")

Cell = object
RawRow = tuple[int, list[Cell]]


@dataclass(frozen=True)
class Table:
    """A header row and the non-empty data rows, each with the row number the user sees."""

    header: list[Cell]
    rows: list[RawRow]
    sheet: str = ""  # "" for CSV


@dataclass(frozen=True)
class Wording:
    """How an import words its two whole-file problems, as English msgids (N_) translated
    when shown: too many rows (with %(limit)s, naming its rows: "knowledge needs"), and a
    missing header row (saying what the first row should hold)."""

    too_many: str = N_(
        "The file has more than %(limit)s rows of data. Split it into several files."
    )
    missing_header: str = N_(
        "The file has no header row. The first row must hold the column names."
    )


def read_xlsx(
    data: bytes, limits: Limits, wording: Wording = Wording(), *, sheet: str | None = None
) -> Table:
    """The sheet named `sheet` (compared folded), else the first sheet, as a Table."""
    check_size(data, limits)
    names: list[str] = []
    rows = _xlsx_rows(data, limits, sheet, names)
    header, body = split_header(rows, limits.max_rows, wording)
    return Table(header, body, names[0] if names else "")


def _xlsx_rows(
    data: bytes, limits: Limits, wanted: str | None, names: list[str]
) -> Generator[RawRow, None, None]:
    check_zip(data, limits)
    try:
        workbook = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=True, keep_links=False
        )
    except Exception:  # openpyxl raises many unrelated exception types on malformed input
        raise FileFormatError(
            N_("The file could not be read as an Excel workbook (.xlsx). Save it again and retry.")
        ) from None
    try:
        if not workbook.worksheets:
            raise FileFormatError(N_("The Excel file has no worksheets."))
        folded = fold(wanted) if wanted else None
        sheet = next(
            (ws for ws in workbook.worksheets if folded and fold(ws.title) == folded),
            workbook.worksheets[0],
        )
        names.append(sheet.title)
        for index, values in enumerate(
            sheet.iter_rows(max_col=limits.max_columns, values_only=True), start=1
        ):
            yield index, list(values)
    except FileFormatError:
        raise
    except Exception:  # as above; a broken sheet only fails while its rows are read
        raise FileFormatError(
            N_("The worksheet in the Excel file is damaged and cannot be read. Save it again.")
        ) from None
    finally:
        workbook.close()


def read_csv(text: str, limits: Limits, wording: Wording = Wording()) -> Table:
    """A decoded CSV text (see decode_csv) as a Table; the delimiter is sniffed."""
    header, body = split_header(_csv_rows(text, limits), limits.max_rows, wording)
    return Table(header, body)


def _csv_rows(text: str, limits: Limits) -> Generator[RawRow, None, None]:
    # csv.field_size_limit() is process-wide state, so the cell limit is our own.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    try:
        # Excel shows one row per record, so the record count is the row number the user sees.
        for index, values in enumerate(reader, start=1):
            if limits.max_cell_chars is not None and any(
                len(value) > limits.max_cell_chars for value in values
            ):
                raise FileFormatError(
                    N_("Row %(row)s has a cell that is far too long."), {"row": index}
                )
            yield index, list(values[: limits.max_columns])
    except csv.Error:
        raise FileFormatError(
            N_("The CSV file cannot be read, for example because a cell is far too long.")
        ) from None


def sniff_delimiter(text: str) -> str:
    """ ";", "," or tab, by counting them in the first non-blank line."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    counts = {delimiter: header.count(delimiter) for delimiter in (";", ",", "\t")}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    # Norwegian Excel writes ";" because "," is the decimal separator, so it wins ties.
    return best if counts[best] > counts[";"] else ";"


# C0 control characters other than tab, newline and carriage return never occur in real CSV.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def decode_csv(data: bytes, limits: Limits) -> str:
    """CSV bytes as text: UTF-8 (with or without BOM), else cp1252; binary files refused."""
    check_size(data, limits)
    if data.startswith(b"PK\x03\x04"):
        raise FileFormatError(LOOKS_LIKE_EXCEL)
    if b"\x00" in data:
        raise FileFormatError(
            N_("The file is not a text file (CSV). Save it as «CSV UTF-8» or .xlsx and try again.")
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            # Excel's plain "CSV" on Norwegian Windows writes cp1252.
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise FileFormatError(
                N_("The file's character encoding was not recognised. Save it as «CSV UTF-8».")
            ) from None
    if _CONTROL_CHARS.search(text):
        raise FileFormatError(
            N_(
                "The file holds characters that do not belong in a CSV file. Save it as "
                "«CSV UTF-8» or .xlsx and try again."
            )
        )
    return text


def split_header(
    rows: Generator[RawRow, None, None], max_rows: int, wording: Wording
) -> tuple[list[Cell], list[RawRow]]:
    """The header row and the non-empty data rows, at most max_rows of them. Closes the row
    source (and so the workbook) at once, also when it stops early."""
    header: list[Cell] | None = None
    body: list[RawRow] = []
    try:
        for index, values in rows:
            if header is None:
                header = values
                continue
            if all(is_empty(cell) for cell in values):
                continue
            if len(body) >= max_rows:
                limit = f"{max_rows:,}".replace(",", "\u00a0")
                raise FileFormatError(wording.too_many, {"limit": limit})
            body.append((index, values))
    finally:
        rows.close()
    if header is None or all(is_empty(cell) for cell in header):
        raise FileFormatError(wording.missing_header)
    return header, body
