"""Route guards. Every route declares one (or is marked public with `opt=PUBLIC`); a test walks
the route table and fails on a route with neither."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler

from klynge.auth.principal import Principal
from klynge.auth.roles import Role

Guard = Callable[[ASGIConnection[Any, Any, Any, Any], BaseRouteHandler], None]

# Marks a route that anyone may call; the route walk accepts it instead of a guard.
PUBLIC: dict[str, Any] = {"public": True}


def principal_of(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal | None:
    user = connection.scope.get("user")
    return user if isinstance(user, Principal) else None


def _require(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal:
    principal = principal_of(connection)
    if principal is None:
        raise NotAuthorizedException("Du må logge inn.")
    return principal


def _int_param(connection: ASGIConnection[Any, Any, Any, Any], name: str) -> int:
    try:
        return int(connection.path_params[name])
    except (KeyError, TypeError, ValueError):
        raise PermissionDeniedException() from None


def _named(guard: Guard, name: str) -> Guard:
    guard.__name__ = guard.__qualname__ = name
    return guard


def requires_authenticated(
    connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler
) -> None:
    _require(connection)


def requires_admin(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    if not _require(connection).is_admin:
        raise PermissionDeniedException()


def requires_role(*roles: Role) -> Guard:
    """Any organisation where the caller holds one of `roles` (admins always pass)."""

    def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        principal = _require(connection)
        if not principal.is_admin and not (principal.roles & set(roles)):
            raise PermissionDeniedException()

    return _named(guard, f"requires_role({', '.join(r.value for r in roles)})")


def requires_cluster_adviser(param: str = "cluster_id") -> Guard:
    """The caller advises the cluster in the path (or is an admin)."""

    def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        principal = _require(connection)
        if not (principal.is_admin or principal.advises(_int_param(connection, param))):
            raise PermissionDeniedException()

    return _named(guard, f"requires_cluster_adviser({param})")


def requires_cluster_member(param: str = "cluster_id") -> Guard:
    """The caller belongs to the cluster in the path: adviser, or through a member
    municipality or service (or is an admin)."""

    def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        principal = _require(connection)
        if not (principal.is_admin or _int_param(connection, param) in principal.cluster_ids):
            raise PermissionDeniedException()

    return _named(guard, f"requires_cluster_member({param})")


def requires_municipality_coordinator(param: str = "municipality_id") -> Guard:
    def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        principal = _require(connection)
        if not (principal.is_admin or principal.coordinates(_int_param(connection, param))):
            raise PermissionDeniedException()

    return _named(guard, f"requires_municipality_coordinator({param})")


def guard_names(guards: list[Any]) -> list[str]:
    return [getattr(g, "__name__", repr(g)) for g in guards]
