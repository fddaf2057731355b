"""Exactly once, across processes: `claim(key)` is True for the one caller that gets there first
and False for every other, on SQLite and PostgreSQL alike (INSERT ... ON CONFLICT DO NOTHING
RETURNING). Scheduled jobs use it so a reminder or escalation step goes out once per item and
step even with two workers running the same cron tick. Call it inside the transaction that
does the work: if that transaction rolls back, the claim goes with it."""

from __future__ import annotations

import datetime as dt

from piccolo.columns import Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class OnceClaim(Table, tablename="once_claim"):
    id: Serial  # Piccolo adds the primary key; declared for the type checker
    key = Varchar(length=200, unique=True)
    claimed_at = Timestamptz(default=TimestamptzNow())


async def claim(key: str) -> bool:
    """True when this caller is the first (and only) one to claim `key`."""
    rows = await OnceClaim.raw(
        "INSERT INTO once_claim (key, claimed_at) VALUES ({}, {}) "
        "ON CONFLICT (key) DO NOTHING RETURNING id",
        key,
        dt.datetime.now(dt.UTC),
    )
    return bool(rows)


async def claimed(key: str) -> bool:
    return bool(await OnceClaim.exists().where(OnceClaim.key == key))
