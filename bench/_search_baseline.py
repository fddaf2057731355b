"""The search as it was before issue 17 (commit 56c788f), kept as the benchmark's baseline:
it ranks every match of the text and counts them all (count(*) OVER ()) before it cuts a page.
Not used by the app; bench/bench_search.py times it beside literature.search on the same data.
"""

# SQL is assembled from constant identifiers and `{}` placeholders only; every value is bound.
# ruff: noqa: S608

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from typing import Any

from klynge.db import is_postgres
from literature.search import Hit, SearchPage, SearchQuery
from literature.search_query import Term, fts5_query, parse_query, tsquery_sql
from literature.tables import Reference

__all__ = ["search"]

MAX_PER_PAGE = 200
SNIPPET_WORDS = 32

_START = "\ue000"  # private-use sentinels: cannot be confused with markup, survive escaping
_STOP = "\ue001"
_MARKED = re.compile(f"{_START}([^{_START}{_STOP}]*){_STOP}")


def mark(text: str | None) -> str:
    """HTML-escape `text`, then turn sentinel-delimited spans into <mark> (always balanced)."""
    if not text:
        return ""
    text = re.sub(f"{_START}+", _START, text)
    text = re.sub(f"{_STOP}+", _STOP, text)
    escaped = html.escape(text, quote=True)
    marked = _MARKED.sub(r"<mark>\1</mark>", escaped)
    return marked.replace(_START, "").replace(_STOP, "")


def _plain_snippet(abstract: str | None) -> str:
    words = (abstract or "").split()
    if len(words) <= SNIPPET_WORDS:
        return html.escape(" ".join(words), quote=True)
    return html.escape(" ".join(words[:SNIPPET_WORDS]), quote=True) + "…"


class _Sql:
    """SQL text with Piccolo `{}` placeholders and its arguments, kept in textual order."""

    def __init__(self, postgres: bool) -> None:
        self.postgres = postgres
        self.args: list[Any] = []

    def bind(self, value: Any) -> str:
        self.args.append(value)
        return "{}"

    def in_list(self, column: str, values: Sequence[Any], kind: str) -> str:
        if self.postgres:
            return f"{column} = ANY({self.bind(list(values))}::{kind}[])"
        return f"{column} IN (SELECT value FROM json_each({self.bind(json.dumps(list(values)))}))"


def _filters(q: SearchQuery, sql: _Sql) -> list[str]:
    where = ["r.merged_into IS NULL"]
    if q.cluster_ids is not None:
        where.append(sql.in_list("r.cluster", [int(i) for i in q.cluster_ids], "int"))
    if q.reference_ids is not None:
        where.append(sql.in_list("r.id", [int(i) for i in q.reference_ids], "int"))
    if q.year_from is not None:
        where.append(f"r.year >= {sql.bind(int(q.year_from))}")
    if q.year_to is not None:
        where.append(f"r.year <= {sql.bind(int(q.year_to))}")
    if q.evidence_types:
        where.append(sql.in_list("r.evidence_type", [str(t) for t in q.evidence_types], "text"))
    if q.summarised_only:
        where.append(f"r.summarised = {sql.bind(True)}")
    if q.language.strip():
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


def _order(q: SearchQuery, has_text: bool) -> str:
    by_year = "r.year IS NULL, r.year DESC, r.id"
    if q.sort == "title":
        return "lower(r.title), r.id"
    if q.sort == "relevance" and has_text:
        return "score DESC, " + by_year
    return by_year


_COLUMNS = (
    "r.id, r.title, r.abstract, r.year, r.evidence_type, r.summarised, r.authors,"
    " r.container, r.doi"
)


def _ranked(
    q: SearchQuery, groups: list[list[Term]], has_text: bool, sql: _Sql
) -> tuple[str, str, str, list[str]]:
    """The ranking query's parts: WITH clause, SELECT (id, score, total), FROM and WHERE."""
    with_q = ""
    if not has_text:
        select = "SELECT r.id, 0.0 AS score, count(*) OVER () AS total"
        source = "FROM literature_reference r"
        where = _filters(q, sql)
    elif sql.postgres:
        query = tsquery_sql(groups, sql.args)
        with_q = f"WITH q AS (SELECT {query} AS query) "
        select = (
            "SELECT r.id,"
            " ts_rank_cd(ARRAY[0.1, 0.1, 0.4, 1.0]::float4[], r.search_vector, q.query, 1)"
            " AS score, count(*) OVER () AS total"
        )
        source = "FROM literature_reference r CROSS JOIN q"
        where = ["r.search_vector @@ q.query", *_filters(q, sql)]
    else:
        # bm25() only works in the FTS query itself: rank there, then join and filter.
        match = sql.bind(fts5_query(groups))
        with_q = (
            "WITH f AS MATERIALIZED (SELECT rowid AS fid,"
            " -bm25(literature_reference_fts, 10.0, 1.0, 4.0) AS score"
            f" FROM literature_reference_fts WHERE literature_reference_fts MATCH {match}) "
        )
        select = "SELECT r.id, f.score AS score, count(*) OVER () AS total"
        source = "FROM f JOIN literature_reference r ON r.id = f.fid"
        where = _filters(q, sql)
    return with_q, select, source, where


def _hit(ranked: dict[str, Any], row: dict[str, Any], marked: tuple[str | None, str | None]) -> Hit:
    title_marked, snippet_marked = marked
    authors = row["authors"]
    if isinstance(authors, (str, bytes)):
        authors = json.loads(authors or "[]")
    return Hit(
        id=row["id"],
        title_html=mark(title_marked) if title_marked else mark(row["title"]),
        snippet_html=mark(snippet_marked) if snippet_marked else _plain_snippet(row["abstract"]),
        year=row["year"],
        evidence_type=row["evidence_type"],
        summarised=bool(row["summarised"]),
        authors=list(authors or []),
        container=row["container"] or "",
        doi=row["doi"] or "",
        score=float(ranked["score"] or 0.0),
    )


async def search(q: SearchQuery) -> SearchPage:
    """One page of references matching `q`; merged duplicates never appear."""
    if q.cluster_ids is None and not q.public_only:
        raise ValueError("searching every cluster is for public search only (public_only=True)")
    per_page = max(1, min(int(q.per_page), MAX_PER_PAGE))
    page = max(1, int(q.page))
    offset = (page - 1) * per_page
    groups = parse_query(q.text)
    has_text = bool(q.text.strip())
    if has_text and not groups:  # only punctuation, emoji, stray operators: nothing to find
        return SearchPage(total=0, page=page, per_page=per_page, hits=[])
    postgres = is_postgres()
    sql = _Sql(postgres)

    with_q, select, source, where = _ranked(q, groups, has_text, sql)
    text = (
        f"{with_q}{select} {source} WHERE {' AND '.join(where)} ORDER BY {_order(q, has_text)}"
        f" LIMIT {sql.bind(per_page)} OFFSET {sql.bind(offset)}"
    )
    rows = await Reference.raw(text, *sql.args)
    if rows:
        total = int(rows[0]["total"])
    elif page > 1:  # past the last page: still report the total
        sql.args = sql.args[:-2]
        count = f"{with_q}SELECT count(*) AS total {source} WHERE {' AND '.join(where)}"
        total = int((await Reference.raw(count, *sql.args))[0]["total"])
    else:
        total = 0

    # The sort above carries ids only; the page's columns are read afterwards.
    details: dict[int, dict[str, Any]] = {}
    if rows:
        sql = _Sql(postgres)
        ids = [row["id"] for row in rows]
        by_id = sql.in_list("r.id", ids, "int")
        found = await Reference.raw(
            f"SELECT {_COLUMNS} FROM literature_reference r WHERE {by_id}", *sql.args
        )
        details = {row["id"]: row for row in found}
    marks: dict[int, tuple[str, str]] = {}
    if has_text and rows:
        marks = await _highlights(groups, [row["id"] for row in rows], postgres)
    hits = [
        _hit(ranked, details[ranked["id"]], marks.get(ranked["id"], (None, None)))
        for ranked in rows
        if ranked["id"] in details  # not deleted between the two reads
    ]
    return SearchPage(total=total, page=page, per_page=per_page, hits=hits)


async def _highlights(
    groups: list[list[Term]], ids: list[int], postgres: bool
) -> dict[int, tuple[str, str]]:
    """Sentinel-marked title and abstract excerpt for the rows of one page only."""
    sql = _Sql(postgres)
    if postgres:
        query = tsquery_sql(groups, sql.args)
        every = f"StartSel={_START}, StopSel={_STOP}, HighlightAll=true"
        excerpt = f"StartSel={_START}, StopSel={_STOP}, MaxWords=35, MinWords=15"

        def headline(column: str, options: str) -> str:
            # Each configuration recognises its own word forms; nesting marks both.
            inner = f"ts_headline('klynge_norwegian', {column}, q.query, {sql.bind(options)})"
            return f"ts_headline('klynge_english', {inner}, q.query, {sql.bind(every)})"

        title = headline("r.title", every)
        abstract = headline("r.abstract", excerpt)
        text = (
            f"WITH q AS (SELECT {query} AS query)"
            f" SELECT r.id, {title} AS title_marked, {abstract} AS snippet_marked"
            f" FROM literature_reference r CROSS JOIN q WHERE {sql.in_list('r.id', ids, 'int')}"
        )
    else:
        start, stop = sql.bind(_START), sql.bind(_STOP)
        title = f"highlight(literature_reference_fts, 0, {start}, {stop})"
        start, stop = sql.bind(_START), sql.bind(_STOP)
        abstract = f"snippet(literature_reference_fts, 1, {start}, {stop}, '…', {SNIPPET_WORDS})"
        match = sql.bind(fts5_query(groups))
        text = (
            f"SELECT rowid AS id, {title} AS title_marked, {abstract} AS snippet_marked"
            f" FROM literature_reference_fts WHERE literature_reference_fts MATCH {match}"
            f" AND {sql.in_list('rowid', ids, 'int')}"
        )
    rows = await Reference.raw(text, *sql.args)
    return {row["id"]: (row["title_marked"], row["snippet_marked"]) for row in rows}
