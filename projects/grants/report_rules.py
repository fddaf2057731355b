"""Rules of a grant's reports: who may attest, what the team and the funder may do in which
status, and the report's conditions through the call's condition engine. Pure."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from klynge.auth.principal import Principal
from klynge.auth.roles import Role
from projects.grants.conditions import (
    Condition,
    Facts,
    Kind,
    Line,
    Result,
    evaluate,
    parse_conditions,
)

EDITABLE = frozenset({"due", "returned"})
LEADER_ROLES = (Role.COORDINATOR, Role.SERVICE_LEADER)
REVIEWABLE = frozenset({"submitted"})
# The conditions a report is measured against (the application's are checked at submission).
REPORT_KINDS = frozenset({Kind.NO_EXISTING_POSITIONS, Kind.MIN_RND_SHARE})


def may_attest(
    actor: Principal,
    municipality_ids: Iterable[int],
    service_ids: Iterable[int],
    service_municipalities: Mapping[int, int],
) -> bool:
    """A municipal leader of the project: a coordinator of a participating municipality, or a
    service leader of a participating service or of a service in a participating
    municipality."""
    municipalities = frozenset(municipality_ids)
    if actor.org_ids(Role.COORDINATOR) & municipalities:
        return True
    led = actor.org_ids(Role.SERVICE_LEADER)
    if led & frozenset(service_ids):
        return True
    return any(service_municipalities.get(s) in municipalities for s in led)


def role_label(actor: Principal) -> str:
    """The attester's role as a msgid (translated at render)."""
    return "coordinator" if actor.has(Role.COORDINATOR) else "service_leader"


def spending_lines(spending: Mapping[str, int], categories: Mapping[int, str]) -> list[Line]:
    """{budget line id: øre} -> the engine's lines (unknown ids are ignored)."""
    return [
        Line(categories[int(key)], int(amount))
        for key, amount in spending.items()
        if int(key) in categories
    ]


def evaluate_report(
    raw_conditions: Sequence[Mapping[str, Any]],
    spending: Mapping[str, int],
    categories: Mapping[int, str],
    no_existing_positions: bool | None,
) -> list[Result]:
    """The call's report conditions against the actual spending and the attestation (a call
    without the no-existing-positions condition still has the attestation checked)."""
    conditions = [c for c in parse_conditions(raw_conditions) if c.kind in REPORT_KINDS]
    if not any(c.kind is Kind.NO_EXISTING_POSITIONS for c in conditions):
        conditions.insert(0, Condition(Kind.NO_EXISTING_POSITIONS))
    facts = Facts(
        spending=spending_lines(spending, categories),
        no_existing_positions=no_existing_positions,
    )
    return evaluate(conditions, facts)
