"""The budget as a spreadsheet: a template holding the current lines (headers in the reader's
language, a dropdown of the categories, whole-number checks on year and FTE share) and reading
it back — every problem addressed to its cell ("Budsjett!C7"), a wrong file or sheet named as
such, and nothing returned unless the whole sheet is valid."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from openpyxl import Workbook

from klynge import excel
from klynge.i18n import N_, translations
from projects.grants.budget_rules import (
    CATEGORY_LABELS,
    MAX_LINES,
    POSITIONS,
    BudgetRow,
    Problem,
    check_line,
)

LANGUAGES = ("nb", "nn", "en")
SHEET = N_("Budget")
LIST_SHEET = "Lister"
HEADERS: dict[str, tuple[str, int]] = {
    "year": (N_("Year"), 8),
    "category": (N_("Category"), 34),
    "description": (N_("Description"), 50),
    "fte_percent": (N_("Share of a full-time position (%%)"), 18),
    "amount": (N_("Amount (NOK)"), 18),
}
REQUIRED = ("year", "category", "amount")
LIMITS = excel.Limits(max_file_bytes=5 * 1024 * 1024, max_rows=MAX_LINES, max_columns=20)
WORDING = excel.Wording(
    too_many=N_("The file has more than %(limit)s budget lines. Split it into several files."),
    missing_header=N_(
        "The file has no header row. The first row must hold the column names from the template."
    ),
)
NOT_A_YEAR = N_("Write the year as a number, for example 2027.")
UNKNOWN_CATEGORY = N_("Choose one of the budget categories from the list.")


@dataclass
class BudgetFileProblem(Exception):
    """The sheet cannot be taken: either the whole file (`message`, a msgid with `params`) or
    these cells (each: address, msgid, params, row)."""

    message: str
    params: dict[str, str] = field(default_factory=dict)
    cells: list[tuple[str, str, dict[str, str], int]] = field(default_factory=list)


def _texts(language: str) -> Callable[[str], str]:
    return translations(language if language in LANGUAGES else "nb").gettext


def _label(t: Callable[[str], str], msgid: str) -> str:
    return t(msgid).replace("%%", "%")


def budget_workbook(rows: Sequence[BudgetRow], language: str, years: range) -> bytes:
    t = _texts(language)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _label(t, SHEET)[:31]
    keys = list(HEADERS)
    columns = [excel.Column(_label(t, label), width) for label, width in HEADERS.values()]
    excel.header_row(sheet, columns)
    labels = [_label(t, CATEGORY_LABELS[k]) for k in CATEGORY_LABELS]
    for row, line in enumerate(rows, start=2):
        sheet.cell(row=row, column=1, value=line.year).number_format = excel.INTEGER
        excel.set_text(sheet.cell(row=row, column=2), _label(t, CATEGORY_LABELS[line.category]))
        excel.set_text(sheet.cell(row=row, column=3), line.description)
        if line.fte_percent is not None:
            sheet.cell(row=row, column=4, value=line.fte_percent).number_format = excel.INTEGER
        kroner = Decimal(line.amount_ore) / 100
        amount = int(kroner) if kroner == kroner.to_integral() else kroner
        sheet.cell(row=row, column=5, value=amount).number_format = "#,##0.00"
    last = max(len(rows) + 1, 200)
    source = excel.list_sheet(workbook, LIST_SHEET, _label(t, HEADERS["category"][0]), labels)
    excel.validate(
        sheet,
        keys.index("category"),
        last,
        title=_label(t, HEADERS["category"][0]),
        kind="list",
        formula1=source,
        error=_label(t, UNKNOWN_CATEGORY),
    )
    excel.validate(
        sheet,
        keys.index("year"),
        last,
        title=_label(t, HEADERS["year"][0]),
        kind="whole",
        formula1=str(years[0]),
        formula2=str(years[-1]),
        operator="between",
        error=_label(t, NOT_A_YEAR),
    )
    excel.validate(
        sheet,
        keys.index("fte_percent"),
        last,
        title=_label(t, HEADERS["fte_percent"][0]),
        kind="whole",
        formula1="1",
        formula2="100",
        operator="between",
        error=_label(t, HEADERS["fte_percent"][0]),
    )
    return excel.to_bytes(workbook)


def _aliases() -> tuple[dict[str, str], dict[str, str], set[str]]:
    """Folded header names, category names (in every language, and the codes) and sheet
    names."""
    headers: dict[str, list[str]] = {key: [key] for key in HEADERS}
    categories: dict[str, list[str]] = {key: [key] for key in CATEGORY_LABELS}
    sheets = set()
    for language in LANGUAGES:
        t = _texts(language)
        for key, (label, _w) in HEADERS.items():
            headers[key].append(_label(t, label))
        for key, label in CATEGORY_LABELS.items():
            categories[key].append(_label(t, label))
        sheets.add(excel.fold(_label(t, SHEET)))
    return excel.alias_table(headers), excel.alias_table(categories), sheets


def _year(value: object) -> object:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return value


def read_budget(data: bytes, years: range) -> list[BudgetRow]:
    """The lines of an uploaded budget sheet; raises BudgetFileProblem."""
    try:
        table = excel.read_xlsx(data, LIMITS, WORDING, sheet="Budsjett")
    except excel.FileFormatError as exc:
        raise BudgetFileProblem(
            N_("The file could not be read: %(reason)s"), {"reason": str(exc)}
        ) from None
    header_aliases, category_aliases, sheets = _aliases()
    if excel.fold(table.sheet) not in sheets:
        raise BudgetFileProblem(
            N_("The workbook has no sheet named «%(sheet)s». Download the template and use it."),
            {"sheet": "Budsjett"},
        )
    header = excel.map_header(table.header, header_aliases)
    missing = header.missing(REQUIRED)
    if missing:
        raise BudgetFileProblem(
            N_("The first row must hold the template's column names; missing: %(columns)s."),
            {"columns": ", ".join(missing)},
        )
    rows: list[BudgetRow] = []
    cells: list[tuple[str, str, dict[str, str], int]] = []
    for number, values in table.rows:
        row, found = _row(header, values, category_aliases, years)
        for p in found:
            address = f"{table.sheet}!{header.letter(p.field) or 'A'}{number}"
            cells.append((address, p.message, p.params, number))
        if row is not None:
            rows.append(row)
    if cells:
        raise BudgetFileProblem(N_("Some cells need attention; nothing was changed."), {}, cells)
    return rows


def _row(
    header: excel.HeaderMap, values: list[object], categories: dict[str, str], years: range
) -> tuple[BudgetRow | None, list[Problem]]:
    raw_category = header.cell(values, "category")
    category = categories.get(excel.fold(raw_category), "")
    raw_year = _year(header.cell(values, "year"))
    fte = header.cell(values, "fte_percent")
    description = header.cell(values, "description")
    row, found = check_line(
        raw_year,
        category,
        "" if description is None else str(description),
        fte if category in POSITIONS or fte is not None else None,
        header.cell(values, "amount"),
        years,
    )
    found = [
        Problem("category", UNKNOWN_CATEGORY)
        if p.field == "category"
        else Problem("year", NOT_A_YEAR)
        if p.field == "year" and not isinstance(raw_year, int)
        else p
        for p in found
    ]
    return row, found
