"""`klynge backup FILE` / `klynge restore FILE`: a consistent copy of the whole database.
SQLite through the online backup API (safe while the app runs); PostgreSQL through pg_dump's
custom format and pg_restore (--clean --if-exists, in one transaction)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from klynge.settings import DatabaseSettings

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"


class BackupError(Exception):
    """A one-line failure for the user."""


def backup(db: DatabaseSettings, target: Path) -> None:
    if db.engine == "sqlite":
        _sqlite_copy(_sqlite_path(db), target, atomic=True)
    else:
        _run_pg("pg_dump", ["--format=custom", "--file", str(target)], db)


def restore(db: DatabaseSettings, source: Path) -> None:
    if not source.is_file():
        raise BackupError(f"no backup file at {source}")
    with source.open("rb") as handle:
        head = handle.read(len(SQLITE_MAGIC))
    if db.engine == "sqlite":
        if head != SQLITE_MAGIC:
            raise BackupError(f"{source} is not a SQLite backup (DATABASE_URL is SQLite)")
        _sqlite_copy(source, _sqlite_path(db), atomic=False)
    else:
        if not head.startswith(PGDUMP_MAGIC):
            raise BackupError(f"{source} is not a pg_dump custom-format backup")
        options = ["--clean", "--if-exists", "--no-owner", "--single-transaction"]
        _run_pg("pg_restore", [*options, str(source)], db, target_db=True)


def _sqlite_path(db: DatabaseSettings) -> Path:
    if db.sqlite_path is None or not db.sqlite_path.is_file():
        raise BackupError(f"no SQLite database at {db.sqlite_path}")
    return db.sqlite_path


def _sqlite_copy(source: Path, target: Path, *, atomic: bool) -> None:
    """Page-by-page copy under SQLite's locks: consistent even while others write. A backup
    goes to a temporary name first, so a failed run never leaves half a file behind."""
    written = target.with_name(target.name + ".partial") if atomic else target
    try:
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            dst = sqlite3.connect(written)
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
    except sqlite3.Error as exc:
        if atomic:
            written.unlink(missing_ok=True)
        raise BackupError(f"SQLite: {exc}") from None
    if atomic:
        written.replace(target)


def _run_pg(tool: str, args: list[str], db: DatabaseSettings, target_db: bool = False) -> None:
    binary = shutil.which(tool)
    if binary is None:
        raise BackupError(
            f"{tool} not found: install the PostgreSQL client tools (e.g. apt-get install "
            "postgresql-client) matching the server's version"
        )
    dsn, password = _dsn_without_password(db.url)
    env = dict(os.environ)
    if password:
        env["PGPASSWORD"] = password  # not on the command line, where `ps` would show it
    database = ["--dbname", dsn]
    # The binary comes from PATH by name and the arguments from our settings, not from a user.
    completed = subprocess.run(  # noqa: S603
        [binary, *args, *database] if target_db else [binary, *database, *args],
        env=env,
        capture_output=True,
        check=False,
    )
    if completed.returncode != 0:
        lines = completed.stderr.decode("utf-8", "replace").strip().splitlines()
        raise BackupError(f"{tool} failed: {lines[0] if lines else completed.returncode}")


def _dsn_without_password(url: str) -> tuple[str, str | None]:
    parts = urlsplit(url)
    password = parts.password
    netloc = parts.netloc
    if password is not None:
        userinfo, host = netloc.rsplit("@", 1)
        netloc = f"{userinfo.split(':', 1)[0]}@{host}"
    return urlunsplit(parts._replace(scheme="postgresql", netloc=netloc)), password
