"""The dashboard as xlsx through the core Excel toolkit: sheets for calls, applications, grants
and reports; amounts as numbers (kroner) with a NOK number format."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from litestar import Response
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from klynge import excel
from klynge.i18n import N_, translations
from projects.grants.dashboard_labels import (
    KIND_LABELS,
    OUTCOME_LABELS,
    REPORT_KINDS,
    REPORT_STATUS,
    STATUS_LABELS,
)
from projects.grants.dashboard_schemas import DashboardOut

NOK = '#,##0.00 "kr"'
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY, DAY, TEXT, INT = "money", "date", "text", "int"


def kroner(ore: int) -> Decimal:
    return Decimal(ore) / 100


def _sheet(
    workbook: Workbook,
    title: str,
    columns: Sequence[tuple[str, int, str]],
    rows: Sequence[Sequence[Any]],
) -> Worksheet:
    sheet = workbook.create_sheet(title[:31])
    formats = {MONEY: NOK, DAY: excel.DATE, TEXT: None, INT: excel.INTEGER}
    excel.header_row(
        sheet, [excel.Column(label, width, formats[kind]) for label, width, kind in columns]
    )
    for r, values in enumerate(rows, start=2):
        for c, ((_, _, kind), value) in enumerate(zip(columns, values, strict=True), start=1):
            cell = sheet.cell(row=r, column=c)
            if kind == TEXT:
                excel.set_text(cell, str(value))
            elif kind == MONEY:
                cell.value = kroner(value)
                cell.number_format = NOK
            elif value is not None:
                cell.value = value
                cell.number_format = excel.DATE if kind == DAY else excel.INTEGER
    return sheet


def workbook_bytes(d: DashboardOut, language: str = "nb") -> bytes:
    t: Callable[[str], str] = translations(language).gettext
    workbook = Workbook()
    workbook.remove(workbook.active)
    _sheet(
        workbook,
        t(N_("Calls")),
        [(t(N_("Call")), 50, TEXT), (t(N_("Status")), 14, TEXT),
         (t(N_("Budget frame")), 18, MONEY), (t(N_("Applications")), 14, INT),
         (t(N_("Applied for")), 18, MONEY), (t(N_("Granted")), 18, MONEY)],
        [(c.title, t(STATUS_LABELS.get(c.status, c.status)), c.budget_ore, c.applications,
          c.requested_ore, c.granted_ore) for c in d.calls],
    )  # fmt: skip
    _sheet(
        workbook,
        t(N_("Applications")),
        [(t(N_("Application")), 50, TEXT), (t(N_("Status")), 18, TEXT),
         (t(N_("Applied for")), 18, MONEY), (t(N_("Address")), 30, TEXT)],
        [(a.title, t(STATUS_LABELS.get(a.status, a.status)), a.requested_ore, a.url)
         for a in d.applications],
    )  # fmt: skip
    kinds = [k.kind for k in d.compliance]
    _sheet(
        workbook,
        t(N_("Grants")),
        [(t(N_("Grant")), 50, TEXT), (t(N_("Amount")), 18, MONEY), (t(N_("Start")), 12, DAY),
         (t(N_("End")), 12, DAY), (t(N_("Address")), 30, TEXT)]
        + [(t(KIND_LABELS.get(k, k)), 22, TEXT) for k in kinds],
        [[g.title, g.amount_ore, g.starts_on, g.ends_on, g.url]
         + [t(OUTCOME_LABELS.get(g.conditions.get(k, ""), "")) if k in g.conditions else ""
            for k in kinds]
         for g in d.grants],
    )  # fmt: skip
    _sheet(
        workbook,
        t(N_("Reports")),
        [(t(N_("Grant")), 50, TEXT), (t(N_("Report")), 14, TEXT), (t(N_("Due")), 12, DAY),
         (t(N_("Status")), 14, TEXT), (t(N_("Overdue")), 10, TEXT)],
        [(r.title, t(REPORT_KINDS.get(r.kind, r.kind)), r.due,
          t(REPORT_STATUS.get(r.status, r.status)), t(N_("Yes")) if r.days < 0 else t(N_("No")))
         for r in [*d.reports_overdue, *d.reports_due]],
    )  # fmt: skip
    return excel.to_bytes(workbook)


def xlsx_response(content: bytes, name: str) -> Response[bytes]:
    return Response(
        content,
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
