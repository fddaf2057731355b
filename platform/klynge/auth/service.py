"""Use cases of authentication: log in, refresh, log out, and load the caller's principal."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass, field
from typing import Any

from klynge import audit
from klynge.auth import devices, throttle
from klynge.auth.passwords import hash_password, needs_rehash, verify_password
from klynge.auth.principal import Grant, Principal
from klynge.auth.roles import ROLE_ORG_KIND, OrgKind, Role
from klynge.auth.tables import Account, RefreshToken, RevokedSession, RoleAssignment
from klynge.auth.tokens import LIFETIME_LEEWAY_SECONDS, TokenCodec
from klynge.db import transaction
from klynge.i18n import N_
from klynge.orgs.tables import ClusterMembership, Municipality, Service
from klynge.settings import Settings

LANGUAGES = ("nb", "nn", "en")


class LoginFailed(Exception):
    """Wrong e-mail or password (deliberately not saying which)."""


class LoginLocked(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__("locked")
        self.retry_after = retry_after

    @property
    def message(self) -> tuple[str, dict[str, int]]:
        """An English msgid saying when to try again, and its parameters."""
        if self.retry_after < 120:  # "1 minutes" reads badly; seconds up to two minutes
            return N_("Too many failed attempts. Try again in %(seconds)s seconds."), {
                "seconds": self.retry_after
            }
        minutes = -(-self.retry_after // 60)
        return N_("Too many failed attempts. Try again in %(minutes)s minutes."), {
            "minutes": minutes
        }


class RefreshFailed(Exception):
    pass


@dataclass(frozen=True, slots=True)
class TokenPair:
    access_token: str
    expires_in: int
    refresh_token: str
    refresh_expires_in: int
    device_cookie: str = ""  # set by login only: the known-device cookie for the UI


def normalise_email(email: str) -> str:
    return email.strip().casefold()


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _language_for(decision: str) -> str:
    return "nn" if decision == "nynorsk" else "nb"


@dataclass
class _Memberships:
    """What an account's grants say about where it belongs."""

    grants: list[Grant] = field(default_factory=list)
    municipality_ids: set[int] = field(default_factory=set)
    service_ids: set[int] = field(default_factory=set)
    adviser_clusters: set[int] = field(default_factory=set)


def _read_grants(rows: list[dict[str, Any]]) -> _Memberships:
    found = _Memberships()
    for row in rows:
        try:
            role = Role(row["role"])
        except ValueError:
            continue  # a role this version does not know grants nothing
        kind = ROLE_ORG_KIND[role]
        org_id = None if kind is OrgKind.PLATFORM else row[kind.value]
        found.grants.append(Grant(role=role, org_kind=kind, org_id=org_id))
        if kind is OrgKind.MUNICIPALITY and org_id is not None:
            found.municipality_ids.add(org_id)
        elif kind is OrgKind.SERVICE and org_id is not None:
            found.service_ids.add(org_id)
        elif kind is OrgKind.CLUSTER and org_id is not None:
            found.adviser_clusters.add(org_id)
    return found


async def _member_clusters(municipality_ids: set[int]) -> set[int]:
    members = await ClusterMembership.select(ClusterMembership.cluster).where(
        ClusterMembership.municipality.is_in(list(municipality_ids)),
        ClusterMembership.status == "member",
    )
    return {m["cluster"] for m in members}


async def _municipality_language(municipality_ids: set[int]) -> str:
    """The language of the account's first municipality, for accounts that chose none."""
    first = (
        await Municipality.select(Municipality.language)
        .where(Municipality.id == min(municipality_ids))
        .first()
    )
    return _language_for(first["language"]) if first else "nb"


async def load_principal(account_id: int) -> Principal | None:
    """The active account with its grants and the clusters/municipalities it belongs to."""
    account = (
        await Account.select(
            Account.id, Account.name, Account.email, Account.language, Account.is_active
        )
        .where(Account.id == account_id)
        .first()
    )
    if account is None or not account["is_active"]:
        return None
    rows = await RoleAssignment.select(
        RoleAssignment.role,
        RoleAssignment.cluster,
        RoleAssignment.municipality,
        RoleAssignment.service,
        RoleAssignment.research_group,
        RoleAssignment.funder,
    ).where(RoleAssignment.account == account_id)
    found = _read_grants(rows)
    municipality_ids = found.municipality_ids
    if found.service_ids:
        services = await Service.select(Service.municipality).where(
            Service.id.is_in(list(found.service_ids))
        )
        municipality_ids.update(s["municipality"] for s in services)
    cluster_ids = set(found.adviser_clusters)
    language = account["language"] if account["language"] in LANGUAGES else ""
    if municipality_ids:
        cluster_ids.update(await _member_clusters(municipality_ids))
        if not language:
            language = await _municipality_language(municipality_ids)
    return Principal(
        account_id=account["id"],
        name=account["name"],
        email=account["email"],
        language=language or "nb",
        grants=tuple(found.grants),
        cluster_ids=frozenset(cluster_ids),
        municipality_ids=frozenset(municipality_ids),
    )


async def _new_refresh_token(account_id: int, settings: Settings, family: str) -> str:
    token = secrets.token_urlsafe(32)
    await RefreshToken.insert(
        RefreshToken(
            account=account_id,
            token_hash=_hash(token),
            family=family,
            expires_at=dt.datetime.now(dt.UTC)
            + dt.timedelta(seconds=settings.tokens.refresh_seconds),
        )
    )
    return token


async def _pair(account_id: int, settings: Settings, codec: TokenCodec, family: str) -> TokenPair:
    refresh = await _new_refresh_token(account_id, settings, family)
    return TokenPair(
        access_token=codec.issue(account_id, sid=family),
        expires_in=codec.expires_in,
        refresh_token=refresh,
        refresh_expires_in=settings.tokens.refresh_seconds,
    )


def _throttle_keys(
    email: str, address: str, device_id: str | None
) -> list[tuple[str, throttle.Rule]]:
    """A known device is counted on its own; any other attempt per (account, address) pair
    and against the address's ceiling. Never per account alone: that would let anyone lock
    the owner out."""
    if device_id is not None:
        return [(throttle.device_key(device_id), throttle.Rule.WAIT)]
    return [
        (throttle.pair_key(email, address), throttle.Rule.WAIT),
        (throttle.address_key(address), throttle.Rule.CEILING),
    ]


async def login(
    email: str,
    password: str,
    address: str,
    settings: Settings,
    codec: TokenCodec,
    device_cookie: str | None = None,
) -> TokenPair:
    """Check the password under throttling; on success return a fresh token pair and a
    known-device cookie for this account."""
    email = normalise_email(email)
    secret = settings.tokens.secret_key
    keys = _throttle_keys(email, address, devices.known_device(device_cookie, email, secret))
    verdict = await throttle.check(keys)
    if verdict.locked:
        raise LoginLocked(verdict.retry_after)
    account = (
        await Account.select(Account.id, Account.password_hash, Account.is_active)
        .where(Account.email == email)
        .first()
    )
    ok = verify_password(account["password_hash"] if account else None, password)
    if not ok or account is None or not account["is_active"]:
        await throttle.register_failure(keys, settings.throttle)
        raise LoginFailed()
    # The owner got in: this pair (or device) starts afresh. The address ceiling stays.
    await throttle.reset(*(key for key, rule in keys if rule is throttle.Rule.WAIT))
    async with transaction():
        if needs_rehash(account["password_hash"]):
            await Account.update({Account.password_hash: hash_password(password)}).where(
                Account.id == account["id"]
            )
        pair = await _pair(account["id"], settings, codec, secrets.token_hex(16))
    return dataclasses.replace(pair, device_cookie=devices.issue(email, secret))


async def refresh(token: str, settings: Settings, codec: TokenCodec) -> TokenPair:
    """Rotate a refresh token. Presenting a spent token revokes its family (theft signal)."""
    now = dt.datetime.now(dt.UTC)
    async with transaction():
        row = await RefreshToken.select().where(RefreshToken.token_hash == _hash(token)).first()
        if row is None:
            raise RefreshFailed()
        reused = row["used_at"] is not None or row["revoked_at"] is not None
        if not reused and await session_ended(row["family"]):
            raise RefreshFailed()  # logged out while this request was on its way
        if not reused and _aware(row["expires_at"]) > now:
            account = (
                await Account.select(Account.is_active).where(Account.id == row["account"]).first()
            )
            if account and account["is_active"]:
                # Spend it only if still unspent: two requests racing with one token must not
                # both get a new pair (PostgreSQL lets both read it as unspent).
                spent = await (
                    RefreshToken.update({RefreshToken.used_at: now})
                    .where(
                        RefreshToken.id == row["id"],
                        RefreshToken.used_at.is_null(),
                        RefreshToken.revoked_at.is_null(),
                    )
                    .returning(RefreshToken.id)
                )
                if spent:
                    return await _pair(row["account"], settings, codec, row["family"])
                reused = True  # spent by a concurrent request a moment ago
        if reused:
            await end_session(row["family"], settings)
            await audit.record(None, "auth.refresh_reuse", "account", row["account"])
    raise RefreshFailed()


async def session_ended(sid: str) -> bool:
    """Whether the login session was ended (checked on every request: not in memory, so
    every app process agrees)."""
    return bool(await RevokedSession.exists().where(RevokedSession.sid == sid))


async def end_session(sid: str, settings: Settings) -> None:
    """End a session: its access tokens stop working now, its refresh tokens are revoked."""
    now = dt.datetime.now(dt.UTC)
    epoch = int(now.timestamp())
    # Long enough to outlive every access token the session was given before it ended.
    keep_until = epoch + settings.tokens.access_seconds + LIFETIME_LEEWAY_SECONDS
    await RevokedSession.delete().where(RevokedSession.expires_at < epoch)
    await RevokedSession.insert(RevokedSession(sid=sid, expires_at=keep_until)).on_conflict(
        target=RevokedSession.sid, action="DO NOTHING"
    )
    await RefreshToken.update({RefreshToken.revoked_at: now}).where(
        RefreshToken.family == sid, RefreshToken.revoked_at.is_null()
    )


async def logout(refresh_token: str | None, settings: Settings, sid: str | None = None) -> None:
    """End the session of a refresh token and/or of an access token (its `sid`)."""
    sids = {sid} if sid else set()
    if refresh_token:
        row = (
            await RefreshToken.select(RefreshToken.family)
            .where(RefreshToken.token_hash == _hash(refresh_token))
            .first()
        )
        if row:
            sids.add(row["family"])
    async with transaction():
        for one in sorted(sids):
            await end_session(one, settings)


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
