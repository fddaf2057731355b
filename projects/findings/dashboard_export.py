"""The return-rate dashboard as xlsx through the core Excel toolkit: a sheet each for clusters,
projects and municipalities, with the same figures as the page (numbers as numbers)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from litestar import Response
from openpyxl import Workbook

from klynge import excel
from klynge.i18n import N_, translations
from projects.findings.dashboard_schemas import GroupOut, ReturnRatesOut

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FIGURES = (  # (attribute, column heading, width)
    ("outcomes", N_("Outcomes published"), 12),
    ("deliveries", N_("Deliveries"), 12),
    ("acknowledged", N_("Acknowledged"), 12),
    ("answered", N_("Answered"), 12),
    ("will_use_yes", N_("Will use"), 12),
    ("will_use_partly", N_("Will partly use"), 14),
    ("median_days", N_("Median days to acknowledgement"), 16),
    ("overdue", N_("Overdue"), 10),
)
SHEETS = (
    ("clusters", N_("Clusters"), N_("Cluster")),
    ("projects", N_("Projects"), N_("Project")),
    ("municipalities", N_("Municipalities"), N_("Municipality")),
)


def _sheet(
    workbook: Workbook, title: str, name: str, groups: Sequence[GroupOut], t: Callable[[str], str]
) -> None:
    sheet = workbook.create_sheet(title[:31])
    columns = [excel.Column(name, 40)]
    columns += [
        excel.Column(t(label), width, excel.DECIMAL if attr == "median_days" else excel.INTEGER)
        for attr, label, width in FIGURES
    ]
    excel.header_row(sheet, columns)
    for r, g in enumerate(groups, start=2):
        excel.set_text(sheet.cell(row=r, column=1), g.name)
        for c, (attr, _, _) in enumerate(FIGURES, start=2):
            value = getattr(g.figures, attr)
            if value is not None:
                cell = sheet.cell(row=r, column=c, value=value)
                cell.number_format = excel.DECIMAL if attr == "median_days" else excel.INTEGER


def workbook_bytes(d: ReturnRatesOut, language: str = "nb") -> bytes:
    t: Callable[[str], str] = translations(language).gettext
    workbook = Workbook()
    workbook.remove(workbook.active)
    for attr, title, name in SHEETS:
        _sheet(workbook, t(title), t(name), getattr(d, attr), t)
    return excel.to_bytes(workbook)


def xlsx_response(content: bytes, name: str) -> Response[bytes]:
    return Response(
        content,
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
