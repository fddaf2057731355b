"""Accounts and what they may do: role assignments, refresh tokens, ended sessions, login
throttle counters."""

from __future__ import annotations

from piccolo.columns import BigInt, Boolean, ForeignKey, Integer, Serial, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from klynge.orgs.tables import Cluster, Funder, Municipality, ResearchGroup, Service


class Account(Table, tablename="account"):
    """A user. Only name, work e-mail, role and organisation are stored about a person."""

    id: Serial  # Piccolo adds the primary key; declared for the type checker

    name = Varchar(length=200)
    email = Varchar(length=254, unique=True)  # stored case-folded: unique case-insensitively
    password_hash = Varchar(length=255)
    is_active = Boolean(default=True)
    language = Varchar(length=2, default="")  # nb | nn | en | "" = follow the organisation
    mail_frequency = Varchar(length=10, default="immediate")  # immediate | daily | off
    created_at = Timestamptz(default=TimestamptzNow())


class RoleAssignment(Table, tablename="role_assignment"):
    """A role held in one organisation; exactly the column that fits the role is set. Each
    organisation column is indexed: pages list the people of an organisation."""

    id: Serial  # Piccolo adds the primary key; declared for the type checker

    account = ForeignKey(references=Account, on_delete=OnDelete.cascade, index=True)
    role = Varchar(length=30)
    cluster = ForeignKey(references=Cluster, null=True, on_delete=OnDelete.cascade, index=True)
    municipality = ForeignKey(
        references=Municipality, null=True, on_delete=OnDelete.cascade, index=True
    )
    service = ForeignKey(references=Service, null=True, on_delete=OnDelete.cascade, index=True)
    research_group = ForeignKey(
        references=ResearchGroup, null=True, on_delete=OnDelete.cascade, index=True
    )
    funder = ForeignKey(references=Funder, null=True, on_delete=OnDelete.cascade, index=True)
    created_at = Timestamptz(default=TimestamptzNow())


class RefreshToken(Table, tablename="refresh_token"):
    """Opaque refresh tokens, stored only as a SHA-256 hash. Rotated on every use; reuse of a
    spent token revokes its whole family (a stolen token is then useless)."""

    id: Serial  # Piccolo adds the primary key; declared for the type checker

    account = ForeignKey(references=Account, on_delete=OnDelete.cascade, index=True)
    token_hash = Varchar(length=64, unique=True)
    family = Varchar(length=32, index=True)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)
    revoked_at = Timestamptz(null=True, default=None)


class LoginThrottle(Table, tablename="login_throttle"):
    """Failed-login counters shared by every app process. The key is a hash of
    "account:<email>" or "address:<ip>", so no e-mail or address is stored here."""

    id: Serial  # Piccolo adds the primary key; declared for the type checker

    key = Varchar(length=64, unique=True)
    failures = Integer(default=0)
    # Epoch seconds: integer comparisons behave the same in SQLite and PostgreSQL upserts.
    window_started = BigInt(default=0)
    locked_until = BigInt(default=0)


class RevokedSession(Table, tablename="revoked_session"):
    """Login sessions ended by logout (or by refresh-token reuse). Access tokens carry their
    session id (`sid`), and every request checks it here, so logout ends them at once in every
    app process. A row is kept until the last access token of the session has expired."""

    id: Serial  # Piccolo adds the primary key; declared for the type checker

    sid = Varchar(length=64, unique=True)
    expires_at = BigInt(default=0)  # epoch seconds: delete the row after this
