from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import ForeignKey

ID = "2026-12-04T20:40:21:183176"
VERSION = "1.38.0"
DESCRIPTION = "Index project participants by group, municipality, service and account (project list)"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="projects", description=DESCRIPTION
    )

    manager.alter_column(
        table_class_name="Participant",
        tablename="project_participant",
        column_name="group",
        db_column_name="group",
        params={"index": True},
        old_params={"index": False},
        column_class=ForeignKey,
        old_column_class=ForeignKey,
        schema=None,
    )

    manager.alter_column(
        table_class_name="Participant",
        tablename="project_participant",
        column_name="municipality",
        db_column_name="municipality",
        params={"index": True},
        old_params={"index": False},
        column_class=ForeignKey,
        old_column_class=ForeignKey,
        schema=None,
    )

    manager.alter_column(
        table_class_name="Participant",
        tablename="project_participant",
        column_name="service",
        db_column_name="service",
        params={"index": True},
        old_params={"index": False},
        column_class=ForeignKey,
        old_column_class=ForeignKey,
        schema=None,
    )

    manager.alter_column(
        table_class_name="Participant",
        tablename="project_participant",
        column_name="account",
        db_column_name="account",
        params={"index": True},
        old_params={"index": False},
        column_class=ForeignKey,
        old_column_class=ForeignKey,
        schema=None,
    )

    return manager
