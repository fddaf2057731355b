"""Who may act where: the one implementation of the role-in-organisation rules. Route guards,
tenant scoping and use cases all ask these predicates; a platform admin passes every one."""

from __future__ import annotations

from klynge.auth.principal import Principal
from klynge.auth.roles import Role


def is_admin(principal: Principal | None) -> bool:
    return principal is not None and principal.is_admin


def in_cluster(principal: Principal | None, cluster_id: int) -> bool:
    """Belongs to the cluster: adviser, or through a member municipality or service."""
    return is_admin(principal) or (principal is not None and cluster_id in principal.cluster_ids)


def manages_cluster(principal: Principal | None, cluster_id: int) -> bool:
    """Advises the cluster."""
    return is_admin(principal) or (principal is not None and principal.advises(cluster_id))


def coordinates(principal: Principal | None, municipality_id: int) -> bool:
    """Coordinates the municipality."""
    return is_admin(principal) or (principal is not None and principal.coordinates(municipality_id))


def in_municipality(principal: Principal | None, municipality_id: int) -> bool:
    """Coordinates the municipality or belongs to it (directly or through a service)."""
    return coordinates(principal, municipality_id) or (
        principal is not None and municipality_id in principal.municipality_ids
    )


def holds_any(principal: Principal | None, *roles: Role) -> bool:
    """Holds one of `roles` in some organisation."""
    return is_admin(principal) or (principal is not None and bool(principal.roles & set(roles)))


def holds(principal: Principal | None, role: Role, org_id: int) -> bool:
    """Holds `role` in the organisation `org_id`."""
    return is_admin(principal) or (principal is not None and principal.has(role, org_id))


def may_submit_for(principal: Principal | None, cluster_id: int, municipality_id: int) -> bool:
    """Members of the municipality who are in the cluster, and the cluster's advisers, may
    act (submit needs) on the municipality's behalf in the cluster."""
    return manages_cluster(principal, cluster_id) or (
        principal is not None
        and municipality_id in principal.municipality_ids
        and cluster_id in principal.cluster_ids
    )
