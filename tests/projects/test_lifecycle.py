"""The project lifecycle and the approvals rule as pure functions: the one transitions table,
the reasons a transition is refused, and what blocks "running"."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from projects.workspace import approvals_rules as rules
from projects.workspace import lifecycle
from projects.workspace.lifecycle import Facts, Status

STATUSES = [s.value for s in Status]
READY = Facts(has_leader=True, municipalities=1, reason="Finansieringen falt bort")

items = st.builds(
    rules.Item,
    kind=st.sampled_from([k.value for k in rules.Kind]),
    required=st.sampled_from([None, True, False]),
    status=st.sampled_from([s.value for s in rules.ApprovalStatus]),
    label=st.sampled_from(["", "Rektors godkjenning"]),
)
facts = st.builds(
    Facts,
    missing_approvals=st.lists(items).map(rules.missing),
    has_leader=st.booleans(),
    municipalities=st.integers(0, 5),
    reason=st.sampled_from(["", "  ", "Prosjektet ble stanset"]),
)


def codes(reasons: list[lifecycle.Reason]) -> list[str]:
    return [r.code for r in reasons]


def test_the_one_table_names_every_status() -> None:
    assert set(lifecycle.TRANSITIONS) == set(STATUSES) == set(lifecycle.STATUS_LABELS)
    assert {Status.COMPLETED, Status.STOPPED} == lifecycle.FINAL


def test_the_main_path_is_allowed_when_everything_is_in_place() -> None:
    path = ["planned", "preparation", "running", "completed"]
    for before, after in itertools.pairwise(path):
        assert lifecycle.check(before, after, READY) == []


@given(st.sampled_from(["completed", "stopped"]), st.sampled_from(STATUSES), facts)
def test_no_transition_out_of_a_final_status(final: str, to: str, given_facts: Facts) -> None:
    assert lifecycle.allowed(final) == ()
    assert codes(lifecycle.check(final, to, given_facts)) == ["not-allowed"]


def test_every_status_is_reachable_from_planned() -> None:
    seen, todo = {"planned"}, ["planned"]
    while todo:
        here = todo.pop()
        for to in lifecycle.allowed(here):
            if not lifecycle.check(here, to, READY) and to not in seen:
                seen.add(to)
                todo.append(to)
    assert seen == set(STATUSES)


@given(st.sampled_from(STATUSES), st.sampled_from(STATUSES), facts)
def test_a_transition_outside_the_table_is_always_refused(
    before: str, to: str, given_facts: Facts
) -> None:
    reasons = lifecycle.check(before, to, given_facts)
    if to not in lifecycle.allowed(before):
        assert codes(reasons) == ["not-allowed"]
    else:
        assert "not-allowed" not in codes(reasons)


@given(st.sampled_from(["planned", "preparation"]), facts)
def test_completed_needs_running_first(before: str, given_facts: Facts) -> None:
    reasons = lifecycle.check(before, "completed", given_facts)
    assert [r.message for r in reasons] == ["A project must be running before it can be completed."]


@given(st.sampled_from(["planned", "preparation", "running"]), facts)
def test_stopped_needs_a_reason(before: str, given_facts: Facts) -> None:
    reasons = lifecycle.check(before, "stopped", given_facts)
    assert bool(reasons) == (not given_facts.reason.strip())
    assert all(r.code == "reason-required" and r.field == "reason" for r in reasons)


@given(facts)
def test_running_lists_every_blocker(given_facts: Facts) -> None:
    reasons = codes(lifecycle.check("preparation", "running", given_facts))
    assert ("no-leader" in reasons) == (not given_facts.has_leader)
    assert ("no-municipality" in reasons) == (given_facts.municipalities == 0)
    approvals = [c for c in reasons if c.startswith("approval-")]
    assert len(approvals) == len(given_facts.missing_approvals)


def test_unknown_status_is_a_reason_not_a_crash() -> None:
    assert codes(lifecycle.check("planned", "archived", READY)) == ["unknown-status"]


# --- the approvals rule ----------------------------------------------------------------------


@given(st.lists(items))
def test_missing_names_exactly_the_blocking_items(given: list[rules.Item]) -> None:
    found = rules.missing(given)
    blocking = [
        i
        for i in given
        if i.required is None or (i.required and i.status != rules.ApprovalStatus.APPROVED)
    ]
    assert len(found) == len(blocking)
    for m in found:
        assert m.problem in ("undecided", "missing", "rejected")
        assert "%(item)s" in m.message


def test_missing_says_what_and_why() -> None:
    found = rules.missing(
        [
            rules.Item("rek", True, "applied"),
            rules.Item("confidentiality", None, "missing"),
            rules.Item("consent", True, "rejected"),
            rules.Item("owner", True, "approved"),
            rules.Item("data_protection", False, "missing"),
            rules.Item("other", True, "missing", "Rektors godkjenning"),
        ]
    )
    assert [(m.kind, m.problem, m.item, m.item_is_msgid) for m in found] == [
        ("rek", "missing", "REK approval", True),
        ("confidentiality", "undecided", "Exemption from confidentiality", True),
        ("consent", "rejected", "Consent routines", True),
        ("other", "missing", "Rektors godkjenning", False),
    ]


def test_a_proposals_ethics_choices_mark_items_required() -> None:
    assert rules.required_by_proposal(["rek", "dpia", "sikt", "unknown"]) == {
        rules.Kind.REK,
        rules.Kind.DATA_PROTECTION,
    }
    assert rules.required_by_proposal(["bufdir_exemption"]) == {rules.Kind.CONFIDENTIALITY}
