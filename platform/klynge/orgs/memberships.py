"""Use cases for cluster memberships: request, decide, withdraw, leave, and their history."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from asyncpg.exceptions import UniqueViolationError

from klynge import audit
from klynge.auth import access
from klynge.auth.principal import Principal
from klynge.db import transaction
from klynge.errors import Conflict, FieldError, Forbidden, Invalid, NotFound
from klynge.i18n import N_, gettext
from klynge.orgs import schemas as s
from klynge.orgs.municipalities import get_municipality
from klynge.orgs.tables import Cluster, ClusterMembership, MembershipEvent, Municipality
from klynge.privacy import guard_text
from klynge.scoping import can_manage_cluster, ensure_cluster_visible

OPEN_STATUSES = (s.MembershipStatus.REQUESTED.value, s.MembershipStatus.MEMBER.value)
PENDING = N_("The municipality already has a request waiting.")
# The reason the platform itself writes when a cluster is created with its motor municipality;
# stored as the msgid and shown in the reader's language (rows written before say it in bokmål).
MOTOR_REASON = N_("Motor municipality")
_SYSTEM_REASONS = {MOTOR_REASON: MOTOR_REASON, "Motorkommune": MOTOR_REASON}


def shown_reason(reason: str) -> str:
    """A decision reason as shown: people's own words as written, the platform's translated."""
    return gettext(_SYSTEM_REASONS[reason]) if reason in _SYSTEM_REASONS else reason


async def record_transition(
    membership_id: int, actor: Principal | None, from_status: str, to_status: str, reason: str
) -> None:
    await MembershipEvent.insert(
        MembershipEvent(
            membership=membership_id,
            actor=actor.account_id if actor else None,
            from_status=from_status,
            to_status=to_status,
            reason=reason,
        )
    )


async def _membership_out(row: Mapping[str, Any], *, history: bool = False) -> s.MembershipOut:
    cluster = await Cluster.select(Cluster.name).where(Cluster.id == row["cluster"]).first()
    events: list[s.MembershipEventOut] = []
    if history:
        for e in (
            await MembershipEvent.select(*MembershipEvent.all_columns(), MembershipEvent.actor.name)
            .where(MembershipEvent.membership == row["id"])
            .order_by(MembershipEvent.id)
        ):
            events.append(
                s.MembershipEventOut(
                    at=e["at"],
                    from_status=e["from_status"],
                    to_status=e["to_status"],
                    reason=shown_reason(e["reason"]),
                    actor=e["actor.name"] or "",
                )
            )
    return s.MembershipOut(
        id=row["id"],
        cluster_id=row["cluster"],
        cluster_name=cluster["name"] if cluster else "",
        municipality=await get_municipality(row["municipality"]),
        status=row["status"],
        request_note=row["request_note"],
        requested_at=row["requested_at"],
        decided_at=row["decided_at"],
        decision_reason=shown_reason(row["decision_reason"]),
        ended_at=row["ended_at"],
        history=events,
    )


async def request_membership(
    actor: Principal, cluster_id: int, data: s.MembershipRequest
) -> s.MembershipOut:
    """A municipality asks to join a cluster (its coordinator, or an admin, asks)."""
    if not access.coordinates(actor, data.municipality_id):
        raise Forbidden(N_("Only the municipality's coordinator can ask for membership."))
    guard_text({"note": data.note})
    async with transaction():
        if not await Cluster.exists().where(Cluster.id == cluster_id):
            raise NotFound(N_("We could not find the cluster."))
        if not await Municipality.exists().where(Municipality.id == data.municipality_id):
            raise Invalid(
                N_("Unknown municipality."),
                [FieldError("municipality_id", N_("Unknown municipality."))],
            )
        open_row = (
            await ClusterMembership.select(ClusterMembership.status)
            .where(
                ClusterMembership.cluster == cluster_id,
                ClusterMembership.municipality == data.municipality_id,
                ClusterMembership.status.is_in(list(OPEN_STATUSES)),
            )
            .first()
        )
        if open_row is not None:
            detail = (
                N_("The municipality is already a member of the cluster.")
                if open_row["status"] == "member"
                else PENDING
            )
            raise Conflict(detail)
        try:
            row = (
                await ClusterMembership.insert(
                    ClusterMembership(
                        cluster=cluster_id,
                        municipality=data.municipality_id,
                        status="requested",
                        request_note=data.note,
                        requested_by=actor.account_id,
                    )
                ).returning(*ClusterMembership.all_columns())
            )[0]
        except Exception as exc:
            # A concurrent request got in between the check above and this insert; the
            # database's one-open-membership index refused ours.
            if _is_unique_violation(exc):
                raise Conflict(PENDING) from None
            raise
        await record_transition(row["id"], actor, "", "requested", data.note)
        await audit.record(
            actor, "membership.request", "membership", row["id"], cluster_id=cluster_id, after=row
        )
    return await _membership_out(row, history=True)


def _is_unique_violation(exc: Exception) -> bool:
    if isinstance(exc, UniqueViolationError):
        return True
    return isinstance(exc, sqlite3.IntegrityError) and "UNIQUE constraint failed" in str(exc)


async def _load_membership(membership_id: int) -> dict[str, Any]:
    row = await ClusterMembership.select().where(ClusterMembership.id == membership_id).first()
    if row is None:
        raise NotFound(N_("We could not find the membership."))
    return row


def _may_see_membership(actor: Principal, row: Mapping[str, Any]) -> bool:
    return (
        can_manage_cluster(actor, row["cluster"])
        or actor.coordinates(row["municipality"])
        or row["cluster"] in actor.cluster_ids
    )


async def get_membership(actor: Principal, membership_id: int) -> s.MembershipOut:
    row = await _load_membership(membership_id)
    if not _may_see_membership(actor, row):
        raise NotFound(N_("We could not find the membership."))
    return await _membership_out(row, history=True)


def _status_changes(actor: Principal, to_status: str, reason: str) -> dict[Any, Any]:
    """A decision records who decided and why; an ending records when."""
    now = dt.datetime.now(dt.UTC)
    changes: dict[Any, Any] = {ClusterMembership.status: to_status}
    if to_status in ("member", "declined"):
        changes.update(
            {
                ClusterMembership.decided_by: actor.account_id,
                ClusterMembership.decided_at: now,
                ClusterMembership.decision_reason: reason,
            }
        )
    else:
        changes[ClusterMembership.ended_at] = now
    return changes


async def _load_for_move(
    actor: Principal,
    membership_id: int,
    allowed_from: tuple[str, ...],
    may: Callable[[Mapping[str, Any]], bool],
    rule: Callable[[Mapping[str, Any]], Awaitable[None]] | None,
) -> dict[str, Any]:
    row = await _load_membership(membership_id)
    if not _may_see_membership(actor, row):
        raise NotFound(N_("We could not find the membership."))
    if not may(row):
        raise Forbidden()
    if rule is not None:
        # Domain rules only after the access checks: their answers must not tell an
        # outsider anything about another cluster's memberships.
        await rule(row)
    if row["status"] not in allowed_from:
        raise Conflict(
            N_("The membership has status «%(status)s» and cannot be changed like this."),
            params={"status": row["status"]},
        )
    return row


async def _move(
    actor: Principal,
    membership_id: int,
    allowed_from: tuple[str, ...],
    to_status: str,
    reason: str,
    *,
    may: Callable[[Mapping[str, Any]], bool],
    action: str,
    rule: Callable[[Mapping[str, Any]], Awaitable[None]] | None = None,
) -> s.MembershipOut:
    guard_text({"reason": reason})
    async with transaction():
        row = await _load_for_move(actor, membership_id, allowed_from, may, rule)
        # Only if nobody changed the status since we read it (two advisers deciding at once):
        # otherwise the second decision would silently overwrite the first.
        changed = await (
            ClusterMembership.update(_status_changes(actor, to_status, reason))
            .where(
                ClusterMembership.id == membership_id,
                ClusterMembership.status == row["status"],
            )
            .returning(ClusterMembership.id)
        )
        if not changed:
            raise Conflict(
                N_("Someone else changed the membership at the same time. Reload the page.")
            )
        await record_transition(membership_id, actor, row["status"], to_status, reason)
        after = await _load_membership(membership_id)
        await audit.record(
            actor,
            action,
            "membership",
            membership_id,
            cluster_id=row["cluster"],
            before=row,
            after=after,
        )
    return await _membership_out(after, history=True)


async def decide_membership(
    actor: Principal, membership_id: int, data: s.MembershipDecision
) -> s.MembershipOut:
    """The cluster's adviser approves, or declines with a reason."""
    if not data.approve and not data.reason.strip():
        raise Invalid(
            N_("Write a reason for the decline."),
            [FieldError("reason", N_("A decline needs a reason."))],
        )
    return await _move(
        actor,
        membership_id,
        ("requested",),
        "member" if data.approve else "declined",
        data.reason.strip(),
        may=lambda row: can_manage_cluster(actor, row["cluster"]),
        action="membership.approve" if data.approve else "membership.decline",
    )


async def withdraw_membership(
    actor: Principal, membership_id: int, data: s.MembershipEnd
) -> s.MembershipOut:
    return await _move(
        actor,
        membership_id,
        ("requested",),
        "withdrawn",
        data.reason.strip(),
        may=lambda row: access.coordinates(actor, row["municipality"]),
        action="membership.withdraw",
    )


async def leave_cluster(
    actor: Principal, membership_id: int, data: s.MembershipEnd
) -> s.MembershipOut:
    """A member municipality leaves (its coordinator, or the cluster's adviser, records it).
    The motor municipality cannot leave its own cluster."""

    async def _motor_check(row: Mapping[str, Any]) -> None:
        cluster = (
            await Cluster.select(Cluster.motor_municipality)
            .where(Cluster.id == row["cluster"])
            .first()
        )
        if cluster and cluster["motor_municipality"] == row["municipality"]:
            raise Conflict(N_("The motor municipality cannot leave its own cluster."))

    return await _move(
        actor,
        membership_id,
        ("member",),
        "left",
        data.reason.strip(),
        may=lambda row: (
            can_manage_cluster(actor, row["cluster"]) or actor.coordinates(row["municipality"])
        ),
        action="membership.leave",
        rule=_motor_check,
    )


async def list_memberships(
    actor: Principal, cluster_id: int, status: str | None = None
) -> list[s.MembershipOut]:
    ensure_cluster_visible(actor, cluster_id)
    query = ClusterMembership.select().where(ClusterMembership.cluster == cluster_id)
    if status:
        query = query.where(ClusterMembership.status == status)
    return [await _membership_out(r) for r in await query.order_by(ClusterMembership.id)]


async def memberships_of_municipality(
    actor: Principal, municipality_id: int
) -> list[s.MembershipOut]:
    if not access.in_municipality(actor, municipality_id):
        raise Forbidden()
    rows = (
        await ClusterMembership.select()
        .where(ClusterMembership.municipality == municipality_id)
        .order_by(ClusterMembership.id)
    )
    return [await _membership_out(r, history=True) for r in rows]
