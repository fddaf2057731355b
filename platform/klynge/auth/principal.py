"""Who is calling: the account, its roles per organisation, and the clusters it belongs to."""

from __future__ import annotations

from dataclasses import dataclass, field

from klynge.auth.roles import OrgKind, Role


@dataclass(frozen=True, slots=True)
class Grant:
    role: Role
    org_kind: OrgKind
    org_id: int | None  # None only for platform admin


@dataclass(frozen=True, slots=True)
class Principal:
    account_id: int
    name: str
    email: str
    language: str  # resolved UI language: nb | nn | en
    grants: tuple[Grant, ...] = ()
    # Clusters the account belongs to: as adviser, or through a member municipality or service.
    cluster_ids: frozenset[int] = field(default_factory=frozenset)
    # Municipalities the account belongs to (directly or through a service).
    municipality_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_admin(self) -> bool:
        return any(g.role is Role.PLATFORM_ADMIN for g in self.grants)

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(g.role for g in self.grants)

    def org_ids(self, *roles: Role) -> frozenset[int]:
        """Ids of the organisations where the account holds any of `roles`."""
        return frozenset(g.org_id for g in self.grants if g.role in roles and g.org_id is not None)

    def has(self, role: Role, org_id: int | None = None) -> bool:
        return any(g.role is role and (org_id is None or g.org_id == org_id) for g in self.grants)

    def advises(self, cluster_id: int) -> bool:
        return self.has(Role.ADVISER, cluster_id)

    def coordinates(self, municipality_id: int) -> bool:
        return self.has(Role.COORDINATOR, municipality_id)
