"""Project documents through the API and the pages: upload with checksum, size and type (from
the content), the list, download as an attachment only for those who see the project, delete by
the team; a wrong type or an oversize file is refused with a clear message and nothing is
written; another cluster gets 404."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import World, make_settings
from tests.platform.test_files import PDF, PNG, office_zip
from tests.platform.test_views import HTML, csrf_token, login
from tests.projects.test_workspace_participants import needs_world, plain, project_world

__all__ = ["needs_world", "project_world"]


@pytest.fixture
def files_dir(tmp_path: Path) -> Path:
    return tmp_path / "files"


@pytest.fixture
def settings(files_dir: Path):  # type: ignore[no-untyped-def]
    return make_settings(KLYNGE_FILES_DIR=str(files_dir), KLYNGE_MAX_UPLOAD_MB="1")


def url(w: World, tail: str = "") -> str:
    return f"/api/projects/{w.ids['project']}/documents{tail}"


def kept(files_dir: Path) -> list[Path]:
    return [p for p in files_dir.rglob("*") if p.is_file()] if files_dir.exists() else []


async def upload(
    client: Any, w: World, key: str, name: str, data: bytes, kind: str = "plan"
) -> Any:
    return await client.post(
        url(w, "/"),
        files={"file": (name, data, "application/octet-stream")},
        data={"kind": kind},
        headers=w.headers[key],
    )


async def test_upload_list_download_delete(
    client: Any, project_world: World, files_dir: Path
) -> None:
    from klynge.audit import AuditEvent

    w = project_world
    content = PDF + b"0" * 5000
    response = await upload(client, w, "researcher", "../Prosjektplan «vår».pdf", content)
    assert response.status_code == 201, response.text
    doc = response.json()
    assert doc["filename"] == "Prosjektplan «vår».pdf"
    assert (doc["kind"], doc["size"], doc["content_type"]) == (
        "plan",
        len(content),
        "application/pdf",
    )
    assert doc["sha256"] == hashlib.sha256(content).hexdigest()
    assert doc["uploaded_by_name"] == "Researcher"
    listed = await client.get(url(w, "/"), headers=w.headers["coordinator_askoy"])
    assert [d["id"] for d in listed.json()] == [doc["id"]]
    got = await client.get(url(w, f"/{doc['id']}"), headers=w.headers["adviser_a"])
    assert got.status_code == 200
    assert got.content == content
    assert got.headers["content-type"].startswith("application/pdf")
    disposition = got.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="Prosjektplan var.pdf"')
    assert "filename*=UTF-8''Prosjektplan%20%C2%ABv%C3%A5r%C2%BB.pdf" in disposition
    not_team = await client.delete(url(w, f"/{doc['id']}"), headers=w.headers["coordinator_askoy"])
    assert not_team.status_code == 403
    gone = await client.delete(url(w, f"/{doc['id']}"), headers=w.headers["researcher"])
    assert gone.status_code == 204
    assert kept(files_dir) == []
    assert (
        await client.get(url(w, f"/{doc['id']}"), headers=w.headers["adviser_a"])
    ).status_code == 404
    actions = await AuditEvent.select(AuditEvent.action).where(
        AuditEvent.object_type == "project_document"
    )
    assert [a["action"] for a in actions] == ["document.uploaded", "document.deleted"]


async def test_same_content_twice_keeps_one_file_until_both_are_gone(
    client: Any, project_world: World, files_dir: Path
) -> None:
    w = project_world
    first = (await upload(client, w, "researcher", "a.png", PNG, "minutes")).json()
    second = (await upload(client, w, "researcher", "b.png", PNG, "other")).json()
    assert len(kept(files_dir)) == 1
    await client.delete(url(w, f"/{first['id']}"), headers=w.headers["researcher"])
    assert len(kept(files_dir)) == 1
    again = await client.get(url(w, f"/{second['id']}"), headers=w.headers["researcher"])
    assert again.content == PNG
    await client.delete(url(w, f"/{second['id']}"), headers=w.headers["researcher"])
    assert kept(files_dir) == []


@pytest.mark.parametrize(
    ("name", "data", "status"),
    [
        ("plan.pdf", b"MZ\x90\x00" + b"\x00" * 3000, 415),  # a program named .pdf
        ("slides.docx", office_zip("ppt"), 415),
        ("stor.pdf", PDF + b"0" * (1024 * 1024), 413),
        ("tom.txt", b"", 422),
    ],
)
async def test_wrong_type_or_size_is_refused_and_nothing_written(
    client: Any, project_world: World, files_dir: Path, name: str, data: bytes, status: int
) -> None:
    from projects.workspace.tables import ProjectDocument

    w = project_world
    response = await upload(client, w, "researcher", name, data)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert kept(files_dir) == []
    assert await ProjectDocument.count() == 0


async def test_docx_by_content_whatever_the_name(client: Any, project_world: World) -> None:
    w = project_world
    response = await upload(client, w, "researcher", "referat", office_zip("word"), "minutes")
    assert response.status_code == 201, response.text
    assert response.json()["filename"] == "referat.docx"
    assert "wordprocessingml" in response.json()["content_type"]


async def test_who_may_upload_and_read(client: Any, project_world: World) -> None:
    w = project_world
    assert (await upload(client, w, "coordinator_askoy", "x.pdf", PDF)).status_code == 403
    doc = (await upload(client, w, "researcher", "x.pdf", PDF)).json()
    for key in ("coordinator_trondheim", "adviser_b", "nobody"):
        assert (await client.get(url(w, "/"), headers=w.headers[key])).status_code == 404
        got = await client.get(url(w, f"/{doc['id']}"), headers=w.headers[key])
        assert got.status_code == 404, key
        assert (await upload(client, w, key, "y.pdf", PDF)).status_code == 404
    assert (await client.get(url(w, f"/{doc['id']}"))).status_code == 401


async def test_public_visitors_never_download(client: Any, project_world: World) -> None:
    from projects.tables import Project

    w = project_world
    doc = (await upload(client, w, "researcher", "x.pdf", PDF)).json()
    await Project.update({Project.is_public: True}).where(Project.id == w.ids["project"])
    page = f"/prosjekter/{w.ids['project']}/dokumenter/{doc['id']}"
    response = await client.get(page, headers=HTML, follow_redirects=False)
    assert response.status_code in (302, 303, 401)
    await login(client, w, "nobody")
    response = await client.get(page, headers=HTML, follow_redirects=False)
    assert response.status_code == 404


async def test_pages_upload_refusal_download_and_delete(
    client: Any, project_world: World, files_dir: Path
) -> None:
    w = project_world
    project = w.ids["project"]
    await login(client, w, "researcher")
    page = f"/prosjekter/{project}/dokumenter"
    token = await csrf_token(client, page)
    refused = await client.post(
        page,
        files={"file": ("virus.pdf", b"MZ\x90\x00" + b"\x00" * 100, "application/pdf")},
        data={"kind": "plan", "_csrf_token": token},
        headers=HTML,
        follow_redirects=False,
    )
    assert refused.status_code == 415, refused.text
    assert 'id="document-file-error"' in refused.text
    assert "Filtypen er ikke tillatt" in plain(refused)
    assert kept(files_dir) == []
    token = await csrf_token(client, page)
    sent = await client.post(
        page,
        files={"file": ("Referat.txt", "Møtereferat\n".encode(), "text/plain")},
        data={"kind": "minutes", "_csrf_token": token},
        headers=HTML,
        follow_redirects=False,
    )
    assert sent.status_code == 303, sent.text
    assert sent.headers["location"].endswith("#dokumenter")
    listing = await client.get(page, headers=HTML)
    assert 'aria-labelledby="dokumenter"' in listing.text
    assert "Referat.txt" in plain(listing)
    doc = int(listing.text.split(f"/prosjekter/{project}/dokumenter/")[1].split('"')[0])
    got = await client.get(f"{page}/{doc}", headers=HTML)
    assert got.status_code == 200
    assert got.content == "Møtereferat\n".encode()
    assert got.headers["content-disposition"].startswith("attachment;")
    token = await csrf_token(client, page)
    deleted = await client.post(
        f"{page}/{doc}/slett", data={"_csrf_token": token}, headers=HTML, follow_redirects=False
    )
    assert deleted.status_code == 303
    assert kept(files_dir) == []


async def test_list_documents_for_other_parts(client: Any, project_world: World) -> None:
    from projects.workspace.documents import list_documents

    w = project_world
    await upload(client, w, "researcher", "a.pdf", PDF, "approval")
    await upload(client, w, "researcher", "b.png", PNG, "other")
    found = await list_documents(w.ids["project"])
    assert [(d.filename, d.kind) for d in found] == [("b.png", "other"), ("a.pdf", "approval")]


async def test_documents_page_labels_every_field(client: Any, project_world: World) -> None:
    from tests.projects.test_workspace_participants import assert_labelled

    w = project_world
    await upload(client, w, "researcher", "a.pdf", PDF, "approval")
    await login(client, w, "researcher")
    page = await client.get(f"/prosjekter/{w.ids['project']}/dokumenter", headers=HTML)
    assert_labelled(page.text)
    assert '<caption id="documents-caption">' in page.text


async def test_upload_without_a_file_is_a_clear_4xx(client: Any, project_world: World) -> None:
    w = project_world
    response = await client.post(
        url(w, "/"),
        files={"kind": (None, "plan")},
        headers=w.headers["researcher"],
    )
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    wrong_kind = await client.post(
        url(w, "/"),
        files={"file": ("a.pdf", PDF, "application/pdf")},
        data={"kind": "secret"},
        headers=w.headers["researcher"],
    )
    assert wrong_kind.status_code == 400, wrong_kind.text
    await login(client, w, "researcher")
    page = f"/prosjekter/{w.ids['project']}/dokumenter"
    token = await csrf_token(client, page)
    empty = await client.post(
        page,
        files={"file": ("", b"", "application/octet-stream")},
        data={"kind": "plan", "_csrf_token": token},
        headers=HTML,
        follow_redirects=False,
    )
    assert empty.status_code == 422, empty.text
    assert "Velg filen" in plain(empty)
