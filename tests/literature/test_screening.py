import datetime as dt

from literature.screening import (
    Decision,
    Outcome,
    Waiting,
    final_decisions,
    screen,
    visible_decisions,
    waiting,
)

T0 = dt.datetime(2025, 1, 1, 12, 0, tzinfo=dt.UTC)
A, B, ADVISER = 11, 22, 99


def d(ref, decision, screener, minutes=0, stage="title", reason="", reconciled=False):
    return Decision(
        reference=ref,
        stage=stage,
        decision=decision,
        screener=screener,
        reconciled=reconciled,
        at=T0 + dt.timedelta(minutes=minutes),
        reason=reason,
    )


def blind(decisions, references=()):
    return screen(decisions, blind=True, screeners=[A, B], references=references)


# --- non-blind --------------------------------------------------------------------------------


def test_non_blind_latest_decision_by_anyone_wins():
    events = [
        d(1, "include", A, 0),
        d(1, "exclude", B, 5, reason="wrong population"),
        d(2, "exclude", A, 0, reason="x"),
        d(2, "include", A, 3),
    ]
    out = screen(events, blind=False, screeners=[A, B])
    assert out[(1, "title")] == Outcome("exclude", "wrong population", (B,), ("wrong population",))
    assert out[(2, "title")].state == "include"
    assert out[(2, "title")].decided_by == (A,)


def test_input_order_does_not_matter_and_ties_follow_input_order():
    events = [d(1, "exclude", B, 5, reason="r"), d(1, "include", A, 0)]
    assert screen(events, blind=False, screeners=[])[(1, "title")].state == "exclude"
    tie = [d(1, "include", A, 1), d(1, "exclude", B, 1, reason="r")]
    assert screen(tie, blind=False, screeners=[])[(1, "title")].state == "exclude"


def test_blind_with_one_screener_behaves_like_non_blind():
    out = screen([d(1, "include", A, 0)], blind=True, screeners=[A])
    assert out[(1, "title")].state == "include"


def test_final_decisions_keep_latest_per_screener():
    events = [d(1, "include", A, 0), d(1, "exclude", A, 1, reason="r"), d(1, "include", B, 2)]
    grouped = final_decisions(events)
    assert [(x.screener, x.decision) for x in grouped[(1, "title")]] == [
        (A, "exclude"),
        (B, "include"),
    ]


# --- blind ------------------------------------------------------------------------------------


def test_blind_agreement_include():
    out = blind([d(1, "include", A, 0), d(1, "include", B, 1)])
    assert out[(1, "title")] == Outcome("include", "", (A, B))


def test_blind_agree_on_exclude_with_different_reasons_keeps_first_screeners_reason():
    out = blind([d(1, "exclude", B, 0, reason="wrong design"), d(1, "exclude", A, 1, reason="old")])
    outcome = out[(1, "title")]
    assert outcome.state == "exclude"
    assert outcome.reason == "old"  # A is the first assigned screener
    assert outcome.reasons == ("old", "wrong design")
    assert outcome.decided_by == (A, B)


def test_blind_disagreement_is_conflict():
    out = blind([d(1, "include", A, 0), d(1, "exclude", B, 1, reason="r")])
    assert out[(1, "title")].state == "conflict"
    assert out[(1, "title")].decided_by == (A, B)


def test_blind_only_one_decided_is_pending_and_outsiders_do_not_count():
    out = blind([d(1, "include", A, 0), d(1, "include", 55, 1)])
    assert out[(1, "title")] == Outcome("pending", "", (A,))


def test_blind_screener_changing_mind_resolves_conflict():
    out = blind(
        [
            d(1, "include", A, 0),
            d(1, "exclude", B, 1, reason="r"),
            d(1, "exclude", A, 2, reason="x"),
        ]
    )
    assert out[(1, "title")].state == "exclude"


def test_reconciled_decision_always_wins_latest_reconciled():
    events = [
        d(1, "include", A, 0),
        d(1, "exclude", B, 1, reason="r"),
        d(1, "exclude", ADVISER, 2, reason="r", reconciled=True),
        d(1, "include", ADVISER, 3, reconciled=True),
        d(1, "exclude", A, 4, reason="late"),  # an ordinary decision after reconciling
    ]
    outcome = blind(events)[(1, "title")]
    assert outcome.state == "include"
    assert outcome.reconciled
    assert outcome.decided_by == (ADVISER,)
    assert screen(events, blind=False, screeners=[A, B])[(1, "title")].state == "include"


# --- uncertain --------------------------------------------------------------------------------


def test_uncertain_at_title_moves_on_like_include():
    out = screen([d(1, "uncertain", A, 0)], blind=False, screeners=[], references=[1])
    assert out[(1, "title")].state == "uncertain"
    assert out[(1, "title")].moves_on
    assert out[(1, "fulltext")] == Outcome("pending")  # awaiting full text


def test_blind_include_and_uncertain_at_title_agree_on_moving_on():
    out = blind([d(1, "include", A, 0), d(1, "uncertain", B, 1)])
    assert out[(1, "title")].state == "uncertain"
    assert out[(1, "title")].moves_on
    out = blind([d(1, "uncertain", A, 0), d(1, "exclude", B, 1, reason="r")])
    assert out[(1, "title")].state == "conflict"


def test_uncertain_at_fulltext_is_pending_until_resolved():
    events = [d(1, "uncertain", A, 0, stage="fulltext")]
    outcome = screen(events, blind=False, screeners=[])[(1, "fulltext")]
    assert outcome.state == "pending"
    assert outcome.uncertain
    assert not outcome.resolved
    events.append(d(1, "include", B, 1, stage="fulltext"))
    assert screen(events, blind=False, screeners=[])[(1, "fulltext")].state == "include"
    both = [
        d(1, "uncertain", A, 0, stage="fulltext"),
        d(1, "uncertain", B, 1, stage="fulltext"),
    ]
    outcome = blind(both)[(1, "fulltext")]
    assert (outcome.state, outcome.uncertain) == ("pending", True)


def test_references_without_decisions_are_pending_without_screeners():
    out = screen([d(1, "exclude", A, 0, reason="r")], blind=False, screeners=[], references=[1, 2])
    assert out[(2, "title")] == Outcome("pending")
    assert (1, "fulltext") not in out
    assert (2, "fulltext") not in out


# --- visibility -------------------------------------------------------------------------------


def test_visible_decisions_hide_others_while_blind():
    events = [
        d(1, "include", A, 0),
        d(1, "exclude", B, 1, reason="r"),
        d(1, "include", ADVISER, 2, reconciled=True),
    ]
    mine = visible_decisions(events, A, blind=True)
    assert [x.screener for x in mine] == [A, ADVISER]
    assert visible_decisions(events, A, blind=True, can_reconcile=True) == events
    assert visible_decisions(events, A, blind=False) == events


def test_what_waits_for_a_screener_blind_and_open():
    refs = [1, 2, 3]
    events = [d(1, "include", A, 0), d(1, "exclude", B, 1), d(2, "exclude", A, 2)]
    blind = screen(events, blind=True, screeners=[A, B], references=refs)
    # A decided 1 and 2: only 3 waits for A; B has 2 and 3 to do; 1 is a conflict.
    assert waiting(blind, A, blind=True) == Waiting(mine=1, open=2, conflicts=1)
    assert waiting(blind, B, blind=True).mine == 2
    assert waiting(blind, ADVISER, blind=True).conflicts == 1
    # Open screening: a record anyone has decided is settled for everyone.
    shared = screen(events, blind=False, screeners=[A, B], references=refs)
    assert waiting(shared, B, blind=False).mine == 1
    assert waiting(shared, B, blind=False).conflicts == 0
