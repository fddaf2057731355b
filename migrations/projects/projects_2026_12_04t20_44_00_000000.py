"""Uniqueness Piccolo cannot declare across columns: one vector per publication and model
(the embedding job's upsert targets it)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-04T20:44:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "One publication vector per publication and model"

_INDEXES = [
    "CREATE UNIQUE INDEX publication_vector_once ON publication_vector (publication, model)",
]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="projects", description=DESCRIPTION)

    async def run() -> None:
        db = engine_finder()
        assert db is not None
        for statement in _INDEXES:
            await db.run_ddl(statement)

    manager.add_raw(run)
    return manager
