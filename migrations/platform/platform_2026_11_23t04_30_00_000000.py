"""Engine-aware constraints Piccolo cannot declare: an append-only audit log and at most one
open membership (requested or member) per cluster and municipality."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.engine.postgres import PostgresEngine

ID = "2026-11-23T04:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Append-only audit log; one open membership per cluster and municipality"

_POSTGRES = [
    """
    CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'audit_event is append-only';
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()
    """,
]
_SQLITE = [
    """
    CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
    BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END
    """,
    """
    CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
    BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END
    """,
]
_BOTH = [
    """
    CREATE UNIQUE INDEX cluster_membership_one_open ON cluster_membership (cluster, municipality)
    WHERE status IN ('requested', 'member')
    """,
]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="platform", description=DESCRIPTION)

    async def run() -> None:
        db = engine_finder()
        assert db is not None
        statements = (_POSTGRES if isinstance(db, PostgresEngine) else _SQLITE) + _BOTH
        for statement in statements:
            await db.run_ddl(statement)

    manager.add_raw(run)
    return manager
