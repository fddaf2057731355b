"""Where the core meets the apps: the one place that lists every app's routes and jobs."""

from __future__ import annotations

import importlib
from typing import Any

# Modules whose import registers job functions (klynge.jobs.runner.job).
JOB_MODULES = (
    "klynge.orgs.importing",
    "priorities.jobs",
)


def load_job_modules() -> None:
    for name in JOB_MODULES:
        importlib.import_module(name)


def route_handlers() -> list[Any]:
    from klynge.audit_controllers import AuditController
    from klynge.auth.accounts_controllers import AccountController
    from klynge.auth.controllers import AuthController, jwks
    from klynge.health import healthz
    from klynge.jobs.controllers import JobController
    from klynge.orgs.controllers import (
        ClusterController,
        FunderController,
        MembershipController,
        MunicipalityController,
        ResearchGroupController,
    )
    from klynge.views import VIEW_HANDLERS
    from priorities.controllers import NeedController, RoundController, public_ranking

    return [
        AuthController,
        jwks,
        AccountController,
        AuditController,
        JobController,
        MunicipalityController,
        ClusterController,
        MembershipController,
        ResearchGroupController,
        FunderController,
        healthz,
        *VIEW_HANDLERS,
        NeedController,
        RoundController,
        public_ranking,
    ]
