"""The return-rate dashboard's shapes: figures per cluster, project and municipality (and the
public portal's aggregate figures per cluster: numbers only, no free text)."""

from __future__ import annotations

import msgspec


class FiguresOut(msgspec.Struct):
    outcomes: int
    deliveries: int
    acknowledged: int
    answered: int
    will_use_yes: int
    will_use_partly: int
    overdue: int
    median_days: float | None
    answered_percent: int


class GroupOut(msgspec.Struct):
    id: int
    name: str
    figures: FiguresOut


class ReturnRatesOut(msgspec.Struct):
    total: FiguresOut
    clusters: list[GroupOut]
    projects: list[GroupOut]
    municipalities: list[GroupOut]


class PublicReturnRatesOut(msgspec.Struct):
    """Each public cluster's aggregate figures."""

    clusters: list[GroupOut]
