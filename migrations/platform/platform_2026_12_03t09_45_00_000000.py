"""Job outbox and heartbeat: when a job reached Redis, and when its run last beat (additive)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Timestamptz
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-03T09:45:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Job dispatched_at (outbox) and heartbeat_at (retry of jobs whose worker died)"


def _nullable_timestamp() -> dict[str, object]:
    return {
        "default": None,
        "null": True,
        "primary_key": False,
        "unique": False,
        "index": False,
        "index_method": IndexMethod.btree,
        "choices": None,
        "db_column_name": None,
        "secret": False,
    }


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="platform", description=DESCRIPTION)
    for column in ("dispatched_at", "heartbeat_at"):
        manager.add_column(
            table_class_name="Job",
            tablename="job",
            column_name=column,
            db_column_name=column,
            column_class_name="Timestamptz",
            column_class=Timestamptz,
            params=_nullable_timestamp(),
            schema=None,
        )
    return manager
