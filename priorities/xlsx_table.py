"""Writing a readable table into a worksheet: bold frozen header, fitted widths, number
formats, wrapped text and a filter (the round export's sheets share it)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

Kind = Literal["text", "wrap", "int", "score", "share", "number", "datetime"]

NUMBER_FORMATS: dict[str, str] = {
    "int": "0",
    "score": "0.0",
    "share": "0%",
    "number": "0.00",
    "datetime": "dd.mm.yyyy hh:mm",
}
_MAX_WIDTH: dict[str, int] = {"wrap": 60, "text": 40}
_MIN_WIDTH = 8
_TOP = Alignment(vertical="top")
_WRAP_TOP = Alignment(wrap_text=True, vertical="top")
_HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="top")

Value = str | int | float | datetime | None


@dataclass(frozen=True)
class Col:
    header: str
    kind: Kind = "text"


def _clean(text: str) -> str:
    # openpyxl refuses control characters; they carry no meaning in these fields.
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def _display_width(value: Value, kind: Kind) -> int:
    if value is None:
        return 0
    if kind == "datetime":
        return 16
    if kind in {"score", "share", "number"}:
        return 6
    return max((len(line) for line in str(value).splitlines()), default=0)


def write_table(
    sheet: Worksheet,
    columns: Sequence[Col],
    rows: Sequence[Sequence[Value]],
    *,
    autofilter: bool = True,
) -> None:
    """A table people can read: bold frozen header, fitted widths, formats, wrap and filter."""
    widths = [len(col.header) for col in columns]
    for position, col in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=position, value=col.header)
        cell.font = Font(bold=True)
        cell.alignment = _HEADER_ALIGNMENT
    for row_number, values in enumerate(rows, start=2):
        for position, (col, value) in enumerate(zip(columns, values, strict=True), start=1):
            widths[position - 1] = max(widths[position - 1], _display_width(value, col.kind))
            if value is None:
                continue  # a blank answer stays an empty cell, never 0
            cell = sheet.cell(row=row_number, column=position)
            if isinstance(value, str):
                cell.value = _clean(value)
                cell.data_type = "s"  # user text starting with "=" must stay text, not a formula
            else:
                cell.value = value
            if col.kind in NUMBER_FORMATS:
                cell.number_format = NUMBER_FORMATS[col.kind]
            cell.alignment = _WRAP_TOP if col.kind == "wrap" else _TOP
    for position, (col, width) in enumerate(zip(columns, widths, strict=True), start=1):
        cap = _MAX_WIDTH.get(col.kind, 30)
        sheet.column_dimensions[get_column_letter(position)].width = min(
            cap, max(_MIN_WIDTH, width + 2)
        )
    sheet.freeze_panes = "A2"
    if autofilter:
        last = get_column_letter(len(columns))
        sheet.auto_filter.ref = f"A1:{last}{max(1, len(rows)) + 1}"
