"""What the spreadsheet toolkit reports: a whole-file error, and errors addressed to one cell."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from openpyxl.utils import get_column_letter

from klynge import i18n


class FileFormatError(ValueError):
    """The file as a whole cannot be read. `message` is an English msgid (N_) with %(name)s
    placeholders filled from `params`; str() gives it in the current language (a job's: the
    language of whoever started it), meant for the user."""

    def __init__(self, message: str, params: Mapping[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.params = dict(params or {})

    def __str__(self) -> str:
        text = i18n.gettext(self.message)
        try:
            return text % self.params if self.params else text
        except (KeyError, TypeError, ValueError):  # a translation that lost a placeholder
            return self.message % self.params


@dataclass(frozen=True)
class CellError:
    """A problem in one cell. `row` is the spreadsheet row the user sees (the header is 1),
    `column` the column's name as the user knows it, `letter` its spreadsheet letter ("" when
    the column is missing from the file) and `sheet` the sheet's name ("" for CSV)."""

    row: int
    column: str
    reason: str
    letter: str = field(default="", compare=False)
    sheet: str = field(default="", compare=False)

    def as_dict(self) -> dict[str, object]:
        return {"row": self.row, "column": self.column, "reason": self.reason}

    @property
    def address(self) -> str:
        """ "Kunnskapsbehov!C4", "C4", or "rad 4" when the column is not in the file."""
        if not self.letter:
            return f"rad {self.row}"
        cell = f"{self.letter}{self.row}"
        return f"{self.sheet}!{cell}" if self.sheet else cell


class CellErrors(list[CellError]):
    """The errors of one file, in the order found; `add` addresses a cell of a table."""

    def add(
        self, row: int, column: str, reason: str, *, position: int | None = None, sheet: str = ""
    ) -> CellError:
        error = CellError(row, column, reason, column_letter(position), sheet)
        self.append(error)
        return error


def column_letter(position: int | None) -> str:
    """The spreadsheet letter of a 0-based column position ("" for None)."""
    return "" if position is None else get_column_letter(position + 1)
