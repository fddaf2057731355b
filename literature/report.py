"""Report of a literature check as pandoc Markdown and as DOCX (via the pandoc bundled with
`pypandoc-binary`).

Pure module apart from running pandoc: a `CheckReport` in, text or bytes out. All user text is
escaped (every ASCII punctuation character backslash-escaped, which pandoc's Markdown allows), so
asterisks, underscores, brackets, `#`, `|` and backslashes in titles and query strings come
through literally.

The PRISMA 2020 diagram goes into the DOCX as the SVG image itself (word/media/*.svg, which
Word 2016+ and LibreOffice show); pandoc adds a PNG fallback only when `rsvg-convert` is
installed. Because older readers may show nothing for an SVG-only picture, the counts are also
always given as a table under the diagram (the same table is the text alternative).
"""

from __future__ import annotations

import datetime as dt
import re
import string
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from literature.prisma import UNSPECIFIED, PrismaCounts
from literature.prisma_diagram import LABELS_NB, prisma_description, prisma_svg

__all__ = [
    "EVIDENCE_TYPES_NB",
    "GRADE_NB",
    "REASON_CODES_NB",
    "VERDICTS_NB",
    "CheckReport",
    "ReportReview",
    "ReportSearch",
    "check_report_docx",
    "check_report_markdown",
    "md_escape",
]

VERDICTS_NB = {"answered": "besvart", "partly": "delvis besvart", "unanswered": "ubesvart"}

REASON_CODES_NB = {
    "A": "Ingen systematisk oversikt",
    "B": "Oversikten fant ingen RCT-er",
    "C": "RCT-er, men ingen metaanalyse",
    "D": "Metaanalyse, men usikkerheten består",
    "E": "Ufullstendig Cochrane-/Campbell-oversikt",
}

GRADE_NB = {"high": "høy", "moderate": "middels", "low": "lav", "very_low": "svært lav"}

EVIDENCE_TYPES_NB = {
    "systematic_review": "Systematisk oversikt",
    "meta_analysis": "Metaanalyse",
    "overview_of_reviews": "Oversikt over oversikter",
    "scoping_review": "Kartleggingsoversikt",
    "guideline": "Retningslinje",
    "rct": "Randomisert kontrollert studie",
    "other_primary": "Annen primærstudie",
    "other": "Annet",
}


@dataclass(frozen=True, slots=True)
class ReportSearch:
    """A source searched (`CheckSearch`): hits from the import's `read` or `CheckSearch.hits`."""

    source: str
    query: str
    searched_on: dt.date | None = None
    hits: int | None = None


@dataclass(frozen=True, slots=True)
class ReportReview:
    """A review judged for the verdict (`CheckReview` + its `Reference`)."""

    citation: str  # formatted citation, plain text
    evidence_type: str = ""  # EvidenceType value (or free text)
    certainty: str = ""  # GRADE: high | moderate | low | very_low
    reliability: str = ""


@dataclass(frozen=True)
class CheckReport:
    need_title: str
    need_question: str
    question: str  # the question as searched
    prisma: PrismaCounts
    population: str = ""
    intervention: str = ""
    comparison: str = ""
    outcome: str = ""
    searches: Sequence[ReportSearch] = ()
    reviews: Sequence[ReportReview] = ()
    verdict: str | None = None  # answered | partly | unanswered
    reason_code: str | None = None  # A-E
    certainty: str | None = None  # GRADE of the body of evidence
    summary: str = ""
    date: dt.date | None = None  # when the check was completed (or the report made)
    svg: str | None = None  # the PRISMA diagram; default prisma_svg(prisma, LABELS_NB)
    reason_labels: Mapping[str, str] = field(default_factory=dict)  # exclusion reason texts


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ESCAPE = re.compile("([" + re.escape(string.punctuation) + "])")


def md_escape(text: object) -> str:
    """Inline Markdown for literal text: punctuation escaped, whitespace runs made single."""
    plain = _CONTROL.sub("", str(text))
    plain = " ".join(plain.split())
    return _ESCAPE.sub(r"\\\1", plain)


def _paragraphs(text: str) -> str:
    parts = [md_escape(p) for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    return "\n\n".join(parts)


def _date(value: dt.date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else "–"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """A pipe table; cells must already be escaped."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(cell or " " for cell in row) + " |" for row in rows]
    return [*lines, ""]


def prisma_rows(
    counts: PrismaCounts, reason_labels: Mapping[str, str] | None = None
) -> list[tuple[str, int]]:
    """The PRISMA counts as (label, number) rows, in flow order (bokmål)."""
    labels = LABELS_NB
    reason_labels = reason_labels or {}
    rows: list[tuple[str, int]] = [(labels["identified"], counts.identified_total)]
    rows += [(f"– {source}", n) for source, n in counts.identified_per_source.items()]
    rows.append((labels["duplicates"], counts.duplicates_removed))
    rows.append((labels["screened"], counts.records_screened))
    if counts.not_screened:
        rows.append((labels["not_screened"], counts.not_screened))
    for stage, where in (("title", "tittel/sammendrag"), ("fulltext", "fulltekst")):
        for state in ("pending", "conflict"):
            number = counts.awaiting.get(stage, {}).get(state, 0)
            if number:
                rows.append((f"{labels[state]} ({where})", number))
    rows += [
        (labels["excluded"], counts.records_excluded),
        (labels["sought"], counts.reports_sought),
        (labels["not_retrieved"], counts.reports_not_retrieved),
        (labels["assessed"], counts.reports_assessed),
        (labels["reports_excluded"], counts.reports_excluded_total),
    ]
    for reason, n in counts.reports_excluded.items():
        text = reason_labels.get(reason) or (
            labels["unspecified"] if reason == UNSPECIFIED else reason
        )
        rows.append((f"– {text}", n))
    rows.append((labels["studies_included"], counts.studies_included))
    return rows


def _searches_md(report: CheckReport) -> list[str]:
    """The searches, numbered."""
    e = md_escape
    out: list[str] = []
    out += ["## Søk", ""]
    if report.searches:
        for number, search in enumerate(report.searches, 1):
            hits = "–" if search.hits is None else str(search.hits)
            out += [
                f"{number}\\. **{e(search.source)}** — søkt {_date(search.searched_on)}, "
                f"{hits} treff",
                "",
                f"Søkestreng: {e(search.query) or '–'}",
                "",
            ]
    else:
        out += ["Ingen søk er registrert.", ""]
    return out


def _prisma_md(report: CheckReport, image: str | None) -> list[str]:
    """The PRISMA diagram (if drawn) and its counts as a table."""
    e = md_escape
    out: list[str] = []
    out += ["## PRISMA 2020-flytdiagram", ""]
    description = prisma_description(report.prisma, LABELS_NB, report.reason_labels)
    if image:
        out += [f"![{e(description)}]({image}){{width=16cm}}", ""]
    out += _table(
        ["Trinn", "Antall"],
        [(e(label), str(n)) for label, n in prisma_rows(report.prisma, report.reason_labels)],
    )
    if report.prisma.problems:
        out += ["**Tallene henger ikke sammen:**", ""]
        out += [f"- {e(problem)}" for problem in report.prisma.problems]
        out.append("")
    return out


def _reviews_md(report: CheckReport) -> list[str]:
    """The reviews included, as a table."""
    e = md_escape
    out: list[str] = []
    out += ["## Inkluderte oversikter", ""]
    if report.reviews:
        rows = [
            (
                e(review.citation),
                e(EVIDENCE_TYPES_NB.get(review.evidence_type, review.evidence_type)) or "–",
                e(GRADE_NB.get(review.certainty, review.certainty)) or "–",
                e(review.reliability) or "–",
            )
            for review in report.reviews
        ]
        out += _table(["Oversikt", "Type", "Sikkerhet (GRADE)", "Pålitelighet"], rows)
    else:
        out += ["Ingen oversikter er inkludert.", ""]
    return out


def _conclusion_md(report: CheckReport) -> list[str]:
    """The verdict, its reason code and certainty, and the summary."""
    e = md_escape
    out: list[str] = []
    out += ["## Konklusjon", ""]
    verdict = VERDICTS_NB.get(report.verdict or "", report.verdict or "ikke avgjort")
    out += [f"**Behovet er {e(verdict)}.**", ""]
    if report.reason_code:
        meaning = REASON_CODES_NB.get(report.reason_code.upper(), "")
        code = e(report.reason_code.upper())
        out += [f"Årsakskode for vedvarende usikkerhet: **{code}** — {e(meaning)}", ""]
    if report.certainty:
        out += [f"Samlet sikkerhet (GRADE): {e(GRADE_NB.get(report.certainty, report.certainty))}"]
        out.append("")
    if report.summary.strip():
        out += [_paragraphs(report.summary), ""]
    return out


def _markdown(report: CheckReport, image: str | None) -> str:
    e = md_escape
    out: list[str] = [f"# Litteratursjekk: {e(report.need_title)}", ""]
    out += [f"Dato: {_date(report.date)}", ""]

    out += ["## Kunnskapsbehovet", "", f"**{e(report.need_title)}**", ""]
    if report.need_question.strip():
        out += [_paragraphs(report.need_question), ""]

    out += ["## Spørsmålet slik det ble søkt", "", _paragraphs(report.question) or "–", ""]
    pico = [
        ("Populasjon (P)", report.population),
        ("Tiltak (I)", report.intervention),
        ("Sammenligning (C)", report.comparison),
        ("Utfall (O)", report.outcome),
    ]
    out += _table(["PICO", "Innhold"], [(label, e(value) or "–") for label, value in pico])

    out += _searches_md(report)
    out += _prisma_md(report, image)
    out += _reviews_md(report)
    out += _conclusion_md(report)
    return "\n".join(out).rstrip() + "\n"


def check_report_markdown(report: CheckReport) -> str:
    """The report as pandoc Markdown (the PRISMA counts as a table, no image)."""
    return _markdown(report, None)


def _pandoc_docx(markdown: str, folder: Path) -> bytes:
    import pypandoc  # imported lazily: only the report needs pandoc

    target = folder / "report.docx"
    pypandoc.convert_text(
        markdown,
        "docx",
        # No implicit figure: the alt text (all counts in words) is the picture's description
        # for screen readers, not a visible caption repeating the table below it.
        format="markdown-implicit_figures",
        outputfile=str(target),
        extra_args=["--quiet", "--resource-path", str(folder), "-M", "lang=nb-NO"],
        sandbox=False,
    )
    return target.read_bytes()


def check_report_docx(report: CheckReport) -> bytes:
    """The report as DOCX bytes, with the PRISMA diagram embedded as SVG (word/media/) and the
    counts as a table."""
    svg = (
        report.svg
        if report.svg is not None
        else prisma_svg(report.prisma, LABELS_NB, report.reason_labels)
    )
    with tempfile.TemporaryDirectory(prefix="klynge-report-") as tmp:
        folder = Path(tmp)
        (folder / "prisma.svg").write_text(svg, encoding="utf-8")
        return _pandoc_docx(_markdown(report, "prisma.svg"), folder)
