"""Use cases for organisations: one transaction each, with an audit record for every change."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Mapping
from typing import Any

from asyncpg.exceptions import UniqueViolationError

from klynge import audit, privacy, text
from klynge.auth.principal import Principal
from klynge.auth.tables import Account, RoleAssignment
from klynge.db import transaction
from klynge.errors import Conflict, FieldError, Forbidden, Invalid, NotFound
from klynge.orgs import schemas as s
from klynge.orgs import validators
from klynge.orgs.tables import (
    Cluster,
    ClusterMembership,
    Funder,
    MembershipEvent,
    Municipality,
    ResearchGroup,
    Service,
)
from klynge.scoping import can_manage_cluster, cluster_filter, ensure_cluster_visible

OPEN_STATUSES = (s.MembershipStatus.REQUESTED.value, s.MembershipStatus.MEMBER.value)


guard_text = privacy.guard_text


def _validated(fn: Any, field: str, value: Any, **kwargs: Any) -> Any:
    try:
        return fn(value, **kwargs)
    except validators.ValidationError as exc:
        raise Invalid(exc.message, [FieldError(field, exc.message)]) from None


# --- municipalities -------------------------------------------------------------------------


def municipality_out(row: Mapping[str, Any]) -> s.MunicipalityOut:
    return s.MunicipalityOut(
        id=row["id"],
        number=row["number"],
        name=row["name"],
        county=row["county"],
        population=row["population"],
        language=row["language"],
        valid_from=row["valid_from"],
        valid_to=row["valid_to"],
    )


async def list_municipalities(search: str = "") -> list[s.MunicipalityOut]:
    rows = await Municipality.select().order_by(Municipality.number)
    if search.strip():
        rows = [r for r in rows if text.contains(search, r["name"], r["number"], r["county"])]
    return [municipality_out(r) for r in rows]


async def get_municipality(municipality_id: int) -> s.MunicipalityOut:
    row = await Municipality.select().where(Municipality.id == municipality_id).first()
    if row is None:
        raise NotFound("Fant ikke kommunen.")
    return municipality_out(row)


async def _overlapping_numbers(numbers: list[str]) -> set[tuple[str, dt.date]]:
    if not numbers:
        return set()
    rows = await Municipality.select(Municipality.number, Municipality.valid_from).where(
        Municipality.number.is_in(numbers), Municipality.valid_to.is_null()
    )
    return {(r["number"], r["valid_from"]) for r in rows}


async def create_municipality(actor: Principal, data: s.MunicipalityCreate) -> s.MunicipalityOut:
    number = _validated(
        validators.validate_kommunenummer, "number", data.number, on=data.valid_from
    )
    language = _validated(validators.parse_language_decision, "language", data.language)
    async with transaction():
        if await _overlapping_numbers([number]):
            raise Conflict(
                f"Kommunenummer {number} finnes allerede.",
                [FieldError("number", f"Kommunenummer {number} finnes allerede.")],
            )
        row = (
            await Municipality.insert(
                Municipality(
                    number=number,
                    name=data.name.strip(),
                    county=validators.county_for(number),
                    population=data.population,
                    language=language.value,
                    valid_from=data.valid_from,
                )
            ).returning(*Municipality.all_columns())
        )[0]
        await audit.record(actor, "municipality.create", "municipality", row["id"], after=row)
    return municipality_out(row)


async def import_municipalities(actor_id: int | None, rows: list[Any]) -> list[s.MunicipalityOut]:
    """Insert already parsed and validated rows, all or nothing."""
    numbers = [r.number for r in rows]
    existing = await _overlapping_numbers(numbers)
    errors = [
        FieldError("kommunenummer", f"Kommunenummer {r.number} finnes allerede.", row=r.row)
        for r in rows
        if any(n == r.number for n, _ in existing)
    ]
    if errors:
        raise Invalid("Filen ble ikke importert: noen kommuner finnes allerede.", errors)
    actor = await _actor(actor_id)
    created = []
    for r in rows:
        row = (
            await Municipality.insert(
                Municipality(
                    number=r.number,
                    name=r.name,
                    county=r.county,
                    population=r.population,
                    language=r.language.value,
                    valid_from=r.valid_from,
                )
            ).returning(*Municipality.all_columns())
        )[0]
        await audit.record(actor, "municipality.import", "municipality", row["id"], after=row)
        created.append(municipality_out(row))
    return created


async def _actor(account_id: int | None) -> Principal | None:
    if account_id is None:
        return None
    row = await Account.select(Account.name, Account.email).where(Account.id == account_id).first()
    if row is None:
        return None
    return Principal(account_id=account_id, name=row["name"], email=row["email"], language="nb")


# --- clusters --------------------------------------------------------------------------------


async def _cluster_out(row: Mapping[str, Any]) -> s.ClusterOut:
    motor = await get_municipality(row["motor_municipality"])
    advisers = await RoleAssignment.select(
        RoleAssignment.account.id, RoleAssignment.account.name, RoleAssignment.account.email
    ).where(RoleAssignment.cluster == row["id"], RoleAssignment.role == "adviser")
    members = await ClusterMembership.select(ClusterMembership.municipality).where(
        ClusterMembership.cluster == row["id"], ClusterMembership.status == "member"
    )
    member_rows = (
        await Municipality.select()
        .where(Municipality.id.is_in([m["municipality"] for m in members] or [-1]))
        .order_by(Municipality.name)
    )
    return s.ClusterOut(
        id=row["id"],
        name=row["name"],
        description=row["description"],
        is_public=bool(row["is_public"]),
        created_at=row["created_at"],
        motor_municipality=motor,
        advisers=[
            s.AccountRef(a["account.id"], a["account.name"], a["account.email"]) for a in advisers
        ],
        members=[municipality_out(m) for m in member_rows],
    )


async def list_clusters(principal: Principal | None) -> list[s.ClusterOut]:
    query = Cluster.select().order_by(Cluster.name)
    where = cluster_filter(Cluster.id, principal)
    if where is not None:
        query = query.where(where)
    return [await _cluster_out(r) for r in await query]


async def list_public_clusters() -> list[dict[str, Any]]:
    """What anyone may see of clusters: names and descriptions of public ones."""
    return (
        await Cluster.select(Cluster.id, Cluster.name, Cluster.description)
        .where(Cluster.is_public.eq(True))
        .order_by(Cluster.name)
    )


async def get_cluster(principal: Principal | None, cluster_id: int) -> s.ClusterOut:
    ensure_cluster_visible(principal, cluster_id)
    row = await Cluster.select().where(Cluster.id == cluster_id).first()
    if row is None:
        raise NotFound("Fant ikke klyngen.")
    return await _cluster_out(row)


async def _transition(
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


async def create_cluster(actor: Principal, data: s.ClusterCreate) -> s.ClusterOut:
    guard_text({"description": data.description})
    async with transaction():
        if await Cluster.exists().where(Cluster.name == data.name.strip()):
            raise Conflict(
                "En klynge med dette navnet finnes allerede.",
                [FieldError("name", "Navnet er i bruk.")],
            )
        if not await Municipality.exists().where(Municipality.id == data.motor_municipality_id):
            raise Invalid(
                "Motorkommunen finnes ikke.",
                [FieldError("motor_municipality_id", "Ukjent kommune.")],
            )
        row = (
            await Cluster.insert(
                Cluster(
                    name=data.name.strip(),
                    motor_municipality=data.motor_municipality_id,
                    description=data.description,
                    is_public=data.is_public,
                )
            ).returning(*Cluster.all_columns())
        )[0]
        # The motor municipality is the cluster's first member.
        membership = (
            await ClusterMembership.insert(
                ClusterMembership(
                    cluster=row["id"],
                    municipality=data.motor_municipality_id,
                    status="member",
                    requested_by=actor.account_id,
                    decided_by=actor.account_id,
                    decided_at=dt.datetime.now(dt.UTC),
                    decision_reason="Motorkommune",
                )
            ).returning(ClusterMembership.id)
        )[0]
        await _transition(membership["id"], actor, "", "member", "Motorkommune")
        for account_id in data.adviser_ids:
            await _grant(actor, account_id, "adviser", cluster=row["id"])
        await audit.record(
            actor, "cluster.create", "cluster", row["id"], cluster_id=row["id"], after=row
        )
    return await get_cluster(actor, row["id"]) if actor.is_admin else await _cluster_out(row)


async def update_cluster(actor: Principal, cluster_id: int, data: s.ClusterUpdate) -> s.ClusterOut:
    if not can_manage_cluster(actor, cluster_id):
        raise Forbidden()
    if data.description is not None:
        guard_text({"description": data.description})
    async with transaction():
        before = await Cluster.select().where(Cluster.id == cluster_id).first()
        if before is None:
            raise NotFound("Fant ikke klyngen.")
        changes: dict[Any, Any] = {}
        if data.description is not None:
            changes[Cluster.description] = data.description
        if data.is_public is not None:
            changes[Cluster.is_public] = data.is_public
        if changes:
            await Cluster.update(changes).where(Cluster.id == cluster_id)
        after = await Cluster.select().where(Cluster.id == cluster_id).first()
        await audit.record(
            actor,
            "cluster.update",
            "cluster",
            cluster_id,
            cluster_id=cluster_id,
            before=before,
            after=after,
        )
    return await get_cluster(actor, cluster_id)


# --- memberships -----------------------------------------------------------------------------


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
                    reason=e["reason"],
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
        decision_reason=row["decision_reason"],
        ended_at=row["ended_at"],
        history=events,
    )


async def request_membership(
    actor: Principal, cluster_id: int, data: s.MembershipRequest
) -> s.MembershipOut:
    """A municipality asks to join a cluster (its coordinator, or an admin, asks)."""
    if not (actor.is_admin or actor.coordinates(data.municipality_id)):
        raise Forbidden("Bare kommunens koordinator kan be om medlemskap.")
    guard_text({"note": data.note})
    async with transaction():
        if not await Cluster.exists().where(Cluster.id == cluster_id):
            raise NotFound("Fant ikke klyngen.")
        if not await Municipality.exists().where(Municipality.id == data.municipality_id):
            raise Invalid("Ukjent kommune.", [FieldError("municipality_id", "Ukjent kommune.")])
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
                "Kommunen er allerede medlem av klyngen."
                if open_row["status"] == "member"
                else "Kommunen har allerede en søknad som venter."
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
                raise Conflict("Kommunen har allerede en søknad som venter.") from None
            raise
        await _transition(row["id"], actor, "", "requested", data.note)
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
        raise NotFound("Fant ikke medlemskapet.")
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
        raise NotFound("Fant ikke medlemskapet.")
    return await _membership_out(row, history=True)


async def _move(
    actor: Principal,
    membership_id: int,
    allowed_from: tuple[str, ...],
    to_status: str,
    reason: str,
    *,
    may: Any,
    action: str,
    rule: Any = None,
) -> s.MembershipOut:
    guard_text({"reason": reason})
    async with transaction():
        row = await _load_membership(membership_id)
        if not _may_see_membership(actor, row):
            raise NotFound("Fant ikke medlemskapet.")
        if not may(row):
            raise Forbidden()
        if rule is not None:
            # Domain rules only after the access checks: their answers must not tell an
            # outsider anything about another cluster's memberships.
            await rule(row)
        if row["status"] not in allowed_from:
            raise Conflict(f"Medlemskapet har status «{row['status']}» og kan ikke endres slik.")
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
        # Only if nobody changed the status since we read it (two advisers deciding at once):
        # otherwise the second decision would silently overwrite the first.
        changed = await (
            ClusterMembership.update(changes)
            .where(
                ClusterMembership.id == membership_id,
                ClusterMembership.status == row["status"],
            )
            .returning(ClusterMembership.id)
        )
        if not changed:
            raise Conflict("Medlemskapet ble endret av noen andre samtidig. Last siden på nytt.")
        await _transition(membership_id, actor, row["status"], to_status, reason)
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
            "Skriv en begrunnelse for avslaget.", [FieldError("reason", "Et avslag må begrunnes.")]
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
        may=lambda row: actor.is_admin or actor.coordinates(row["municipality"]),
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
            raise Conflict("Motorkommunen kan ikke forlate sin egen klynge.")

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
    if not (
        actor.is_admin
        or actor.coordinates(municipality_id)
        or municipality_id in actor.municipality_ids
    ):
        raise Forbidden()
    rows = (
        await ClusterMembership.select()
        .where(ClusterMembership.municipality == municipality_id)
        .order_by(ClusterMembership.id)
    )
    return [await _membership_out(r, history=True) for r in rows]


# --- services, research groups, funders ------------------------------------------------------


def service_out(row: Mapping[str, Any]) -> s.ServiceOut:
    return s.ServiceOut(
        id=row["id"],
        municipality_id=row["municipality"],
        service_type=s.ServiceType(row["service_type"]),
        name=row["name"],
        description=row["description"],
    )


async def create_service(
    actor: Principal, municipality_id: int, data: s.ServiceCreate
) -> s.ServiceOut:
    if not (actor.is_admin or actor.coordinates(municipality_id)):
        raise Forbidden()
    guard_text({"description": data.description})
    async with transaction():
        if not await Municipality.exists().where(Municipality.id == municipality_id):
            raise NotFound("Fant ikke kommunen.")
        row = (
            await Service.insert(
                Service(
                    municipality=municipality_id,
                    service_type=data.service_type.value,
                    name=data.name.strip(),
                    description=data.description,
                )
            ).returning(*Service.all_columns())
        )[0]
        await audit.record(actor, "service.create", "service", row["id"], after=row)
    return service_out(row)


async def list_services(municipality_id: int) -> list[s.ServiceOut]:
    rows = (
        await Service.select().where(Service.municipality == municipality_id).order_by(Service.name)
    )
    return [service_out(r) for r in rows]


def group_out(row: Mapping[str, Any]) -> s.ResearchGroupOut:
    return s.ResearchGroupOut(
        id=row["id"],
        name=row["name"],
        institution=row["institution"],
        unit=row["unit"],
        org_number=row["org_number"],
        sector=s.Sector(row["sector"]),
        description=row["description"],
    )


async def create_research_group(
    actor: Principal, data: s.ResearchGroupCreate
) -> s.ResearchGroupOut:
    orgnr = _validated(validators.validate_orgnr, "org_number", data.org_number)
    guard_text({"description": data.description})
    async with transaction():
        row = (
            await ResearchGroup.insert(
                ResearchGroup(
                    name=data.name.strip(),
                    institution=data.institution.strip(),
                    unit=data.unit.strip(),
                    org_number=orgnr,
                    sector=data.sector.value,
                    description=data.description,
                )
            ).returning(*ResearchGroup.all_columns())
        )[0]
        await audit.record(actor, "research_group.create", "research_group", row["id"], after=row)
    return group_out(row)


async def list_research_groups() -> list[s.ResearchGroupOut]:
    return [group_out(r) for r in await ResearchGroup.select().order_by(ResearchGroup.name)]


def funder_out(row: Mapping[str, Any]) -> s.FunderOut:
    return s.FunderOut(
        id=row["id"], name=row["name"], org_number=row["org_number"], description=row["description"]
    )


async def create_funder(actor: Principal, data: s.FunderCreate) -> s.FunderOut:
    orgnr = _validated(validators.validate_orgnr, "org_number", data.org_number)
    guard_text({"description": data.description})
    async with transaction():
        row = (
            await Funder.insert(
                Funder(
                    name=data.name.strip(),
                    org_number=orgnr,
                    description=data.description,
                )
            ).returning(*Funder.all_columns())
        )[0]
        await audit.record(actor, "funder.create", "funder", row["id"], after=row)
    return funder_out(row)


async def list_funders() -> list[s.FunderOut]:
    return [funder_out(r) for r in await Funder.select().order_by(Funder.name)]


# --- role grants (shared with accounts) -------------------------------------------------------


async def _grant(actor: Principal | None, account_id: int, role: str, **org: int | None) -> int:
    if not await Account.exists().where(Account.id == account_id):
        raise Invalid("Ukjent bruker.", [FieldError("account_id", "Ukjent bruker.")])
    existing = RoleAssignment.select(RoleAssignment.id).where(
        RoleAssignment.account == account_id, RoleAssignment.role == role
    )
    for key, value in org.items():
        column = getattr(RoleAssignment, key)
        existing = existing.where(column == value if value is not None else column.is_null())
    found = await existing.first()
    if found:
        return int(found["id"])
    # Any: Piccolo's Table.__init__ takes columns as **kwargs beside its own typed parameters.
    values: dict[str, Any] = {"account": account_id, "role": role, **org}
    row = (await RoleAssignment.insert(RoleAssignment(**values)).returning(RoleAssignment.id))[0]
    await audit.record(
        actor,
        "role.grant",
        "account",
        account_id,
        cluster_id=org.get("cluster"),
        after={"role": role, **org},
    )
    return int(row["id"])
