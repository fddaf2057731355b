"""The search on PostgreSQL: the GIN index over `search_vector` finds the candidates, btree
indexes order a search without text (literature.search says what is bounded and why). One
search runs in one read transaction; its candidates are planned for its own words (see
_SETTINGS and _estimated_well)."""

# SQL is assembled from constant identifiers and `{}` placeholders only; every value is bound.
# ruff: noqa: S608

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from klynge.db import engine
from literature.search_query import Term, tsquery_sql
from literature.search_sql import DETAILS, START, STOP, Sql, filters, order
from literature.tables import Reference

if TYPE_CHECKING:
    from literature.search import SearchQuery

# ts_rank_cd weights for D, C (abstract), B (keywords), A (title); normalisation 1 divides by
# 1 + log(document length).
_RANK = "ts_rank_cd(ARRAY[0.1, 0.1, 0.4, 1.0]::float4[], r.search_vector, {query}, 1)"


@asynccontextmanager
async def reading() -> AsyncIterator[None]:
    """One connection (and one snapshot) for the statements of a search."""
    async with engine().transaction():
        yield


# Every candidates' plan is made for this search's words (a plan cached for other words guesses
# wrong how common they are), and a sequential scan starts at the first page (a synchronised
# scan starts where another one is, and finds other candidates). For the rest of the search's
# transaction only (set_config(..., true) is SET LOCAL).
_SETTINGS = (
    "SELECT set_config('plan_cache_mode', 'force_custom_plan', true),"
    " set_config('synchronize_seqscans', 'off', true)"
)
_BITMAP_ONLY = (
    f"{_SETTINGS}, set_config('enable_seqscan', 'off', true),"
    " set_config('enable_indexscan', 'off', true)"
)
# Reading the cluster in table order is cheapest when at least this share of its rows match:
# 501 matches come within ~2,000 rows. For rarer words the planner still often picks it (it
# does not count what reading each row's vector costs: ~10 µs, most of them stored out of
# line), and reads the whole cluster for a few hundred matches; the GIN index reads only them.
COMMON = 0.25


def _query(groups: list[list[Term]], sql: Sql) -> str:
    return "(" + tsquery_sql(groups, sql.args) + ")"


def _estimated_well(q: SearchQuery, groups: list[list[Term]]) -> bool:
    """Whether the planner's row estimate can choose the candidates' plan: for words in a
    cluster it knows how common they are, and reading the table in order until enough match is
    cheapest for a common word. A phrase (estimated as if its words were anywhere) or another
    filter (estimated as if independent of the words) can leave a few matches, or none, where
    it expects many: then the whole table would be read. Those take their candidates from the
    GIN index, which bounds what is read."""
    phrases = _phrased(groups)
    filtered = (
        q.year_from is not None
        or q.year_to is not None
        or bool(q.evidence_types)
        or q.summarised_only
        or bool(q.language.strip())
        or bool(q.source.strip())
        or q.public_only
        or q.reference_ids is not None
    )
    return not phrases and not filtered


async def _common(groups: list[list[Term]]) -> bool:
    """Whether the planner expects at least COMMON of the references to match (the share in
    the whole table stands for the share in a cluster: the planner assumes as much), from its
    estimates for the query's words and for the table, planned but not run."""
    sql = Sql(postgres=True)
    rows = await Reference.raw(
        "EXPLAIN (FORMAT JSON) SELECT 1 FROM literature_reference r"
        f" WHERE r.search_vector @@ {_query(groups, sql)}"
        " UNION ALL SELECT 1 FROM literature_reference r",
        *sql.args,
    )
    plan = rows[0]["QUERY PLAN"]
    matched, every = (part["Plan Rows"] for part in _plan(plan)["Plans"])
    return float(matched) >= COMMON * float(every)


def _plan(value: Any) -> dict[str, Any]:
    """The top node of an EXPLAIN (FORMAT JSON) result (text or already decoded)."""
    decoded = json.loads(value) if isinstance(value, str) else value
    return dict(decoded[0]["Plan"])


def _first(
    q: SearchQuery, groups: list[list[Term]], limit: int, checks: int | None, sql: Sql
) -> str:
    """CTEs `m`, the first `limit` + 1 matches passing the filters in table order (no match
    beyond them is looked at; the tsquery is written out, not taken from a CTE, so the planner
    sees how common it is), and `c`, the first `limit` of them, with what ranks and orders
    them (their vector is read only when ranked).

    A phrase needs each row's positions, which the GIN index does not keep: the index finds
    the rows with the phrase's words (`w`), and each is read to check the phrase. So the rows
    with the words pass the filters first (the CTE keeps the planner from checking the phrase
    before the filters), and only the first `checks` of them are checked (all when None)."""
    keys = "r.id, r.search_vector, r.year, r.title"
    phrased = _phrased(groups)
    words = (
        "(" + tsquery_sql(groups, sql.args, phrases=False) + ")" if phrased else _query(groups, sql)
    )
    where = " AND ".join([f"r.search_vector @@ {words}", *filters(q, sql)])
    found = f"SELECT {keys} FROM literature_reference r WHERE {where}"
    head = "WITH "
    if phrased:
        bound = "" if checks is None else f" LIMIT {sql.bind(checks)}"
        head = f"WITH w AS MATERIALIZED ({found}{bound}), "
        found = f"SELECT * FROM w r WHERE r.search_vector @@ {_query(groups, sql)}"
    return (
        f"{head}m AS MATERIALIZED ({found} LIMIT {sql.bind(limit + 1)}),"
        f" c AS MATERIALIZED (SELECT * FROM m LIMIT {sql.bind(limit)})"
    )


def _phrased(groups: list[list[Term]]) -> bool:
    return any(len(t.words) > 1 for group in groups for t in group)


async def ranked(
    q: SearchQuery,
    groups: list[list[Term]],
    limit: int,
    offset: int,
    size: int,
    checks: int | None = None,
) -> tuple[list[tuple[int, float]], int, bool]:
    """One page of the first `limit` matches in the query's order, with their scores (ts_rank_cd
    reads only each candidate's own vector: ranked the same whether more match or not), how
    many matched, counting up to `limit` + 1, and whether a phrase was checked on only the
    first `checks` rows with its words (more may match). One statement: a page past the last
    still gets the count (a row without an id)."""
    # An EXPLAIN plans its query afresh with the bound words each time (no plan is cached for
    # it): _common needs no settings first.
    indexed = not _estimated_well(q, groups) or not await _common(groups)
    await Reference.raw(_BITMAP_ONLY if indexed else _SETTINGS)
    sql = Sql(postgres=True)
    first = _first(q, groups, limit, checks, sql)
    score = "0.0"
    if q.sort == "relevance":
        score = _RANK.format(query=_query(groups, sql))
    by = order(q, True, True)
    # Counted only when the phrase's matches ran out: then every row of `w` was read anyway.
    checked = "NULL::bigint"
    if _phrased(groups) and checks is not None:
        checked = f"CASE WHEN (SELECT count(*) FROM m) <= {limit} THEN (SELECT count(*) FROM w) END"
    rows = await Reference.raw(
        f"{first}, p AS (SELECT r.id, {score} AS score, r.year, r.title FROM c r"
        f" ORDER BY {by} {sql.page(offset, size)})"
        f" SELECT r.id, r.score, (SELECT count(*) FROM m) AS found, {checked} AS checked"
        f" FROM (SELECT 1) one LEFT JOIN p r ON true ORDER BY {by}",
        *sql.args,
    )
    found, read = int(rows[0]["found"]), rows[0]["checked"]
    more = checks is not None and read is not None and int(read) >= checks
    page = [(row["id"], float(row["score"])) for row in rows if row["id"] is not None]
    return page, found, more


async def listed(q: SearchQuery, offset: int, size: int) -> list[tuple[int, float]]:
    """One page of a search without text, in year or title order through an index."""
    sql = Sql(postgres=True)
    where = " AND ".join(filters(q, sql))
    rows = await Reference.raw(
        f"SELECT r.id FROM literature_reference r WHERE {where}"
        f" ORDER BY {order(q, True, False)} {sql.page(offset, size)}",
        *sql.args,
    )
    return [(row["id"], 0.0) for row in rows]


async def counted(q: SearchQuery, limit: int) -> int:
    """How many references pass the filters, counting no further than `limit`."""
    sql = Sql(postgres=True)
    where = " AND ".join(filters(q, sql))
    rows = await Reference.raw(
        f"SELECT count(*) AS n FROM (SELECT 1 FROM literature_reference r WHERE {where}"
        f" LIMIT {sql.bind(limit)}) s",
        *sql.args,
    )
    return int(rows[0]["n"])


def _headline(column: str, options: str, query: str, sql: Sql) -> str:
    # Each configuration recognises its own word forms; nesting marks both.
    every = f"StartSel={START}, StopSel={STOP}, HighlightAll=true"
    inner = f"ts_headline('klynge_norwegian', {column}, {query}, {sql.bind(options)})"
    return f"ts_headline('klynge_english', {inner}, {query}, {sql.bind(every)})"


async def page_rows(
    q: SearchQuery, groups: list[list[Term]], ids: list[int]
) -> dict[int, dict[str, Any]]:
    """The page's references with their highlighted title and abstract excerpt (with text)."""
    del q  # the SQLite plan needs it (its filters are in its full-text index)
    if not ids:
        return {}
    sql = Sql(postgres=True)
    marks = ""
    if groups:
        query = _query(groups, sql)  # bound first: first in the text
        every = f"StartSel={START}, StopSel={STOP}, HighlightAll=true"
        excerpt = f"StartSel={START}, StopSel={STOP}, MaxWords=35, MinWords=15"
        title = _headline("r.title", every, "q.query", sql)
        abstract = _headline("r.abstract", excerpt, "q.query", sql)
        marks = f", {title} AS title_marked, {abstract} AS snippet_marked"
        text = (
            f"WITH q AS (SELECT {query} AS query) SELECT {DETAILS}{marks}"
            f" FROM literature_reference r CROSS JOIN q WHERE {sql.in_list('r.id', ids, 'int')}"
        )
    else:
        text = (
            f"SELECT {DETAILS} FROM literature_reference r WHERE {sql.in_list('r.id', ids, 'int')}"
        )
    rows = await Reference.raw(text, *sql.args)
    return {row["id"]: row for row in rows}
