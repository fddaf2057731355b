"""The return-rate figures aggregated in SQL (issue 17: no page loads every delivery into
Python). One statement groups the deliveries a caller sees per cluster, project and
municipality by the rules of `dashboard_rules.breakdown` (a test holds the two to the same
figures): counts as sums, the median from each group's one or two middle waits, and the name."""

# SQL is assembled from constant text and `{}` placeholders only; every value is bound.
# ruff: noqa: S608

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from klynge.db import is_postgres
from projects.findings import dashboard_rules as rules
from projects.findings.schedule import Schedule, overdue_before
from projects.findings.tables import Delivery

# Level codes: the total, per cluster, per project, per municipality.
TOTAL, CLUSTER, PROJECT, MUNICIPALITY = 0, 1, 2, 3
EVERY_LEVEL = (TOTAL, CLUSTER, PROJECT, MUNICIPALITY)
LEVELS = {CLUSTER: "clusters", PROJECT: "projects", MUNICIPALITY: "municipalities"}
_KEYS = {TOTAL: "0", CLUSTER: "cluster", PROJECT: "project", MUNICIPALITY: "municipality"}
_NAMES = {
    CLUSTER: "(SELECT c.name FROM cluster c WHERE c.id = oc.k)",
    PROJECT: "(SELECT p.title FROM project p WHERE p.id = oc.k)",
    MUNICIPALITY: "(SELECT m.name FROM municipality m WHERE m.id = oc.k)",
}


@dataclass(frozen=True, slots=True)
class Seen:
    """Whose deliveries count: every project's (`everything`), the projects of `clusters` or
    funded by `funders`, the deliveries to `municipalities`; `public`: the public clusters'
    projects only (the portal). The filters narrow any of them."""

    everything: bool = False
    clusters: frozenset[int] = frozenset()
    funders: frozenset[int] = frozenset()
    municipalities: frozenset[int] = frozenset()
    public: bool = False
    cluster_id: int | None = None
    project_id: int | None = None
    municipality_id: int | None = None


class _Sql:
    """SQL text with Piccolo `{}` placeholders; arguments kept in the order they are written."""

    def __init__(self) -> None:
        self.postgres = is_postgres()
        self.args: list[Any] = []

    def bind(self, value: Any) -> str:
        self.args.append(value)
        return "{}"

    def in_list(self, column: str, values: Sequence[int]) -> str:
        return f"{column} IN ({', '.join(self.bind(int(v)) for v in values)})"

    def funded_by(self, funder: int) -> str:
        if self.postgres:
            return f"p.funder_ids @> {self.bind(json.dumps([int(funder)]))}::jsonb"
        value = self.bind(int(funder))
        return f"EXISTS (SELECT 1 FROM json_each(p.funder_ids) AS j WHERE j.value = {value})"


def _projects(s: Seen, sql: _Sql) -> str:
    """The projects whose every delivery the caller sees."""
    where: list[str] = []
    if s.public:
        public = sql.bind(True)
        where.append(f"p.cluster IN (SELECT c.id FROM cluster c WHERE c.is_public = {public})")
    elif not s.everything:
        sees = [sql.in_list("p.cluster", sorted(s.clusters))] if s.clusters else []
        sees += [sql.funded_by(f) for f in sorted(s.funders)]
        where.append("(" + " OR ".join(sees) + ")" if sees else "1 = 0")
    if s.cluster_id is not None:
        where.append(f"p.cluster = {sql.bind(s.cluster_id)}")
    if s.project_id is not None:
        where.append(f"p.id = {sql.bind(s.project_id)}")
    return f"SELECT p.id FROM project p WHERE {' AND '.join(where or ['1 = 1'])}"


def _deliveries(s: Seen, sql: _Sql, cutoff: dt.datetime) -> str:
    """The published deliveries the caller sees, each with its states as 0 or 1 and its wait
    (from delivery to acknowledgement: read, or answered without an earlier read)."""
    # Bound in the order of the text: the states (SELECT) before the conditions (WHERE).
    overdue = f"d.answered_at IS NULL AND d.created_at < {sql.bind(cutoff)}"
    seen = "d.project IN (SELECT id FROM full_p)"
    if s.municipalities:
        seen = f"({seen} OR {sql.in_list('d.municipality', sorted(s.municipalities))})"
    where = ["o.status = 'published'", seen]
    for column, value in (
        ("d.cluster", s.cluster_id),
        ("d.project", s.project_id),
        ("d.municipality", s.municipality_id),
    ):
        if value is not None:
            where.append(f"{column} = {sql.bind(value)}")
    answered = "d.answered_at IS NOT NULL"
    ack = (
        "CASE WHEN d.answered_at IS NULL OR d.read_at <= d.answered_at"
        " THEN d.read_at ELSE d.answered_at END"
    )
    # Exact intervals on PostgreSQL; on SQLite Julian days (to the millisecond) give the order
    # and Python takes the exact wait from the two timestamps.
    if sql.postgres:
        wait = f"{ack} - d.created_at AS wait"
    else:
        wait = f"julianday({ack}) - julianday(d.created_at) AS wait, d.created_at, {ack} AS ack"
    return (
        "SELECT d.id, d.outcome, d.cluster, d.project, d.municipality,"
        f" CASE WHEN {ack} IS NULL THEN 0 ELSE 1 END AS acked,"
        f" CASE WHEN {answered} THEN 1 ELSE 0 END AS answered,"
        f" CASE WHEN {answered} AND d.will_use = 'yes' THEN 1 ELSE 0 END AS yes,"
        f" CASE WHEN {answered} AND d.will_use = 'partly' THEN 1 ELSE 0 END AS partly,"
        f" CASE WHEN {overdue} THEN 1 ELSE 0 END AS overdue, {wait}"
        " FROM findings_delivery d JOIN project_outcome o ON o.id = d.outcome"
        f" WHERE {' AND '.join(where)}"
    )


def _each(levels: Sequence[int], select: str, source: str) -> str:
    """`select` (with {level} and {key}) once per level, grouped by the level's key. Deliveries
    without a municipality count in the other levels only."""
    parts = []
    for level in levels:
        key = _KEYS[level]
        text = select.format(level=level, key=key) + f" FROM {source}"
        if level == MUNICIPALITY:
            text += " WHERE municipality IS NOT NULL"
        parts.append(text + ("" if level == TOTAL else f" GROUP BY {key}"))
    return " UNION ALL ".join(parts)


_COUNTS = (
    "SELECT {level} AS level, {key} AS k, COUNT(*) AS deliveries, SUM(acked) AS acknowledged,"
    " SUM(answered) AS answered, SUM(yes) AS yes, SUM(partly) AS partly, SUM(overdue) AS overdue"
)
# The lower and upper middle wait (the same one when the count is odd): PostgreSQL's
# percentile_disc(0.5) is the lower one in rising order, and the upper one in falling order.
_MIDDLE_POSTGRES = (
    ", percentile_disc(0.5) WITHIN GROUP (ORDER BY wait) AS low_wait,"
    " percentile_disc(0.5) WITHIN GROUP (ORDER BY wait DESC) AS high_wait"
)


def _middle_sqlite(levels: Sequence[int]) -> tuple[str, str]:
    """SQLite: each delivery's place among its group's acknowledgements, per level (CTE
    `ranked`), and the middle ones' timestamps."""
    windows = ", ".join(
        f"ROW_NUMBER() OVER (PARTITION BY {_KEYS[v]}, acked ORDER BY wait, id) AS rn{v},"
        f" SUM(acked) OVER (PARTITION BY {_KEYS[v]}) AS n{v}"
        for v in levels
    )
    ranked = f"ranked AS (SELECT vis.*, {windows} FROM vis)"
    middle = "".join(
        f", MAX(CASE WHEN acked = 1 AND rn{{level}} = {rank} THEN {column} END) AS {name}"
        for rank, side in (("(n{level} + 1) / 2", "low"), ("n{level} / 2 + 1", "high"))
        for column, name in (("created_at", f"{side}_from"), ("ack", f"{side}_to"))
    )
    return ranked, middle


def statement(s: Seen, cutoff: dt.datetime, levels: Sequence[int]) -> tuple[str, list[Any]]:
    """The figures of every group of `levels` the caller sees, one row per group."""
    sql = _Sql()
    ctes = [f"full_p AS ({_projects(s, sql)})", f"vis AS ({_deliveries(s, sql, cutoff)})"]
    outs = "SELECT outcome, cluster, project FROM vis"
    if s.municipality_id is None:  # a municipality's outcomes: those delivered to it
        outs += (
            " UNION SELECT o.id, o.cluster, o.project FROM project_outcome o"
            " WHERE o.status = 'published' AND o.project IN (SELECT id FROM full_p)"
        )
    ctes.append(f"outs AS ({outs})")
    outcomes = "SELECT {level} AS level, {key} AS k, COUNT(DISTINCT outcome) AS outcomes"
    # A cluster's or project's outcomes: its published ones and those of the deliveries seen.
    by_outs = [v for v in levels if v != MUNICIPALITY]
    parts = [_each(by_outs, outcomes, "outs")] if by_outs else []
    if MUNICIPALITY in levels:
        parts.append(_each([MUNICIPALITY], outcomes, "vis"))
    ctes.append(f"oc AS ({' UNION ALL '.join(parts)})")
    if sql.postgres:
        ctes.append(f"dels AS ({_each(levels, _COUNTS + _MIDDLE_POSTGRES, 'vis')})")
        middle = "dels.low_wait, dels.high_wait"
    else:
        ranked, sqlite_middle = _middle_sqlite(levels)
        ctes += [ranked, f"dels AS ({_each(levels, _COUNTS + sqlite_middle, 'ranked')})"]
        middle = "dels.low_from, dels.low_to, dels.high_from, dels.high_to"
    names = " ".join(f"WHEN {v} THEN {_NAMES[v]}" for v in levels if v != TOTAL)
    text = (
        f"WITH {', '.join(ctes)} SELECT oc.level, oc.k,"
        f" {f'CASE oc.level {names} END' if names else 'NULL'} AS name, oc.outcomes,"
        " dels.deliveries, dels.acknowledged, dels.answered, dels.yes, dels.partly,"
        f" dels.overdue, {middle} FROM oc LEFT JOIN dels ON dels.level = oc.level"
        " AND dels.k = oc.k"
    )
    return text, sql.args


def _time(value: Any) -> dt.datetime:
    if isinstance(value, str):  # SQLite gives an expression's timestamps as text
        value = dt.datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _median(row: dict[str, Any]) -> float | None:
    if "low_wait" in row:
        low, high = row["low_wait"], row["high_wait"]
    elif row["low_from"] is not None:
        low = _time(row["low_to"]) - _time(row["low_from"])
        high = _time(row["high_to"]) - _time(row["high_from"])
    else:
        return None
    return None if low is None else rules.median_days(low, high)


def _figures(row: dict[str, Any]) -> rules.Figures:
    return rules.Figures(
        outcomes=int(row["outcomes"] or 0),
        deliveries=int(row["deliveries"] or 0),
        acknowledged=int(row["acknowledged"] or 0),
        answered=int(row["answered"] or 0),
        will_use_yes=int(row["yes"] or 0),
        will_use_partly=int(row["partly"] or 0),
        overdue=int(row["overdue"] or 0),
        median_days=_median(row),
    )


@dataclass(frozen=True, slots=True)
class Named:
    breakdown: rules.Breakdown
    names: dict[tuple[str, int], str]  # ("clusters" | "projects" | "municipalities", id)


async def aggregate(
    s: Seen, now: dt.datetime, schedule: Schedule, levels: Sequence[int] = EVERY_LEVEL
) -> Named:
    """The breakdown of the deliveries `s` admits at `levels`, with each group's name (one
    statement); levels not asked for stay empty."""
    text, args = statement(s, overdue_before(now, schedule), levels)
    total = rules.Figures()
    groups: dict[str, dict[int, rules.Figures]] = {level: {} for level in LEVELS.values()}
    names: dict[tuple[str, int], str] = {}
    for row in await Delivery.raw(text, *args):
        if int(row["level"]) == TOTAL:
            total = _figures(row)
            continue
        level, key = LEVELS[int(row["level"])], int(row["k"])
        groups[level][key] = _figures(row)
        names[(level, key)] = row["name"] if row["name"] is not None else str(key)
    return Named(rules.Breakdown(total=total, **groups), names)
