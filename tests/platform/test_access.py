"""The role-in-organisation predicates that guards, scoping and use cases share."""

from __future__ import annotations

from klynge.auth import access
from klynge.auth.principal import Grant, Principal
from klynge.auth.roles import OrgKind, Role


def principal(
    *grants: tuple[Role, OrgKind, int | None],
    clusters: frozenset[int] | set[int] = frozenset(),
    municipalities: frozenset[int] | set[int] = frozenset(),
) -> Principal:
    return Principal(
        account_id=1,
        name="Test",
        email="t@example.no",
        language="nb",
        grants=tuple(Grant(role, kind, org) for role, kind, org in grants),
        cluster_ids=frozenset(clusters),
        municipality_ids=frozenset(municipalities),
    )


ADMIN = principal((Role.PLATFORM_ADMIN, OrgKind.PLATFORM, None))
ADVISER = principal((Role.ADVISER, OrgKind.CLUSTER, 7), clusters={7})
COORDINATOR = principal(
    (Role.COORDINATOR, OrgKind.MUNICIPALITY, 3), clusters={7}, municipalities={3}
)
RESEARCHER = principal((Role.RESEARCHER, OrgKind.RESEARCH_GROUP, 5))


def test_admin_passes_every_rule() -> None:
    assert access.is_admin(ADMIN)
    assert access.in_cluster(ADMIN, 99)
    assert access.manages_cluster(ADMIN, 99)
    assert access.coordinates(ADMIN, 99)
    assert access.in_municipality(ADMIN, 99)
    assert access.holds_any(ADMIN, Role.RESEARCHER)
    assert access.holds(ADMIN, Role.RESEARCHER, 99)
    assert access.may_submit_for(ADMIN, 99, 98)


def test_nobody_passes_nothing() -> None:
    assert not access.is_admin(None)
    assert not access.in_cluster(None, 7)
    assert not access.manages_cluster(None, 7)
    assert not access.coordinates(None, 3)
    assert not access.in_municipality(None, 3)
    assert not access.holds_any(None, Role.ADVISER)
    assert not access.holds(None, Role.RESEARCHER, 5)
    assert not access.may_submit_for(None, 7, 3)


def test_cluster_rules() -> None:
    assert access.in_cluster(ADVISER, 7)
    assert not access.in_cluster(ADVISER, 8)
    assert access.manages_cluster(ADVISER, 7)
    assert not access.manages_cluster(ADVISER, 8)
    assert access.in_cluster(COORDINATOR, 7)
    assert not access.manages_cluster(COORDINATOR, 7)


def test_municipality_and_role_rules() -> None:
    assert access.coordinates(COORDINATOR, 3)
    assert not access.coordinates(COORDINATOR, 4)
    member = principal((Role.SERVICE_EMPLOYEE, OrgKind.SERVICE, 11), municipalities={3})
    assert access.in_municipality(member, 3)
    assert not access.coordinates(member, 3)
    assert access.holds_any(ADVISER, Role.ADVISER, Role.COORDINATOR)
    assert not access.holds_any(ADVISER, Role.COORDINATOR)
    assert access.holds(RESEARCHER, Role.RESEARCHER, 5)
    assert not access.holds(RESEARCHER, Role.RESEARCHER, 6)


def test_who_may_submit_for_a_municipality_in_a_cluster() -> None:
    assert access.may_submit_for(ADVISER, 7, 42)  # the cluster's adviser, for any member
    assert access.may_submit_for(COORDINATOR, 7, 3)
    assert not access.may_submit_for(COORDINATOR, 8, 3)  # not in that cluster
    assert not access.may_submit_for(COORDINATOR, 7, 4)  # not that municipality
