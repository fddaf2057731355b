"""The condition engine's view of an application: the call's conditions (with an implicit
maximum amount when the call has one) and the Facts from the budget, the financing plan and the
project's participants and approvals. Pure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from projects.grants.budget_rules import BudgetRow, FinancingRow, totals
from projects.grants.conditions import Condition, Facts, Kind, Line, parse_conditions


def call_conditions(raw: Sequence[Mapping[str, Any]], max_ore: int) -> list[Condition]:
    """The call's conditions in its order; a maximum amount the call names is a condition even
    when the call's list leaves it out (and fills a max_amount condition without a limit)."""
    conditions = parse_conditions(raw)
    if max_ore <= 0:
        return conditions
    found = False
    out: list[Condition] = []
    for c in conditions:
        if c.kind is Kind.MAX_AMOUNT:
            found = True
            if not int(c.params.get("ore", 0) or 0):
                c = Condition(c.kind, {**c.params, "ore": max_ore}, c.hard)
        out.append(c)
    if not found:
        out.append(Condition(Kind.MAX_AMOUNT, {"ore": max_ore}, True))
    return out


def application_facts(
    budget: Sequence[BudgetRow],
    financing: Sequence[FinancingRow],
    *,
    research_groups: int,
    municipalities: int,
    user_representatives: int,
    approvals: Mapping[str, tuple[bool | None, str]],
) -> Facts:
    return Facts(
        budget=[Line(b.category, b.amount_ore, b.year) for b in budget],
        financing=[(f.source, f.amount_ore) for f in financing],
        requested_ore=totals(budget, financing).requested_ore,
        research_groups=research_groups,
        municipalities=municipalities,
        user_representatives=user_representatives,
        approvals=dict(approvals),
    )
