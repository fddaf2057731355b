"""Varchar lengths hold on both engines: PostgreSQL's varchar(n) refuses an over-long value, and
on SQLite the triggers `klynge migrate` creates (klynge.lengths) refuse it the same way."""

from __future__ import annotations

import datetime as dt

import pytest
from piccolo.columns import Varchar
from piccolo.conf.apps import Finder

from tests.conftest import BACKEND


def _refused() -> tuple[type[BaseException], ...]:
    if BACKEND == "postgres":
        from asyncpg.exceptions import StringDataRightTruncationError

        return (StringDataRightTruncationError,)
    import sqlite3

    return (sqlite3.IntegrityError,)


async def test_an_over_long_value_is_refused_on_insert_and_update(db) -> None:
    from klynge.orgs.tables import Municipality

    def municipality(**values: str) -> Municipality:
        base = {"number": "4601", "name": "Bergen", "county": "Vestland", "language": "nynorsk"}
        return Municipality(**{**base, **values}, valid_from=dt.date(2024, 1, 1))

    with pytest.raises(_refused()):
        await Municipality.insert(municipality(language="x" * 11))  # varchar(10)
    with pytest.raises(_refused()):
        await Municipality.insert(municipality(name="B" * 121))  # varchar(120)
    await Municipality.insert(municipality(name="B" * 120, language="x" * 10))  # at the limit
    with pytest.raises(_refused()):
        await Municipality.update({Municipality.name: "B" * 121}).where(
            Municipality.number == "4601"
        )
    assert await Municipality.select(Municipality.name).first() == {"name": "B" * 120}


@pytest.mark.skipif(BACKEND != "sqlite", reason="the triggers exist on SQLite only")
async def test_every_varchar_column_of_every_table_has_its_triggers(db) -> None:
    from klynge.db import engine

    wanted = {
        f"klynge_len_{t._meta.tablename}_{c._meta.db_column_name}_{event}"
        for t in Finder().get_table_classes()
        for c in t._meta.columns
        if isinstance(c, Varchar) and c.length
        for event in ("insert", "update")
    }
    rows = await engine().run_ddl(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'klynge_len_%'"
    )
    assert len(wanted) > 100
    assert {r["name"] for r in rows} == wanted
