import datetime as dt
import io
import xml.etree.ElementTree as ET
import zipfile

import pytest

from literature.prisma import SourceCount, prisma_counts
from literature.report import (
    CheckReport,
    ReportReview,
    ReportSearch,
    check_report_docx,
    check_report_markdown,
    md_escape,
)
from literature.screening import Outcome

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TITLE = "Tiltak *mot* _mobbing_ [i skolen] #2 | a\\b"
QUERY = '("bully*"[tiab] OR mobb*) AND #1 | x_y \\z <NOT> `code` --'


@pytest.fixture(scope="module")
def report():
    outcomes = {
        (1, "title"): Outcome("exclude", "old", (1,)),
        (2, "title"): Outcome("include", "", (1,)),
        (2, "fulltext"): Outcome("include", "", (1,)),
    }
    counts = prisma_counts([SourceCount("PubMed", 3, 1)], [1, 2], outcomes)
    return CheckReport(
        need_title=TITLE,
        need_question="Hva virker mot mobbing?",
        question="Reduserer skoleprogrammer mobbing?",
        population="Elever 6-16 år",
        intervention="Skoleprogram",
        comparison="Vanlig praksis",
        outcome="Mobbing",
        searches=[ReportSearch("PubMed", QUERY, dt.date(2025, 2, 3), 3)],
        reviews=[ReportReview("Gaffney H (2019). Anti-bullying [review].", "meta_analysis", "low")],
        prisma=counts,
        verdict="partly",
        reason_code="D",
        certainty="low",
        summary="Effekten er *liten*.\n\nMer forskning trengs.",
        date=dt.date(2025, 3, 1),
    )


@pytest.fixture(scope="module")
def docx(report):
    return check_report_docx(report)


def paragraphs(docx_bytes):
    document = zipfile.ZipFile(io.BytesIO(docx_bytes)).read("word/document.xml")
    root = ET.fromstring(document)  # noqa: S314 (our own output)
    return ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in root.iter(f"{W}p")]


def test_md_escape_makes_markdown_literal():
    assert md_escape("*a* _b_ [c](d) #e |f| \\g") == (
        "\\*a\\* \\_b\\_ \\[c\\]\\(d\\) \\#e \\|f\\| \\\\g"
    )
    assert md_escape("two\n  lines\x00") == "two lines"


def test_markdown_has_the_content(report):
    md = check_report_markdown(report)
    assert md_escape(TITLE) in md
    assert "delvis besvart" in md
    assert "Metaanalyse, men usikkerheten består".replace(",", "\\,") in md
    assert "| Poster identifisert | 3 |" in md
    assert "lav" in md


def test_docx_is_a_zip_with_the_content(docx):
    archive = zipfile.ZipFile(io.BytesIO(docx))
    assert "word/document.xml" in archive.namelist()
    text = paragraphs(docx)
    assert f"Litteratursjekk: {TITLE}" in text
    assert "Behovet er delvis besvart." in text
    assert f"Søkestreng: {QUERY}" in text
    assert any("Årsakskode" in p and "D — Metaanalyse, men usikkerheten består" in p for p in text)
    assert "Gaffney H (2019). Anti-bullying [review]." in text
    assert "Effekten er *liten*." in text


def test_docx_contains_the_prisma_diagram_as_svg_and_table(docx):
    archive = zipfile.ZipFile(io.BytesIO(docx))
    media = [name for name in archive.namelist() if name.startswith("word/media/")]
    svgs = [name for name in media if name.endswith(".svg")]
    assert svgs
    diagram = ET.fromstring(archive.read(svgs[0]))  # noqa: S314 (our own output)
    assert diagram.get("role") == "img"
    assert "svgBlip" in archive.read("word/document.xml").decode()
    text = paragraphs(docx)
    assert "Poster identifisert" in text
    assert "Studier inkludert" in text


@pytest.mark.parametrize(
    ("verdict", "word"),
    [("answered", "besvart"), ("unanswered", "ubesvart")],
)
def test_verdict_words(report, verdict, word):
    from dataclasses import replace

    md = check_report_markdown(replace(report, verdict=verdict, reason_code=None))
    assert f"**Behovet er {word}.**" in md
    assert "Årsakskode" not in md
