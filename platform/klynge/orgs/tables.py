"""Tables for the tenancy model: clusters and the organisations that belong to them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from piccolo.columns import (
    Boolean,
    Date,
    Float,
    ForeignKey,
    Integer,
    LazyTableReference,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.base import OnDelete
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

if TYPE_CHECKING:
    from klynge.auth.tables import Account

_ACCOUNT = LazyTableReference("Account", module_path="klynge.auth.tables")


class Municipality(Table, tablename="municipality"):
    id: Serial  # Piccolo adds the primary key; declared for the type checker
    number = Varchar(length=4, index=True)  # kommunenummer; not unique: numbers change with reforms
    name = Varchar(length=120)
    county = Varchar(length=60)
    population = Integer(null=True, default=None)
    language = Varchar(length=10, default="neutral")  # bokmal | nynorsk | neutral
    valid_from = Date()
    valid_to = Date(null=True, default=None)
    # The administrative centre, for distances to research groups (optional).
    latitude = Float(null=True, default=None)
    longitude = Float(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class Cluster(Table, tablename="cluster"):
    id: Serial  # Piccolo adds the primary key; declared for the type checker
    name = Varchar(length=200, unique=True)
    motor_municipality = ForeignKey(references=Municipality, on_delete=OnDelete.restrict)
    description = Text(default="")
    is_public = Boolean(default=True)  # listed on the public portal
    created_at = Timestamptz(default=TimestamptzNow())


class ClusterMembership(Table, tablename="cluster_membership"):
    """One application of a municipality to a cluster, from request to its end.

    A new request after a decline or a departure is a new row, so history is never overwritten.
    """

    id: Serial  # Piccolo adds the primary key; declared for the type checker

    cluster = ForeignKey(references=Cluster, on_delete=OnDelete.cascade, index=True)
    municipality = ForeignKey(references=Municipality, on_delete=OnDelete.cascade, index=True)
    status = Varchar(length=12)  # requested | member | declined | withdrawn | left
    request_note = Text(default="")
    requested_by: ForeignKey[Account] = ForeignKey(
        references=_ACCOUNT, null=True, on_delete=OnDelete.set_null
    )
    requested_at = Timestamptz(default=TimestamptzNow())
    decided_by: ForeignKey[Account] = ForeignKey(
        references=_ACCOUNT, null=True, on_delete=OnDelete.set_null
    )
    decided_at = Timestamptz(null=True, default=None)
    decision_reason = Text(default="")
    ended_at = Timestamptz(null=True, default=None)


class MembershipEvent(Table, tablename="membership_event"):
    id: Serial  # Piccolo adds the primary key; declared for the type checker
    membership = ForeignKey(references=ClusterMembership, on_delete=OnDelete.cascade, index=True)
    at = Timestamptz(default=TimestamptzNow())
    actor: ForeignKey[Account] = ForeignKey(
        references=_ACCOUNT, null=True, on_delete=OnDelete.set_null
    )
    from_status = Varchar(length=12, default="")
    to_status = Varchar(length=12)
    reason = Text(default="")


class Service(Table, tablename="service"):
    id: Serial  # Piccolo adds the primary key; declared for the type checker
    municipality = ForeignKey(references=Municipality, on_delete=OnDelete.cascade, index=True)
    service_type = Varchar(length=30)
    name = Varchar(length=200)
    description = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())


class ResearchGroup(Table, tablename="research_group"):
    id: Serial  # Piccolo adds the primary key; declared for the type checker
    name = Varchar(length=200)
    institution = Varchar(length=200)
    unit = Varchar(length=200, default="")
    org_number = Varchar(length=9)
    sector = Varchar(length=20)  # uoh | institute | health_trust | competence_centre | other
    description = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())


class Funder(Table, tablename="funder"):
    id: Serial  # Piccolo adds the primary key; declared for the type checker
    name = Varchar(length=200)
    org_number = Varchar(length=9)
    description = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())
