"""The non-text parts of a match, the final score, and conflicts of interest (hard constraints).

All helpers are pure and return ``None`` for "not known" so that `combine` leaves the part out
instead of counting it as a zero.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

__all__ = [
    "DEFAULT_WEIGHTS",
    "Combined",
    "ConflictRule",
    "Conflicts",
    "GroupMember",
    "NeedOrigin",
    "apply_conflicts",
    "capacity_fit",
    "capacity_left",
    "centred_text_fit",
    "combine",
    "distance_fit",
    "distance_km",
    "find_conflicts",
    "method_fit",
    "relative_text_fit",
    "set_fit",
]


def _norm(values: Iterable[str]) -> set[str]:
    return {v.strip().casefold() for v in values if v and v.strip()}


def method_fit(wanted: Iterable[str], offered: Iterable[str]) -> float | None:
    """Share of the need's wanted methods (rct, qualitative, registry, ...) the group offers.

    None when the need names no method (nothing to assess).
    """
    want = _norm(wanted)
    if not want:
        return None
    return len(want & _norm(offered)) / len(want)


def set_fit(need_values: Iterable[str], group_values: Iterable[str]) -> float | None:
    """Share of the need's services / target groups the group works with; None when unknown."""
    need = _norm(need_values)
    if not need:
        return None
    return len(need & _norm(group_values)) / len(need)


def capacity_left(capacity: int | None, load: int) -> int | None:
    """Projects the group can still take (never negative); None when capacity is unknown."""
    if capacity is None:
        return None
    return max(0, capacity - max(0, load))


def capacity_fit(capacity: int | None, load: int) -> float | None:
    """Capacity left as a share of capacity: 1 = free, 0 = full; None when unknown."""
    left = capacity_left(capacity, load)
    if left is None or not capacity or capacity <= 0:
        return None if left is None else 0.0
    return left / capacity


_EARTH_KM = 6371.0088


def distance_km(a: tuple[float, float] | None, b: tuple[float, float] | None) -> float | None:
    """Great-circle (haversine) distance in km between (lat, lon) points; None if one unknown."""
    if a is None or b is None:
        return None
    lat1, lon1 = map(math.radians, a)
    lat2, lon2 = map(math.radians, b)
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * _EARTH_KM * math.asin(min(1.0, math.sqrt(h)))


def distance_fit(km: float | None, scale_km: float = 150.0) -> float | None:
    """1 next door, 0.5 at `scale_km`, approaching 0 far away: ``1 / (1 + km/scale)``."""
    if km is None:
        return None
    return 1.0 / (1.0 + max(0.0, km) / scale_km)


def relative_text_fit(score: float, best: float) -> float:
    """Text fit relative to the best group for the same need (1 for the best), for `combine`.

    Raw text fits are small numbers (a share of the need's weighted terms); relative to the best
    they live on the same 0–1 scale as the other parts.
    """
    return score / best if best > 0 else 0.0


def centred_text_fit(fit: float) -> float:
    """The combined matcher's fit (in (0, 1), 0.5 for an average group) as a text part: how far
    above the average group it is, 0 at or below it. Feed `relative_text_fit` with it, so the
    best group gets 1 and a below-average group no text fit at all (hence no match)."""
    return max(0.0, 2.0 * fit - 1.0)


# Text fit dominates: it is the only part that says the group knows the subject. The others
# adjust among groups that fit; they cannot lift a group that does not.
DEFAULT_WEIGHTS: Mapping[str, float] = {
    "text": 0.60,
    "method": 0.15,
    "target": 0.10,
    "capacity": 0.10,
    "distance": 0.05,
}


@dataclass(frozen=True)
class Combined:
    score: float
    parts: dict[str, float]  # the known parts, each in [0, 1]
    weights: dict[str, float]  # the weights used (renormalised over the known parts)

    def contributions(self) -> dict[str, float]:
        return {k: self.parts[k] * self.weights[k] for k in self.parts}


def combine(
    text: float,
    *,
    method: float | None = None,
    target: float | None = None,
    capacity: float | None = None,
    distance: float | None = None,
    weights: Mapping[str, float] = DEFAULT_WEIGHTS,
) -> Combined:
    """Final score in [0, 1]: a weighted mean of the known parts (unknown parts are left out).

    `text` should be `relative_text_fit` (0–1). A group with no text fit gets 0 whatever the
    other parts say: a free, nearby group that knows nothing of the topic is no match.
    """
    parts = {"text": text, "method": method, "target": target, "capacity": capacity}
    parts["distance"] = distance
    known = {k: min(1.0, max(0.0, float(v))) for k, v in parts.items() if v is not None}
    total = sum(weights[k] for k in known)
    used = {k: weights[k] / total for k in known} if total else {}
    score = sum(known[k] * used[k] for k in known) if known["text"] > 0 else 0.0
    return Combined(score=score, parts=known, weights=used)


# --- conflicts of interest -------------------------------------------------------------------


@dataclass(frozen=True)
class GroupMember:
    """A researcher: work e-mail and the ids of services (or organisations) employing them."""

    email: str = ""
    employer_ids: frozenset[str] = frozenset()
    name: str = ""


@dataclass(frozen=True)
class NeedOrigin:
    """Who submitted a need: the service's id and the e-mail domains of its municipality."""

    need_id: str
    service_id: str | None = None
    email_domains: frozenset[str] = frozenset()  # e.g. {"bergen.kommune.no"}


@dataclass(frozen=True)
class ConflictRule:
    need_id: str
    group_id: str
    reason: str


@dataclass
class Conflicts:
    """(need, group) pairs that must never be proposed, with the reason."""

    pairs: dict[tuple[str, str], str] = field(default_factory=dict)

    def add(self, need_id: str, group_id: str, reason: str) -> None:
        self.pairs.setdefault((str(need_id), str(group_id)), reason)

    def excludes(self, need_id: str, group_id: str) -> bool:
        return (str(need_id), str(group_id)) in self.pairs

    def excluded_groups(self, need_id: str) -> set[str]:
        return {g for (n, g) in self.pairs if n == str(need_id)}

    def reason(self, need_id: str, group_id: str) -> str | None:
        return self.pairs.get((str(need_id), str(group_id)))


def _domain(email: str) -> str:
    return email.rsplit("@", 1)[-1].strip().casefold() if "@" in email else ""


def find_conflicts(
    origins: Iterable[NeedOrigin],
    members: Mapping[str, Iterable[GroupMember]],
    manual: Iterable[tuple[str, str] | ConflictRule] = (),
) -> Conflicts:
    """Conflicts by rule and by hand.

    Rule: a group conflicts with a need when one of its members is employed by the submitting
    service (service id among the member's employers) or has a work e-mail in one of the
    municipality's domains. Manual: (need id, group id) pairs, or `ConflictRule`s with a reason.
    """
    conflicts = Conflicts()
    member_lists = {gid: list(ms) for gid, ms in members.items()}
    for origin in origins:
        domains = {d.casefold().lstrip("@") for d in origin.email_domains if d}
        for group_id, group_members in member_lists.items():
            for member in group_members:
                who = member.name or member.email or "a member"
                if origin.service_id and origin.service_id in member.employer_ids:
                    conflicts.add(
                        origin.need_id, group_id, f"{who} is employed by the submitting service"
                    )
                    break
                domain = _domain(member.email)
                if domain and domain in domains:
                    conflicts.add(
                        origin.need_id, group_id, f"{who} works in the submitting municipality"
                    )
                    break
    for item in manual:
        if isinstance(item, ConflictRule):
            conflicts.add(item.need_id, item.group_id, item.reason)
        else:
            conflicts.add(item[0], item[1], "manual conflict of interest")
    return conflicts


class _Pair(Protocol):
    need_id: str
    group_id: str


T = TypeVar("T", bound=_Pair)


def apply_conflicts(candidates: Iterable[T], conflicts: Conflicts) -> list[T]:
    """The candidates (anything with need_id and group_id, e.g. `Match`) minus conflicted pairs,
    order kept."""
    return [c for c in candidates if not conflicts.excludes(c.need_id, c.group_id)]
