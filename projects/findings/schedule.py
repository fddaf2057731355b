"""When an unanswered delivery is reminded and escalated. Pure, except `load_schedule`, which
reads the two settings:

- `KLYNGE_FINDINGS_REMINDER_DAYS` (default "14,30"): days after delivery of each reminder;
- `KLYNGE_FINDINGS_ESCALATION_DAYS` (default 44): days after delivery when the cluster's
  adviser is told that a delivery is still unanswered.

A delivery is *overdue* once the first reminder is due and it is still unanswered; its answer is
due on that day."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass

ESCALATE = "escalate"


@dataclass(frozen=True, slots=True)
class Schedule:
    reminders: tuple[int, ...] = (14, 30)
    escalation: int = 44

    def steps(self) -> list[tuple[str, int]]:
        """(step, days after delivery) in order: "remind-1", "remind-2", ..., "escalate"."""
        named = [(f"remind-{i}", days) for i, days in enumerate(self.reminders, start=1)]
        return [*named, (ESCALATE, self.escalation)]


class ScheduleError(ValueError):
    """A setting of the schedule that cannot be read."""


def _days(name: str, value: str) -> tuple[int, ...]:
    try:
        days = tuple(int(part) for part in value.replace(" ", "").split(",") if part)
    except ValueError as exc:
        raise ScheduleError(f"{name} must be whole days separated by commas") from exc
    if not days or any(d < 1 for d in days) or list(days) != sorted(set(days)):
        raise ScheduleError(f"{name} must be rising whole days of 1 or more")
    return days


def load_schedule(env: Mapping[str, str] | None = None) -> Schedule:
    values = os.environ if env is None else env
    reminders = _days(
        "KLYNGE_FINDINGS_REMINDER_DAYS", values.get("KLYNGE_FINDINGS_REMINDER_DAYS", "14,30")
    )
    (escalation,) = _days(
        "KLYNGE_FINDINGS_ESCALATION_DAYS", values.get("KLYNGE_FINDINGS_ESCALATION_DAYS", "44")
    )
    if escalation < reminders[-1]:
        raise ScheduleError("KLYNGE_FINDINGS_ESCALATION_DAYS comes before the last reminder")
    return Schedule(reminders, escalation)


def answer_due(delivered_at: dt.datetime, schedule: Schedule) -> dt.date:
    """The day the answer is due: the first reminder's day."""
    return (delivered_at + dt.timedelta(days=schedule.reminders[0])).date()


def is_overdue(
    delivered_at: dt.datetime, answered: bool, now: dt.datetime, schedule: Schedule
) -> bool:
    return not answered and now.date() >= answer_due(delivered_at, schedule)


def overdue_before(now: dt.datetime, schedule: Schedule) -> dt.datetime:
    """The delivery time (UTC) before which an unanswered delivery is overdue at `now`: the
    SQL form of `is_overdue` for timestamps kept in UTC."""
    first_due = now.date() - dt.timedelta(days=schedule.reminders[0] - 1)
    return dt.datetime.combine(first_due, dt.time(), tzinfo=dt.UTC)


def due_steps(
    delivered_at: dt.datetime, answered: bool, now: dt.datetime, schedule: Schedule
) -> list[str]:
    """The steps that have come due for a delivery (each is sent once: the job claims it)."""
    if answered:
        return []
    age = now - delivered_at
    return [step for step, days in schedule.steps() if age >= dt.timedelta(days=days)]
