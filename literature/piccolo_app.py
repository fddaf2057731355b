"""Piccolo app config for `literature`."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

APP_CONFIG = AppConfig(
    app_name="literature",
    migrations_folder_path=str(
        Path(__file__).resolve().parent.parent / "migrations" / "literature"
    ),
    table_classes=[],
    migration_dependencies=["klynge.piccolo_app"],
    commands=[],
)
