"""Writing workbooks: a bold frozen header row, column widths and number formats, literal
text cells, and dropdowns fed by an inline list or a hidden list sheet."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.cell.cell import Cell as SheetCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

BOLD = Font(bold=True)
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
INTEGER = "0"
DECIMAL = "0.00"
DATE = "dd.mm.yyyy"


@dataclass(frozen=True)
class Column:
    """A column to write: its header, width in characters, and optional cell styling."""

    label: str
    width: int | None = None
    number_format: str | None = None
    wrap: bool = False


def header_row(sheet: Worksheet, columns: Sequence[Column], fill: str | None = None) -> None:
    """Row 1 as a bold header (optionally filled) that stays in view when scrolling, with the
    columns' widths, number formats and wrapping."""
    for position, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=position, value=column.label)
        cell.font = BOLD
        if fill:
            cell.fill = PatternFill("solid", fgColor=fill)
        cell.alignment = Alignment(vertical="top")
        dimension = sheet.column_dimensions[get_column_letter(position)]
        if column.width is not None:
            dimension.width = column.width
        if column.number_format:
            dimension.number_format = column.number_format
        if column.wrap:
            dimension.alignment = WRAP_TOP
    sheet.freeze_panes = "A2"


def set_text(cell: SheetCell, value: str) -> None:
    """Write value as literal text: a name beginning with "=" must never become a formula."""
    cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell.data_type = "s"


def fit_width(values: Sequence[str], *, least: int = 12, most: int = 60) -> int:
    return min(most, max([least, *(len(value) + 2 for value in values)]))


def list_sheet(workbook: Workbook, title: str, heading: str, values: Sequence[str]) -> str:
    """A hidden sheet holding `values` under a bold heading in column A; returns the absolute
    range of the values, for a dropdown (inline lists are limited to 255 characters)."""
    sheet = workbook.create_sheet(title)
    sheet.cell(row=1, column=1, value=heading).font = BOLD
    for row, value in enumerate(values, start=2):
        set_text(sheet.cell(row=row, column=1), value)
    sheet.column_dimensions["A"].width = fit_width(values)
    sheet.sheet_state = "hidden"
    return f"{title}!$A$2:$A${len(values) + 1}"


def inline_list(values: Sequence[str]) -> str:
    return '"' + ",".join(values) + '"'


def validate(
    sheet: Worksheet,
    position: int,
    last_row: int,
    *,
    title: str,
    kind: str,
    formula1: str,
    error: str,
    prompt: str | None = None,
    **options: str,
) -> None:
    """Data validation (a dropdown for kind "list") on rows 2..last_row of the 0-based
    column `position`; `options` pass on to openpyxl (operator, formula2, errorStyle)."""
    letter = get_column_letter(position + 1)
    validation = DataValidation(
        type=kind,
        formula1=formula1,
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=title,
        error=error,
        showInputMessage=prompt is not None,
        promptTitle=title if prompt is not None else None,
        prompt=prompt,
        **options,
    )
    validation.add(f"{letter}2:{letter}{last_row}")
    sheet.add_data_validation(validation)


def to_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
