"""The Excel template for knowledge needs: the needs sheet with its dropdowns, a hidden list
of the cluster's services, and a guide sheet in plain bokmål."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import openpyxl
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from klynge import excel
from priorities.needs_xlsx.columns import (
    BY_KEY,
    COLUMNS,
    DEFAULT_MAX_ROWS,
    INTENDED_USE_LABELS,
    LANGUAGES,
    MAX_AGE,
    MAX_BACKGROUND_LENGTH,
    MAX_QUESTION_LENGTH,
    MAX_TITLE_LENGTH,
    MIN_AGE,
    PREVENTION_LABELS,
    SHEET_GUIDE,
    SHEET_LISTS,
    SHEET_NEEDS,
    label,
)

_HEADER_FILL = "DDEBF7"
_WRAPPED = frozenset({"title", "question", "background", "target_group", "services"})
_LAST_ROW = DEFAULT_MAX_ROWS + 1


GUIDE = Path(__file__).with_name("guide_nb.json")


def _guide_lines(service_names: Sequence[str]) -> list[tuple[str, bool]]:
    """(text, is_heading) for the Veiledning sheet, in plain bokmål (text in guide_nb.json)."""
    values = {
        "sheet": SHEET_NEEDS,
        "max_title": MAX_TITLE_LENGTH,
        "max_question": MAX_QUESTION_LENGTH,
        "max_background": f"{MAX_BACKGROUND_LENGTH:,}".replace(",", " "),
        "min_age": MIN_AGE,
        "max_age": MAX_AGE,
        "prevention": ", ".join(PREVENTION_LABELS.values()),
        "uses": ", ".join(INTENDED_USE_LABELS.values()),
        "max_rows": f"{DEFAULT_MAX_ROWS:,}".replace(",", " "),
    }
    guide = json.loads(GUIDE.read_text(encoding="utf-8"))
    lines = [(str(text).format(**values), bool(heading)) for text, heading in guide]
    if service_names:
        lines += [("", False), ("Tjenester du kan velge", True)]
        lines += [(f"• {name}", False) for name in service_names]
    return lines


def _validate(
    sheet: Worksheet, key: str, kind: str, formula1: str, error: str, **options: str
) -> None:
    excel.validate(
        sheet,
        list(BY_KEY).index(key),
        _LAST_ROW,
        title=label(key),
        kind=kind,
        formula1=formula1,
        error=error,
        **options,
    )


def _needs_sheet(sheet: Worksheet) -> None:
    sheet.title = SHEET_NEEDS
    excel.header_row(
        sheet,
        [excel.Column(c.label, c.width, wrap=c.key in _WRAPPED) for c in COLUMNS],
        fill=_HEADER_FILL,
    )
    levels = list(PREVENTION_LABELS.values())
    uses = list(INTENDED_USE_LABELS.values())
    _validate(
        sheet,
        "prevention_level",
        "list",
        excel.inline_list(levels),
        f"Velg {', '.join(levels[:-1])} eller {levels[-1]}.",
        prompt="Velg fra listen.",
    )
    _validate(
        sheet,
        "intended_use",
        "list",
        excel.inline_list(uses),
        "Velg en verdi fra listen.",
        prompt="Hva skal svaret brukes til?",
    )
    _validate(
        sheet,
        "language",
        "list",
        excel.inline_list(LANGUAGES),
        "Skriv nb (bokmål) eller nn (nynorsk).",
        prompt="nb eller nn. Tom celle betyr bokmål.",
    )
    for key in ("age_from", "age_to"):
        _validate(
            sheet,
            key,
            "whole",
            str(MIN_AGE),
            f"Skriv et helt tall fra {MIN_AGE} til {MAX_AGE}.",
            operator="between",
            formula2=str(MAX_AGE),
            prompt=f"Alder i hele år, {MIN_AGE}–{MAX_AGE}.",
        )
    for key, limit in (("title", MAX_TITLE_LENGTH), ("question", MAX_QUESTION_LENGTH)):
        _validate(
            sheet, key, "textLength", str(limit), f"Høyst {limit} tegn.", operator="lessThanOrEqual"
        )


def _services_list(workbook: openpyxl.Workbook, sheet: Worksheet, names: list[str]) -> None:
    cells = excel.list_sheet(workbook, SHEET_LISTS, "Tjenester", names)
    if names:
        # A list validation accepts one item only; style "information" lets people type
        # several names separated by ";" after a reminder instead of refusing them.
        _validate(
            sheet,
            "services",
            "list",
            cells,
            "Flere tjenester skilles med semikolon (;). Bruk navnene fra listen.",
            errorStyle="information",
            prompt="Velg fra listen, eller skriv flere navn skilt med semikolon (;).",
        )


def _guide_sheet(workbook: openpyxl.Workbook, service_names: Sequence[str]) -> None:
    guide = workbook.create_sheet(SHEET_GUIDE, index=1)
    guide.column_dimensions["A"].width = 110
    for row, (text, heading) in enumerate(_guide_lines(service_names), start=1):
        cell = guide.cell(row=row, column=1)
        excel.set_text(cell, text)
        cell.alignment = excel.WRAP_TOP
        if heading:
            cell.font = Font(bold=True, size=14 if row == 1 else 12)


def build_template(services: Sequence[tuple[int, str]]) -> bytes:
    """An .xlsx template with dropdowns for the cluster's services (id, name) and the enums."""
    service_names = list(dict.fromkeys(" ".join(name.split()) for _, name in services))
    service_names = [name for name in service_names if name]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    _needs_sheet(sheet)
    _services_list(workbook, sheet, service_names)
    _guide_sheet(workbook, service_names)
    workbook.active = 0
    return excel.to_bytes(workbook)
