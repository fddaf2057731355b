"""Piccolo app config for `priorities`."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

APP_CONFIG = AppConfig(
    app_name="priorities",
    migrations_folder_path=str(
        Path(__file__).resolve().parent.parent / "migrations" / "priorities"
    ),
    table_classes=[],
    migration_dependencies=["klynge.piccolo_app"],
    commands=[],
)
