"""The task list's pure parts: order and presentation."""

from __future__ import annotations

import datetime as dt

from klynge.tasks import Task, order, present

DAY = dt.date(2026, 12, 3)


def _task(subject: str, due: dt.date | None) -> Task:
    return Task("x.y", "Answer «%(what)s»", subject, f"/{subject}", due, {"what": subject})


def test_soonest_due_first_then_undated_by_subject() -> None:
    tasks = [_task("b", None), _task("c", DAY), _task("a", None), _task("d", DAY.replace(day=1))]
    assert [t.subject for t in order(tasks)] == ["d", "c", "a", "b"]


def test_present_formats_and_marks_overdue_only_before_today() -> None:
    assert present(_task("a", DAY), DAY).overdue is False
    late = present(_task("a", DAY - dt.timedelta(days=1)), DAY)
    assert (late.text, late.overdue) == ("Answer «a»", True)
    assert present(_task("a", None), DAY).overdue is False
