"""The decision letter as DOCX through pandoc, in the application's written standard (nb|nn)."""

from __future__ import annotations

from typing import Any

from klynge.auth.principal import Principal
from klynge.documents import markdown_to_docx
from klynge.errors import Conflict
from klynge.i18n import N_, translations
from projects.grants.loading import load_application_access
from projects.grants.money import format_nok
from projects.grants.tables import Application, GrantAgreement, GrantReport

WRITTEN_STANDARDS = ("nb", "nn")
NOT_DECIDED = N_("The application has not been decided yet.")
TITLE = N_("Decision on your application")
APPLICATION = N_("Application")
CALL = N_("Call")
AMOUNT = N_("Amount")
PERIOD = N_("Period")
CONDITIONS = N_("Conditions")
REPORTS = N_("Reports")
DUE = N_("due")
REASON = N_("Reason")
KIND_LABELS = {"progress": N_("Progress report"), "final": N_("Final report")}


def _escape(text: str) -> str:
    """Markdown-inert text: people's words must not become headings, links or tables."""
    out = []
    for ch in text:
        out.append("\\" + ch if ch in "\\`*_{}[]()#+-.!|<>~^$@:" else ch)
    return "".join(out)


def letter_markdown(data: dict[str, Any], t: Any) -> str:
    """The letter as Markdown (pure): the decision, the amount and period, extra conditions,
    the report schedule or the reason for declining."""
    lines = [
        f"# {_escape(t(TITLE))}",
        "",
        f"**{_escape(t(APPLICATION))}:** {_escape(data['title'])}",
        "",
        f"**{_escape(t(CALL))}:** {_escape(data['call'])}",
        "",
    ]
    if data["status"] == "granted":
        lines += [
            _escape(t(N_("The application is granted."))),
            "",
            f"**{_escape(t(AMOUNT))}:** {_escape(format_nok(data['amount_ore']))}",
            "",
            f"**{_escape(t(PERIOD))}:** {data['starts_on']:%d.%m.%Y}–{data['ends_on']:%d.%m.%Y}",
            "",
        ]
        if data["extra_conditions"]:
            lines += [f"## {_escape(t(CONDITIONS))}", "", _escape(data["extra_conditions"]), ""]
        lines += [f"## {_escape(t(REPORTS))}", ""]
        for r in data["reports"]:
            lines.append(
                f"- {_escape(t(KIND_LABELS[r['kind']]))}: {r['period_start']:%d.%m.%Y}–"
                f"{r['period_end']:%d.%m.%Y}, {_escape(t(DUE))} {r['due']:%d.%m.%Y}"
            )
    else:
        lines += [
            _escape(t(N_("The application is declined."))),
            "",
            f"**{_escape(t(REASON))}:** {_escape(data['reason'])}",
        ]
    return "\n".join(lines) + "\n"


async def _data(application_id: int) -> dict[str, Any]:
    app = await (
        Application.select(
            Application.title,
            Application.status,
            Application.written_standard,
            Application.decision_reason.as_alias("reason"),
            Application.call.title.as_alias("call"),
        )
        .where(Application.id == application_id)
        .first()
    )
    assert app is not None  # the loader found it
    data: dict[str, Any] = dict(app) | {"reports": []}
    grant = (
        await GrantAgreement.select().where(GrantAgreement.application == application_id).first()
    )
    if grant:
        data |= {k: grant[k] for k in ("amount_ore", "starts_on", "ends_on", "extra_conditions")}
        data["reports"] = list(
            await GrantReport.select()
            .where(GrantReport.grant == grant["id"])
            .order_by(GrantReport.due)
        )
    return data


async def decision_letter(actor: Principal, application_id: int) -> tuple[str, bytes]:
    """(file name, DOCX) for those who see the application, once it is decided."""
    await load_application_access(actor, application_id)
    data = await _data(application_id)
    if data["status"] not in {"granted", "declined"}:
        raise Conflict(NOT_DECIDED)
    language = data["written_standard"] if data["written_standard"] in WRITTEN_STANDARDS else "nb"
    markdown = letter_markdown(data, translations(language).gettext)
    content = await markdown_to_docx(markdown, language)
    return f"vedtak-{application_id}.docx", content
