"""Route guards. Every route declares one (or is marked public with `opt=PUBLIC`); a test walks
the route table and fails on a route with neither."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler

from klynge.auth import access
from klynge.auth.principal import Principal
from klynge.auth.roles import Role
from klynge.errors import NotFound, Unauthorized

Guard = Callable[[ASGIConnection[Any, Any, Any, Any], BaseRouteHandler], Any]

# Marks a route that anyone may call; the route walk accepts it instead of a guard.
PUBLIC: dict[str, Any] = {"public": True}


def principal_of(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal | None:
    user = connection.scope.get("user")
    return user if isinstance(user, Principal) else None


def _require(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal:
    principal = principal_of(connection)
    if principal is None:
        raise Unauthorized()
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
    if not access.is_admin(_require(connection)):
        raise PermissionDeniedException()


def requires_role(*roles: Role) -> Guard:
    """Any organisation where the caller holds one of `roles` (admins always pass)."""

    def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        if not access.holds_any(_require(connection), *roles):
            raise PermissionDeniedException()

    return _named(guard, f"requires_role({', '.join(r.value for r in roles)})")


def requires_cluster_adviser(param: str = "cluster_id") -> Guard:
    """The caller advises the cluster in the path (or is an admin)."""

    def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        principal = _require(connection)
        if not access.manages_cluster(principal, _int_param(connection, param)):
            raise PermissionDeniedException()

    return _named(guard, f"requires_cluster_adviser({param})")


def requires_cluster_member(param: str = "cluster_id") -> Guard:
    """The caller belongs to the cluster in the path: adviser, or through a member
    municipality or service (or is an admin)."""

    def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        principal = _require(connection)
        if not access.in_cluster(principal, _int_param(connection, param)):
            raise PermissionDeniedException()

    return _named(guard, f"requires_cluster_member({param})")


def requires_municipality_coordinator(param: str = "municipality_id") -> Guard:
    def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        principal = _require(connection)
        if not access.coordinates(principal, _int_param(connection, param)):
            raise PermissionDeniedException()

    return _named(guard, f"requires_municipality_coordinator({param})")


ClusterOf = Callable[[int], Awaitable[int | None]]
Admits = Callable[[Principal, int, int | None], Awaitable[bool]]


def requires_item_in_cluster(
    param: str, cluster_of: ClusterOf, *, unless: Admits | None = None, name: str = ""
) -> Guard:
    """The caller belongs to the cluster of the item in the path; `cluster_of(item_id)` finds
    it (None: no such item). Anyone else gets 404, not 403: another cluster's items do not
    admit to existing. `unless(principal, item_id, cluster_id)` lets an app admit more
    callers (a round's panel members, researchers). Named like requires_cluster_member,
    whose meaning it shares."""

    async def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        principal = _require(connection)
        try:
            item_id = int(connection.path_params[param])
        except (KeyError, TypeError, ValueError):
            raise NotFound() from None
        cluster_id = await cluster_of(item_id)
        if unless is not None and await unless(principal, item_id, cluster_id):
            return
        if cluster_id is None or not access.in_cluster(principal, cluster_id):
            raise NotFound()

    return _named(guard, name or f"requires_cluster_member({param})")


def guard_names(guards: list[Any]) -> list[str]:
    return [getattr(g, "__name__", repr(g)) for g in guards]
