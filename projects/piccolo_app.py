"""Piccolo app config for `projects`."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

APP_CONFIG = AppConfig(
    app_name="projects",
    migrations_folder_path=str(Path(__file__).resolve().parent.parent / "migrations" / "projects"),
    table_classes=[],
    migration_dependencies=["klynge.piccolo_app"],
    commands=[],
)
