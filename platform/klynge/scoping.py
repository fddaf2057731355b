"""Tenant scoping in one place: which clusters a caller may see, as query filters for services.

A user never sees another cluster's non-public data; services filter with these helpers
instead of re-writing the rule per controller.
"""

from __future__ import annotations

from typing import Any

from klynge.auth import access
from klynge.auth.principal import Principal
from klynge.errors import NOT_FOUND, NotFound


def visible_cluster_ids(principal: Principal | None) -> frozenset[int] | None:
    """None means "every cluster" (platform admin); otherwise the clusters the caller is in."""
    if principal is None:
        return frozenset()
    if access.is_admin(principal):
        return None
    return principal.cluster_ids


def cluster_filter(column: Any, principal: Principal | None) -> Any | None:
    """A where-clause restricting `column` (a cluster id/foreign key) to visible clusters.
    Returns None when no restriction applies (admin). An empty set matches nothing."""
    ids = visible_cluster_ids(principal)
    if ids is None:
        return None
    if not ids:
        return column.is_null() & column.is_not_null()
    return column.is_in(list(ids))


can_see_cluster = access.in_cluster


def ensure_cluster_visible(
    principal: Principal | None, cluster_id: int, detail: str = NOT_FOUND
) -> None:
    """404 rather than 403: another cluster's private things do not even admit to existing.
    Pass the `detail` a missing row gets, so a foreign id answers exactly as a missing one."""
    if not can_see_cluster(principal, cluster_id):
        raise NotFound(detail)


can_manage_cluster = access.manages_cluster
