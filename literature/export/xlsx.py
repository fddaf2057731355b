"""Excel (.xlsx) out: one sheet, one reference per row. Pure."""

from __future__ import annotations

import io
from collections.abc import Sequence

import openpyxl
from openpyxl.styles import Font

from literature.export.common import (
    clean,
    family_given,
    keyword_text,
    record_authors,
)
from literature.formats.record import Record

# (header, width): headers are names literature/formats/table.py recognises.
XLSX_COLUMNS = (
    ("Title", 60),
    ("Authors", 40),
    ("Year", 8),
    ("Journal", 35),
    ("Volume", 9),
    ("Issue", 9),
    ("Pages", 12),
    ("DOI", 30),
    ("PMID", 12),
    ("Publication Types", 25),
    ("Keywords", 35),
    ("Language", 10),
    ("URL", 40),
    ("Abstract", 80),
)


def _xlsx_row(record: Record) -> list[object]:
    keywords = [text for text in (clean(value) for value in record.keywords) if text]
    return [
        clean(record.title),
        "; ".join(family_given(author) for author in record_authors(record)),
        record.year,
        clean(record.container),
        clean(record.volume),
        clean(record.issue),
        clean(record.pages),
        clean(record.doi),
        clean(record.pmid),
        "; ".join(clean(value) for value in record.publication_types if clean(value)),
        keyword_text(keywords),
        clean(record.language),
        clean(record.url),
        clean(record.abstract),
    ]


def to_xlsx(records: Sequence[Record]) -> bytes:
    """One sheet "Referanser": bold, frozen header row, one reference per row."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Referanser"
    sheet.append([header for header, _width in XLSX_COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for column, (_header, width) in enumerate(XLSX_COLUMNS, start=1):
        sheet.column_dimensions[openpyxl.utils.get_column_letter(column)].width = width
    for record in records:
        sheet.append(_xlsx_row(record))
        for cell in sheet[sheet.max_row]:
            if cell.data_type == "f":  # a title like "=x" is text, never a formula
                cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
