"""The findings report as pandoc Markdown. Pure: plain data and a translate function in, text
out. Every user text is escaped with the workspace's `md_escape`, so `*`, `#`, `|` and brackets
in titles and answers come through literally; headings and labels are English msgids translated
by `t` (the target written standard's catalogue)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from klynge.i18n import N_
from literature import api as literature
from projects.workspace.api import md_escape

HEADINGS = {
    "report": N_("Findings report"),
    "for": N_("For %(name)s"),
    "whole": N_("The whole project"),
    "summary": N_("Project summary"),
    "outcomes": N_("Outcomes"),
    "kind": N_("Kind"),
    "practice": N_("What it means for practice"),
    "evidence": N_("Evidence"),
    "citation": N_("Citation"),
    "links": N_("Links"),
    "said": N_("What the municipalities said"),
    "own": N_("What %(name)s said"),
    "relevant": N_("Relevant"),
    "will_use": N_("Will use"),
    "change": N_("What will change"),
    "totals": N_("The whole project in figures"),
    "deliveries": N_("Deliveries"),
    "read": N_("Read"),
    "answered": N_("Answered"),
    "none": N_("Not given."),
    "no_outcomes": N_("No outcomes have been published yet."),
    "no_answers": N_("No answers yet."),
}

KIND_LABELS = {
    "finding": N_("Finding"),
    "report": N_("Report"),
    "article": N_("Scientific article"),
    "recommendation": N_("Recommendation or measure"),
    "tool": N_("Tool or guide"),
    "practice": N_("Changed practice"),
}

ANSWER_LABELS = {
    "yes": N_("Yes"),
    "partly": N_("Partly"),
    "no": N_("No"),
    "undecided": N_("Not yet decided"),
    "": N_("Not answered"),
}

# The literature part's evidence types, as it labels them.
EVIDENCE_LABELS = literature.EVIDENCE_LABELS


@dataclass(frozen=True, slots=True)
class ReportAnswer:
    recipient: str  # the municipality's (or service's, or cluster's) name
    relevant: str  # yes | partly | no | ""
    will_use: str  # yes | partly | no | undecided | ""
    change: str = ""


@dataclass(frozen=True, slots=True)
class ReportOutcome:
    kind: str
    title: str
    summary: str = ""
    practice: str = ""
    evidence_type: str = ""
    evidence_note: str = ""
    citation: str = ""  # formatted, plain text
    links: Sequence[tuple[str, str]] = ()  # (title, url)
    answers: Sequence[ReportAnswer] = ()


@dataclass(frozen=True, slots=True)
class ReportTotals:
    deliveries: int = 0
    read: int = 0
    answered: int = 0
    will_use: dict[str, int] = field(default_factory=dict)  # yes | partly | no | undecided


@dataclass(frozen=True, slots=True)
class ReportData:
    project_title: str
    project_summary: str
    municipality: str = ""  # a municipality's report; "" = the whole project
    outcomes: Sequence[ReportOutcome] = ()
    totals: ReportTotals = field(default_factory=ReportTotals)


def paragraphs(text: str) -> list[str]:
    return [md_escape(p) for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]


def format_citation(citation: dict[str, object]) -> str:
    """A plain-text citation of the literature part's record shape (authors, year, title,
    container, volume, issue, pages); "" when there is no title."""
    title = str(citation.get("title") or "").strip()
    if not title:
        return ""
    raw = citation.get("authors")
    authors = raw if isinstance(raw, list) else []
    names = [f"{a[0]}, {a[1][:1]}." if len(a) > 1 and a[1] else str(a[0]) for a in authors if a]
    parts = [", ".join(names[:3]) + (" mfl." if len(names) > 3 else "")] if names else []
    if citation.get("year"):
        parts.append(f"({citation['year']})")
    parts.append(title.rstrip(".") + ".")
    container = str(citation.get("container") or "")
    volume = f"{citation.get('volume') or ''}" + (
        f"({citation['issue']})" if citation.get("issue") else ""
    )
    tail = ", ".join(p for p in (container, volume, str(citation.get("pages") or "")) if p)
    if tail:
        parts.append(tail + ".")
    return " ".join(parts)


_URL = re.compile(r"https?://[^\s<>]+")


def _link(title: str, url: str) -> str:
    """An http(s) address becomes a link; anything else stays literal text."""
    target = f"<{url}>" if _URL.fullmatch(url) else md_escape(url)
    return f"- {md_escape(title or url)}: {target}"


def _answer_table(answers: Sequence[ReportAnswer], t: Callable[[str], str]) -> list[str]:
    if not answers:
        return [md_escape(t(HEADINGS["no_answers"])), ""]
    head = [t(N_("Recipient")), t(HEADINGS["relevant"]), t(HEADINGS["will_use"])]
    lines = ["| " + " | ".join(md_escape(h) for h in head) + " |", "|---|---|---|"]
    changes: list[str] = []
    for a in answers:
        cells = [a.recipient, t(ANSWER_LABELS[a.relevant]), t(ANSWER_LABELS[a.will_use])]
        lines.append("| " + " | ".join(md_escape(c) for c in cells) + " |")
        if a.change.strip():
            changes.append(f"- **{md_escape(a.recipient)}:** {md_escape(a.change)}")
    lines.append("")
    if changes:
        lines += [f"**{md_escape(t(HEADINGS['change']))}**", "", *changes, ""]
    return lines


def _outcome(o: ReportOutcome, said: str, t: Callable[[str], str]) -> list[str]:
    kind = t(KIND_LABELS.get(o.kind, o.kind))
    lines = [f"### {md_escape(o.title)}", "", f"**{md_escape(t(HEADINGS['kind']))}:** "]
    lines[-1] += md_escape(kind)
    lines += ["", *paragraphs(o.summary), ""]
    if o.practice.strip():
        lines += [f"#### {md_escape(t(HEADINGS['practice']))}", "", *paragraphs(o.practice), ""]
    if o.evidence_type or o.evidence_note.strip():
        label = t(EVIDENCE_LABELS[o.evidence_type]) if o.evidence_type in EVIDENCE_LABELS else ""
        body = [md_escape(label)] if label else []
        lines += [f"#### {md_escape(t(HEADINGS['evidence']))}", "", *body, ""]
        lines += [*paragraphs(o.evidence_note), ""] if o.evidence_note.strip() else []
    if o.citation:
        lines += [f"#### {md_escape(t(HEADINGS['citation']))}", "", md_escape(o.citation), ""]
    if o.links:
        lines += [f"#### {md_escape(t(HEADINGS['links']))}", ""]
        lines += [_link(title, url) for title, url in o.links]
        lines.append("")
    lines += [f"#### {md_escape(said)}", "", *_answer_table(o.answers, t)]
    return lines


def _totals(totals: ReportTotals, t: Callable[[str], str]) -> list[str]:
    rows = [
        (HEADINGS["deliveries"], totals.deliveries),
        (HEADINGS["read"], totals.read),
        (HEADINGS["answered"], totals.answered),
    ]
    rows += [
        (f"{t(HEADINGS['will_use'])}: {t(ANSWER_LABELS[k])}", totals.will_use.get(k, 0))
        for k in ("yes", "partly", "no", "undecided")
    ]
    lines = [f"## {md_escape(t(HEADINGS['totals']))}", ""]
    lines += [f"- {md_escape(t(label))}: {count}" for label, count in rows]
    return [*lines, ""]


def report_markdown(d: ReportData, t: Callable[[str], str]) -> str:
    """The report with headings translated by `t`."""
    scope = t(HEADINGS["for"]) % {"name": d.municipality} if d.municipality else ""
    lines = [f"# {md_escape(t(HEADINGS['report']))}: {md_escape(d.project_title)}", ""]
    lines += [f"**{md_escape(scope or t(HEADINGS['whole']))}**", ""]
    lines += [f"## {md_escape(t(HEADINGS['summary']))}", ""]
    lines += [*(paragraphs(d.project_summary) or [md_escape(t(HEADINGS["none"]))]), ""]
    said = t(HEADINGS["own"]) % {"name": d.municipality} if d.municipality else ""
    said = said or t(HEADINGS["said"])
    lines += [f"## {md_escape(t(HEADINGS['outcomes']))}", ""]
    if not d.outcomes:
        lines += [md_escape(t(HEADINGS["no_outcomes"])), ""]
    for o in d.outcomes:
        lines += _outcome(o, said, t)
    lines += _totals(d.totals, t)
    return "\n".join(lines).rstrip() + "\n"
