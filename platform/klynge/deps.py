"""Dependencies every controller may ask for by name: the caller and the app's services."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.di import Provide

from klynge.auth.principal import Principal
from klynge.errors import Unauthorized
from klynge.jobs.runner import Dispatcher
from klynge.settings import Settings


def _actor(request: Request[Any, Any, Any]) -> Principal:
    user = request.scope.get("user")
    if not isinstance(user, Principal):
        raise Unauthorized()
    return user


def _caller(request: Request[Any, Any, Any]) -> Principal | None:
    user = request.scope.get("user")
    return user if isinstance(user, Principal) else None


def _settings(request: Request[Any, Any, Any]) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


def _dispatcher(request: Request[Any, Any, Any]) -> Dispatcher:
    return request.app.state.dispatcher  # type: ignore[no-any-return]


DEPENDENCIES = {
    "actor": Provide(_actor, sync_to_thread=False),
    "caller": Provide(_caller, sync_to_thread=False),
    "settings": Provide(_settings, sync_to_thread=False),
    "dispatcher": Provide(_dispatcher, sync_to_thread=False),
}
