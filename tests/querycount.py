"""Count the SQL statements a piece of code sends (for the tests that list pages run a constant
number of queries whatever the page size)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest


@dataclass
class QueryLog:
    statements: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.statements)


@contextmanager
def count_queries(monkeypatch: pytest.MonkeyPatch) -> Iterator[QueryLog]:
    """Every statement the configured engine runs inside the block (the engine's one door to
    the database, run_querystring, and raw DDL)."""
    from klynge.db import engine

    log = QueryLog()
    cls = type(engine())
    run_querystring = cls.run_querystring
    run_ddl = cls.run_ddl

    async def counted_querystring(self: Any, querystring: Any, *args: Any, **kwargs: Any) -> Any:
        log.statements.append(str(querystring))
        return await run_querystring(self, querystring, *args, **kwargs)

    async def counted_ddl(self: Any, ddl: str, *args: Any, **kwargs: Any) -> Any:
        log.statements.append(ddl)
        return await run_ddl(self, ddl, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(cls, "run_querystring", counted_querystring)
        patch.setattr(cls, "run_ddl", counted_ddl)
        yield log


async def task_pass(monkeypatch: pytest.MonkeyPatch, account_id: int) -> int:
    """The statements of the header's task count (klynge.task_count) for this account: what it
    adds to every page of a signed-in user that did not build the task list (each provider's
    count, App.task_counts). Page counts are written as their own queries plus this, so a new
    provider does not change them."""
    from klynge import tasks
    from klynge.auth.service import load_principal

    actor = await load_principal(account_id)
    assert actor is not None
    with count_queries(monkeypatch) as log:
        await tasks.task_count(actor)
    return log.count
