"""The composition root: create_app(settings) -> Litestar, with the core's routes and every
installed app's (klynge.apps)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from litestar import Litestar, Router
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import State
from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components, SecurityScheme
from litestar.plugins.htmx import HTMXPlugin
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig
from piccolo.engine.postgres import PostgresEngine

from klynge import __version__, apps, i18n
from klynge.api_docs import SwaggerPage, assets_router, mark_operations
from klynge.auth.middleware import AuthMiddleware, _cookies
from klynge.auth.principal import Principal
from klynge.auth.tokens import TokenCodec
from klynge.deps import DEPENDENCIES
from klynge.errors import EXCEPTION_HANDLERS
from klynge.i18n import LANGUAGE_COOKIE
from klynge.jobs.request_end import DispatchAtRequestEnd
from klynge.jobs.runner import Dispatcher
from klynge.jobs.scheduler import Scheduler
from klynge.request_bodies import KlyngeRequest, check_body
from klynge.security_headers import security_headers
from klynge.settings import Settings, get_settings
from klynge.task_count import TaskCountMiddleware, add_task_count
from klynge.templating import build_environment
from klynge.views.common import register_notices

if TYPE_CHECKING:
    from litestar.types import ASGIApp, Receive, Scope, Send

STATIC_DIR = Path(__file__).parent / "static"


class LanguageMiddleware(ASGIMiddleware):
    """Pick the UI language: the user's own choice, else their municipality's language
    decision (resolved in the principal), else the language cookie, else the browser's."""

    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        user = scope.get("user")
        if isinstance(user, Principal):
            language = user.language
        else:
            language = _cookies(scope).get(LANGUAGE_COOKIE) or ""
            if language not in i18n.LANGUAGES:
                accept = next(
                    (
                        v.decode("latin-1")
                        for k, v in scope.get("headers", [])
                        if k == b"accept-language"
                    ),
                    None,
                )
                language = i18n.pick(accept) or i18n.DEFAULT
        token = i18n.set_language(language)
        try:
            await next_app(scope, receive, send)
        finally:
            i18n._current.reset(token)


CSRF_EXEMPT = [r"^/api/.*$", r"^/healthz$", r"^/schema(?:/.*)?$", r"^/\.well-known/.*$"]

CORE_JOB_MODULES = ("klynge.orgs.importing", "klynge.mail.jobs")


def core_route_handlers() -> list[Any]:
    from klynge.audit_controllers import AuditController
    from klynge.auth.accounts_controllers import AccountController
    from klynge.auth.controllers import AuthController, jwks
    from klynge.health import healthz
    from klynge.jobs.controllers import JobController
    from klynge.mail.views import HANDLERS as MAIL_VIEWS
    from klynge.notifications import ROUTE_HANDLERS as NOTIFICATION_ROUTES
    from klynge.orgs.controllers import (
        ClusterController,
        FunderController,
        MembershipController,
        MunicipalityController,
    )
    from klynge.tasks import ROUTE_HANDLERS as TASK_ROUTES
    from klynge.views import VIEW_HANDLERS

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
        *NOTIFICATION_ROUTES,
        *TASK_ROUTES,
        *MAIL_VIEWS,
    ]


def route_handlers() -> list[Any]:
    return [*core_route_handlers(), *(h for app in apps.installed() for h in app.route_handlers())]


def _csrf(settings: Settings) -> CSRFConfig:
    return CSRFConfig(
        secret=settings.tokens.secret_key,
        cookie_name="klynge_csrf",
        cookie_httponly=True,
        cookie_samesite="lax",
        cookie_secure=settings.public_url.startswith("https://"),
        header_name="x-csrftoken",
        # The API authenticates with Bearer headers only (never cookies): no CSRF risk. Litestar
        # searches these patterns anywhere in the path, so each is anchored to its route prefix
        # (else a page such as /tiltak/schematerapi-…/bruk would lose its check).
        exclude=CSRF_EXEMPT,
    )


def _openapi() -> OpenAPIConfig:
    return OpenAPIConfig(
        title="Klynge API",
        version=__version__,
        path="/schema",
        render_plugins=[SwaggerPage()],
        components=Components(
            security_schemes={
                "bearer": SecurityScheme(type="http", scheme="bearer", bearer_format="JWT"),
            }
        ),
        security=[{"bearer": []}],
        # The API description is public by design (real clients generate code from it).
        openapi_router=Router(
            path="/schema", route_handlers=[], opt={"public": True}, include_in_schema=False
        ),
    )


def _lifecycle(settings: Settings, dispatcher: Dispatcher, scheduler: Scheduler) -> tuple[Any, Any]:
    """Start and stop: the PostgreSQL pool, the sweep of jobs left queued (the outbox), and in
    the embedded mode the scheduler of the apps' cron jobs."""

    async def on_startup(app: Litestar) -> None:
        from klynge.db import engine

        db = engine()
        if isinstance(db, PostgresEngine) and settings.db_pool_size:
            await db.start_connection_pool(min_size=1, max_size=settings.db_pool_size)
        # Jobs committed but never handed on (a process stopped, Redis was down): swept now and
        # every 30 s, in-process or to arq; claiming is atomic, so several processes may sweep.
        await dispatcher.resume_queued()
        if settings.scheduler and not settings.redis_url:
            scheduler.start()

    async def on_shutdown(app: Litestar) -> None:
        from klynge.db import engine

        await scheduler.close()
        await dispatcher.close()
        db = engine()
        if isinstance(db, PostgresEngine) and settings.db_pool_size:
            await db.close_connection_pool()

    return on_startup, on_shutdown


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or get_settings()
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    apps.load_job_modules(CORE_JOB_MODULES)
    apps.register_all_notices(register_notices)
    dispatcher = Dispatcher(settings.redis_url)
    codec = TokenCodec(settings.tokens)
    scheduler = Scheduler(dispatcher, apps.cron_jobs())
    on_startup, on_shutdown = _lifecycle(settings, dispatcher, scheduler)
    static = create_static_files_router(
        path="/static", directories=[STATIC_DIR], opt={"public": True}, include_in_schema=False
    )
    templates = build_environment(apps.template_dirs())
    app = Litestar(
        route_handlers=[*route_handlers(), static, assets_router()],
        dependencies=DEPENDENCIES,
        middleware=[
            DispatchAtRequestEnd(dispatcher),
            AuthMiddleware(),
            LanguageMiddleware(),
            TaskCountMiddleware(),
        ],
        before_send=[security_headers(settings.public_url.startswith("https://"))],
        csrf_config=_csrf(settings),
        template_config=TemplateConfig(engine=JinjaTemplateEngine.from_environment(templates)),
        exception_handlers=EXCEPTION_HANDLERS,
        request_class=KlyngeRequest,
        before_request=check_body,
        after_request=add_task_count,
        openapi_config=_openapi(),
        plugins=[HTMXPlugin()],
        on_startup=[on_startup],
        on_shutdown=[on_shutdown],
        state=State(
            {"settings": settings, "codec": codec, "dispatcher": dispatcher, "scheduler": scheduler}
        ),
        # The larger of the two upload limits (imports; the file store's documents) plus room
        # for the form around the file; each use checks its own limit.
        request_max_body_size=max(settings.max_upload_bytes, settings.files.max_bytes) + 64 * 1024,
        debug=False,
    )
    mark_operations(app)
    return app


def asgi() -> Litestar:
    """Factory for uvicorn (`klynge run` uses it with several workers)."""
    return create_app()
