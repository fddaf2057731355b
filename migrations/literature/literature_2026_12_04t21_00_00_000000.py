"""The search at national scale (issue 17), used by `literature.search_sqlite` and
`literature.search_postgres`.

SQLite: the filters become words of the full-text index. A virtual generated column
`search_facets` writes a reference's cluster, year, evidence type, summarised flag, language and
"not merged" as tokens (`kfc<cluster>0`, `kfy<year>0`, `kft<hex of type>0`, `kfs0`,
`kfl<hex of lower(language)>0`, `kfv0`; the closing digit keeps the porter stemmer off them),
and the FTS5 table indexes it as a fourth column, so FTS5 itself skips to the references that
pass the filters instead of handing every match of a common word to a join. The table and its
triggers are rebuilt with that column; the update trigger also fires when a filtered column
changes. A prefix index of three characters serves `word*` searches (FTS5 uses it for longer
prefixes too), which would otherwise merge the lists of every word with that prefix.
`literature_reference_by_year` and `literature_reference_by_title` give a search without text
its order and count without sorting the cluster (SQLite sorts NULL first, so `year DESC` puts
"no year" last).

PostgreSQL: the same two orders (`year DESC NULLS LAST`; the title's first 200 characters,
since a btree entry has a size limit, then the rest by incremental sort). The GIN index and
the generated `search_vector` stay as they are.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.engine.postgres import PostgresEngine

ID = "2026-12-04T21:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Search at national scale: filters in the FTS5 index, year and title order"

_FACETS = """
    'kfc' || coalesce(cluster, '') || '0'
    || CASE WHEN merged_into IS NULL THEN ' kfv0' ELSE '' END
    || CASE WHEN year IS NULL THEN '' ELSE ' kfy' || year || '0' END
    || ' kft' || hex(evidence_type) || '0'
    || CASE WHEN summarised THEN ' kfs0' ELSE '' END
    || ' kfl' || hex(lower(language)) || '0'
"""
_COLUMNS = "title, abstract, keywords_text, search_facets"
_NEW = "new.title, new.abstract, new.keywords_text, new.search_facets"
_OLD = "old.title, old.abstract, old.keywords_text, old.search_facets"

_SQLITE = [
    "DROP TRIGGER literature_reference_fts_insert",
    "DROP TRIGGER literature_reference_fts_delete",
    "DROP TRIGGER literature_reference_fts_update",
    "DROP TABLE literature_reference_fts",
    f"""
    ALTER TABLE literature_reference ADD COLUMN search_facets TEXT
    GENERATED ALWAYS AS ({_FACETS}) VIRTUAL
    """,
    f"""
    CREATE VIRTUAL TABLE literature_reference_fts USING fts5(
        {_COLUMNS},
        content='literature_reference', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2', prefix='3'
    )
    """,
    f"""
    CREATE TRIGGER literature_reference_fts_insert AFTER INSERT ON literature_reference
    BEGIN
        INSERT INTO literature_reference_fts (rowid, {_COLUMNS}) VALUES (new.id, {_NEW});
    END
    """,
    f"""
    CREATE TRIGGER literature_reference_fts_delete AFTER DELETE ON literature_reference
    BEGIN
        INSERT INTO literature_reference_fts (literature_reference_fts, rowid, {_COLUMNS})
        VALUES ('delete', old.id, {_OLD});
    END
    """,
    f"""
    CREATE TRIGGER literature_reference_fts_update
    AFTER UPDATE OF id, title, abstract, keywords_text, cluster, year, evidence_type,
        summarised, language, merged_into ON literature_reference
    BEGIN
        INSERT INTO literature_reference_fts (literature_reference_fts, rowid, {_COLUMNS})
        VALUES ('delete', old.id, {_OLD});
        INSERT INTO literature_reference_fts (rowid, {_COLUMNS}) VALUES (new.id, {_NEW});
    END
    """,
    "INSERT INTO literature_reference_fts (literature_reference_fts) VALUES ('rebuild')",
    """
    CREATE INDEX literature_reference_by_year ON literature_reference
        (cluster, year DESC, id, evidence_type, summarised, language) WHERE merged_into IS NULL
    """,
    """
    CREATE INDEX literature_reference_by_title ON literature_reference
        (cluster, lower(title), id) WHERE merged_into IS NULL
    """,
    "ANALYZE literature_reference",
]

_POSTGRES = [
    """
    CREATE INDEX literature_reference_by_year ON literature_reference
        (cluster, year DESC NULLS LAST, id) INCLUDE (evidence_type, summarised, language)
        WHERE merged_into IS NULL
    """,
    """
    CREATE INDEX literature_reference_by_title ON literature_reference
        (cluster, left(lower(title), 200), id) WHERE merged_into IS NULL
    """,
    "ANALYZE literature_reference",
]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="literature", description=DESCRIPTION)

    async def run() -> None:
        db = engine_finder()
        assert db is not None
        for statement in _POSTGRES if isinstance(db, PostgresEngine) else _SQLITE:
            await db.run_ddl(statement)

    manager.add_raw(run)
    return manager
