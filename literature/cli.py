"""`klynge literature import PATH --format F --source NAME [--json]`: import a reference file
from the command line (admins and scripts) and print the import report."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
from pathlib import Path
from typing import Any

from literature import schemas as s


class LiteratureCommandError(Exception):
    """One line for the user; the core CLI prints it and exits 1."""


COMMAND_ERRORS = (LiteratureCommandError,)


def register(sub: Any) -> None:
    literature = sub.add_parser("literature", help="reference imports")
    commands = literature.add_subparsers(dest="literature_command", required=True)
    imp = commands.add_parser("import", help="import a reference file and print the report")
    imp.add_argument("path", type=Path)
    imp.add_argument("--format", required=True, choices=[f.value for f in s.ImportFormat])
    imp.add_argument("--source", required=True, help='source database, e.g. "PubMed"')
    imp.add_argument("--cluster", type=int, help="cluster id (default: the only cluster)")
    imp.add_argument("--query", default="", help="the search string that produced the file")
    imp.add_argument("--searched-on", type=dt.date.fromisoformat, help="YYYY-MM-DD")
    imp.add_argument("--check", type=int, help="literature check the search belongs to")
    imp.add_argument("--json", action="store_true", help="print the report as JSON")
    imp.set_defaults(func=_cmd_import)


async def _cluster(requested: int | None) -> int:
    from klynge.orgs.tables import Cluster

    if requested is not None:
        if not await Cluster.exists().where(Cluster.id == requested):
            raise LiteratureCommandError(f"no cluster with id {requested}")
        return requested
    rows = await Cluster.select(Cluster.id).limit(2)
    if len(rows) != 1:
        raise LiteratureCommandError(
            "no cluster exists" if not rows else "several clusters exist: pass --cluster ID"
        )
    return int(rows[0]["id"])


def read_file(path: Path, max_bytes: int) -> bytes:
    if not path.is_file():
        raise LiteratureCommandError(f"{path}: no such file")
    if path.stat().st_size > max_bytes:
        raise LiteratureCommandError(
            f"{path}: larger than the limit of {max_bytes} bytes (KLYNGE_MAX_UPLOAD_BYTES)"
        )
    return path.read_bytes()


async def import_file(args: argparse.Namespace, data: bytes, max_bytes: int) -> s.ImportReport:
    from klynge.db import transaction
    from klynge.errors import DomainError
    from klynge.migrate import migrate
    from literature import imports
    from literature.formats import FormatError

    path: Path = args.path
    await migrate()
    cluster_id = await _cluster(args.cluster)
    try:
        async with transaction():
            import_id = await imports.create_import(
                None,
                cluster_id=cluster_id,
                fmt=s.ImportFormat(args.format),
                source=args.source,
                filename=path.name,
                size=len(data),
                max_bytes=max_bytes,
                query=args.query,
                searched_on=args.searched_on,
                check_id=args.check,
            )
    except DomainError as exc:
        details = "; ".join(e.text for e in exc.errors)
        raise LiteratureCommandError(f"{exc.text} {details}".strip()) from None
    try:
        return await imports.run_import(import_id, data)
    except FormatError as exc:
        await imports.fail_import(import_id, str(exc))
        raise LiteratureCommandError(f"{path.name}: {exc}") from None


def _cmd_import(args: argparse.Namespace) -> None:
    from klynge.settings import load_settings

    settings = load_settings(require_secret=False)
    data = read_file(args.path, settings.max_upload_bytes)
    report = asyncio.run(import_file(args, data, settings.max_upload_bytes))
    if args.json:
        print(
            json.dumps(
                {
                    "read": report.read,
                    "imported": report.imported,
                    "duplicates": report.duplicates,
                    "possible_duplicates": report.possible_duplicates,
                    "problems": [{"record": p.record, "reason": p.reason} for p in report.problems],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    print(f"Lest: {report.read}")
    print(f"Importert: {report.imported}")
    print(f"Duplikater: {report.duplicates}")
    print(f"Mulige duplikater: {report.possible_duplicates}")
    print(f"Problemer: {len(report.problems)}")
    for problem in report.problems:
        print(f"  referanse {problem.record}: {problem.reason}")
