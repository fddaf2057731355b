"""The shape of the project: no stdlib shadowing, every route guarded, OpenAPI served,
migrations in sync with the tables."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import sysconfig
from pathlib import Path
from typing import Any

import pytest
from litestar import Controller, Litestar, Router, get, post
from piccolo.apps.migrations.commands.new import AutoMigrationManager
from piccolo.columns import Integer, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.conf.apps import AppConfig, Finder
from piccolo.table import Table

from klynge.routes import RouteInfo, route_table

REPO = Path(__file__).resolve().parents[1]
STDLIB = Path(sysconfig.get_paths()["stdlib"]).resolve()


# --- the stdlib `platform` module ------------------------------------------------------------


def test_stdlib_platform_is_not_shadowed() -> None:
    import platform

    assert platform.python_version() == ".".join(map(str, sys.version_info[:3]))
    assert platform.system()
    location = Path(platform.__file__).resolve()
    assert location.is_relative_to(STDLIB), location
    assert not location.is_relative_to(REPO), location


def test_platform_folder_is_not_a_package() -> None:
    assert (REPO / "platform").is_dir()
    assert not (REPO / "platform" / "__init__.py").exists()
    assert (REPO / "platform" / "klynge" / "__init__.py").exists()


def test_stdlib_platform_wins_with_the_repo_first_on_sys_path() -> None:
    # `python -c` from the repo root puts the repo first on sys.path, as `python -m`, pytest's
    # rootdir insertion and uvicorn's app dir do. The stdlib module must still win.
    code = (
        "import platform, klynge, sys; "
        "print(platform.__file__); print(klynge.__file__); print(platform.python_version())"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    platform_file, klynge_file, version = result.stdout.strip().splitlines()
    assert Path(platform_file).resolve().is_relative_to(STDLIB)
    assert Path(klynge_file).resolve() == REPO / "platform" / "klynge" / "__init__.py"
    assert version == ".".join(map(str, sys.version_info[:3]))


def test_no_code_imports_platform_as_a_package() -> None:
    offenders = []
    for folder in ("platform", "priorities", "literature", "projects", "tests"):
        for path in (REPO / folder).rglob("*.py"):
            for line in path.read_text(encoding="utf-8").splitlines():
                stripped = line.strip()
                if stripped.startswith(("import platform.", "from platform.", "from platform ")):
                    offenders.append(f"{path.relative_to(REPO)}: {stripped}")
    assert offenders == []


# --- every route is guarded or explicitly public ---------------------------------------------


def test_every_route_is_guarded_or_public(settings) -> None:
    from klynge.app import create_app

    rows = route_table(create_app(settings))
    assert len(rows) > 20
    unprotected = [f"{r.methods} {r.path} ({r.handler})" for r in rows if not r.protected]
    assert unprotected == []


def test_public_routes_are_the_expected_few(settings) -> None:
    from klynge.app import create_app

    public_api = sorted(
        (r.path, r.methods)
        for r in route_table(create_app(settings))
        if r.public and not r.guards and r.path.startswith("/api")
    )
    assert public_api == [
        ("/api/auth/logout", ("POST",)),
        ("/api/auth/refresh", ("POST",)),
        ("/api/auth/token", ("POST",)),
        # The knowledge bank of measures is public (adoption names only for members).
        ("/api/measures", ("GET",)),
        ("/api/measures/{measure_id:int}", ("GET",)),
        # A project: the public summary when the project is public, else 404 (unless the
        # caller sees the project, who gets the whole overview).
        ("/api/projects/{project_id:int}", ("GET",)),
        # Published literature verdicts and the research they cite.
        ("/api/public/answered-needs", ("GET",)),
        ("/api/public/answered-needs/{check_id:int}", ("GET",)),
        # Funders' published calls marked public (the portal's calls).
        ("/api/public/calls", ("GET",)),
        ("/api/public/findings/return-rates", ("GET",)),  # public clusters' aggregate figures
        ("/api/public/literature", ("GET",)),
        # A closed round's priority list, served only when the adviser published it.
        ("/api/public/rounds/{round_id:int}/ranking", ("GET",)),
    ]


def test_route_table_reports_an_unguarded_handler() -> None:
    async def allow(connection: Any, handler: Any) -> None:
        return None

    @get("/open")
    async def open_handler() -> str:
        return "x"

    @get("/guarded", guards=[allow])
    async def guarded_handler() -> str:
        return "x"

    @get("/public", opt={"public": True})
    async def public_handler() -> str:
        return "x"

    class Things(Controller):
        path = "/things"
        guards = [allow]

        @get("/")
        async def list_things(self) -> list[str]:
            return []

        @post("/")
        async def create_thing(self) -> str:
            return "x"

    router = Router(path="/open-router", route_handlers=[], opt={"public": True})

    @get("/inside")
    async def inside() -> str:
        return "x"

    router.register(inside)
    app = Litestar(
        route_handlers=[open_handler, guarded_handler, public_handler, Things, router],
        openapi_config=None,
    )
    rows = {(r.path, r.methods): r for r in route_table(app)}
    assert isinstance(rows[("/open", ("GET",))], RouteInfo)
    assert not rows[("/open", ("GET",))].protected
    assert rows[("/guarded", ("GET",))].protected
    assert rows[("/guarded", ("GET",))].guards == ("allow",)
    assert rows[("/public", ("GET",))].protected
    assert rows[("/public", ("GET",))].public
    assert rows[("/things", ("GET",))].guards == ("allow",)
    assert rows[("/things", ("POST",))].protected
    assert rows[("/open-router/inside", ("GET",))].public
    # Litestar's automatic OPTIONS handlers are not listed (they answer only with Allow).
    assert not any(r.methods == ("OPTIONS",) for r in rows.values())
    assert [r.path for r in rows.values() if not r.protected] == ["/open"]


def test_unguarded_route_fails_in_a_real_app(settings) -> None:
    # Adding one forgotten route to the real app is caught by the same walk.
    from klynge.app import create_app

    app = create_app(settings)

    @get("/api/forgotten")
    async def forgotten() -> str:
        return "x"

    app.register(forgotten)
    unprotected = [r.path for r in route_table(app) if not r.protected]
    assert unprotected == ["/api/forgotten"]


# --- OpenAPI ---------------------------------------------------------------------------------


async def test_openapi_is_served(client) -> None:
    response = await client.get("/schema/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Klynge API"
    scheme = schema["components"]["securitySchemes"]["bearer"]
    assert scheme["type"] == "http"
    assert scheme["scheme"] == "bearer"
    assert scheme.get("bearerFormat") == "JWT"
    assert {"bearer": []} in schema["security"]


async def test_openapi_lists_only_api_paths(client, app) -> None:
    schema = (await client.get("/schema/openapi.json")).json()
    paths = set(schema["paths"])
    allowed_outside_api = {"/healthz", "/.well-known/jwks.json"}
    html = [p for p in paths if not p.startswith("/api/") and p not in allowed_outside_api]
    assert html == [], "HTML views must have include_in_schema=False"
    assert not any(p.startswith(("/static", "/schema")) for p in paths)
    # Every API route is documented ("/x/{id:int}" in the route table is "/x/{id}" there).
    api_routes = {
        re.sub(r"\{(\w+):[^}]+\}", r"{\1}", r.path).rstrip("/")
        for r in route_table(app)
        if r.path.startswith("/api")
    }
    assert api_routes <= {p.rstrip("/") for p in paths}


async def test_every_operation_has_a_unique_operation_id(client) -> None:
    schema = (await client.get("/schema/openapi.json")).json()
    ids = [
        operation["operationId"]
        for item in schema["paths"].values()
        for method, operation in item.items()
        if method in ("get", "post", "put", "patch", "delete")
    ]
    assert ids
    assert len(ids) == len(set(ids))
    assert all(i[0].isupper() for i in ids), ids


async def test_openapi_needs_no_login_but_api_does(client) -> None:
    assert (await client.get("/schema/openapi.json")).status_code == 200
    assert (await client.get("/api/clusters")).status_code == 401


# --- migrations in sync with the tables ------------------------------------------------------


def test_piccolo_conf_is_the_package_conf() -> None:
    assert os.environ["PICCOLO_CONF"] == "klynge.piccolo_conf"
    registry = Finder().get_app_registry()
    assert "platform" in registry.app_configs


async def _statements(app_config: AppConfig) -> list[str]:
    alter = await AutoMigrationManager(auto_input="n").get_alter_statements(app_config)
    return [statement for group in alter for statement in group.statements]


async def test_migrations_are_in_sync_with_the_tables() -> None:
    registry = Finder().get_app_registry()
    drift = {}
    for name, app_config in registry.app_configs.items():
        statements = await _statements(app_config)
        if statements:
            drift[name] = statements
    assert drift == {}, "run `piccolo migrations new <app> --auto` against PostgreSQL"


def _platform_copy(tables: list[type[Table]]) -> AppConfig:
    original = Finder().get_app_registry().app_configs["platform"]
    return AppConfig(
        app_name="platform",
        migrations_folder_path=original.migrations_folder_path,
        table_classes=tables,
        migration_dependencies=[],
        commands=[],
    )


async def test_drift_check_notices_a_table_missing_from_migrations() -> None:
    class Unmigrated(Table, tablename="unmigrated_thing"):
        label = Varchar(length=20)

    original = Finder().get_app_registry().app_configs["platform"]
    statements = await _statements(_platform_copy([*original.table_classes, Unmigrated]))
    assert statements
    assert any("unmigrated_thing" in s for s in statements), statements


async def test_drift_check_notices_a_column_missing_from_migrations() -> None:
    from klynge.orgs.tables import Funder as RealFunder

    class Funder(Table, tablename="funder"):
        name = Varchar(length=200)
        org_number = Varchar(length=9)
        description = Text(default="")
        created_at = Timestamptz(default=TimestamptzNow())
        website_rank = Integer(default=0)  # in the table, not in any migration

    original = Finder().get_app_registry().app_configs["platform"]
    tables = [Funder if t is RealFunder else t for t in original.table_classes]
    assert Funder in tables
    statements = await _statements(_platform_copy(tables))
    assert len(statements) == 1, statements
    assert "website_rank" in statements[0]
    assert "add_column" in statements[0]


@pytest.mark.parametrize("folder", ["platform", "priorities", "literature", "projects"])
def test_one_migrations_folder_per_app(folder: str) -> None:
    registry = Finder().get_app_registry()
    configs = {c.app_name: c for c in registry.app_configs.values()}
    assert folder in configs
    path = Path(configs[folder].resolved_migrations_folder_path).resolve()
    assert path == REPO / "migrations" / folder


def test_readme_lists_the_demo_logins_make_run_prints() -> None:
    """One list: README's demo logins are exactly klynge.demo.USERS, in the same order."""
    from klynge.demo import USERS

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    listed = re.findall(r"^\| `([^`]+@demo\.klynge\.no)` \|", readme, flags=re.MULTILINE)
    assert listed == [u.email for u in USERS]
