"""Build the FHI demo spreadsheet from the hand-written CSV next to this script.

The CSV (semicolon-separated, as Norwegian Excel writes it) is the source; the .xlsx is
reproducible with:

    .venv/bin/python literature/demo_data/make_xlsx.py

Years and PMIDs are written as numbers, as in a real export opened and saved in Excel.
"""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
from openpyxl.styles import Font

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "fhi_oversikt.csv"
TARGET = HERE / "fhi_oversikt_2026-10-05.xlsx"
NUMERIC = {"År", "PMID"}
WIDTHS = {"Tittel": 70, "Forfattere": 40, "Sammendrag": 90, "Emneord": 35}


def build(source: Path = SOURCE, target: Path = TARGET) -> int:
    """Write `target` from `source`; returns the number of reference rows."""
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    header, body = rows[0], rows[1:]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Referanser"
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in body:
        values: list[object] = []
        for name, value in zip(header, row, strict=True):
            values.append(int(value) if name in NUMERIC and value.isdigit() else value or None)
        sheet.append(values)
    for index, name in enumerate(header, start=1):
        letter = openpyxl.utils.get_column_letter(index)
        sheet.column_dimensions[letter].width = WIDTHS.get(name, 14)
    sheet.freeze_panes = "A2"
    workbook.properties.creator = "Klynge demo (fiktive referanser)"
    workbook.save(target)
    return len(body)


if __name__ == "__main__":
    print(f"{build()} referanser skrevet til {TARGET.name}")
