"""Statistics on `lower(language)` for the search's language filter (issue 17), PostgreSQL only.

`literature.search_sql.filters` compares `lower(r.language)`; without statistics on that
expression the planner guesses 0.5 % of the rows pass, where a common language passes most of
them, and chooses a bitmap scan and a sort of thousands of rows over walking the year or title
index to the first page. Extended statistics on the expression (PostgreSQL 14+) cost no index
and no write. SQLite: nothing to do (its search applies the language as an FTS5 facet token).
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.engine.postgres import PostgresEngine

ID = "2026-12-05T00:35:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Search: statistics on lower(language)"

_POSTGRES = [
    "CREATE STATISTICS IF NOT EXISTS literature_reference_language_lower"
    " ON (lower(language)) FROM literature_reference",
    "ANALYZE literature_reference",
]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="literature", description=DESCRIPTION)

    async def run() -> None:
        db = engine_finder()
        assert db is not None
        if isinstance(db, PostgresEngine):
            for statement in _POSTGRES:
                await db.run_ddl(statement)

    manager.add_raw(run)
    return manager
