"""Varchar lengths enforced on SQLite too. PostgreSQL refuses a value longer than varchar(n)
itself; SQLite stores anything, so `klynge migrate` gives every Varchar column of every table
a pair of triggers (insert, update) that refuse an over-long value. Generated from the tables,
so a new column is covered by the next migrate; idempotent."""

from __future__ import annotations

from piccolo.columns import Varchar
from piccolo.table import Table

TOO_LONG = "value too long for"  # the start of the trigger's error message


def trigger_statements(table: type[Table]) -> list[str]:
    """CREATE TRIGGER statements for one table's Varchar columns (SQLite)."""
    name = table._meta.tablename
    statements = []
    for column in table._meta.columns:
        if not isinstance(column, Varchar) or not column.length:
            continue
        col = column._meta.db_column_name
        for event, when in (("INSERT", "INSERT"), ("UPDATE", f'UPDATE OF "{col}"')):
            trigger = f"klynge_len_{name}_{col}_{event.lower()}"
            statements.append(
                f'CREATE TRIGGER IF NOT EXISTS "{trigger}" BEFORE {when} ON "{name}" '
                f'WHEN length(NEW."{col}") > {int(column.length)} '
                f"BEGIN SELECT RAISE(ABORT, '{TOO_LONG} {name}.{col}'); END"
            )
    return statements


async def enforce_on_sqlite() -> int:
    """Create the missing length triggers; returns how many statements ran (0 on PostgreSQL)."""
    from piccolo.conf.apps import Finder

    from klynge.db import engine, is_postgres

    if is_postgres():
        return 0
    statements = [s for t in Finder().get_table_classes() for s in trigger_statements(t)]
    for statement in statements:
        await engine().run_ddl(statement)
    return len(statements)
