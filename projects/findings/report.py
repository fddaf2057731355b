"""The findings report of a project, for the whole project or one municipality, as DOCX or PDF
(klynge.documents: pandoc, and Typst for the PDF), in the municipality's written standard.

Access: those who follow the project (`access.follows_project`; admins too) get every report; a
municipality's addressees (`access.addressed_to` one of its deliveries of the project) get their
municipality's report; everyone else 404 (another cluster's reports do not admit to
existing). A municipality's report shows only its own answers, plus the project's totals."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from klynge.auth.principal import Principal
from klynge.documents import PANDOC_LANG, markdown_to_docx, markdown_to_pdf
from klynge.errors import FieldError, Invalid, NotFound
from klynge.i18n import N_, translations
from klynge.orgs.tables import Municipality
from projects.findings.access import addressed_to, follows_project
from projects.findings.loading import FACT_COLUMNS, delivery_facts
from projects.findings.report_md import (
    ReportAnswer,
    ReportData,
    ReportOutcome,
    ReportTotals,
    format_citation,
    report_markdown,
)
from projects.findings.tables import Delivery, Outcome
from projects.workspace import api as workspace

NO_REPORT = N_("No such findings report.")
BAD_FORMAT = N_("Choose DOCX or PDF.")
FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
# Municipality.language → the written standard of its report ("neutral": the caller's).
STANDARDS = {"nynorsk": "nn", "bokmal": "nb"}


@dataclass(frozen=True, slots=True)
class Report:
    filename: str
    media_type: str
    content: bytes
    language: str


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise Invalid(BAD_FORMAT, [FieldError("format", BAD_FORMAT)])
    return fmt


async def _deliveries(project_id: int) -> list[dict[str, Any]]:
    return list(
        await Delivery.select(
            *FACT_COLUMNS,
            Delivery.municipality.name.as_alias("municipality_name"),
            Delivery.service.name.as_alias("service_name"),
            Delivery.cluster.name.as_alias("cluster_name"),
            Delivery.read_at,
            Delivery.answered_at,
            Delivery.relevant,
            Delivery.will_use,
            Delivery.change,
        )
        .where(Delivery.project == project_id)
        .order_by(Delivery.id)
    )


async def _decide(
    actor: Principal, project_id: int, municipality_id: int | None, rows: list[dict[str, Any]]
) -> None:
    """404 unless the caller may read this report."""
    facts = await workspace.load_facts(project_id)
    if facts is None:
        raise NotFound(NO_REPORT)
    follows = actor.is_admin or follows_project(actor, workspace.decide(actor, facts))
    if municipality_id is None:
        if not follows:
            raise NotFound(NO_REPORT)
        return
    own = [r for r in rows if r["municipality"] == municipality_id]
    if not own:
        raise NotFound(NO_REPORT)
    if follows:
        return
    if not any(addressed_to(actor, f) for f in await delivery_facts(own)):
        raise NotFound(NO_REPORT)


async def _language(actor: Principal, municipality_id: int | None) -> str:
    fallback = actor.language if actor.language in PANDOC_LANG else "nb"
    if municipality_id is None:
        return fallback
    row = await (
        Municipality.select(Municipality.language).where(Municipality.id == municipality_id).first()
    )
    return STANDARDS.get(row["language"] if row else "", fallback)


def _answer(r: dict[str, Any]) -> ReportAnswer:
    name = r["municipality_name"] or r["service_name"] or r["cluster_name"] or ""
    if r["answered_at"] is None:
        return ReportAnswer(name, "", "")
    return ReportAnswer(name, r["relevant"] or "", r["will_use"] or "", r["change"] or "")


def _totals(rows: list[dict[str, Any]]) -> ReportTotals:
    answered = [r for r in rows if r["answered_at"] is not None]
    return ReportTotals(
        deliveries=len(rows),
        read=sum(1 for r in rows if r["read_at"] is not None),
        answered=len(answered),
        will_use=dict(Counter(str(r["will_use"]) for r in answered)),
    )


def _outcome(o: dict[str, Any], answers: list[ReportAnswer], language: str) -> ReportOutcome:
    summary = o["summary_en"] if language == "en" and o["summary_en"] else o["summary"]
    links = [
        (str(link.get("title") or ""), str(link.get("url") or ""))
        for link in (o["links"] or [])
        if isinstance(link, dict) and link.get("url")
    ]
    return ReportOutcome(
        kind=o["kind"],
        title=o["title"],
        summary=summary,
        practice=o["practice"],
        evidence_type=o["evidence_type"],
        evidence_note=o["evidence_note"],
        citation=format_citation(o["citation"] or {}),
        links=links,
        answers=answers,
    )


async def report_data(
    project_id: int, municipality_id: int | None, rows: list[dict[str, Any]], language: str
) -> ReportData:
    """The report's plain data (no access check: `build_report` decides it first)."""
    overview = await workspace.project_summary(project_id)
    outcomes = await (
        Outcome.select()
        .where((Outcome.project == project_id) & (Outcome.status == "published"))
        .order_by(Outcome.published_at)
        .order_by(Outcome.id)
        .output(load_json=True)
    )
    shown = [r for r in rows if municipality_id is None or r["municipality"] == municipality_id]
    items = [
        _outcome(o, [_answer(r) for r in shown if r["outcome"] == o["id"]], language)
        for o in outcomes
    ]
    published = {o["id"] for o in outcomes}
    names = [r["municipality_name"] for r in shown if r["municipality_name"]]
    return ReportData(
        project_title=overview.title,
        project_summary=overview.summary_popular,
        municipality=names[0] if municipality_id is not None and names else "",
        outcomes=items,
        totals=_totals([r for r in rows if r["outcome"] in published]),
    )


async def build_report(
    actor: Principal, project_id: int, fmt: str, municipality_id: int | None = None
) -> Report:
    """The report as a file, for those who may read it (404 otherwise; 422 for a bad format)."""
    check_format(fmt)
    rows = await _deliveries(project_id)
    await _decide(actor, project_id, municipality_id, rows)
    language = await _language(actor, municipality_id)
    data = await report_data(project_id, municipality_id, rows, language)
    markdown = report_markdown(data, translations(language).gettext)
    convert = markdown_to_docx if fmt == "docx" else markdown_to_pdf
    content = await convert(markdown, language)
    suffix = f"-kommune-{municipality_id}" if municipality_id is not None else ""
    return Report(f"funnrapport-{project_id}{suffix}.{fmt}", FORMATS[fmt], content, language)


async def report_choices(actor: Principal, project_id: int) -> list[tuple[int, str]]:
    """The municipalities whose report the caller may read, (id, name) — for the report page;
    404 when the caller may read none (nor the whole project's)."""
    rows = await _deliveries(project_id)
    facts = await workspace.load_facts(project_id)
    if facts is None:
        raise NotFound(NO_REPORT)
    follows = actor.is_admin or follows_project(actor, workspace.decide(actor, facts))
    municipal = [r for r in rows if r["municipality"] is not None]
    allowed = {f.delivery_id for f in await delivery_facts(municipal) if addressed_to(actor, f)}
    choices = {
        int(r["municipality"]): str(r["municipality_name"])
        for r in municipal
        if follows or r["id"] in allowed
    }
    if not follows and not choices:
        raise NotFound(NO_REPORT)
    return sorted(choices.items(), key=lambda item: item[1])


async def may_read_whole(actor: Principal, project_id: int) -> bool:
    facts = await workspace.load_facts(project_id)
    if facts is None:
        return False
    return actor.is_admin or follows_project(actor, workspace.decide(actor, facts))
