"""Piccolo app config for `priorities`."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from priorities.tables import (
    Decision,
    Need,
    NeedEndorsement,
    NeedEvent,
    NeedService,
    NeedSubmitter,
    PriorityRound,
    RoundNeed,
    RoundRater,
    Score,
)

APP_CONFIG = AppConfig(
    app_name="priorities",
    migrations_folder_path=str(
        Path(__file__).resolve().parent.parent / "migrations" / "priorities"
    ),
    table_classes=[
        Need,
        NeedService,
        NeedSubmitter,
        NeedEndorsement,
        NeedEvent,
        PriorityRound,
        RoundNeed,
        RoundRater,
        Score,
        Decision,
    ],
    migration_dependencies=["klynge.piccolo_app"],
    commands=[],
)
