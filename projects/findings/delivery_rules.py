"""Who a published outcome is delivered to (pure): every municipality taking part in the project,
every municipality that asked the originating need with it (endorsed or co-submitted), the
asking service itself, the cluster, and the municipalities the adviser adds. One delivery per
municipality (its kind by priority: participant > endorser > added), each with the services
whose leaders are addressed too; every delivery has a stable unique key, so publishing twice or
a retry creates nothing new."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from projects.findings.schedule import Schedule, is_overdue

PARTICIPANT = "participant"
ENDORSER = "endorser"
ASKER = "asker"
CLUSTER = "cluster"
ADDED = "added"
MUNICIPALITY_KINDS = (PARTICIPANT, ENDORSER, ADDED)  # by priority


@dataclass(frozen=True, slots=True)
class Sources:
    """The facts publishing delivers from.

    - `participants`: municipalities taking part (active participants of kind municipality);
    - `participant_services`: participating services -> their municipality;
    - `askers`: (municipality, service) of each originating need's own submitter;
    - `endorsers`: (municipality, service or None) of those who endorsed or co-submitted a need;
    - `added`: municipalities the adviser adds (members of the cluster);
    - `languages`: municipality -> its recorded written standard (bokmal | nynorsk | neutral).
    """

    cluster_id: int
    participants: frozenset[int] = frozenset()
    participant_services: Mapping[int, int] = field(default_factory=dict)
    askers: tuple[tuple[int, int | None], ...] = ()
    endorsers: tuple[tuple[int, int | None], ...] = ()
    added: frozenset[int] = frozenset()
    languages: Mapping[int, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Recipient:
    key: str
    kind: str
    municipality_id: int | None = None
    service_id: int | None = None
    service_ids: tuple[int, ...] = ()  # a municipality's relevant services
    language: str = "nb"


def written_standard(language: str | None) -> str:
    """The delivery's written standard from Municipality.language: nynorsk -> nn, else nb."""
    return "nn" if language == "nynorsk" else "nb"


def delivery_key(outcome_id: int, what: str, org_id: int) -> str:
    return f"{outcome_id}:{what}:{org_id}"


def _municipality_kinds(src: Sources) -> dict[int, str]:
    kinds: dict[int, str] = {}
    participating = set(src.participants) | set(src.participant_services.values())
    for kind, munis in (
        (PARTICIPANT, sorted(participating)),
        (ENDORSER, [m for m, _ in src.endorsers]),
        (ADDED, sorted(src.added)),
    ):
        for municipality in munis:
            kinds.setdefault(municipality, kind)
    return kinds


def _services_by_municipality(src: Sources) -> dict[int, set[int]]:
    pairs: Iterable[tuple[int, int | None]] = [
        *((m, s) for s, m in src.participant_services.items()),
        *src.askers,
        *src.endorsers,
    ]
    services: dict[int, set[int]] = {}
    for municipality, service in pairs:
        if service is not None:
            services.setdefault(municipality, set()).add(service)
    return services


def recipients(outcome_id: int, src: Sources) -> list[Recipient]:
    """The deliveries publishing must create, in a stable order: the municipalities (by id),
    the asking services, then the cluster. No key twice."""
    services = _services_by_municipality(src)
    found: dict[str, Recipient] = {}
    for municipality, kind in sorted(_municipality_kinds(src).items()):
        key = delivery_key(outcome_id, "municipality", municipality)
        found[key] = Recipient(
            key,
            kind,
            municipality_id=municipality,
            service_ids=tuple(sorted(services.get(municipality, set()))),
            language=written_standard(src.languages.get(municipality)),
        )
    for municipality, service in src.askers:
        if service is None:
            continue
        key = delivery_key(outcome_id, "service", service)
        found.setdefault(
            key,
            Recipient(
                key,
                ASKER,
                municipality_id=None,
                service_id=service,
                language=written_standard(src.languages.get(municipality)),
            ),
        )
    key = delivery_key(outcome_id, "cluster", src.cluster_id)
    found[key] = Recipient(key, CLUSTER)
    return list(found.values())


def addable(members: Iterable[int], delivered: Iterable[int]) -> list[int]:
    """The cluster's member municipalities the adviser may still add (no delivery yet)."""
    taken = set(delivered)
    return [m for m in members if m not in taken]


def status(
    delivered_at: dt.datetime,
    read_at: dt.datetime | None,
    answered_at: dt.datetime | None,
    escalated_at: dt.datetime | None,
    now: dt.datetime,
    schedule: Schedule,
) -> str:
    """delivered | read | answered | overdue | escalated (an answer ends every other state)."""
    if answered_at is not None:
        return "answered"
    if escalated_at is not None:
        return "escalated"
    if is_overdue(delivered_at, False, now, schedule):
        return "overdue"
    return "read" if read_at is not None else "delivered"


STATUS_ORDER = {"escalated": 0, "overdue": 1, "delivered": 2, "read": 3, "answered": 4}
