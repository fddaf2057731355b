"""The participants' rules, pure: which kinds and roles exist, how a participation's status may
change (invitations, requests to join, decisions, leaving), and who may act for a municipality."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum


class Kind(StrEnum):
    RESEARCH_GROUP = "research_group"
    MUNICIPALITY = "municipality"
    SERVICE = "service"
    USER_REPRESENTATIVE = "user_representative"


class Status(StrEnum):
    INVITED = "invited"
    REQUESTED = "requested"
    ACTIVE = "active"
    DECLINED = "declined"
    LEFT = "left"


class Event(StrEnum):
    INVITE = "invite"  # the team (or the project's start) invites a municipality
    REQUEST = "request"  # a member municipality asks to join
    ACCEPT = "accept"  # the invited municipality says yes
    REFUSE = "refuse"  # the invited municipality says no
    APPROVE = "approve"  # the leader or adviser approves a request
    REJECT = "reject"  # ... or declines it
    LEAVE = "leave"  # a participant leaves or is removed


# The roles each kind may have ("" = none).
ROLES: dict[Kind, tuple[str, ...]] = {
    Kind.RESEARCH_GROUP: ("leader", "partner"),
    Kind.MUNICIPALITY: ("",),
    Kind.SERVICE: ("",),
    Kind.USER_REPRESENTATIVE: ("youth", "parent", "user_organisation"),
}

# (from, event) -> to. A new participation starts from None.
TRANSITIONS: dict[tuple[Status | None, Event], Status] = {
    (None, Event.INVITE): Status.INVITED,
    (Status.DECLINED, Event.INVITE): Status.INVITED,
    (Status.LEFT, Event.INVITE): Status.INVITED,
    (None, Event.REQUEST): Status.REQUESTED,
    (Status.DECLINED, Event.REQUEST): Status.REQUESTED,
    (Status.LEFT, Event.REQUEST): Status.REQUESTED,
    (Status.INVITED, Event.ACCEPT): Status.ACTIVE,
    (Status.INVITED, Event.REFUSE): Status.DECLINED,
    (Status.REQUESTED, Event.APPROVE): Status.ACTIVE,
    (Status.REQUESTED, Event.REJECT): Status.DECLINED,
    (Status.INVITED, Event.LEAVE): Status.LEFT,
    (Status.REQUESTED, Event.LEAVE): Status.LEFT,
    (Status.ACTIVE, Event.LEAVE): Status.LEFT,
}

# Statuses in which an organisation counts as being "in" the project (no second row for it).
OPEN = frozenset({Status.INVITED, Status.REQUESTED, Status.ACTIVE})


def next_status(current: str | None, event: Event) -> Status | None:
    """The status after `event`, or None when the event is not allowed from `current`."""
    state = Status(current) if current is not None else None
    return TRANSITIONS.get((state, event))


def role_allowed(kind: Kind, role: str) -> bool:
    return role in ROLES[kind]


def acts_for(
    municipality_id: int,
    coordinated: Iterable[int],
    led_services: Mapping[int, int],
) -> bool:
    """May someone answer for the municipality: its coordinator, or a leader of one of its
    services (`led_services`: service id -> municipality id)."""
    return municipality_id in set(coordinated) or municipality_id in set(led_services.values())


def may_leave(last_leader: bool, event: Event) -> bool:
    """The project's last active leading research group cannot leave (someone must lead)."""
    return not (last_leader and event is Event.LEAVE)
