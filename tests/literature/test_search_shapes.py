"""The search's query shapes at scale (issue 17): a phrase's candidates under filters and
their bounded check on PostgreSQL, pages past the last, highlights of later pages, and the two
candidate plans for common and rare words. The same cases on SQLite and PostgreSQL."""

from __future__ import annotations

import msgspec
import pytest

from klynge.db import is_postgres
from literature import search as search_module
from literature import search_postgres
from literature.search import SearchQuery, search
from tests.literature.test_search import Ctx, ctx

__all__ = ["ctx"]  # the fixture, shared with test_search


async def test_phrase_under_filters_and_the_highlights_of_any_page(
    ctx: Ctx, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A phrase's candidates are the rows with its words that pass the filters (PostgreSQL
    checks the phrase on those only); rows with the words apart, or outside the filters, never
    come back, capped or not. A page past the last still says how many matched. Highlights
    come for every page, of words and of prefixes (SQLite: one lookup per row, or one pass
    over the rows' range for a prefix)."""
    monkeypatch.setattr(search_module, "CANDIDATES", 2)
    apart = [  # stored first: the first candidates a wrong phrase check would take
        await ctx.ref(f"Visiting schools from home {i}", "Visiting hours; home care.", year=2011)
        for i in range(3)
    ]
    await ctx.ref("Home visiting abroad", "Visits.", year=1990)  # the phrase, outside the years
    inside = [
        await ctx.ref(f"Home visiting study {i}", "Nurses at home.", year=2010 + i)
        for i in range(3)
    ]
    query = SearchQuery(text='"home visiting"', cluster_ids=[ctx.a], year_from=2005, year_to=2020)
    page = await search(msgspec.structs.replace(query, per_page=1))
    assert (page.total, page.capped, len(page.hits)) == (2, True, 1)
    second = await search(msgspec.structs.replace(query, per_page=1, page=2))
    assert {page.hits[0].id, second.hits[0].id} < set(inside)
    assert "<mark>" in second.hits[0].title_html
    beyond = await search(msgspec.structs.replace(query, page=5))
    assert (beyond.total, beyond.capped, beyond.hits) == (2, True, [])
    monkeypatch.setattr(search_module, "CANDIDATES", 500)
    words = await ctx.ids('"visiting schools"', year_from=2011, year_to=2011)
    assert set(words) == set(apart)
    prefixed = await search(SearchQuery(text="visit*", cluster_ids=[ctx.a], per_page=2, page=2))
    assert (prefixed.total, len(prefixed.hits)) == (7, 2)
    assert all("<mark>" in hit.title_html for hit in prefixed.hits)
    exact = await search(SearchQuery(text="nurses", cluster_ids=[ctx.a], per_page=2, page=2))
    assert exact.total == 3
    assert "<mark>Nurses</mark>" in exact.hits[0].snippet_html


@pytest.mark.parametrize("common", [0.0, 1.1])
async def test_common_and_rare_words_find_the_same_first_matches(
    ctx: Ctx, monkeypatch: pytest.MonkeyPatch, common: float
) -> None:
    """PostgreSQL reads a cluster through a plain plan for a word it expects in many
    references and takes a rare word's rows from the GIN index. Either way a capped search
    ranks the first matches the plan yields (which ones depends on the plan: the newest-first
    index of the public list may serve the plain plan), only of the asked cluster, in the
    asked order, and says more match (on SQLite the setting is unused)."""
    monkeypatch.setattr(search_postgres, "COMMON", common)
    monkeypatch.setattr(search_module, "CANDIDATES", 3)
    ids = [await ctx.ref(f"Reading study {i}", "Home.", year=2000 + i) for i in range(5)]
    await ctx.ref("Reading elsewhere", "Home.", cluster=ctx.b)
    page = await search(SearchQuery(text="reading", cluster_ids=[ctx.a], sort="year"))
    assert (page.total, page.capped) == (3, True)
    hits = [h.id for h in page.hits]
    assert len(hits) == 3
    assert set(hits) <= set(ids)
    assert hits == sorted(hits, key=lambda i: -ids.index(i))  # newest year first


async def test_phrase_checks_are_bounded_on_postgres(
    ctx: Ctx, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PostgreSQL checks a phrase on at most PHRASE_CHECKS rows with its words; when those run
    out before the matches do, the page says more may match. SQLite finds the phrase in its
    index: the exact result. An export checks every row."""
    monkeypatch.setattr(search_module, "PHRASE_CHECKS", 3)
    for i in range(3):
        await ctx.ref(f"Visiting a home {i}", "Visiting hours; home care.")
    phrase = await ctx.ref("Home visiting", "Nurses.")
    page = await search(SearchQuery(text='"home visiting"', cluster_ids=[ctx.a]))
    if is_postgres():
        assert (page.total, page.capped, page.unchecked, page.hits) == (0, True, True, [])
    else:
        found = (page.total, page.capped, page.unchecked, [h.id for h in page.hits])
        assert found == (1, False, False, [phrase])
    everything = await search_module.search_ids(
        SearchQuery(text='"home visiting"', cluster_ids=[ctx.a]), 100
    )
    assert everything == [phrase]
    words = await search(SearchQuery(text="home visiting", cluster_ids=[ctx.a]))
    assert (words.total, words.capped) == (4, False)
