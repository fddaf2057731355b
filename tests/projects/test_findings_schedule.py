"""The reminder and escalation schedule of deliveries (pure)."""

from __future__ import annotations

import datetime as dt

import pytest

from projects.findings.schedule import (
    Schedule,
    ScheduleError,
    answer_due,
    due_steps,
    is_overdue,
    load_schedule,
)

SENT = dt.datetime(2026, 1, 1, 9, tzinfo=dt.UTC)


def _at(days: float) -> dt.datetime:
    return SENT + dt.timedelta(days=days)


def test_default_steps_at_14_30_and_44_days() -> None:
    plan = load_schedule({})
    assert plan.steps() == [("remind-1", 14), ("remind-2", 30), ("escalate", 44)]
    assert due_steps(SENT, False, _at(13.9), plan) == []
    assert due_steps(SENT, False, _at(14), plan) == ["remind-1"]
    assert due_steps(SENT, False, _at(31), plan) == ["remind-1", "remind-2"]
    assert due_steps(SENT, False, _at(44), plan) == ["remind-1", "remind-2", "escalate"]
    assert due_steps(SENT, True, _at(100), plan) == []


def test_overdue_from_the_first_reminder_day() -> None:
    plan = Schedule()
    assert answer_due(SENT, plan) == dt.date(2026, 1, 15)
    assert not is_overdue(SENT, False, _at(13), plan)
    assert is_overdue(SENT, False, _at(14), plan)
    assert not is_overdue(SENT, True, _at(40), plan)


def test_configurable_and_checked() -> None:
    plan = load_schedule(
        {"KLYNGE_FINDINGS_REMINDER_DAYS": "7, 21", "KLYNGE_FINDINGS_ESCALATION_DAYS": "28"}
    )
    assert plan.steps() == [("remind-1", 7), ("remind-2", 21), ("escalate", 28)]
    for bad in (
        {"KLYNGE_FINDINGS_REMINDER_DAYS": "30,14"},
        {"KLYNGE_FINDINGS_REMINDER_DAYS": "x"},
        {"KLYNGE_FINDINGS_REMINDER_DAYS": "0"},
        {"KLYNGE_FINDINGS_ESCALATION_DAYS": "20"},
    ):
        with pytest.raises(ScheduleError):
            load_schedule(bad)
