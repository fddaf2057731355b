"""The rules of a knowledge need's life, over plain data: who may submit, edit, endorse and
merge; which status moves are allowed; the privacy check of free text. No I/O."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from klynge import privacy
from klynge.auth import access
from klynge.auth.principal import Principal
from klynge.auth.roles import Role
from klynge.errors import FieldError, Invalid
from klynge.i18n import N_
from klynge.scoping import can_manage_cluster
from priorities import schemas as s

FREE_TEXT = ("title", "question", "background", "target_group")
# Statuses a need can be edited or withdrawn in by its submitter (before assessment).
OPEN_FOR_SUBMITTER = (s.NeedStatus.DRAFT, s.NeedStatus.SUBMITTED)
INACTIVE = (s.NeedStatus.WITHDRAWN, s.NeedStatus.MERGED, s.NeedStatus.DRAFT)
DECIDED = (s.NeedStatus.PRIORITISED, s.NeedStatus.NOT_PRIORITISED, s.NeedStatus.DEFERRED)
# The literature verdict -> the knowledge-gap criterion (domain.md: answered 1, partly 3,
# unanswered 5).
GAP_FOR_VERDICT = {"answered": 1, "partly": 3, "unanswered": 5}
CHECKABLE = (
    s.NeedStatus.SUBMITTED,
    s.NeedStatus.UNDER_ASSESSMENT,
    *DECIDED,
    s.NeedStatus.LITERATURE_CHECKED,
)
MATCHABLE = (s.NeedStatus.PRIORITISED, s.NeedStatus.LITERATURE_CHECKED)
_CHECKED = s.NeedStatus.LITERATURE_CHECKED
# An adviser's transitions: target status -> the statuses it may come from.
ADVISER_MOVES: dict[s.NeedStatus, tuple[s.NeedStatus, ...]] = {
    s.NeedStatus.UNDER_ASSESSMENT: (s.NeedStatus.SUBMITTED, s.NeedStatus.DEFERRED, _CHECKED),
    s.NeedStatus.PRIORITISED: (s.NeedStatus.UNDER_ASSESSMENT, *DECIDED, _CHECKED),
    s.NeedStatus.NOT_PRIORITISED: (s.NeedStatus.UNDER_ASSESSMENT, *DECIDED, _CHECKED),
    s.NeedStatus.DEFERRED: (s.NeedStatus.UNDER_ASSESSMENT, *DECIDED, _CHECKED),
    s.NeedStatus.ARCHIVED: tuple(st for st in s.NeedStatus if st != s.NeedStatus.ARCHIVED),
}
# Merge candidates leave out needs that cannot be merged.
NOT_MERGEABLE = ("merged", "withdrawn", "draft")


def check_text(fields: Mapping[str, str | None]) -> list[s.Warning]:
    """The privacy guard on every free-text field: a national ID refuses (naming the field,
    never the number); phone numbers, e-mail addresses and birth dates come back as warnings."""
    problems = privacy.guard_text(fields)
    return [s.Warning(p.field, p.kind.value, p.message) for p in problems]


def may_submit_for(actor: Principal, municipality_id: int, cluster_id: int) -> bool:
    """Members of the municipality (coordinator, its services, user representatives) and the
    cluster's advisers may submit a need on the municipality's behalf."""
    return access.may_submit_for(actor, cluster_id, municipality_id)


def is_submitter(actor: Principal, need: Mapping[str, Any]) -> bool:
    return need["submitted_by"] == actor.account_id or actor.coordinates(need["municipality"])


def may_see_draft(actor: Principal | None, need: Mapping[str, Any]) -> bool:
    """Drafts are their author's own (and the admin's)."""
    return need["status"] != s.NeedStatus.DRAFT or bool(
        actor and (is_submitter(actor, need) or actor.is_admin)
    )


def may_manage(actor: Principal, cluster_id: int) -> bool:
    return can_manage_cluster(actor, cluster_id)


def may_edit(actor: Principal, need: Mapping[str, Any]) -> bool:
    """The cluster's adviser always; the submitter until assessment starts."""
    mine = is_submitter(actor, need)
    return may_manage(actor, need["cluster"]) or (mine and need["status"] in OPEN_FOR_SUBMITTER)


def check_ages(age_from: int, age_to: int) -> None:
    if age_from > age_to:
        raise Invalid(
            N_("The age range is invalid."),
            [FieldError("age_to", N_("«Age to» cannot be lower than «age from»."))],
        )


def language(value: str) -> str:
    if value not in ("nb", "nn"):
        raise Invalid(N_("Unknown language."), [FieldError("language", N_("Choose nb or nn."))])
    return value


def own_services(
    actor: Principal,
    cluster_id: int | None,
    services: Iterable[dict[str, Any]],
    municipalities: Iterable[tuple[int, str]],
) -> list[dict[str, Any]]:
    """The services the caller may submit for: their own, or their municipalities'."""
    names = {name for _, name in municipalities}
    mine = actor.org_ids(Role.SERVICE_LEADER, Role.SERVICE_EMPLOYEE)
    return [
        x
        for x in services
        if actor.is_admin
        or (cluster_id and actor.advises(cluster_id))
        or x["id"] in mine
        or x["municipality"] in names
    ]


def default_service(actor: Principal, own: Iterable[dict[str, Any]]) -> int | None:
    """The submitting service a new need starts with: the caller's own service when they work
    in exactly one of those offered (a service leader submits for their service)."""
    mine = actor.org_ids(Role.SERVICE_LEADER, Role.SERVICE_EMPLOYEE)
    found = [x["id"] for x in own if x["id"] in mine]
    return found[0] if len(found) == 1 else None


def endorse_for(
    actor: Principal, need: s.NeedOut, own: Iterable[tuple[int, str]]
) -> list[tuple[int, str]]:
    """Municipalities the caller may say "we have the same need" for: their own, not already
    sharing the need, and only while the need is active."""
    if need.status in INACTIVE:
        return []
    sharing = {need.municipality.id, *(x.id for x in need.submitters)} | {
        e.municipality.id for e in need.endorsements
    }
    return [
        m for m in own if m[0] not in sharing and (actor.is_admin or m[0] in actor.municipality_ids)
    ]


def merge_candidates(need: s.NeedOut, listed: Iterable[s.MergeChoice]) -> list[s.MergeChoice]:
    return [n for n in listed if n.id != need.id and n.status not in NOT_MERGEABLE]


def submitter_roles() -> tuple[Role, ...]:
    return (
        Role.COORDINATOR,
        Role.SERVICE_LEADER,
        Role.SERVICE_EMPLOYEE,
        Role.USER_REPRESENTATIVE,
        Role.ADVISER,
    )
