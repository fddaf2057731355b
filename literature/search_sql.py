"""SQL shared by the two search plans (literature.search_sqlite, literature.search_postgres):
bound parameters, the filters, the orders and the columns a hit shows."""

# SQL is assembled from constant identifiers and `{}` placeholders only; every value is bound.
# ruff: noqa: S608

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from literature.search import SearchQuery

START = "\ue000"  # private-use sentinels: cannot be confused with markup, survive escaping
STOP = "\ue001"
SNIPPET_WORDS = 32

# The columns of a hit (besides its highlights).
DETAILS = (
    "r.id, r.title, r.abstract, r.year, r.evidence_type, r.summarised, r.authors,"
    " r.container, r.doi"
)


class Sql:
    """SQL text with Piccolo `{}` placeholders and its arguments, kept in textual order."""

    def __init__(self, postgres: bool) -> None:
        self.postgres = postgres
        self.args: list[Any] = []

    def bind(self, value: Any) -> str:
        self.args.append(value)
        return "{}"

    def in_list(self, column: str, values: Sequence[Any], kind: str) -> str:
        if len(values) == 1:  # an index can give its order for one value, not for a list
            return f"{column} = {self.bind(values[0])}"
        if self.postgres:
            return f"{column} = ANY({self.bind(list(values))}::{kind}[])"
        return f"{column} IN (SELECT value FROM json_each({self.bind(json.dumps(list(values)))}))"

    def page(self, offset: int, size: int) -> str:
        return f"LIMIT {self.bind(size)} OFFSET {self.bind(offset)}"


def filters(q: SearchQuery, sql: Sql, covered: frozenset[str] = frozenset()) -> list[str]:
    """The WHERE terms of the query's filters on `literature_reference r`, but for those the
    full-text index already applies (`covered`: "merged", "cluster", "year", "evidence",
    "summarised", "language"). Merged duplicates never appear."""
    where = [] if "merged" in covered else ["r.merged_into IS NULL"]
    if q.cluster_ids is not None and "cluster" not in covered:
        where.append(sql.in_list("r.cluster", [int(i) for i in q.cluster_ids], "int"))
    if q.reference_ids is not None:
        where.append(sql.in_list("r.id", [int(i) for i in q.reference_ids], "int"))
    if q.year_from is not None and "year" not in covered:
        where.append(f"r.year >= {sql.bind(int(q.year_from))}")
    if q.year_to is not None and "year" not in covered:
        where.append(f"r.year <= {sql.bind(int(q.year_to))}")
    if q.evidence_types and "evidence" not in covered:
        where.append(sql.in_list("r.evidence_type", [str(t) for t in q.evidence_types], "text"))
    if q.summarised_only and "summarised" not in covered:
        where.append(f"r.summarised = {sql.bind(True)}")
    if q.language.strip() and "language" not in covered:
        where.append(f"lower(r.language) = {sql.bind(q.language.strip().lower())}")
    if q.source.strip():
        where.append(
            "EXISTS (SELECT 1 FROM literature_reference_source rs"
            " JOIN literature_import li ON li.id = rs.literature_import"
            " WHERE rs.reference = r.id AND li.status <> 'undone'"
            f" AND lower(li.source) = {sql.bind(q.source.strip().lower())})"
        )
    if q.public_only:
        where.append(
            "(EXISTS (SELECT 1 FROM literature_measure_reference mr WHERE mr.reference = r.id)"
            " OR EXISTS (SELECT 1 FROM literature_check_review cr"
            ' JOIN literature_check c ON c.id = cr."check"'
            f" WHERE cr.reference = r.id AND c.public = {sql.bind(True)}"
            " AND c.status = 'completed'))"
        )
    return where


def order(q: SearchQuery, postgres: bool, scored: bool) -> str:
    """ORDER BY of the search: score (when ranked), newest year first (no year last), or title;
    the id breaks ties. Written the way the engine's indexes are sorted (see the migration)."""
    by_year = "r.year DESC NULLS LAST, r.id" if postgres else "r.year DESC, r.id"
    if q.sort == "title":
        # PostgreSQL indexes the first 200 characters (a btree entry has a size limit).
        return (
            "left(lower(r.title), 200), lower(r.title), r.id"
            if postgres
            else ("lower(r.title), r.id")
        )
    if q.sort == "relevance" and scored:
        return "score DESC, " + by_year
    return by_year
