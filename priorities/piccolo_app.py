"""Piccolo app config for `priorities`."""

from piccolo.conf.apps import AppConfig

from klynge.paths import migrations_folder
from priorities.tables import (
    Decision,
    Need,
    NeedEndorsement,
    NeedEvent,
    NeedService,
    NeedSubmitter,
    NeedTerm,
    PriorityRound,
    RoundNeed,
    RoundRater,
    Score,
)

APP_CONFIG = AppConfig(
    app_name="priorities",
    migrations_folder_path=migrations_folder("priorities"),
    table_classes=[
        Need,
        NeedService,
        NeedSubmitter,
        NeedEndorsement,
        NeedEvent,
        NeedTerm,
        PriorityRound,
        RoundNeed,
        RoundRater,
        Score,
        Decision,
    ],
    migration_dependencies=["klynge.piccolo_app"],
    commands=[],
)
