"""The application as a DOCX document through pandoc, in the application's written standard
(nb or nn headings): the summary, the budget per year and category, the financing plan and the
call's conditions as evaluated now."""

from __future__ import annotations

import re
from collections.abc import Callable
from contextvars import Token

from klynge.auth.principal import Principal
from klynge.documents import markdown_to_docx
from klynge.i18n import N_, set_language, translations
from projects.grants import applications_schemas as s
from projects.grants.application_data import application_out
from projects.grants.budget_rules import CATEGORY_LABELS, SOURCE_LABELS
from projects.grants.loading import load_application_access
from projects.grants.money import format_nok
from projects.workspace import api as workspace

HEADINGS = {
    "call": N_("Call"),
    "funder": N_("Funder"),
    "project": N_("Project"),
    "status": N_("Status"),
    "requested": N_("Amount applied for"),
    "summary": N_("Summary"),
    "budget": N_("Budget"),
    "year": N_("Year"),
    "category": N_("Category"),
    "description": N_("Description"),
    "amount": N_("Amount"),
    "total": N_("Total"),
    "financing": N_("Financing plan"),
    "source": N_("Source"),
    "conditions": N_("The call's conditions"),
    "none": N_("Not given."),
}
OUTCOMES = {"met": N_("Met"), "not_met": N_("Not met"), "needs_evidence": N_("Needs evidence")}


def _cell(text: object) -> str:
    return workspace.md_escape(text).replace("|", "\\|")


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return [*lines, ""]


def application_markdown(a: s.ApplicationOut, t: Callable[[str], str]) -> str:
    """Pure: the application's text with headings translated by `t` (and category, source and
    outcome labels, which `a` holds in the caller's language, re-translated by their keys)."""
    h = {k: _cell(t(v)) for k, v in HEADINGS.items()}
    lines = [f"# {workspace.md_escape(a.title)}", ""]
    facts = [
        (h["call"], a.call.title),
        (h["funder"], a.call.funder_name),
        (h["project"], a.project.title),
        (h["requested"], a.requested),
    ]
    lines += [f"**{k}:** {workspace.md_escape(v) if v else h['none']}\n" for k, v in facts]
    lines += [f"## {h['summary']}", ""]
    paragraphs = [p for p in re.split(r"\n\s*\n", a.summary.strip()) if p.strip()]
    lines += [workspace.md_escape(p) + "\n" for p in paragraphs] or [h["none"], ""]
    lines += [f"## {h['budget']}", ""]
    budget_rows = [
        [
            str(b.year),
            _cell(t(CATEGORY_LABELS[b.category])),
            _cell(b.description),
            _cell(format_nok(b.amount_ore)),
        ]
        for b in a.budget
    ]
    budget_rows.append([f"**{h['total']}**", "", "", _cell(a.totals.total)])
    lines += _table([h["year"], h["category"], h["description"], h["amount"]], budget_rows)
    lines += [f"## {h['financing']}", ""]
    financing_rows = [
        [_cell(t(SOURCE_LABELS[f.source])), _cell(f.description), _cell(f.amount)]
        for f in a.financing
    ]
    lines += _table([h["source"], h["description"], h["amount"]], financing_rows)
    lines += [f"## {h['conditions']}", ""]
    lines += [
        f"- **{_cell(c.name)}:** {_cell(t(OUTCOMES[c.outcome]))}. {_cell(c.message)}"
        for c in a.conditions
    ]
    return "\n".join(lines).rstrip() + "\n"


async def application_docx(actor: Principal, application_id: int) -> tuple[str, bytes]:
    access = await load_application_access(actor, application_id)
    first = await application_out(access)
    language = first.written_standard if first.written_standard in ("nb", "nn") else "nb"
    # The document is in the application's written standard, whatever the reader's language.
    token = set_language(language)
    try:
        out = await application_out(access)
    finally:
        reset_language(token)
    markdown = application_markdown(out, translations(language).gettext)
    content = await markdown_to_docx(markdown, language)
    return f"soknad-{application_id}.docx", content


def reset_language(token: Token[str]) -> None:
    token.var.reset(token)
