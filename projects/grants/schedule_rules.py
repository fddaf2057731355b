"""When a grant's reports fall due, when one is overdue, and which reminder a report is due
for. Pure: dates in, dates out."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

PROGRESS_GRACE_DAYS = 30  # a progress report is due 30 days after its period ends
FINAL_GRACE_DAYS = 60  # the final report 60 days after the grant ends
DONE = frozenset({"submitted", "approved"})
# Reminder steps, in order: days before the due date (negative = after).
STEPS: tuple[tuple[str, int], ...] = (("14d", 14), ("3d", 3))
OVERDUE = "overdue"


@dataclass(frozen=True, slots=True)
class Slot:
    kind: str  # progress | final
    period_start: dt.date
    period_end: dt.date
    due: dt.date


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (the month's last day when it has fewer days)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def schedule(
    starts_on: dt.date, ends_on: dt.date, report_schedule: Mapping[str, Any]
) -> list[Slot]:
    """Progress reports for every `progress_months` from the start (the last period ends no
    later than the grant does), then the final report over the whole period when `final`."""
    months = int(report_schedule.get("progress_months", 0) or 0)
    final = bool(report_schedule.get("final", True))
    slots: list[Slot] = []
    if months > 0:
        start, n = starts_on, 1
        while True:
            end = min(add_months(starts_on, months * n) - dt.timedelta(days=1), ends_on)
            if end >= ends_on and final:
                break  # the final report covers the last stretch
            slots.append(Slot("progress", start, end, end + dt.timedelta(days=PROGRESS_GRACE_DAYS)))
            if end >= ends_on:
                break
            start, n = end + dt.timedelta(days=1), n + 1
    if final:
        slots.append(
            Slot("final", starts_on, ends_on, ends_on + dt.timedelta(days=FINAL_GRACE_DAYS))
        )
    return slots


def is_overdue(due: dt.date, status: str, today: dt.date) -> bool:
    return due < today and status not in DONE


def steps_due(due: dt.date, status: str, today: dt.date) -> list[str]:
    """The reminder steps a report has reached by `today` (each is sent once; the caller claims
    them). A submitted or approved report needs none; a returned one is reminded again only
    through the steps it has not had."""
    if status in DONE:
        return []
    if is_overdue(due, status, today):
        return [OVERDUE]
    days_left = (due - today).days
    return [name for name, days in STEPS if days_left <= days][-1:]
