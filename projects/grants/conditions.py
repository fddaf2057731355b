"""The condition engine: a call's conditions evaluated against an application (its budget,
financing plan and project) or a running grant's report (its actual spending and attestation).
Pure: plain data in, one Result per condition out — met, not met, or needs evidence — with the
numbers and an explanation (an English msgid with params, translated at render: nb, nn, en).

The catalogue (a call chooses and parameterises): full financing or a co-financing share; a
minimum R&D share of the budget; no financing of existing positions; an R&D partner; required
approvals; a minimum number of participating municipalities; user representatives; a maximum
amount; the report schedule."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from klynge.i18n import N_
from projects.grants.money import format_nok, format_percent, percent

MET, NOT_MET, NEEDS_EVIDENCE = "met", "not_met", "needs_evidence"

CATEGORIES = (
    "new_position", "existing_position", "rnd", "operations", "travel", "equipment", "indirect",
)  # fmt: skip
SOURCES = ("this_funder", "own", "other")


class Kind(StrEnum):
    FULL_FINANCING = "full_financing"
    CO_FINANCING = "co_financing"
    MIN_RND_SHARE = "min_rnd_share"
    NO_EXISTING_POSITIONS = "no_existing_positions"
    RND_PARTNER = "rnd_partner"
    APPROVALS = "approvals"
    MIN_MUNICIPALITIES = "min_municipalities"
    USER_REPRESENTATIVES = "user_representatives"
    MAX_AMOUNT = "max_amount"
    REPORT_SCHEDULE = "report_schedule"


# Display names and the parameters each kind takes (name -> (type, default)).
CATALOGUE: dict[Kind, tuple[str, dict[str, tuple[type, Any]]]] = {
    Kind.FULL_FINANCING: (N_("Full financing (no municipal co-payment)"), {}),
    Kind.CO_FINANCING: (N_("Co-financing share"), {"own_percent": (int, 20)}),
    Kind.MIN_RND_SHARE: (N_("Minimum R&D share of the budget"), {"percent": (int, 20)}),
    Kind.NO_EXISTING_POSITIONS: (N_("No financing of existing positions"), {}),
    Kind.RND_PARTNER: (N_("A research group takes part"), {}),
    Kind.APPROVALS: (N_("Required approvals"), {"kinds": (list, ["data_protection"])}),
    Kind.MIN_MUNICIPALITIES: (N_("Minimum number of municipalities"), {"count": (int, 2)}),
    Kind.USER_REPRESENTATIVES: (N_("User representatives involved"), {"count": (int, 1)}),
    Kind.MAX_AMOUNT: (N_("Maximum amount per application"), {"ore": (int, 0)}),
    Kind.REPORT_SCHEDULE: (
        N_("Report schedule"),
        {"progress_months": (int, 6), "final": (bool, True)},
    ),
}


@dataclass(frozen=True, slots=True)
class Condition:
    kind: Kind
    params: Mapping[str, Any] = field(default_factory=dict)
    hard: bool = True  # a hard condition not met refuses submission


@dataclass(frozen=True, slots=True)
class Line:
    category: str
    amount_ore: int
    year: int = 0


@dataclass(frozen=True, slots=True)
class Facts:
    """What the engine looks at. For an application `spending` is None (the budget counts);
    for a report it is the actual spending, and the attestation and report status count too."""

    budget: Sequence[Line] = ()
    financing: Sequence[tuple[str, int]] = ()  # (source, øre)
    requested_ore: int = 0
    research_groups: int = 0
    municipalities: int = 0
    user_representatives: int = 0
    approvals: Mapping[str, tuple[bool | None, str]] = field(default_factory=dict)
    spending: Sequence[Line] | None = None
    no_existing_positions: bool | None = None  # the signed attestation (reports)
    overdue_reports: int = 0

    @property
    def is_report(self) -> bool:
        return self.spending is not None

    @property
    def lines(self) -> Sequence[Line]:
        return self.spending if self.spending is not None else self.budget


@dataclass(frozen=True, slots=True)
class Result:
    kind: Kind
    outcome: str  # met | not_met | needs_evidence
    message: str  # English msgid; `params` fill it
    params: Mapping[str, str] = field(default_factory=dict)
    numbers: Mapping[str, int | str] = field(default_factory=dict)
    hard: bool = True

    @property
    def blocks(self) -> bool:
        return self.hard and self.outcome == NOT_MET


def total(lines: Sequence[Line]) -> int:
    return sum(line.amount_ore for line in lines)


def _sum(lines: Sequence[Line], category: str) -> int:
    return sum(line.amount_ore for line in lines if line.category == category)


def _financing(facts: Facts, source: str) -> int:
    return sum(amount for src, amount in facts.financing if src == source)


def _full_financing(c: Condition, f: Facts) -> tuple[str, str, dict[str, str], dict[str, Any]]:
    costs, funder, own = total(f.lines), _financing(f, "this_funder"), _financing(f, "own")
    nums = {"costs_ore": costs, "funder_ore": funder, "own_ore": own}
    params = {"own": format_nok(own), "costs": format_nok(costs), "funder": format_nok(funder)}
    if own > 0:
        return (
            NOT_MET,
            N_("The municipal co-payment is %(own)s; the call finances everything."),
            params,
            nums,
        )
    if funder < costs:
        return NOT_MET, N_("The funder covers %(funder)s of costs of %(costs)s."), params, nums
    return MET, N_("The funder covers all costs (%(costs)s); no co-payment."), params, nums


def _co_financing(c: Condition, f: Facts) -> tuple[str, str, dict[str, str], dict[str, Any]]:
    costs, own = total(f.lines), _financing(f, "own")
    share, required = percent(own, costs), Decimal(int(c.params.get("own_percent", 20)))
    params = {"share": format_percent(share), "required": format_percent(required)}
    nums = {"share": str(share), "required": str(required)}
    if share < required:
        return (
            NOT_MET,
            N_("Own contribution %(share)s %% is below the required %(required)s %%."),
            params,
            nums,
        )
    return (
        MET,
        N_("Own contribution %(share)s %% meets the required %(required)s %%."),
        params,
        nums,
    )


def _rnd_share(c: Condition, f: Facts) -> tuple[str, str, dict[str, str], dict[str, Any]]:
    lines = f.lines
    share, required = (
        percent(_sum(lines, "rnd"), total(lines)),
        Decimal(int(c.params.get("percent", 20))),
    )
    params = {"share": format_percent(share), "required": format_percent(required)}
    nums = {"share": str(share), "required": str(required), "rnd_ore": _sum(lines, "rnd")}
    if total(lines) == 0:
        return (
            NEEDS_EVIDENCE,
            N_("There is no budget yet to compute the R&D share from."),
            params,
            nums,
        )
    if share < required:
        return (
            NOT_MET,
            N_("R&D share %(share)s %% is below the required %(required)s %%."),
            params,
            nums,
        )
    return MET, N_("R&D share %(share)s %% meets the required %(required)s %%."), params, nums


def _existing(c: Condition, f: Facts) -> tuple[str, str, dict[str, str], dict[str, Any]]:
    lines = [line for line in f.lines if line.category == "existing_position" and line.amount_ore]
    params = {"count": str(len(lines)), "amount": format_nok(total(lines))}
    nums = {"lines": len(lines), "amount_ore": total(lines)}
    if lines:
        return (
            NOT_MET,
            N_("%(count)s budget lines finance existing positions (%(amount)s)."),
            params,
            nums,
        )
    if f.is_report and f.no_existing_positions is None:
        return (
            NEEDS_EVIDENCE,
            N_("The attestation that no existing positions are financed is missing."),
            params,
            nums,
        )
    if f.is_report and f.no_existing_positions is False:
        return NOT_MET, N_("The attestation says existing positions are financed."), params, nums
    if f.is_report:
        return (
            MET,
            N_("A municipal leader attests that no existing positions are financed."),
            params,
            nums,
        )
    return MET, N_("No budget line finances existing positions."), params, nums


def _partner(c: Condition, f: Facts) -> tuple[str, str, dict[str, str], dict[str, Any]]:
    params, nums = {"count": str(f.research_groups)}, {"groups": f.research_groups}
    if f.research_groups < 1:
        return NOT_MET, N_("No research group takes part in the project."), params, nums
    return MET, N_("%(count)s research groups take part."), params, nums


def _approvals(c: Condition, f: Facts) -> tuple[str, str, dict[str, str], dict[str, Any]]:
    kinds = [str(k) for k in c.params.get("kinds", [])]
    rejected = [k for k in kinds if f.approvals.get(k, (None, ""))[1] == "rejected"]
    waiting = [
        k for k in kinds
        if k not in rejected and f.approvals.get(k, (None, ""))[0] is not False
        and f.approvals.get(k, (None, ""))[1] != "approved"
    ]  # fmt: skip
    params = {"missing": ", ".join(waiting or rejected)}
    nums = {"waiting": ",".join(waiting), "rejected": ",".join(rejected)}
    if rejected:
        return NOT_MET, N_("Required approvals were rejected: %(missing)s."), params, nums
    if waiting:
        return NEEDS_EVIDENCE, N_("Required approvals not yet in place: %(missing)s."), params, nums
    return MET, N_("The required approvals are in place."), params, nums


def _municipalities(c: Condition, f: Facts) -> tuple[str, str, dict[str, str], dict[str, Any]]:
    required = int(c.params.get("count", 2))
    params = {"count": str(f.municipalities), "required": str(required)}
    nums = {"municipalities": f.municipalities, "required": required}
    if f.municipalities < required:
        return (
            NOT_MET,
            N_("%(count)s municipalities take part; the call requires %(required)s."),
            params,
            nums,
        )
    return MET, N_("%(count)s municipalities take part (at least %(required)s)."), params, nums


def _users(c: Condition, f: Facts) -> tuple[str, str, dict[str, str], dict[str, Any]]:
    required = int(c.params.get("count", 1))
    params = {"count": str(f.user_representatives), "required": str(required)}
    nums = {"user_representatives": f.user_representatives, "required": required}
    if f.user_representatives < required:
        return (
            NOT_MET,
            N_("%(count)s user representatives take part; the call requires %(required)s."),
            params,
            nums,
        )
    return MET, N_("%(count)s user representatives take part."), params, nums


def _max_amount(c: Condition, f: Facts) -> tuple[str, str, dict[str, str], dict[str, Any]]:
    limit = int(c.params.get("ore", 0))
    params = {"amount": format_nok(f.requested_ore), "limit": format_nok(limit)}
    nums = {"requested_ore": f.requested_ore, "limit_ore": limit}
    if limit and f.requested_ore > limit:
        return (
            NOT_MET,
            N_("The amount applied for, %(amount)s, is above the maximum of %(limit)s."),
            params,
            nums,
        )
    return MET, N_("The amount applied for, %(amount)s, is within the call's limit."), params, nums


def _schedule(c: Condition, f: Facts) -> tuple[str, str, dict[str, str], dict[str, Any]]:
    months = int(c.params.get("progress_months", 6))
    params = {"months": str(months), "overdue": str(f.overdue_reports)}
    nums = {"progress_months": months, "overdue": f.overdue_reports}
    if f.overdue_reports:
        return NOT_MET, N_("%(overdue)s reports are overdue."), params, nums
    return MET, N_("Progress reports every %(months)s months and a final report."), params, nums


RULES: dict[Kind, Callable[[Condition, Facts], tuple[str, str, dict[str, str], dict[str, Any]]]] = {
    Kind.FULL_FINANCING: _full_financing,
    Kind.CO_FINANCING: _co_financing,
    Kind.MIN_RND_SHARE: _rnd_share,
    Kind.NO_EXISTING_POSITIONS: _existing,
    Kind.RND_PARTNER: _partner,
    Kind.APPROVALS: _approvals,
    Kind.MIN_MUNICIPALITIES: _municipalities,
    Kind.USER_REPRESENTATIVES: _users,
    Kind.MAX_AMOUNT: _max_amount,
    Kind.REPORT_SCHEDULE: _schedule,
}


def evaluate(conditions: Sequence[Condition], facts: Facts) -> list[Result]:
    """One Result per condition, in the call's order."""
    results = []
    for condition in conditions:
        outcome, message, params, numbers = RULES[condition.kind](condition, facts)
        results.append(Result(condition.kind, outcome, message, params, numbers, condition.hard))
    return results


def blocking(results: Sequence[Result]) -> list[Result]:
    """The hard conditions not met: what refuses a submission."""
    return [r for r in results if r.blocks]


def parse_conditions(raw: Sequence[Mapping[str, Any]]) -> list[Condition]:
    """Conditions as stored on a call (JSON) -> Condition; unknown kinds are an error."""
    return [
        Condition(Kind(item["kind"]), dict(item.get("params", {})), bool(item.get("hard", True)))
        for item in raw
    ]
