"""The file store: types from the content (not the name), size limit, checksum, atomic writes
with nothing left behind on refusal, streamed reads, safe names and the settings."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest

from klynge.errors import DomainError
from klynge.files import FileStore, content_disposition, detect, safe_filename
from klynge.settings import FileSettings
from tests.conftest import make_settings

PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40


def office_zip(folder: str) -> bytes:
    """A minimal OOXML package: [Content_Types].xml first, then the part that names its type."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}/document.xml", "<document/>")
    return buffer.getvalue()


def odt() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text", 0)
        archive.writestr("content.xml", "<office/>")
    return buffer.getvalue()


class Upload:
    """An upload read in chunks, like Litestar's UploadFile."""

    def __init__(self, data: bytes) -> None:
        self.data = io.BytesIO(data)

    async def read(self, size: int = -1) -> bytes:
        return self.data.read(size)


def store(tmp_path: Path, max_bytes: int = 1024 * 1024) -> FileStore:
    return FileStore(FileSettings(root=tmp_path / "files", max_bytes=max_bytes))


def stored_files(tmp_path: Path) -> list[Path]:
    return [p for p in (tmp_path / "files").rglob("*") if p.is_file()]


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (PDF, "pdf"),
        (PNG, "png"),
        (JPEG, "jpg"),
        (office_zip("word"), "docx"),
        (office_zip("xl"), "xlsx"),
        (odt(), "odt"),
        ("Møtereferat fra samskapingsmøtet\n".encode(), "txt"),
    ],
)
def test_detect_allowed_types_from_content(data: bytes, kind: str) -> None:
    assert detect(data) == kind


@pytest.mark.parametrize(
    "data",
    [
        b"MZ\x90\x00\x03" + b"\x00" * 100,  # a Windows program
        b"GIF89a" + b"\x00" * 20,  # an image type we do not keep
        office_zip("ppt"),  # PowerPoint
        b"\x00\x01\x02binary",
        b"",
    ],
)
def test_detect_refuses_other_content(data: bytes) -> None:
    assert detect(data) is None


def test_text_cut_inside_a_character_is_still_text() -> None:
    assert detect(("æ" * 5000).encode()[:8191]) == "txt"


async def test_save_records_checksum_size_type_and_reads_back(tmp_path: Path) -> None:
    files = store(tmp_path)
    data = PDF + b"x" * 200_000
    stored = await files.save(Upload(data))
    assert stored.sha256 == hashlib.sha256(data).hexdigest() == stored.key
    assert stored.size == len(data)
    assert (stored.content_type, stored.extension) == ("application/pdf", "pdf")
    assert b"".join(files.read(stored.key)) == data
    assert len(list(files.read(stored.key))) > 1  # streamed in chunks
    assert stored_files(tmp_path) == [files.path(stored.key)]


async def test_same_content_is_stored_once(tmp_path: Path) -> None:
    files = store(tmp_path)
    first = await files.save(Upload(PNG))
    second = await files.save(Upload(PNG))
    assert first.key == second.key
    assert len(stored_files(tmp_path)) == 1
    files.delete(first.key)
    assert not files.exists(first.key)


async def test_wrong_type_by_content_is_refused_and_nothing_written(tmp_path: Path) -> None:
    files = store(tmp_path)
    with pytest.raises(DomainError) as refused:
        await files.save(Upload(b"MZ\x90\x00" + b"\x00" * 20_000))
    assert refused.value.status == 415
    assert stored_files(tmp_path) == []


async def test_too_large_is_refused_and_nothing_written(tmp_path: Path) -> None:
    files = store(tmp_path, max_bytes=1024 * 1024)
    with pytest.raises(DomainError) as refused:
        await files.save(Upload(b"a" * (1024 * 1024 + 1)))
    assert refused.value.status == 413
    assert refused.value.params == {"megabytes": 1}
    assert stored_files(tmp_path) == []


async def test_exactly_the_limit_is_kept(tmp_path: Path) -> None:
    files = store(tmp_path, max_bytes=1024 * 1024)
    stored = await files.save(Upload(b"a" * (1024 * 1024)))
    assert stored.size == 1024 * 1024


async def test_empty_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DomainError) as refused:
        await store(tmp_path).save(Upload(b""))
    assert refused.value.status == 422
    assert stored_files(tmp_path) == []


def test_keys_cannot_leave_the_store(tmp_path: Path) -> None:
    files = store(tmp_path)
    for key in ("../../etc/passwd", "a" * 63, "A" * 64, ""):
        with pytest.raises(ValueError, match="not a file store key"):
            files.path(key)


@pytest.mark.parametrize(
    ("name", "extension", "expected"),
    [
        ("../../etc/passwd", "txt", "passwd.txt"),
        ("C:\\Users\\x\\Prosjektplan.pdf", "pdf", "Prosjektplan.pdf"),
        ('møte"referat\n.docx', "docx", "møtereferat.docx"),
        ("bilde.jpeg", "jpg", "bilde.jpeg"),
        ("rapport.exe", "pdf", "rapport.exe.pdf"),
        ("", "pdf", "dokument.pdf"),
        ("x" * 300 + ".pdf", "pdf", "x" * 146 + ".pdf"),
    ],
)
def test_safe_filename(name: str, extension: str, expected: str) -> None:
    assert safe_filename(name, extension) == expected


def test_content_disposition_is_an_attachment_with_both_names() -> None:
    header = content_disposition("Søknad om fritak.pdf")
    assert header.startswith('attachment; filename="Soknad om fritak.pdf"; ')
    assert "filename*=UTF-8''S%C3%B8knad%20om%20fritak.pdf" in header


def test_settings_default_and_configured(tmp_path: Path) -> None:
    default = make_settings().files
    assert default.root.parts[-2:] == ("var", "files")
    assert default.max_bytes == 20 * 1024 * 1024
    configured = make_settings(KLYNGE_FILES_DIR=str(tmp_path), KLYNGE_MAX_UPLOAD_MB="3").files
    assert (configured.root, configured.max_bytes) == (tmp_path, 3 * 1024 * 1024)
    from klynge.settings import ConfigError

    with pytest.raises(ConfigError):
        make_settings(KLYNGE_MAX_UPLOAD_MB="0")
