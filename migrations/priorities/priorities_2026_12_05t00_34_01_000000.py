"""The index of similar needs (issue 17), after its table: a (cluster, term) index to find the
needs that share a stem, and the terms of the needs already there (Piccolo runs a migration's
raw steps before its new tables, hence a migration of its own)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.querystring import QueryString

ID = "2026-12-05T00:34:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "Index and fill the word stems of needs"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="priorities", description=DESCRIPTION)
    manager.add_raw(_index)
    manager.add_raw(_backfill)
    return manager


async def _index() -> None:
    engine = engine_finder()
    assert engine is not None
    await engine.run_ddl("CREATE INDEX need_term_cluster_term ON need_term (cluster, term)")


_CHUNK = 500  # rows per INSERT: 2,000 parameters, within both engines' limits


async def _backfill() -> None:
    from priorities.similarity import word_terms

    engine = engine_finder()
    assert engine is not None
    needs = await engine.run_ddl("SELECT id, cluster, title, question, background FROM need")
    rows = [
        (n["id"], n["cluster"], term, weight)
        for n in needs
        for term, weight in word_terms(n["title"], n["question"], n["background"]).items()
    ]
    for start in range(0, len(rows), _CHUNK):
        chunk = rows[start : start + _CHUNK]
        values = ", ".join(["({}, {}, {}, {})"] * len(chunk))
        await engine.run_querystring(
            QueryString(
                f"INSERT INTO need_term (need, cluster, term, weight) VALUES {values}",
                *[value for row in chunk for value in row],
            )
        )
