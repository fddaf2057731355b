"""The index of similar needs (issue 17): each need's word stems with their weights
(`need_term`, written by priorities.need_terms); the next migration indexes and fills it."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.base import OnDelete
from piccolo.columns.base import OnUpdate
from piccolo.columns.column_types import ForeignKey
from piccolo.columns.column_types import Integer
from piccolo.columns.column_types import Real
from piccolo.columns.column_types import Serial
from piccolo.columns.column_types import Varchar
from piccolo.columns.indexes import IndexMethod
from piccolo.table import Table


class Need(Table, tablename="need", schema=None):
    id = Serial(
        null=False,
        primary_key=True,
        unique=False,
        index=False,
        index_method=IndexMethod.btree,
        choices=None,
        db_column_name="id",
        secret=False,
    )


ID = "2026-12-05T00:34:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Word stems of needs for similar needs through an index"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="priorities", description=DESCRIPTION)

    manager.add_table(class_name="NeedTerm", tablename="need_term", schema=None, columns=None)

    manager.add_column(
        table_class_name="NeedTerm",
        tablename="need_term",
        column_name="need",
        db_column_name="need",
        column_class_name="ForeignKey",
        column_class=ForeignKey,
        params={
            "references": Need,
            "on_delete": OnDelete.cascade,
            "on_update": OnUpdate.cascade,
            "target_column": None,
            "null": True,
            "primary_key": False,
            "unique": False,
            "index": True,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="NeedTerm",
        tablename="need_term",
        column_name="cluster",
        db_column_name="cluster",
        column_class_name="Integer",
        column_class=Integer,
        params={
            "default": 0,
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="NeedTerm",
        tablename="need_term",
        column_name="term",
        db_column_name="term",
        column_class_name="Varchar",
        column_class=Varchar,
        params={
            "length": 60,
            "default": "",
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="NeedTerm",
        tablename="need_term",
        column_name="weight",
        db_column_name="weight",
        column_class_name="Real",
        column_class=Real,
        params={
            "default": 0.0,
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    return manager
