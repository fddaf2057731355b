"""Where the core meets the apps: the one place that lists every app's routes and jobs."""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

# Modules whose import registers job functions (klynge.jobs.runner.job).
JOB_MODULES = (
    "klynge.orgs.importing",
    "priorities.jobs",
    "literature.imports",
    "projects.groups",
    "projects.matches",
    "projects.assignments",
)

# Modules with `register(subparsers)` adding app commands to `klynge`, and the exception type
# each raises for a one-line user error.
COMMAND_MODULES = ("literature.cli", "projects.match_cli")


def _package_dir(name: str) -> Path:
    # find_spec locates the app's package without importing it (the core stays app-free
    # until the app is assembled).
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError(name)
    return Path(spec.origin).parent


# Template folders of the apps, searched after the core's own (klynge/templates).
APP_TEMPLATE_DIRS: list[Path] = [
    _package_dir("priorities") / "templates",
    _package_dir("literature") / "templates",
    _package_dir("projects") / "templates",
]


def register_commands(sub: Any) -> tuple[type[Exception], ...]:
    errors: list[type[Exception]] = []
    for name in COMMAND_MODULES:
        module = importlib.import_module(name)
        module.register(sub)
        errors.extend(getattr(module, "COMMAND_ERRORS", ()))
    return tuple(errors)


def load_job_modules() -> None:
    for name in JOB_MODULES:
        importlib.import_module(name)


# Modules with an idempotent `async def seed_demo() -> bool` run by `klynge demo` after the
# core demo seed (True when it created data).
DEMO_MODULES = ("priorities.demo", "literature.demo", "projects.demo")


def demo_seeders() -> list[Callable[[], Awaitable[bool]]]:
    return [importlib.import_module(name).seed_demo for name in DEMO_MODULES]


def route_handlers() -> list[Any]:
    from klynge.audit_controllers import AuditController
    from klynge.auth.accounts_controllers import AccountController
    from klynge.auth.controllers import AuthController, jwks
    from klynge.health import healthz
    from klynge.jobs.controllers import JobController
    from klynge.notifications import ROUTE_HANDLERS as NOTIFICATION_ROUTES
    from klynge.orgs.controllers import (
        ClusterController,
        FunderController,
        MembershipController,
        MunicipalityController,
    )
    from klynge.views import VIEW_HANDLERS
    from literature.controllers import ROUTE_HANDLERS as LITERATURE_ROUTES
    from literature.views import VIEW_HANDLERS as LITERATURE_VIEWS
    from priorities.controllers import NeedController, RoundController, public_ranking
    from priorities.views import VIEW_HANDLERS as PRIORITY_VIEWS
    from projects.controllers import ROUTE_HANDLERS as PROJECT_ROUTES
    from projects.views import VIEW_HANDLERS as PROJECT_VIEWS

    return [
        AuthController,
        jwks,
        AccountController,
        AuditController,
        JobController,
        MunicipalityController,
        ClusterController,
        MembershipController,
        FunderController,
        healthz,
        *VIEW_HANDLERS,
        NeedController,
        RoundController,
        public_ranking,
        *PRIORITY_VIEWS,
        *LITERATURE_ROUTES,
        *LITERATURE_VIEWS,
        *NOTIFICATION_ROUTES,
        *PROJECT_ROUTES,
        *PROJECT_VIEWS,
    ]
