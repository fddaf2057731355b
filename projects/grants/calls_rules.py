"""Pure rules of calls: which conditions and parameters a call may have, what a call in each
status lets its funder change, the order calls are listed in, and each condition in words."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from klynge.i18n import N_
from projects.grants.conditions import CATALOGUE, Kind
from projects.grants.money import format_nok

DRAFT, PUBLISHED, CLOSED = "draft", "published", "closed"
STATUS_LABELS: dict[str, str] = {
    DRAFT: N_("Draft"),
    PUBLISHED: N_("Published"),
    CLOSED: N_("Closed"),
}
ELIGIBLE_KINDS: dict[str, str] = {
    "cluster": N_("Clusters"),
    "municipality": N_("Municipalities"),
}
# The workspace's approvals catalogue (the same msgids as its checklist).
APPROVAL_KINDS: dict[str, str] = {
    "rek": N_("REK approval"),
    "data_protection": N_("Data protection assessment"),
    "confidentiality": N_("Exemption from confidentiality"),
    "consent": N_("Consent routines"),
    "owner": N_("School owner or service leader approval"),
}
# Parameter limits: (lowest, highest) per integer parameter.
LIMITS: dict[str, tuple[int, int]] = {
    "percent": (1, 100),
    "own_percent": (1, 99),
    "count": (1, 100),
    "progress_months": (1, 24),
}
EXCLUSIVE = frozenset({Kind.FULL_FINANCING, Kind.CO_FINANCING})
# A published call keeps its conditions, money, applicants and report schedule: applicants
# and grants rely on them.
FIXED_ONCE_PUBLISHED = frozenset(
    {
        "conditions", "budget_ore", "max_per_application_ore", "eligible_kinds",
        "eligible_cluster_ids", "report_schedule",
    }
)  # fmt: skip

OUT_OF_RANGE = N_("Choose a number from %(low)s to %(high)s.")
NO_APPROVALS = N_("Choose at least one approval.")
UNKNOWN_APPROVAL = N_("Choose approvals from the list.")
TWICE = N_("Each condition can be chosen once.")
BOTH_FINANCING = N_("Choose either full financing or a co-financing share, not both.")
MAX_NEEDS_AMOUNT = N_("Write the maximum per application to use this condition.")
DATES = N_("The call cannot close before it opens.")
MAX_ABOVE_BUDGET = N_("The maximum per application is larger than the budget frame.")
NO_KIND = N_("Choose who can apply.")


@dataclass(frozen=True, slots=True)
class Problem:
    field: str
    message: str
    params: Mapping[str, Any]


def _number(field: str, value: Any, name: str) -> list[Problem]:
    low, high = LIMITS[name]
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        return [Problem(field, OUT_OF_RANGE, {"low": low, "high": high})]
    return []


def check_condition(index: int, kind: Kind, params: Mapping[str, Any]) -> list[Problem]:
    """The problems with one condition's parameters (field names `conditions.<i>.<param>`)."""
    field = f"conditions.{index}"
    if kind is Kind.APPROVALS:
        kinds = list(params.get("kinds") or [])
        if not kinds:
            return [Problem(f"{field}.kinds", NO_APPROVALS, {})]
        if any(k not in APPROVAL_KINDS for k in kinds):
            return [Problem(f"{field}.kinds", UNKNOWN_APPROVAL, {})]
        return []
    problems: list[Problem] = []
    for name in ("percent", "own_percent", "count", "progress_months"):
        if name in params:
            problems += _number(f"{field}.{name}", params[name], name)
    return problems


def normalise(
    raw: Sequence[Mapping[str, Any]], schedule: Mapping[str, Any], max_ore: int
) -> list[dict[str, Any]]:
    """The conditions as stored: each kind's parameters (defaults filled, unknown dropped); the
    maximum amount and the report schedule come from the call's own fields."""
    stored = []
    for item in raw:
        kind = Kind(item["kind"])
        given = {k: v for k, v in (item.get("params") or {}).items() if v is not None}
        params = {
            name: given.get(name, default) for name, (_t, default) in CATALOGUE[kind][1].items()
        }
        if kind is Kind.MAX_AMOUNT:
            params = {"ore": max_ore}
        if kind is Kind.REPORT_SCHEDULE:
            params = {
                "progress_months": int(schedule.get("progress_months", 6)),
                "final": bool(schedule.get("final", True)),
            }
        if kind is Kind.APPROVALS:
            params["kinds"] = [str(k) for k in params.get("kinds") or []]
        stored.append({"kind": kind.value, "params": params, "hard": bool(item.get("hard", True))})
    return stored


def check_conditions(conditions: Sequence[Mapping[str, Any]], max_ore: int) -> list[Problem]:
    """Problems with a call's (normalised) conditions as a whole and one by one."""
    problems: list[Problem] = []
    kinds = [Kind(c["kind"]) for c in conditions]
    if len(set(kinds)) != len(kinds):
        problems.append(Problem("conditions", TWICE, {}))
    if set(kinds) >= EXCLUSIVE:
        problems.append(Problem("conditions", BOTH_FINANCING, {}))
    for index, condition in enumerate(conditions):
        kind = Kind(condition["kind"])
        if kind is Kind.MAX_AMOUNT and max_ore <= 0:
            problems.append(Problem("max_per_application", MAX_NEEDS_AMOUNT, {}))
        problems += check_condition(index, kind, condition.get("params") or {})
    return problems


def check_call(
    opens_on: dt.date,
    closes_on: dt.date,
    budget_ore: int,
    max_ore: int,
    eligible_kinds: Sequence[str],
    schedule: Mapping[str, Any],
) -> list[Problem]:
    """Problems with a call's dates, money, applicants and report schedule."""
    problems: list[Problem] = []
    if closes_on < opens_on:
        problems.append(Problem("closes_on", DATES, {}))
    if budget_ore and max_ore > budget_ore:
        problems.append(Problem("max_per_application", MAX_ABOVE_BUDGET, {}))
    if not eligible_kinds:
        problems.append(Problem("eligible_kinds", NO_KIND, {}))
    problems += _number(
        "report_schedule.progress_months", schedule.get("progress_months", 6), "progress_months"
    )
    return problems


def is_open(status: str, opens_on: dt.date, closes_on: dt.date, today: dt.date) -> bool:
    return status == PUBLISHED and opens_on <= today <= closes_on


def list_key(status: str, opens_on: dt.date, closes_on: dt.date, today: dt.date) -> tuple:
    """Open calls first (closing soonest first), then coming ones, drafts, and closed last."""
    if is_open(status, opens_on, closes_on, today):
        return (0, closes_on.toordinal())
    if status == PUBLISHED and opens_on > today:
        return (1, opens_on.toordinal())
    if status == DRAFT:
        return (2, opens_on.toordinal())
    return (3, -closes_on.toordinal())


# Each condition in words, for applicants: (msgid, params from the stored parameters).
WORDS: dict[Kind, str] = {
    Kind.FULL_FINANCING: N_("The call finances the whole project; no municipal co-payment."),
    Kind.CO_FINANCING: N_("The applicants finance at least %(own_percent)s %% themselves."),
    Kind.MIN_RND_SHARE: N_(
        "At least %(percent)s %% of the budget goes to research and development."
    ),
    Kind.NO_EXISTING_POSITIONS: N_("The grant does not finance existing positions."),
    Kind.RND_PARTNER: N_("A research group takes part in the project."),
    Kind.APPROVALS: N_("These approvals are in place: %(kinds)s."),
    Kind.MIN_MUNICIPALITIES: N_("At least %(count)s municipalities take part."),
    Kind.USER_REPRESENTATIVES: N_("At least %(count)s user representatives take part."),
    Kind.MAX_AMOUNT: N_("At most %(amount)s per application."),
    Kind.REPORT_SCHEDULE: N_(
        "A progress report every %(progress_months)s months and a final report."
    ),
}


def in_words(
    kind: Kind, params: Mapping[str, Any], approval_names: Mapping[str, str]
) -> tuple[str, dict[str, str]]:
    """The msgid and its parameters for one stored condition (approval names already in the
    reader's language)."""
    values = {k: str(v) for k, v in params.items() if not isinstance(v, list)}
    if kind is Kind.APPROVALS:
        values["kinds"] = ", ".join(approval_names.get(k, k) for k in params.get("kinds", []))
    if kind is Kind.MAX_AMOUNT:
        values["amount"] = format_nok(int(params.get("ore", 0)))
    return WORDS[kind], values
