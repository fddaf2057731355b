"""Uniqueness Piccolo cannot declare across columns: one score per rater and need, one
decision per round and need, one endorsement per municipality and need, a need once per
round, a rater once per round, a service once per need."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-23T05:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Composite unique indexes for needs and rounds"

_INDEXES = [
    "CREATE UNIQUE INDEX score_one_per_rater_need ON score (rater, need)",
    'CREATE UNIQUE INDEX decision_one_per_round_need ON decision ("round", need)',
    "CREATE UNIQUE INDEX endorsement_one_per_municipality ON need_endorsement (need, municipality)",
    'CREATE UNIQUE INDEX round_need_once ON round_need ("round", need)',
    'CREATE UNIQUE INDEX round_rater_once ON round_rater ("round", account)',
    "CREATE UNIQUE INDEX need_service_once ON need_service (need, service)",
]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="priorities", description=DESCRIPTION)

    async def run() -> None:
        db = engine_finder()
        assert db is not None
        for statement in _INDEXES:
            await db.run_ddl(statement)

    manager.add_raw(run)
    return manager
