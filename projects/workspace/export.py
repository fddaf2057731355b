"""Exports of the workspace: the (filtered) project list as xlsx through the core Excel toolkit,
and the project description as DOCX through pandoc, in the reader's written standard."""

from __future__ import annotations

from typing import Any

from openpyxl import Workbook

from klynge import excel
from klynge.auth.principal import Principal
from klynge.documents import PANDOC_LANG, markdown_to_docx
from klynge.i18n import N_, translations
from klynge.orgs.schemas import SERVICE_TYPE_LABELS
from projects.workspace.access import require_see
from projects.workspace.description_md import Description, description_markdown
from projects.workspace.listing import list_items
from projects.workspace.loading import load_access
from projects.workspace.overview import project_summary
from projects.workspace.overview_rules import REGISTRATION_LABELS
from projects.workspace.project_schemas import ProjectFilter, ProjectOverview
from projects.workspace.tables import Participant

EXPORT_MAX = 5000  # rows in one list export
SERVICE_LABELS = {k.value: v for k, v in SERVICE_TYPE_LABELS.items()}
LIST_COLUMNS = (
    (N_("Title"), 50),
    (N_("Status"), 16),
    (N_("Research group"), 30),
    (N_("Municipalities"), 30),
    (N_("Service areas"), 30),
    (N_("Start"), 12),
    (N_("End"), 12),
    (N_("Address"), 40),
)
KIND_LABELS = {
    "research_group": N_("Research group"),
    "municipality": N_("Municipality"),
    "service": N_("Service"),
    "user_representative": N_("User representative"),
}


def _language(actor: Principal) -> str:
    return actor.language if actor.language in PANDOC_LANG else "nb"


async def export_list(actor: Principal, f: ProjectFilter, base_url: str = "") -> bytes:
    """The caller's visible projects (with the list's filters) as one sheet."""
    t = translations(_language(actor)).gettext
    items = await list_items(actor, f, limit=EXPORT_MAX)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = t(N_("Projects"))[:31]
    columns = [excel.Column(t(label), width) for label, width in LIST_COLUMNS]
    excel.header_row(sheet, columns)
    for row, item in enumerate(items, start=2):
        values = [
            item.title,
            t(item.status_label),
            item.group_name,
            ", ".join(m.name for m in item.municipalities),
            ", ".join(t(SERVICE_LABELS.get(a, a)) for a in item.service_areas),
        ]
        for col, value in enumerate(values, start=1):
            excel.set_text(sheet.cell(row=row, column=col), value)
        for col, day in ((6, item.starts_on), (7, item.ends_on)):
            if day is not None:
                sheet.cell(row=row, column=col, value=day).number_format = excel.DATE
        excel.set_text(sheet.cell(row=row, column=8), f"{base_url}/prosjekter/{item.id}")
    return excel.to_bytes(workbook)


async def _participants(project_id: int, t: Any) -> list[str]:
    rows = await Participant.select(
        Participant.kind,
        Participant.role,
        Participant.label,
        Participant.group.name.as_alias("group_name"),
        Participant.municipality.name.as_alias("municipality_name"),
        Participant.service.name.as_alias("service_name"),
    ).where((Participant.project == project_id) & (Participant.status == "active"))
    lines = []
    for r in rows:
        # Never a person's name: organisations by name, user representatives by role.
        name = r["group_name"] or r["service_name"] or r["municipality_name"] or r["label"]
        kind = t(KIND_LABELS.get(r["kind"], r["kind"]))
        lines.append(f"{name} ({kind})" if name else kind)
    return lines


def _description(o: ProjectOverview, participants: list[str], t: Any) -> Description:
    return Description(
        title=o.title,
        status=t(o.status_label),
        group=o.group.name,
        leader=o.leader.name if o.leader else "",
        starts_on=o.starts_on,
        ends_on=o.ends_on,
        summary_popular=o.summary_popular,
        summary_en=o.summary_en,
        summary_academic=o.summary_academic,
        keywords=o.keywords,
        service_areas=[t(SERVICE_LABELS.get(a, a)) for a in o.service_areas],
        registrations=[(t(REGISTRATION_LABELS.get(k, k)), v) for k, v in o.registrations.items()],
        municipalities=[m.name for m in o.municipalities],
        participants=participants,
        needs=[n.name for n in o.needs],
    )


async def description_docx(actor: Principal, project_id: int) -> tuple[str, bytes]:
    """The project description as (file name, DOCX bytes), for those who see the project."""
    access = await load_access(actor, project_id)
    require_see(access)  # public-only readers get no description
    overview = await project_summary(project_id)
    language = _language(actor)
    t = translations(language).gettext
    participants = await _participants(project_id, t)
    markdown = description_markdown(_description(overview, participants, t), t)
    content = await markdown_to_docx(markdown, language)
    return f"prosjekt-{project_id}.docx", content
