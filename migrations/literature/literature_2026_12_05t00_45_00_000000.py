"""The public portal's research list at national scale (issue 17), used by `literature.search`
`browse` and every public search (`public_only`).

A reference is public when a measure or a published verdict cites it: both are looked up by
reference for each candidate, so both link tables get an index on `reference` (they had one on
the measure and the check only). PostgreSQL also gets the newest-first order across every
cluster (`year DESC NULLS LAST, id`, not merged), so the first page of the public list reads a
few hundred index entries instead of sorting every reference. SQLite's list keeps the per-cluster
order index it names (`literature.search_sqlite`).
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.engine.postgres import PostgresEngine

ID = "2026-12-05T00:45:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Public research list: link tables by reference, newest first across clusters"

_BOTH = [
    "CREATE INDEX literature_check_review_by_reference ON literature_check_review (reference)",
    "CREATE INDEX literature_measure_reference_by_reference"
    " ON literature_measure_reference (reference)",
]
_POSTGRES = [
    """
    CREATE INDEX literature_reference_newest ON literature_reference
        (year DESC NULLS LAST, id) WHERE merged_into IS NULL
    """,
    "ANALYZE literature_check_review",
    "ANALYZE literature_measure_reference",
    "ANALYZE literature_reference",
]
_SQLITE = ["ANALYZE literature_check_review", "ANALYZE literature_measure_reference"]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="literature", description=DESCRIPTION)

    async def run() -> None:
        db = engine_finder()
        assert db is not None
        postgres = isinstance(db, PostgresEngine)
        for statement in _BOTH + (_POSTGRES if postgres else _SQLITE):
            await db.run_ddl(statement)

    manager.add_raw(run)
    return manager
