"""Test harness: a real database per test session, built by the real migrations.

KLYNGE_TEST_DB=sqlite (default) uses a temp SQLite file; KLYNGE_TEST_DB=postgres creates (and
at the end drops) a fresh database on the server in DATABASE_URL. Every test that asks for
`db` starts from the freshly migrated, empty schema.
"""

from __future__ import annotations

import asyncio
import atexit
import datetime as dt
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

BACKEND = os.environ.get("KLYNGE_TEST_DB", "sqlite").strip().lower() or "sqlite"
_ADMIN_URL = os.environ.get("DATABASE_URL", "")
_TMP = Path(tempfile.mkdtemp(prefix="klynge-test-"))
atexit.register(shutil.rmtree, _TMP, ignore_errors=True)
_PG_NAME = f"klynge_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"

if BACKEND == "postgres":
    if not _ADMIN_URL.startswith(("postgres://", "postgresql://")):
        raise RuntimeError("KLYNGE_TEST_DB=postgres needs DATABASE_URL=postgresql://...")
    _parts = urlsplit(_ADMIN_URL)
    TEST_DATABASE_URL = urlunsplit(_parts._replace(path=f"/{_PG_NAME}"))
else:
    TEST_DATABASE_URL = f"sqlite:///{_TMP / 'test.sqlite'}"

REDIS_URL = os.environ.get("REDIS_URL", "").strip()
TEST_SECRET = "test-secret-key-that-is-long-enough-0123456789"

# Configure the process before anything imports klynge (the engine is built at import).
os.environ["DATABASE_URL"] = TEST_DATABASE_URL
os.environ["PICCOLO_CONF"] = "klynge.piccolo_conf"
os.environ["KLYNGE_SECRET_KEY"] = TEST_SECRET
os.environ.pop("KLYNGE_DEMO", None)
os.environ.pop("REDIS_URL", None)  # the app under test runs jobs in-process unless a test says
# A queue of this run's own: concurrent runs against one Redis must not take each other's jobs.
os.environ["KLYNGE_JOB_QUEUE"] = f"klynge-test:{_PG_NAME}"
# One embedding cache for the whole session (keyed by model version and text, so never stale):
# the demo and the test worlds match the same texts again and again, and embedding each costs
# ~0.1 s per model. `make test` points both of its sessions at one file under var/.
os.environ.setdefault("KLYNGE_EMBED_CACHE", str(_TMP / "embeddings.sqlite3"))


def _admin_dsn() -> str:
    return urlunsplit(urlsplit(_ADMIN_URL)._replace(scheme="postgresql"))


async def _pg(statement: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(_admin_dsn())
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


def _needs_database(item: pytest.Item) -> bool:
    names = getattr(item, "fixturenames", ())
    return "db" in names or "_schema" in names or item.get_closest_marker("database") is not None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Without REDIS_URL (the embedded run) Redis tests are deselected, not skipped: the
    Makefile's summary says which backends were covered. With REDIS_URL they must pass.

    The PostgreSQL run (the second pass of `make test`) runs the tests that use the database;
    tests that never touch it (pure rules, parsers, the matcher, the CLI without a database)
    ran in the SQLite pass already and would give the same answer."""
    keep, drop = [], []
    for item in items:
        redis_off = not REDIS_URL and item.get_closest_marker("redis")
        no_db_twice = BACKEND == "postgres" and not _needs_database(item)
        (drop if redis_off or no_db_twice else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture(scope="session")
def _schema() -> Iterator[Path | None]:
    """Create the test database and run every migration once per session."""
    from klynge.migrate import migrate

    if BACKEND == "postgres":
        asyncio.run(_pg(f'CREATE DATABASE "{_PG_NAME}"'))
    asyncio.run(migrate())
    template: Path | None = None
    if BACKEND == "sqlite":
        template = _TMP / "template.sqlite"
        shutil.copyfile(_TMP / "test.sqlite", template)
    yield template
    if BACKEND == "postgres":
        asyncio.run(_pg(f'DROP DATABASE IF EXISTS "{_PG_NAME}" WITH (FORCE)'))
    shutil.rmtree(_TMP, ignore_errors=True)


_TABLES: list[str] = []


async def _truncate_all() -> None:
    from piccolo.conf.apps import Finder

    from klynge.db import engine

    if not _TABLES:
        _TABLES.extend(t._meta.tablename for t in Finder().get_table_classes())
    db = engine()
    await db.run_ddl(
        "TRUNCATE " + ", ".join(f'"{t}"' for t in _TABLES) + " RESTART IDENTITY CASCADE"
    )


@pytest.fixture
async def db(_schema: Path | None) -> None:
    """An empty, migrated database for this test."""
    if BACKEND == "sqlite":
        assert _schema is not None
        for suffix in ("-wal", "-shm"):  # the write-ahead log of the previous test's file
            (_TMP / f"test.sqlite{suffix}").unlink(missing_ok=True)
        shutil.copyfile(_schema, _TMP / "test.sqlite")
    else:
        await _truncate_all()


def make_settings(**env: str):  # type: ignore[no-untyped-def]
    from klynge.settings import load_settings

    base = {
        "DATABASE_URL": TEST_DATABASE_URL,
        "KLYNGE_SECRET_KEY": TEST_SECRET,
        "KLYNGE_LOGIN_MAX_DELAY_SECONDS": "0",
        # AsyncTestClient runs the app on its own loop in a thread; a pool is tied to one loop.
        "KLYNGE_DB_POOL_SIZE": "0",
        # The in-process cron scheduler stays off unless a test turns it on.
        "KLYNGE_SCHEDULER": "0",
    }
    base.update(env)
    return load_settings(base)


@pytest.fixture
def settings():  # type: ignore[no-untyped-def]
    return make_settings()


@pytest.fixture
def app(db: None, settings):  # type: ignore[no-untyped-def]
    from klynge.app import create_app

    return create_app(settings)


@pytest.fixture
async def client(app):  # type: ignore[no-untyped-def]
    from litestar.testing import AsyncTestClient

    async with AsyncTestClient(app=app, base_url="http://testserver.local") as test_client:
        yield test_client
        # In-process jobs run on the client's loop; let them finish before it closes.
        test_client.blocking_portal.call(app.state.dispatcher.drain)


# --- a small world of two clusters, for tenancy tests ----------------------------------------


@dataclass
class World:
    ids: dict[str, int] = field(default_factory=dict)
    accounts: dict[str, int] = field(default_factory=dict)
    headers: dict[str, dict[str, str]] = field(default_factory=dict)
    password: str = "riktig-passord-123"


async def build_world(app) -> World:  # type: ignore[no-untyped-def]
    """Cluster A (Bergen motor, Askøy member, Alver pending) and cluster B (Trondheim motor),
    one account per role, and Bearer headers minted with the app's own token code."""
    from klynge.auth.passwords import hash_password
    from klynge.auth.tables import Account, RoleAssignment
    from klynge.orgs.tables import Cluster, ClusterMembership, Municipality, Service

    world = World()
    pw = hash_password(world.password)

    async def municipality(key: str, number: str, name: str, county: str, language: str) -> int:
        row = await Municipality.insert(
            Municipality(
                number=number,
                name=name,
                county=county,
                language=language,
                population=1000,
                valid_from=dt.date(2024, 1, 1),
            )
        ).returning(Municipality.id)
        world.ids[key] = row[0]["id"]
        return world.ids[key]

    bergen = await municipality("bergen", "4601", "Bergen", "Vestland", "neutral")
    askoy = await municipality("askoy", "4627", "Askøy", "Vestland", "neutral")
    alver = await municipality("alver", "4631", "Alver", "Vestland", "nynorsk")
    trondheim = await municipality("trondheim", "5001", "Trondheim", "Trøndelag", "bokmal")
    for key, name, motor in (
        ("cluster_a", "Klynge Vest", bergen),
        ("cluster_b", "Klynge Midt", trondheim),
    ):
        row = await Cluster.insert(
            Cluster(name=name, motor_municipality=motor, description="")
        ).returning(Cluster.id)
        world.ids[key] = row[0]["id"]
    for cluster, muni, status in (
        ("cluster_a", bergen, "member"),
        ("cluster_a", askoy, "member"),
        ("cluster_a", alver, "requested"),
        ("cluster_b", trondheim, "member"),
    ):
        row = await ClusterMembership.insert(
            ClusterMembership(
                cluster=world.ids[cluster],
                municipality=muni,
                status=status,
            )
        ).returning(ClusterMembership.id)
        world.ids[f"membership_{cluster}_{muni}"] = row[0]["id"]
    row = await Service.insert(
        Service(municipality=askoy, service_type="barnevern", name="Barnevernet i Askøy")
    ).returning(Service.id)
    world.ids["askoy_barnevern"] = row[0]["id"]

    people = {
        "admin": [("platform_admin", {})],
        "adviser_a": [("adviser", {"cluster": world.ids["cluster_a"]})],
        "adviser_b": [("adviser", {"cluster": world.ids["cluster_b"]})],
        "coordinator_askoy": [("coordinator", {"municipality": askoy})],
        "coordinator_alver": [("coordinator", {"municipality": alver})],
        "coordinator_trondheim": [("coordinator", {"municipality": trondheim})],
        "leader_askoy": [("service_leader", {"service": world.ids["askoy_barnevern"]})],
        "nobody": [],
    }
    codec = app.state.codec
    for key, grants in people.items():
        row = await Account.insert(
            Account(
                name=key.replace("_", " ").title(),
                email=f"{key}@test.klynge.no",
                password_hash=pw,
            )
        ).returning(Account.id)
        account_id = row[0]["id"]
        world.accounts[key] = account_id
        for role, org in grants:
            await RoleAssignment.insert(RoleAssignment(account=account_id, role=role, **org))
        world.headers[key] = {"Authorization": f"Bearer {codec.issue(account_id)}"}
    return world


@pytest.fixture
async def world(app) -> World:  # type: ignore[no-untyped-def]
    return await build_world(app)
