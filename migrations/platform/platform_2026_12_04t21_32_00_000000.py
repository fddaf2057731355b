from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import ForeignKey

ID = "2026-12-04T21:32:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Index role assignments by the organisation they are held in (people of an organisation)"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="platform", description=DESCRIPTION
    )

    manager.alter_column(
        table_class_name="RoleAssignment",
        tablename="role_assignment",
        column_name="cluster",
        db_column_name="cluster",
        params={"index": True},
        old_params={"index": False},
        column_class=ForeignKey,
        old_column_class=ForeignKey,
        schema=None,
    )

    manager.alter_column(
        table_class_name="RoleAssignment",
        tablename="role_assignment",
        column_name="municipality",
        db_column_name="municipality",
        params={"index": True},
        old_params={"index": False},
        column_class=ForeignKey,
        old_column_class=ForeignKey,
        schema=None,
    )

    manager.alter_column(
        table_class_name="RoleAssignment",
        tablename="role_assignment",
        column_name="service",
        db_column_name="service",
        params={"index": True},
        old_params={"index": False},
        column_class=ForeignKey,
        old_column_class=ForeignKey,
        schema=None,
    )

    manager.alter_column(
        table_class_name="RoleAssignment",
        tablename="role_assignment",
        column_name="research_group",
        db_column_name="research_group",
        params={"index": True},
        old_params={"index": False},
        column_class=ForeignKey,
        old_column_class=ForeignKey,
        schema=None,
    )

    manager.alter_column(
        table_class_name="RoleAssignment",
        tablename="role_assignment",
        column_name="funder",
        db_column_name="funder",
        params={"index": True},
        old_params={"index": False},
        column_class=ForeignKey,
        old_column_class=ForeignKey,
        schema=None,
    )

    return manager
