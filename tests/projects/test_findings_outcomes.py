"""Outcomes of a project through the API and the pages: recorded and edited by the leader and
the adviser, drafts hidden from all but the team, another cluster 404; an article's citation
from the cluster's literature reference with the same DOI (or pasted RIS); attachments refused
by type and size; a recommendation proposed to the knowledge bank, accepted (the measure is
created) or declined; the privacy guard; the audit trail."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import World, make_settings
from tests.platform.test_files import PDF
from tests.platform.test_views import HTML, csrf_token, login
from tests.priorities.conftest import synthetic_fnr
from tests.projects.findings_fixtures import fworld, needs_world

__all__ = ["fworld", "needs_world"]

DOI = "10.1186/s13643-020-01234-5"


@pytest.fixture
def files_dir(tmp_path: Path) -> Path:
    return tmp_path / "files"


@pytest.fixture
def settings(files_dir: Path):  # type: ignore[no-untyped-def]
    return make_settings(KLYNGE_FILES_DIR=str(files_dir), KLYNGE_MAX_UPLOAD_MB="1")


def kept(files_dir: Path) -> list[Path]:
    return [p for p in files_dir.rglob("*") if p.is_file()]


def body(**extra: Any) -> dict[str, Any]:
    return {
        "kind": "finding",
        "title": "Fråværsteam gir færre dager borte",
        "summary": "Elevane var mindre borte frå skulen.",
        "summary_language": "nn",
        "practice": "Skulane bør ha eit fråværsteam.",
        "evidence_type": "rct",
        "links": [{"title": "Rapporten", "url": "https://example.org/rapport"}],
        **extra,
    }


async def create(client: Any, w: World, key: str = "researcher_f", **extra: Any) -> Any:
    return await client.post(
        f"/api/projects/{w.ids['p_f']}/outcomes", json=body(**extra), headers=w.headers[key]
    )


async def publish_directly(outcome_id: int) -> None:
    """Publishing is the deliveries work's: here the row is simply marked published."""
    from projects.findings.tables import Outcome

    await Outcome.update({Outcome.status: "published"}).where(Outcome.id == outcome_id)


async def test_record_edit_read_and_delete_per_role(client: Any, fworld: World) -> None:
    from klynge.audit import AuditEvent

    w = fworld
    created = await create(client, w)
    assert created.status_code == 201, created.text
    out = created.json()
    assert (out["status"], out["kind"], out["summary_language"]) == ("draft", "finding", "nn")
    assert out["links"] == [{"title": "Rapporten", "url": "https://example.org/rapport"}]
    oid = out["id"]
    by_adviser = await create(client, w, "adviser_a", kind="tool", title="Rettleiar")
    assert by_adviser.status_code == 201, by_adviser.text
    for key, status in (("coordinator_askoy", 403), ("adviser_b", 404), ("nobody", 404)):
        refused = await create(client, w, key)
        assert refused.status_code == status, (key, refused.text)
    # Drafts: the team reads them; those who only see the project do not.
    listed = await client.get(
        f"/api/projects/{w.ids['p_f']}/outcomes", headers=w.headers["coordinator_askoy"]
    )
    assert listed.status_code == 200
    assert listed.json() == []
    got = await client.get(f"/api/outcomes/{oid}", headers=w.headers["coordinator_askoy"])
    assert got.status_code == 404
    for key in ("adviser_b", "nobody"):
        assert (await client.get(f"/api/outcomes/{oid}", headers=w.headers[key])).status_code == 404
    patched = await client.patch(
        f"/api/outcomes/{oid}",
        json={"title": "Fråværsteam hjelper", "links": []},
        headers=w.headers["adviser_a"],
    )
    assert patched.status_code == 200, patched.text
    assert (patched.json()["title"], patched.json()["links"]) == ("Fråværsteam hjelper", [])
    for key, status in (("coordinator_askoy", 404), ("adviser_b", 404)):
        r = await client.patch(f"/api/outcomes/{oid}", json={"title": "x"}, headers=w.headers[key])
        assert r.status_code == status
    await publish_directly(oid)
    seen = await client.get(f"/api/outcomes/{oid}", headers=w.headers["coordinator_askoy"])
    assert seen.status_code == 200
    assert seen.json()["title"] == "Fråværsteam hjelper"
    r = await client.patch(
        f"/api/outcomes/{oid}", json={"title": "x"}, headers=w.headers["coordinator_askoy"]
    )
    assert r.status_code == 403
    assert (await client.get(f"/resultater/{oid}", headers=HTML)).status_code == 404  # not public
    gone = await client.delete(f"/api/outcomes/{oid}", headers=w.headers["researcher_f"])
    assert gone.status_code == 409  # published: it stays
    draft = by_adviser.json()["id"]
    assert (
        await client.delete(f"/api/outcomes/{draft}", headers=w.headers["researcher_f"])
    ).status_code == 204
    actions = [
        (r["action"], r["object_id"])
        for r in await AuditEvent.select(AuditEvent.action, AuditEvent.object_id)
        .where(AuditEvent.action.like("projects.outcome.%"))
        .order_by(AuditEvent.id)
    ]
    assert actions == [
        ("projects.outcome.create", str(oid)),
        ("projects.outcome.create", str(draft)),
        ("projects.outcome.update", str(oid)),
        ("projects.outcome.delete", str(draft)),
    ]


async def test_public_outcome_is_read_anonymously_without_warned_text(
    client: Any, fworld: World
) -> None:
    w = fworld
    oid = (await create(client, w, is_public=True, practice="Ring 912 34 567.")).json()["id"]
    assert (await client.get(f"/resultater/{oid}", headers=HTML)).status_code == 404  # a draft
    await publish_directly(oid)
    page = await client.get(f"/resultater/{oid}", headers=HTML)
    assert page.status_code == 200, page.text
    assert "Elevane var mindre borte" in page.text
    assert "912 34 567" not in page.text
    assert 'id="vedlegg"' not in page.text
    team = await client.get(f"/api/outcomes/{oid}", headers=w.headers["coordinator_askoy"])
    assert team.json()["practice"] == "Ring 912 34 567."
    outsider = await client.get(f"/api/outcomes/{oid}", headers=w.headers["nobody"])
    assert (outsider.json()["summary"], outsider.json()["practice"]) == (
        "Elevane var mindre borte frå skulen.",
        "",
    )


async def test_article_citation_from_the_clusters_literature_reference(
    client: Any, fworld: World
) -> None:
    from literature.tables import Reference

    w = fworld
    await Reference.insert(
        Reference(
            cluster=w.ids["cluster_a"],
            title="School absence teams: a systematic review",
            authors=[["Nordmann", "Kari Anne"], ["Hansen", "Per"]],
            year=2020,
            container="Systematic Reviews",
            volume="9",
            issue="1",
            pages="12-30",
            doi=DOI,
        ),
        Reference(cluster=w.ids["cluster_b"], title="Another cluster's copy", doi=DOI),
    )
    made = await create(client, w, kind="article", doi=f"https://doi.org/{DOI.upper()}")
    assert made.status_code == 201, made.text
    out = made.json()
    assert out["doi"] == DOI
    assert out["citation"] == {
        "title": "School absence teams: a systematic review",
        "authors": [["Nordmann", "Kari Anne"], ["Hansen", "Per"]],
        "year": 2020,
        "container": "Systematic Reviews",
        "volume": "9",
        "issue": "1",
        "pages": "12-30",
        "url": "",
    }
    assert out["citation_text"] == (
        "Nordmann K. A., Hansen P. (2020). School absence teams: a systematic review. "
        f"Systematic Reviews, 9(1), 12-30. https://doi.org/{DOI}"
    )
    bad = await create(client, w, kind="article", doi="not-a-doi")
    assert bad.status_code == 422
    assert [e["field"] for e in bad.json()["errors"]] == ["doi"]
    none = await create(client, w, kind="article")
    assert none.status_code == 422
    assert none.json()["errors"][0]["field"] == "doi"
    ris = "TY  - JOUR\nTI  - Fravær i skolen\nAU  - Berg, Ola\nPY  - 2021\nER  - \n"
    pasted = await create(client, w, kind="article", citation_text=ris)
    assert pasted.status_code == 201, pasted.text
    assert pasted.json()["citation"]["title"] == "Fravær i skolen"
    assert pasted.json()["citation"]["authors"] == [["Berg", "Ola"]]


@pytest.mark.parametrize(
    ("name", "data", "status"),
    [("plan.pdf", b"MZ\x90\x00" + b"\x00" * 3000, 415), ("stor.pdf", PDF + b"0" * 2**20, 413)],
)
async def test_attachment_refused_by_type_and_size(
    client: Any, fworld: World, files_dir: Path, name: str, data: bytes, status: int
) -> None:
    w = fworld
    oid = (await create(client, w)).json()["id"]
    refused = await client.post(
        f"/api/outcomes/{oid}/files",
        files={"file": (name, data, "application/pdf")},
        headers=w.headers["researcher_f"],
    )
    assert refused.status_code == status, refused.text
    assert kept(files_dir) == []
    ok = await client.post(
        f"/api/outcomes/{oid}/files",
        files={"file": ("funn.pdf", PDF + b"0" * 100, "application/pdf")},
        headers=w.headers["researcher_f"],
    )
    assert ok.status_code == 201, ok.text
    fid = ok.json()["id"]
    got = await client.get(f"/api/outcomes/{oid}/files/{fid}", headers=w.headers["adviser_a"])
    assert got.status_code == 200
    assert got.content == PDF + b"0" * 100
    other = await client.get(f"/api/outcomes/{oid}/files/{fid}", headers=w.headers["adviser_b"])
    assert other.status_code == 404


@pytest.mark.parametrize("decision", ["accept", "decline"])
async def test_measure_proposal_and_decision(client: Any, fworld: World, decision: str) -> None:
    from klynge.notifications import Notification
    from literature.tables import Measure

    w = fworld
    oid = (await create(client, w, kind="recommendation")).json()["id"]
    url = f"/api/outcomes/{oid}/measure"
    wrong = await client.post(
        url, json={"scale": "ungsinn", "level": "9"}, headers=w.headers["researcher_f"]
    )
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["field"] == "level"
    proposed = await client.post(
        url, json={"scale": "grade", "level": "Moderate"}, headers=w.headers["researcher_f"]
    )
    assert proposed.status_code == 200, proposed.text
    assert (proposed.json()["measure_status"], proposed.json()["measure_level"]) == (
        "proposed",
        "moderate",
    )
    told = await Notification.select(Notification.account).where(
        Notification.kind == "findings.measure"
    )
    assert [r["account"] for r in told] == [w.accounts["adviser_a"]]
    leader_try = await client.post(
        f"{url}/decision", json={"decision": decision}, headers=w.headers["researcher_f"]
    )
    assert leader_try.status_code == 403
    payload = {
        "decision": decision,
        "reason": "Finst alt i banken." if decision == "decline" else "",
    }
    decided = await client.post(f"{url}/decision", json=payload, headers=w.headers["adviser_a"])
    assert decided.status_code == 200, decided.text
    measures = await Measure.select(Measure.name, Measure.scale, Measure.level)
    if decision == "accept":
        assert decided.json()["measure_status"] == "accepted"
        assert measures == [
            {"name": "Fråværsteam gir færre dager borte", "scale": "grade", "level": "moderate"}
        ]
    else:
        assert (decided.json()["measure_status"], decided.json()["measure_note"]) == (
            "declined",
            "Finst alt i banken.",
        )
        assert measures == []
    leader = await Notification.select(Notification.account).where(
        Notification.kind == "findings.measure", Notification.account == w.accounts["researcher_f"]
    )
    assert len(leader) == 1


@pytest.mark.parametrize("sep", ["", " ", "\t"])
async def test_privacy_guard_on_a_national_id(client: Any, fworld: World, sep: str) -> None:
    from projects.findings.tables import Outcome

    w = fworld
    fnr = synthetic_fnr()
    refused = await create(client, w, summary=f"Gjeld eleven {fnr[:6]}{sep}{fnr[6:]}.")
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "summary"
    assert fnr[6:] not in refused.text
    assert await Outcome.count() == 0


async def test_pages_new_form_outcome_page_and_edit(client: Any, fworld: World) -> None:
    w = fworld
    await login(client, w, "researcher_f")
    new = f"/prosjekter/{w.ids['p_f']}/resultater/ny"
    token = await csrf_token(client, new)
    refused = await client.post(
        new,
        data={"kind": "article", "title": "Artikkel", "doi": "feil", "_csrf_token": token},
        headers=HTML,
    )
    assert refused.status_code == 422
    assert "10.1000/xyz123" in refused.text
    made = await client.post(
        new, data={**body(links=""), "_csrf_token": token}, headers=HTML, follow_redirects=False
    )
    assert made.status_code == 303, made.text
    page = await client.get(made.headers["location"], headers=HTML)
    assert page.status_code == 200
    assert "Fråværsteam gir færre dager borte" in page.text
    project = await client.get(f"/prosjekter/{w.ids['p_f']}", headers=HTML)
    assert 'id="resultater"' in project.text
    assert made.headers["location"].split("?")[0] in project.text
    oid = made.headers["location"].split("?")[0].rsplit("/", 1)[1]
    edit = f"/resultater/{oid}/rediger"
    token = await csrf_token(client, edit)
    saved = await client.post(
        edit,
        data={**body(links="", summary=""), "_csrf_token": token},
        headers=HTML,
        follow_redirects=False,
    )
    assert saved.status_code == 303, saved.text
    got = await client.get(f"/api/outcomes/{oid}", headers=w.headers["researcher_f"])
    assert (got.json()["summary"], got.json()["links"]) == ("", [])


async def test_shared_content_survives_the_deletion_of_one_of_its_users(
    fworld: World, settings: Any
) -> None:
    """The file store is content-addressed: the same bytes as a project document and as an
    outcome's attachment are one stored file, deleted only when neither refers to it."""
    from klynge.files import FileStore, forget_if_unused
    from projects.findings.tables import Outcome, OutcomeFile
    from projects.workspace.tables import ProjectDocument

    class Upload:
        def __init__(self) -> None:
            self.left = PDF

        async def read(self, size: int = -1) -> bytes:
            chunk, self.left = self.left, b""
            return chunk

    store = FileStore(settings.files)
    stored = await store.save(Upload())
    key = stored.key
    outcome = await Outcome.insert(
        Outcome(
            project=fworld.ids["p_f"], cluster=fworld.ids["cluster_a"], kind="report", title="R"
        )
    ).returning(Outcome.id)
    await OutcomeFile.insert(
        OutcomeFile(
            outcome=outcome[0]["id"],
            sha256=key,
            filename="r.pdf",
            media_type="application/pdf",
            size=len(PDF),
        )
    )
    await ProjectDocument.insert(
        ProjectDocument(
            project=fworld.ids["p_f"],
            filename="r.pdf",
            content_type="application/pdf",
            size=len(PDF),
            sha256=key,
            storage_key=key,
        )
    )
    await OutcomeFile.delete().where(OutcomeFile.sha256 == key)
    assert await forget_if_unused(store, key) is False  # the document still uses it
    assert store.exists(key)
    await ProjectDocument.delete().where(ProjectDocument.storage_key == key)
    assert await forget_if_unused(store, key) is True
    assert not store.exists(key)
