"""Full-text search over references, one index per engine (used by `literature.search`).

SQLite: an FTS5 external-content table over (title, abstract, keywords_text) kept in step by
triggers, tokenised with `porter unicode61 remove_diacritics 2` (English stemming as on
PostgreSQL; å/é/ü fold to a/e/u, but ø and æ have no Unicode decomposition and stay distinct).

PostgreSQL: a stored generated `search_vector` over English and Norwegian configurations
(title A, keywords B, abstract C) with a GIN index. The configurations `klynge_english` and
`klynge_norwegian` copy the built-in ones and, when the `unaccent` extension can be installed
(it is a trusted extension since PostgreSQL 13), fold diacritics before stemming (ø→o, æ→ae,
å→a). The column is not declared on the Piccolo table: it lives only here.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.engine.postgres import PostgresEngine

ID = "2026-11-23T07:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Full-text search index for references (FTS5 / tsvector)"

_SQLITE = [
    """
    CREATE VIRTUAL TABLE literature_reference_fts USING fts5(
        title, abstract, keywords_text,
        content='literature_reference', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER literature_reference_fts_insert AFTER INSERT ON literature_reference
    BEGIN
        INSERT INTO literature_reference_fts (rowid, title, abstract, keywords_text)
        VALUES (new.id, new.title, new.abstract, new.keywords_text);
    END
    """,
    """
    CREATE TRIGGER literature_reference_fts_delete AFTER DELETE ON literature_reference
    BEGIN
        INSERT INTO literature_reference_fts
            (literature_reference_fts, rowid, title, abstract, keywords_text)
        VALUES ('delete', old.id, old.title, old.abstract, old.keywords_text);
    END
    """,
    """
    CREATE TRIGGER literature_reference_fts_update
    AFTER UPDATE OF id, title, abstract, keywords_text ON literature_reference
    BEGIN
        INSERT INTO literature_reference_fts
            (literature_reference_fts, rowid, title, abstract, keywords_text)
        VALUES ('delete', old.id, old.title, old.abstract, old.keywords_text);
        INSERT INTO literature_reference_fts (rowid, title, abstract, keywords_text)
        VALUES (new.id, new.title, new.abstract, new.keywords_text);
    END
    """,
    "INSERT INTO literature_reference_fts (literature_reference_fts) VALUES ('rebuild')",
]

_POSTGRES = [
    """
    DO $$
    BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'norwegian') THEN
            RAISE EXCEPTION 'text search configuration "norwegian" is missing on this server';
        END IF;
        BEGIN
            CREATE EXTENSION IF NOT EXISTS unaccent;
        EXCEPTION WHEN OTHERS THEN
            RAISE NOTICE 'unaccent not installed (%): search does not fold diacritics', SQLERRM;
        END;
        CREATE TEXT SEARCH CONFIGURATION klynge_english (COPY = pg_catalog.english);
        CREATE TEXT SEARCH CONFIGURATION klynge_norwegian (COPY = pg_catalog.norwegian);
        IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'unaccent') THEN
            ALTER TEXT SEARCH CONFIGURATION klynge_english
                ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;
            ALTER TEXT SEARCH CONFIGURATION klynge_norwegian
                ALTER MAPPING FOR hword, hword_part, word WITH unaccent, norwegian_stem;
        END IF;
    END
    $$
    """,
    """
    ALTER TABLE literature_reference ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (
        setweight(to_tsvector('klynge_english'::regconfig, coalesce(title, '')), 'A')
        || setweight(to_tsvector('klynge_norwegian'::regconfig, coalesce(title, '')), 'A')
        || setweight(to_tsvector('klynge_english'::regconfig, coalesce(keywords_text, '')), 'B')
        || setweight(to_tsvector('klynge_norwegian'::regconfig, coalesce(keywords_text, '')), 'B')
        || setweight(to_tsvector('klynge_english'::regconfig, coalesce(abstract, '')), 'C')
        || setweight(to_tsvector('klynge_norwegian'::regconfig, coalesce(abstract, '')), 'C')
    ) STORED
    """,
    "CREATE INDEX literature_reference_search ON literature_reference USING GIN (search_vector)",
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
