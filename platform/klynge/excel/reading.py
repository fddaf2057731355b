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
    """How an import names its rows ("kunnskapsbehov") and what its first row should hold."""

    too_many: str = "rader med data"
    missing_header: str = "Første rad skal inneholde kolonnenavn."


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
            "Filen kunne ikke leses som Excel-arbeidsbok (.xlsx). Lagre den på nytt og prøv igjen."
        ) from None
    try:
        if not workbook.worksheets:
            raise FileFormatError("Excel-filen har ingen regneark.")
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
            "Regnearket i Excel-filen er skadet og kan ikke leses. "
            "Lagre filen på nytt og prøv igjen."
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
                raise FileFormatError(f"Rad {index} har en celle som er altfor lang.")
            yield index, list(values[: limits.max_columns])
    except csv.Error:
        raise FileFormatError(
            "CSV-filen kan ikke leses, for eksempel fordi en celle er altfor lang."
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
                raise FileFormatError(
                    f"Filen har flere enn {limit} {wording.too_many}. Del den opp i flere filer."
                )
            body.append((index, values))
    finally:
        rows.close()
    if header is None or all(is_empty(cell) for cell in header):
        raise FileFormatError(f"Filen mangler overskriftsrad. {wording.missing_header}")
    return header, body
