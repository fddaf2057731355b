"""The search on SQLite: FTS5 finds the candidates and applies the filters it holds as facet
tokens (migration literature_2026_12_04t21_00_00_000000); partial indexes order a search
without text (literature.search says what is bounded and why). Every statement of one search
runs on one connection in one read transaction.

Ranking: weighted hit counts in the title and keywords (see _WEIGHTS), not bm25, whose
document frequencies cost a pass over every match of every term (tens of milliseconds for a
common word, more for a phrase) however few candidates are ranked."""

# SQL is assembled from constant identifiers and `{}` placeholders only; every value is bound.
# ruff: noqa: S608

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from klynge.db import engine
from literature.search_query import Term, fts5_query
from literature.search_sql import DETAILS, SNIPPET_WORDS, START, STOP, Sql, filters, order
from literature.tables import Reference

if TYPE_CHECKING:
    from literature.search import SearchQuery

FTS = "literature_reference_fts"
TEXT_COLUMNS = "{title abstract keywords_text}"
BY_YEAR = "literature_reference_by_year"  # cluster, year DESC, id, filtered columns
BY_TITLE = "literature_reference_by_title"  # cluster, lower(title), id
MAX_YEARS = 20  # a longer (or open) year range is filtered in SQL, not as year tokens
MAX_CLUSTERS = 64

# Ranking: hits in the title (column 0) and keywords (column 2) weighted 10 and 4 as bm25's
# column weights were, each column's n hits adding weight * n / (n + 1.2) (saturating like bm25's
# term frequency, so one title hit outranks any number of keyword hits),
# plus what a match in the abstract (weight 1) alone is worth. Abstract hits are not counted:
# highlighting 500 abstracts would cost as much as the rest of the search.
_WEIGHTS = {0: 10.0, 2: 4.0}
_RANKED = (0, 2)
_SATURATION = 1.2
_MATCHED = 1.0 / (1.0 + _SATURATION)


@asynccontextmanager
async def reading() -> AsyncIterator[None]:
    """One connection (and one snapshot) for the statements of a search."""
    async with engine().transaction():
        yield


def _token(kind: str, value: str) -> str:
    return f'"kf{kind}{value}0"'  # as the migration's search_facets writes them


def _any(tokens: Iterable[str]) -> str:
    return "(" + " OR ".join(tokens) + ")"


def _facets(q: SearchQuery) -> tuple[str, frozenset[str]]:
    """The filters FTS5 applies itself (an AND of facet tokens), and which ones they are."""
    parts, covered = [_token("v", "")], {"merged"}
    clusters = [int(i) for i in q.cluster_ids or ()]
    if q.cluster_ids is not None and 0 < len(clusters) <= MAX_CLUSTERS:
        parts.append(_any(_token("c", str(c)) for c in clusters))
        covered.add("cluster")
    low, high = q.year_from, q.year_to
    if low is not None and high is not None and 0 <= high - low < MAX_YEARS:
        parts.append(_any(_token("y", str(year)) for year in range(low, high + 1)))
        covered.add("year")
    if q.evidence_types:
        parts.append(_any(_token("t", str(t).encode().hex()) for t in q.evidence_types))
        covered.add("evidence")
    if q.summarised_only:
        parts.append(_token("s", ""))
        covered.add("summarised")
    if q.language.strip():
        # Compared as before: the column as SQLite's lower() writes it, the value lowered here.
        parts.append(_token("l", q.language.strip().lower().encode().hex()))
        covered.add("language")
    return "search_facets : (" + " AND ".join(parts) + ")", frozenset(covered)


def _match(q: SearchQuery, groups: list[list[Term]], sql: Sql) -> str:
    """The MATCH term: the user's words in the text columns, the facets in theirs."""
    text = f"{TEXT_COLUMNS} : ({fts5_query(groups)}) AND {_facets(q)[0]}"
    return f"{FTS} MATCH {sql.bind(text)}"


def _source(where: list[str]) -> str:
    """FROM the FTS table, joined to the references only when SQL filters are left."""
    if not where:
        return f"FROM {FTS} f"
    return f"FROM {FTS} f JOIN literature_reference r ON r.id = f.rowid"


def _marked(sql: Sql) -> str:
    """The ranked columns highlighted (each once), for counting their hits."""
    columns = [
        f"highlight({FTS}, {c}, {sql.bind(START)}, {sql.bind(STOP)}) AS h{c}" for c in _RANKED
    ]
    return ", " + ", ".join(columns)


def _counts(sql: Sql) -> str:
    """How many spans each highlighted column has (its start sentinels)."""
    counts = [
        f"length(h{c}) - length(replace(h{c}, {sql.bind(START)}, '')) AS n{c}" for c in _RANKED
    ]
    return ", " + ", ".join(counts)


def _first(q: SearchQuery, groups: list[list[Term]], limit: int, sql: Sql) -> str:
    """CTEs `m`, the first `limit` + 1 matches passing the filters in rowid order (the order
    FTS5 reads them in: no match beyond them is looked at), and `c`, the first `limit` of them,
    with their hit counts when ranked by relevance. Bound in textual order."""
    scored = q.sort == "relevance"
    marked = _marked(sql) if scored else ""
    match = _match(q, groups, sql)
    where = filters(q, sql, _facets(q)[1])  # what the facets leave to SQL
    first = (
        f"WITH m AS MATERIALIZED (SELECT f.rowid AS id{marked} {_source(where)}"
        f" WHERE {' AND '.join([match, *where])} ORDER BY f.rowid LIMIT {sql.bind(limit + 1)}),"
    )
    counts = _counts(sql) if scored else ""
    kept = f"c AS MATERIALIZED (SELECT id{counts} FROM m ORDER BY id LIMIT {sql.bind(limit)})"
    return f"{first} {kept}"


def _score(q: SearchQuery) -> str:
    if q.sort != "relevance":
        return "0.0"
    hits = " + ".join(f"{_WEIGHTS[c]} * c.n{c} / (c.n{c} + {_SATURATION})" for c in _RANKED)
    return f"{_MATCHED} + {hits}"


async def ranked(
    q: SearchQuery,
    groups: list[list[Term]],
    limit: int,
    offset: int,
    size: int,
    checks: int | None = None,
) -> tuple[list[tuple[int, float]], int, bool]:
    """One page of the first `limit` matches in the query's order, with their scores (ranked the
    same whether more match or not), and how many matched, counting up to `limit` + 1. One
    statement: a page past the last still gets the count (a row without an id). `checks` is
    PostgreSQL's (FTS5 keeps positions: a phrase is found in the index), so never more."""
    del checks
    sql = Sql(postgres=False)
    first = _first(q, groups, limit, sql)
    by = order(q, False, True)
    rows = await Reference.raw(
        f"{first}, p AS (SELECT c.id AS id, {_score(q)} AS score, r.year AS year,"
        " r.title AS title FROM c JOIN literature_reference r ON r.id = c.id"
        f" ORDER BY {by} {sql.page(offset, size)})"
        " SELECT r.id AS id, r.score AS score, (SELECT count(*) FROM m) AS found"
        f" FROM (SELECT 1) AS one LEFT JOIN p AS r ON 1 ORDER BY {by}",
        *sql.args,
    )
    found = int(rows[0]["found"])
    page = [(row["id"], float(row["score"])) for row in rows if row["id"] is not None]
    return page, found, False


def _among(q: SearchQuery, groups: list[list[Term]], ids: list[int], sql: Sql) -> str:
    """FROM the FTS rows among `ids` that match the words, joined to their references.

    Without a prefix each id is one FTS5 lookup (`CROSS JOIN` keeps the ids first, so FTS5 gets
    `rowid =` with the MATCH and seeks to that row only). A prefix term would merge the lists of
    every word it starts again for each lookup, so there the rowid range is read in one pass
    (with the facets, which let FTS5 skip) and the ids picked from it (`+` keeps the list from
    becoming one lookup per id)."""
    words = f"{TEXT_COLUMNS} : ({fts5_query(groups)})"
    if not any(t.prefix for group in groups for t in group):
        listed = sql.bind(json.dumps(ids))  # bound in textual order
        return (
            f"FROM json_each({listed}) j CROSS JOIN {FTS} f ON f.rowid = j.value"
            f" JOIN literature_reference r ON r.id = f.rowid WHERE {FTS} MATCH {sql.bind(words)}"
        )
    match = _match(q, groups, sql)
    low, high = sql.bind(min(ids)), sql.bind(max(ids))
    return (
        f"FROM {FTS} f JOIN literature_reference r ON r.id = f.rowid WHERE {match}"
        f" AND f.rowid BETWEEN {low} AND {high} AND +{sql.in_list('f.rowid', ids, 'int')}"
    )


async def listed(q: SearchQuery, offset: int, size: int) -> list[tuple[int, float]]:
    """One page of a search without text, in year or title order through an index."""
    sql = Sql(postgres=False)
    index = BY_TITLE if q.sort == "title" else BY_YEAR
    where = " AND ".join(filters(q, sql))
    rows = await Reference.raw(
        f"SELECT r.id AS id FROM literature_reference r INDEXED BY {index} WHERE {where}"
        f" ORDER BY {order(q, False, False)} {sql.page(offset, size)}",
        *sql.args,
    )
    return [(row["id"], 0.0) for row in rows]


async def counted(q: SearchQuery, limit: int) -> int:
    """How many references pass the filters, counting no further than `limit`."""
    sql = Sql(postgres=False)
    where = " AND ".join(filters(q, sql))
    rows = await Reference.raw(
        "SELECT count(*) AS n FROM (SELECT 1 FROM literature_reference r"
        f" INDEXED BY {BY_YEAR} WHERE {where} LIMIT {sql.bind(limit)})",
        *sql.args,
    )
    return int(rows[0]["n"])


async def page_rows(
    q: SearchQuery, groups: list[list[Term]], ids: list[int]
) -> dict[int, dict[str, Any]]:
    """The page's references with their highlighted title and abstract excerpt (with text)."""
    if not ids:
        return {}
    sql = Sql(postgres=False)
    if groups:
        title = f"highlight({FTS}, 0, {sql.bind(START)}, {sql.bind(STOP)})"
        excerpt = f"snippet({FTS}, 1, {sql.bind(START)}, {sql.bind(STOP)}, '…', {SNIPPET_WORDS})"
        source = _among(q, groups, ids, sql)
        text = f"SELECT {DETAILS}, {title} AS title_marked, {excerpt} AS snippet_marked {source}"
    else:
        text = (
            f"SELECT {DETAILS} FROM literature_reference r WHERE {sql.in_list('r.id', ids, 'int')}"
        )
    rows = await Reference.raw(text, *sql.args)
    return {row["id"]: row for row in rows}
