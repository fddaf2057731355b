"""The platform's one file store: files in a local folder under content-addressed keys (their
SHA-256), written atomically, read as a stream. The type is decided from the content (magic
bytes), never from the name; only a few document and image types are kept."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Protocol
from urllib.parse import quote

import filetype

from klynge.errors import DomainError
from klynge.i18n import N_
from klynge.settings import FileSettings

CHUNK = 64 * 1024
# How much of the start of a file the type is decided from (filetype reads up to 8 KiB).
HEAD = 8192
_KEY = re.compile(r"^[0-9a-f]{64}$")
# Letters NFKD does not take apart, for the ASCII fallback name.
_ASCII = str.maketrans({"æ": "ae", "Æ": "Ae", "ø": "o", "Ø": "O", "ß": "ss"})

# Detected type -> (MIME type, extension) of the types the store keeps.
ALLOWED: dict[str, tuple[str, str]] = {
    "pdf": ("application/pdf", "pdf"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "odt": ("application/vnd.oasis.opendocument.text", "odt"),
    "png": ("image/png", "png"),
    "jpg": ("image/jpeg", "jpg"),
    "txt": ("text/plain; charset=utf-8", "txt"),
}
KIND_NAMES = "PDF, Word (DOCX), Excel (XLSX), OpenDocument (ODT), PNG, JPEG, text"

UNSUPPORTED = N_(
    "The file type is not allowed. Upload PDF, Word (DOCX), Excel (XLSX), OpenDocument text "
    "(ODT), PNG, JPEG or plain text."
)
TOO_LARGE = N_("The file is larger than the limit of %(megabytes)s MB.")
EMPTY = N_("The file is empty.")


class Readable(Protocol):
    """What the store reads an upload from (Litestar's UploadFile is one)."""

    async def read(self, size: int = -1) -> bytes: ...


@dataclass(frozen=True, slots=True)
class StoredFile:
    key: str  # the content's SHA-256, hex
    sha256: str
    size: int
    content_type: str
    extension: str


def _is_text(head: bytes) -> bool:
    """Plain UTF-8 text with no control characters but tab, newline, carriage return, form
    feed. A multi-byte character cut off at the end of `head` is allowed."""
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 3:
            return False
        text = head[: exc.start].decode("utf-8")
    return all(c in "\t\n\r\f" or unicodedata.category(c) != "Cc" for c in text)


def detect(head: bytes) -> str | None:
    """The allowed type of a file from its first bytes ("pdf", "docx" …), or None."""
    if not head:
        return None
    kind = filetype.guess(head)
    if kind is not None:
        extension = str(kind.extension)
        return extension if extension in ALLOWED else None
    return "txt" if _is_text(head) else None


def safe_filename(name: str, extension: str = "") -> str:
    """A file name to show and to send back: no folders, no control or quote characters, at
    most 150 characters; `extension` (the detected type's) is added when the name lacks it."""
    base = unicodedata.normalize("NFC", name.replace("\\", "/").rsplit("/", 1)[-1])
    base = "".join(c for c in base if unicodedata.category(c)[0] != "C" and c not in '"<>:|?*')
    base = " ".join(base.split()).strip(" .") or "dokument"
    stem, dot, ext = base.rpartition(".")
    if extension and (not dot or ext.lower() not in _aliases(extension)):
        stem, ext = base, extension
    elif not dot:
        stem, ext = base, ""
    stem = stem[: 150 - len(ext) - 1]
    return f"{stem}.{ext}" if ext else stem


def _aliases(extension: str) -> set[str]:
    return {"jpg", "jpeg"} if extension == "jpg" else {extension}


def content_disposition(filename: str) -> str:
    """`attachment` with an ASCII fallback and the UTF-8 name (RFC 6266 / 5987)."""
    fallback = (
        unicodedata.normalize("NFKD", filename.translate(_ASCII)).encode("ascii", "ignore").decode()
    )
    fallback = re.sub(r"[^A-Za-z0-9._ -]", "_", fallback).strip() or "dokument"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


class FileStore:
    """Files under `root/<2>/<2>/<sha256>`; the same content is stored once."""

    def __init__(self, settings: FileSettings) -> None:
        self.root = settings.root
        self.max_bytes = settings.max_bytes

    def path(self, key: str) -> Path:
        if not _KEY.match(key):
            raise ValueError("not a file store key")
        return self.root / key[:2] / key[2:4] / key

    def exists(self, key: str) -> bool:
        return self.path(key).is_file()

    def _too_large(self) -> DomainError:
        megabytes = self.max_bytes // (1024 * 1024) or 1
        return DomainError(TOO_LARGE, 413, "too-large", params={"megabytes": megabytes})

    async def save(self, upload: Readable) -> StoredFile:
        """Read the upload into a temporary file in the store (refusing a disallowed type or
        an oversize file: nothing is kept then), and move it in place atomically."""
        (self.root / "tmp").mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=self.root / "tmp", prefix="upload-")
        try:
            with os.fdopen(handle, "wb") as out:
                digest, size, kind = await self._copy(upload, out)
            stored = self.path(digest)
            stored.parent.mkdir(parents=True, exist_ok=True)
            os.replace(temp, stored)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp)
            raise
        content_type, extension = ALLOWED[kind]
        return StoredFile(digest, digest, size, content_type, extension)

    async def _copy(self, upload: Readable, out: IO[bytes]) -> tuple[str, int, str]:
        digest = hashlib.sha256()
        head = b""
        size = 0
        kind: str | None = None
        while True:
            chunk = await upload.read(CHUNK)
            if not chunk:
                break
            size += len(chunk)
            if size > self.max_bytes:
                raise self._too_large()
            if kind is None:
                head += chunk
                if len(head) >= HEAD:
                    kind = self._kind(head)
            digest.update(chunk)
            out.write(chunk)
        if size == 0:
            raise DomainError(EMPTY, 422, "empty-file")
        if kind is None:
            kind = self._kind(head)
        out.flush()
        os.fsync(out.fileno())
        return digest.hexdigest(), size, kind

    def _kind(self, head: bytes) -> str:
        kind = detect(head[:HEAD])
        if kind is None:
            raise DomainError(UNSUPPORTED, 415, "unsupported-file")
        return kind

    def read(self, key: str) -> Iterator[bytes]:
        """The file's content in chunks (for a streamed response)."""
        with self.path(key).open("rb") as handle:
            while chunk := handle.read(CHUNK):
                yield chunk

    def delete(self, key: str) -> None:
        """Remove the file (the caller checks that nothing refers to it any more)."""
        self.path(key).unlink(missing_ok=True)


async def forget_if_unused(store: FileStore, key: str) -> bool:
    """Delete the stored content once nothing refers to it: content is shared by every table
    that stores the same bytes (content-addressed), so each app says which of its keys are in
    use (`App.file_users`: "module:function", an async (key) -> bool). True when deleted."""
    from klynge import apps  # the core asks the apps through their declarations only

    for app in apps.installed():
        for reference in app.file_users:
            if await apps.resolve(reference)(key):
                return False
    store.delete(key)
    return True
