"""The findings report (DOCX and PDF): what it holds, in which written standard, and who gets
it. The outcomes and deliveries are written straight into the tables (publishing is built
elsewhere): two published outcomes of p_f and a draft, deliveries in every state."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any
from xml.etree import ElementTree

import pytest

from projects.findings.report_md import (
    ReportAnswer,
    ReportData,
    ReportOutcome,
    format_citation,
    report_markdown,
)
from tests.conftest import World
from tests.projects.findings_fixtures import fworld, needs_world  # noqa: F401

NOW = dt.datetime.now(dt.UTC)
BERGEN_SAYS = "Vi startar fråværsteam"
OYGARDEN_SAYS = "Me tek det i bruk"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


async def seed_findings(w: World) -> None:
    """Outcome 1 (finding) to Bergen (answered yes), Askøy (read, unanswered), Øygarden (unread,
    overdue), Askøy barnevern (escalated) and cluster A (answered partly); outcome 2
    (recommendation) to Bergen (answered no) and Øygarden (answered yes); a draft; and p_north's
    outcome delivered in cluster B."""
    from projects.findings.tables import Delivery, DeliveryService, Outcome

    def outcome(project: str, cluster: str, title: str, **kw: Any) -> Outcome:
        published = kw.pop("status", "published")
        return Outcome(
            project=w.ids[project],
            cluster=w.ids[cluster],
            title=title,
            status=published,
            published_at=NOW - dt.timedelta(days=60) if published == "published" else None,
            **kw,
        )

    rows = await Outcome.insert(
        outcome(
            "p_f",
            "cluster_a",
            "Fråværsteam hjelper",
            kind="finding",
            summary="Elevar med fråværsteam kom oftare på skulen.",
            practice="Set opp fråværsteam tidleg.",
            evidence_type="rct",
            citation={"title": "Absence teams", "authors": [["Hansen", "Kari"]], "year": 2024},
            links=[{"title": "Rettleiar", "url": "https://example.org/rettleiar"}],
        ),
        outcome("p_f", "cluster_a", "Tilrå fråværsteam", kind="recommendation", summary="Tilrå."),
        outcome("p_f", "cluster_a", "Utkast", kind="tool", summary="Løyndom", status="draft"),
        outcome("p_north", "cluster_b", "Nordlys funn", kind="finding", summary="Nord."),
    ).returning(Outcome.id)
    w.ids.update(o1=rows[0]["id"], o2=rows[1]["id"], o_north=rows[3]["id"])

    def delivery(o: str, kind: str, age: int, **kw: Any) -> Delivery:
        project, cluster = ("p_north", "cluster_b") if o == "o_north" else ("p_f", "cluster_a")
        target = kw.get("municipality") or kw.get("service") or w.ids[cluster]
        return Delivery(
            key=f"{w.ids[o]}:{kind}:{target}:{age}",
            outcome=w.ids[o],
            project=w.ids[project],
            cluster=w.ids[cluster],
            kind=kind,
            created_at=NOW - dt.timedelta(days=age),
            **kw,
        )

    def answered(will_use: str, relevant: str = "yes", change: str = "") -> dict[str, Any]:
        return {
            "read_at": NOW - dt.timedelta(days=3),
            "answered_at": NOW - dt.timedelta(days=2),
            "relevant": relevant,
            "will_use": will_use,
            "change": change,
        }

    ids = w.ids
    read = {"read_at": NOW - dt.timedelta(days=8)}
    escalated = {"reminders": 2, "escalated_at": NOW - dt.timedelta(days=6)}
    bergen, oygarden = {"municipality": ids["bergen"]}, {"municipality": ids["oygarden"]}
    rows = await Delivery.insert(
        delivery("o1", "participant", 10, **bergen, **answered("yes", change=BERGEN_SAYS)),
        delivery("o1", "participant", 10, municipality=ids["askoy"], **read),
        delivery("o1", "endorser", 20, **oygarden, language="nn"),
        delivery("o1", "asker", 50, service=ids["askoy_barnevern"], **escalated),
        delivery("o1", "cluster", 10, **answered("partly", "partly")),
        delivery("o2", "participant", 5, **bergen, **answered("no", "no")),
        delivery("o2", "endorser", 5, **oygarden, **answered("yes", change=OYGARDEN_SAYS)),
        delivery("o_north", "cluster", 5, **answered("yes")),
    ).returning(Delivery.id)
    ids["d_oygarden"] = rows[2]["id"]
    await DeliveryService.insert(
        DeliveryService(delivery=rows[2]["id"], service=ids["oygarden_skole"])
    )


def docx_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        assert "[Content_Types].xml" in z.namelist()
        root = ElementTree.fromstring(z.read("word/document.xml"))  # noqa: S314 - pandoc's
    return "".join(node.text or "" for node in root.iter(f"{W}t"))


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)


def url(w: World, query: str = "") -> str:
    return f"/api/projects/{w.ids['p_f']}/findings-report{query}"


async def test_whole_project_docx_for_the_adviser(client: Any, fworld: World) -> None:  # noqa: F811
    w = fworld
    await seed_findings(w)
    response = await client.get(url(w, "?format=docx"), headers=w.headers["adviser_a"])
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    text = docx_text(response.content)
    assert "Vi prøvde ut fråværsteam." in text  # the project summary
    assert "Elevar med fråværsteam kom oftare på skulen." in text
    assert "Set opp fråværsteam tidleg." in text
    assert "Hansen, K. (2024) Absence teams." in text
    assert "Vi startar fråværsteam" in text
    assert "Me tek det i bruk" in text
    assert "Utkast" not in text
    assert "Nordlys" not in text


async def test_municipality_report_in_nynorsk_with_only_its_answers(
    client: Any,
    fworld: World,  # noqa: F811
) -> None:
    w = fworld
    await seed_findings(w)
    query = f"?format=docx&municipality_id={w.ids['oygarden']}"
    for who in ("coordinator_oygarden", "leader_oygarden_skole", "adviser_a"):
        response = await client.get(url(w, query), headers=w.headers[who])
        assert response.status_code == 200, (who, response.text)
        assert response.headers["content-language"] == "nn"
    text = docx_text(response.content)
    assert "Samandrag av prosjektet" in text  # nynorsk headings
    assert "Kva det tyder for praksis" in text
    assert "Prosjektsammendrag" not in text
    assert "Me tek det i bruk" in text
    assert "Vi startar fråværsteam" not in text  # Bergen's answer is not Øygarden's to read
    assert "Bergen" not in text


async def test_pdf_starts_with_pdf_and_holds_the_summary(client: Any, fworld: World) -> None:  # noqa: F811
    w = fworld
    await seed_findings(w)
    response = await client.get(url(w, "?format=pdf"), headers=w.headers["researcher_f"])
    assert response.status_code == 200, response.text
    assert response.content.startswith(b"%PDF")
    text = " ".join(pdf_text(response.content).split())
    assert "Vi prøvde ut fråværsteam." in text
    assert "Elevar med fråværsteam kom oftare på skulen." in text


@pytest.mark.parametrize(
    ("who", "municipality"),
    [
        ("adviser_b", None),  # another cluster
        ("coordinator_trondheim", None),
        ("coordinator_oygarden", None),  # an addressee gets its own report only
        ("coordinator_oygarden", "bergen"),
        ("nobody", "oygarden"),
        ("adviser_a", "trondheim"),  # no delivery to Trondheim
    ],
)
async def test_others_get_404(
    client: Any,
    fworld: World,  # noqa: F811
    who: str,
    municipality: str | None,
) -> None:
    w = fworld
    await seed_findings(w)
    query = "?format=pdf" + (f"&municipality_id={w.ids[municipality]}" if municipality else "")
    response = await client.get(url(w, query), headers=w.headers[who])
    assert response.status_code == 404, response.text
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_bad_format_is_422_and_a_form_message(client: Any, fworld: World) -> None:  # noqa: F811
    from tests.platform.test_views import login

    w = fworld
    await seed_findings(w)
    response = await client.get(url(w, "?format=odt"), headers=w.headers["adviser_a"])
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["errors"][0]["field"] == "format"
    page = f"/prosjekter/{w.ids['p_f']}/funnrapport"
    await login(client, w, "adviser_b")
    assert (await client.get(page)).status_code == 404  # another cluster
    assert (await client.get(f"{page}.pdf")).status_code == 404
    await login(client, w, "coordinator_oygarden")
    response = await client.get(page)
    assert response.status_code == 200, response.text
    assert f'<option value="{w.ids["oygarden"]}">Øygarden</option>' in response.text
    assert "Bergen" not in response.text
    response = await client.get(f"{page}?kommune={w.ids['oygarden']}&format=odt")
    assert response.status_code == 422
    assert 'id="report-format-error"' in response.text
    response = await client.get(
        f"{page}?kommune={w.ids['oygarden']}&format=docx", follow_redirects=False
    )
    assert response.status_code == 302
    file = f"{page}.docx?kommune={w.ids['oygarden']}"
    assert response.headers["location"] == file
    response = await client.get(file)
    assert response.status_code == 200
    assert "Me tek det i bruk" in docx_text(response.content)


def test_markdown_escapes_user_text_and_translates_headings() -> None:
    data = ReportData(
        project_title="# Tittel *fet*",
        project_summary="Første avsnitt.\n\nAndre | avsnitt.",
        municipality="Bergen",
        outcomes=[
            ReportOutcome(
                kind="finding",
                title="[lenke](http://x)",
                answers=[ReportAnswer("Bergen", "yes", "partly", "Vi gjør *mer*")],
                links=[("Lenke", "javascript:alert(1)")],
            )
        ],
    )
    words = {"Findings report": "Funnrapport", "For %(name)s": "Til %(name)s", "Yes": "Ja"}
    md = report_markdown(data, lambda s: words.get(s, s))
    assert md.startswith("# Funnrapport: \\# Tittel \\*fet\\*\n")
    assert "**Til Bergen**" in md
    assert "### \\[lenke\\]\\(http\\:\\/\\/x\\)" in md
    assert "Andre \\| avsnitt\\." in md
    assert "| Bergen | Ja | Partly |" in md
    assert "- **Bergen:** Vi gjør \\*mer\\*" in md
    assert "<javascript" not in md  # only http(s) addresses become links


def test_citation_format() -> None:
    assert format_citation({}) == ""
    citation = {
        "title": "Absence teams.",
        "authors": [["Hansen", "Kari"], ["Berg", ""]],
        "year": 2024,
        "container": "Journal",
        "volume": "3",
        "issue": "2",
        "pages": "1-9",
    }
    assert format_citation(citation) == "Hansen, K., Berg (2024) Absence teams. Journal, 3(2), 1-9."
