"""Apply every app's migrations (forwards) to the configured database, then the Varchar
length triggers SQLite needs (klynge.lengths)."""

from __future__ import annotations

import contextlib
import io
import os

os.environ.setdefault("PICCOLO_CONF", "klynge.piccolo_conf")


class MigrationError(Exception):
    pass


async def migrate(*, quiet: bool = True) -> None:
    from piccolo.apps.migrations.commands.forwards import run_forwards

    out = io.StringIO()
    with contextlib.redirect_stdout(out) if quiet else contextlib.nullcontext():
        result = await run_forwards(app_name="all")
    if not result.success:
        raise MigrationError(result.message or out.getvalue().strip().splitlines()[-1])
    from klynge.lengths import enforce_on_sqlite

    await enforce_on_sqlite()
