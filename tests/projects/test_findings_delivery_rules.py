"""Who a published outcome is delivered to (pure): the exact set for the fworld case, no key
twice whatever the sources, and the delivery's state."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from projects.findings import delivery_rules as rules
from projects.findings.schedule import Schedule

BERGEN, ASKOY, OYGARDEN, EXTRA = 1, 2, 3, 4
BARNEVERN, BERGEN_SKOLE, OYGARDEN_SKOLE = 11, 12, 13


def test_the_fworld_case_gives_exactly_five_deliveries() -> None:
    src = rules.Sources(
        cluster_id=7,
        participants=frozenset({BERGEN, ASKOY}),
        participant_services={BARNEVERN: ASKOY, BERGEN_SKOLE: BERGEN},
        askers=((ASKOY, BARNEVERN),),
        endorsers=((OYGARDEN, OYGARDEN_SKOLE),),
        languages={OYGARDEN: "nynorsk", BERGEN: "neutral", ASKOY: "bokmal"},
    )
    assert rules.recipients(5, src) == [
        rules.Recipient("5:municipality:1", "participant", BERGEN, None, (BERGEN_SKOLE,), "nb"),
        rules.Recipient("5:municipality:2", "participant", ASKOY, None, (BARNEVERN,), "nb"),
        rules.Recipient("5:municipality:3", "endorser", OYGARDEN, None, (OYGARDEN_SKOLE,), "nn"),
        rules.Recipient("5:service:11", "asker", None, BARNEVERN, (), "nb"),
        rules.Recipient("5:cluster:7", "cluster"),
    ]


def test_a_participant_outranks_an_endorser_and_an_added_municipality() -> None:
    src = rules.Sources(
        cluster_id=7,
        participants=frozenset({BERGEN}),
        endorsers=((BERGEN, None), (OYGARDEN, None)),
        added=frozenset({BERGEN, OYGARDEN, EXTRA}),
    )
    kinds = {r.municipality_id: r.kind for r in rules.recipients(1, src) if r.municipality_id}
    assert kinds == {BERGEN: "participant", OYGARDEN: "endorser", EXTRA: "added"}


muni = st.integers(1, 6)
service = st.integers(10, 16)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    participants=st.frozensets(muni),
    participant_services=st.dictionaries(service, muni),
    askers=st.lists(st.tuples(muni, st.none() | service), max_size=3),
    endorsers=st.lists(st.tuples(muni, st.none() | service), max_size=4),
    added=st.frozensets(muni),
)
def test_no_recipient_twice(
    participants: frozenset[int],
    participant_services: dict[int, int],
    askers: list[tuple[int, int | None]],
    endorsers: list[tuple[int, int | None]],
    added: frozenset[int],
) -> None:
    src = rules.Sources(
        1, participants, participant_services, tuple(askers), tuple(endorsers), added
    )
    found = rules.recipients(9, src)
    keys = [r.key for r in found]
    assert len(keys) == len(set(keys))
    municipalities = [r.municipality_id for r in found if r.municipality_id is not None]
    expected = (
        set(participants)
        | set(participant_services.values())
        | {m for m, _ in endorsers}
        | set(added)
    )
    assert sorted(municipalities) == sorted(expected)
    assert [r.service_id for r in found if r.kind == "asker"] == list(
        dict.fromkeys(s for _, s in askers if s is not None)
    )
    assert [r.kind for r in found].count("cluster") == 1


def test_the_written_standard_and_the_state() -> None:
    assert [rules.written_standard(x) for x in ("nynorsk", "bokmal", "neutral", None)] == [
        "nn",
        "nb",
        "nb",
        "nb",
    ]
    sent = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    plan = Schedule()
    later = sent + dt.timedelta(days=20)
    early = sent + dt.timedelta(days=2)
    assert rules.status(sent, None, None, None, early, plan) == "delivered"
    assert rules.status(sent, early, None, None, early, plan) == "read"
    assert rules.status(sent, early, None, None, later, plan) == "overdue"
    assert rules.status(sent, early, None, later, later, plan) == "escalated"
    assert rules.status(sent, early, later, later, later, plan) == "answered"
    assert rules.addable([1, 2, 3], [2]) == [1, 3]
