"""Full-text search over a cluster's references, one API over SQLite and PostgreSQL.

The indexes live in manual migrations: `literature_2026_11_23t07_30_00_000000` (full text) and
`literature_2026_12_04t21_00_00_000000` (the orders and filters of the search):

* SQLite: FTS5 external-content table `literature_reference_fts` (tokenizer
  `porter unicode61 remove_diacritics 2`) kept in step by triggers, ranked by bm25 with column
  weights title 10, keywords 4, abstract 1; highlighted with `highlight()` / `snippet()`.
* PostgreSQL: stored generated `search_vector` (English + Norwegian, title A, keywords B,
  abstract C) with a GIN index, ranked by `ts_rank_cd` with weights 1.0 / 0.4 / 0.1,
  highlighted with `ts_headline`.

Bounded work (issue 17: 200,000 references per cluster). A text search takes the first
`CANDIDATES` matches the index yields that pass the filters (in the order the references were
stored), then ranks or sorts only those. When more match, the page says so (`capped`: "more
than 500") instead of ranking and counting every match; narrowing the search (more words,
years, types) brings the rest within reach. When no more match, the whole result is ranked and
counted exactly as before. Within a capped result SQLite ranks by the same column weights on
hit counts (each column's hits saturating, so one title hit outranks any number of abstract
hits), because bm25 must first count every match of every term; PostgreSQL's `ts_rank_cd`
needs no such count and ranks the same way in both cases. A search without text lists in year
or title order through an index and counts at most `COUNT_LIMIT` references. An export takes
every hit (`search_ids`, up to its limit), ranked as one whole result.

The user's text is never SQL and never raw FTS syntax: `parse_query` turns it into terms
(words, `word*` prefixes, balanced "quoted phrases", `OR` between two terms), everything else
(`-`, `:`, `(`, `NEAR`, emoji, stray quotes) is just a separator, and the terms are bound as
parameters. Highlights come back from SQL wrapped in private-use sentinels, the text is
HTML-escaped, and only then are the sentinels turned into `<mark>`.

Engine differences (documented, asserted in tests/literature/test_search.py):

* Diacritics: SQLite folds letters with a Unicode decomposition (å→a, é→e, ü→u) but not ø or
  æ (no decomposition), so "hoyskole" does not find "høyskole" there. PostgreSQL folds ø→o,
  æ→ae, å→a as well when the `unaccent` extension was installable at migration time.
* Stemming: both stem English (porter on SQLite, snowball on PostgreSQL); only PostgreSQL
  also stems Norwegian (snowball), e.g. "barnehagene" finds "barnehage" there only.
  Porter applied to Norwegian words is harmless: query and documents go through the same
  tokenizer, it merely merges a few more forms.
* Scores are engine-specific (bm25 or hit counts vs. cover density); compare them within one
  result only.
* `language` and `source` compare case-insensitively with SQL `lower()`, which on SQLite
  folds ASCII letters only (source and language names are ASCII in practice); so does the
  title order.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from typing import Any, Literal

import msgspec

from klynge.db import is_postgres
from literature import search_postgres, search_sqlite
from literature.search_query import Term, parse_query
from literature.search_sql import SNIPPET_WORDS, START, STOP
from literature.tables import Reference

__all__ = [
    "CANDIDATES",
    "COUNT_LIMIT",
    "PHRASE_CHECKS",
    "Hit",
    "SearchPage",
    "SearchQuery",
    "Term",
    "browse",
    "parse_query",
    "rebuild_index",
    "search",
    "search_ids",
]

MAX_PER_PAGE = 200
CANDIDATES = 500  # a text search ranks at most this many matches
# PostgreSQL reads at most this many rows with a phrase's words to check the phrase in them
# (its GIN index keeps no positions); when their phrase matches run out first the page says
# "more than" the matches found, as when more than CANDIDATES match.
PHRASE_CHECKS = 2_000
COUNT_LIMIT = 10_000  # a search without text counts at most this many references

Sort = Literal["relevance", "year", "title"]


class SearchQuery(msgspec.Struct, frozen=True, kw_only=True):
    text: str = ""
    cluster_ids: Sequence[int] | None = None  # None = every cluster: public search only
    public_only: bool = False
    year_from: int | None = None
    year_to: int | None = None
    evidence_types: Sequence[str] = ()
    summarised_only: bool = False
    language: str = ""
    source: str = ""
    reference_ids: Sequence[int] | None = None
    page: int = 1
    per_page: int = 25
    sort: Sort = "relevance"


class Hit(msgspec.Struct, kw_only=True):
    id: int
    title_html: str
    snippet_html: str
    year: int | None
    evidence_type: str
    summarised: bool
    authors: list[Any]
    container: str
    doi: str
    score: float


class SearchPage(msgspec.Struct, kw_only=True):
    total: int  # every match, or (capped) the matches ranked and paged
    page: int
    per_page: int
    hits: list[Hit]
    capped: bool = False  # more than `total` match: narrow the search to reach the rest
    # A phrase was checked in only the first PHRASE_CHECKS references with its words (GIN keeps
    # no positions): `total` is what those held, and more may match.
    unchecked: bool = False


_MARKED = re.compile(f"{START}([^{START}{STOP}]*){STOP}")


def mark(text: str | None) -> str:
    """HTML-escape `text`, then turn sentinel-delimited spans into <mark> (always balanced)."""
    if not text:
        return ""
    text = re.sub(f"{START}+", START, text)
    text = re.sub(f"{STOP}+", STOP, text)
    escaped = html.escape(text, quote=True)
    marked = _MARKED.sub(r"<mark>\1</mark>", escaped)
    return marked.replace(START, "").replace(STOP, "")


def _plain_snippet(abstract: str | None) -> str:
    words = (abstract or "").split()
    if len(words) <= SNIPPET_WORDS:
        return html.escape(" ".join(words), quote=True)
    return html.escape(" ".join(words[:SNIPPET_WORDS]), quote=True) + "…"


def _hit(row: dict[str, Any], score: float) -> Hit:
    authors = row["authors"]
    if isinstance(authors, (str, bytes)):
        authors = json.loads(authors or "[]")
    title_marked, snippet_marked = row.get("title_marked"), row.get("snippet_marked")
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
        score=float(score or 0.0),
    )


def _checked(q: SearchQuery) -> tuple[int, int]:
    """The page and page size, bounded; refuses a search over every cluster unless public."""
    if q.cluster_ids is None and not q.public_only:
        raise ValueError("searching every cluster is for public search only (public_only=True)")
    return max(1, int(q.page)), max(1, min(int(q.per_page), MAX_PER_PAGE))


async def search(q: SearchQuery) -> SearchPage:
    """One page of references matching `q`; merged duplicates never appear."""
    page, per_page = _checked(q)
    offset = (page - 1) * per_page
    groups = parse_query(q.text)
    if q.text.strip() and not groups:  # only punctuation, emoji, stray operators: nothing
        return SearchPage(total=0, page=page, per_page=per_page, hits=[])
    plan = search_postgres if is_postgres() else search_sqlite
    async with plan.reading():
        if groups:
            ranked, found, more = await plan.ranked(
                q, groups, CANDIDATES, offset, per_page, PHRASE_CHECKS
            )
            total, capped, unchecked = min(found, CANDIDATES), found > CANDIDATES or more, more
        else:
            shown = max(0, min(per_page, COUNT_LIMIT - offset))  # the first COUNT_LIMIT only
            ranked = await plan.listed(q, offset, shown) if shown else []
            counted = await plan.counted(q, COUNT_LIMIT + 1)
            total, capped = min(counted, COUNT_LIMIT), counted > COUNT_LIMIT
            unchecked = False
        rows = await plan.page_rows(q, groups, [rid for rid, _ in ranked])
    hits = [_hit(rows[rid], score) for rid, score in ranked if rid in rows]
    return SearchPage(
        total=total, page=page, per_page=per_page, hits=hits, capped=capped, unchecked=unchecked
    )


async def search_ids(q: SearchQuery, limit: int) -> list[int]:
    """Every hit's id (at most `limit`), in the order of the search: what an export takes."""
    _checked(q)
    groups = parse_query(q.text)
    if q.text.strip() and not groups:
        return []
    plan = search_postgres if is_postgres() else search_sqlite
    async with plan.reading():
        if groups:
            ranked, _, _ = await plan.ranked(q, groups, limit, 0, limit)  # every phrase match
        else:
            ranked = await plan.listed(q, 0, limit)
    return [rid for rid, _ in ranked]


async def rebuild_index() -> None:
    """Rebuild the full-text index from the reference rows.

    SQLite: FTS5 'rebuild' (repairs an index that drifted, e.g. after writes with the triggers
    dropped). PostgreSQL: nothing to do, `search_vector` is a stored generated column that the
    server recomputes on every insert and update.
    """
    if is_postgres():
        return
    await Reference.raw(
        "INSERT INTO literature_reference_fts (literature_reference_fts) VALUES ('rebuild')"
    )


async def browse(q: SearchQuery) -> SearchPage:
    """One page of a search without text, in year order through an index, without counting
    every reference that passes the filters (the public portal's list: issue 17). `capped`
    says that more follow; `total` is then the number up to this page's last."""
    if q.text.strip() or q.sort == "title":
        raise ValueError("browse lists without text, newest first")
    page, per_page = _checked(q)
    offset = (page - 1) * per_page
    # One more than the page: is there a next one? Only the first COUNT_LIMIT are listed (as in
    # `search`), so a far page number cannot make the index be read to its end.
    size = min(per_page + 1, COUNT_LIMIT - offset)
    plan = search_postgres if is_postgres() else search_sqlite
    async with plan.reading():
        listed = await plan.listed(q, offset, size) if size > 0 else []
        shown = listed[:per_page]
        rows = await plan.page_rows(q, [], [rid for rid, _ in shown])
    hits = [_hit(rows[rid], score) for rid, score in shown if rid in rows]
    more = len(listed) > per_page
    return SearchPage(
        total=offset + len(hits), page=page, per_page=per_page, hits=hits, capped=more
    )
