"""Full-text search over references: the same cases on SQLite (FTS5) and PostgreSQL (tsvector).

Engine differences are asserted in explicit branches (see literature/search.py):
* SQLite folds å/é but not ø/æ; PostgreSQL (with unaccent, installed by the migration when the
  server allows) folds all three.
* Both stem English (porter / snowball); only PostgreSQL stems Norwegian.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from klynge.db import is_postgres
from klynge.orgs.tables import Cluster, Municipality
from literature import search as search_module
from literature.search import SearchQuery, parse_query, rebuild_index, search
from literature.tables import (
    CheckReview,
    LiteratureCheck,
    LiteratureImport,
    Measure,
    MeasureReference,
    Reference,
    ReferenceSource,
)
from priorities.tables import Need


@dataclass
class Ctx:
    a: int
    b: int
    muni: int

    async def ref(self, title: str, abstract: str = "", *, cluster: int | None = None, **kw: Any):
        row = await Reference.insert(
            Reference(cluster=cluster or self.a, title=title, abstract=abstract, **kw)
        ).returning(Reference.id)
        return row[0]["id"]

    async def ids(self, text: str = "", **kw: Any) -> list[int]:
        kw.setdefault("cluster_ids", [self.a])
        page = await search(SearchQuery(text=text, **kw))
        return [h.id for h in page.hits]


@pytest.fixture
async def ctx(db: None) -> Ctx:
    muni = (
        await Municipality.insert(
            Municipality(
                number="4601", name="Bergen", county="Vestland", valid_from=dt.date(2024, 1, 1)
            )
        ).returning(Municipality.id)
    )[0]["id"]
    ids = []
    for name in ("Klynge Vest", "Klynge Midt"):
        row = await Cluster.insert(Cluster(name=name, motor_municipality=muni)).returning(
            Cluster.id
        )
        ids.append(row[0]["id"])
    return Ctx(a=ids[0], b=ids[1], muni=muni)


async def test_title_hit_outranks_abstract_only_hit(ctx: Ctx) -> None:
    abstract_only = await ctx.ref("A study of schools", "Effects of parenting support at home.")
    in_title = await ctx.ref("Parenting support in municipalities", "A national survey.")
    await ctx.ref("Unrelated", "Nothing to see.")
    page = await search(SearchQuery(text="parenting", cluster_ids=[ctx.a]))
    assert [h.id for h in page.hits] == [in_title, abstract_only]
    assert page.total == 2
    assert page.hits[0].score > page.hits[1].score > 0


async def test_keywords_are_searchable(ctx: Ctx) -> None:
    rid = await ctx.ref("A study", "Abstract text.", keywords_text="bullying; mobbing")
    await ctx.ref("Another study", "Abstract text.")
    assert await ctx.ids("mobbing") == [rid]
    assert await ctx.ids("bullying") == [rid]


async def test_every_filter(ctx: Ctx) -> None:
    old = await ctx.ref("Sleep in teens", year=2001, evidence_type="rct", language="eng")
    new = await ctx.ref(
        "Sleep in children",
        year=2020,
        evidence_type="systematic_review",
        summarised=True,
        language="NOR",
    )
    none = await ctx.ref("Sleep habits", evidence_type="other")
    assert set(await ctx.ids("sleep")) == {old, new, none}
    assert await ctx.ids("sleep", year_from=2010) == [new]
    assert await ctx.ids("sleep", year_to=2010) == [old]
    assert await ctx.ids("sleep", year_from=2000, year_to=2025) == [new, old]
    assert await ctx.ids("sleep", year_from=2019, year_to=2021) == [new]  # a short range
    assert await ctx.ids("sleep", evidence_types=["rct"]) == [old]
    assert set(await ctx.ids("sleep", evidence_types=["rct", "other"])) == {old, none}
    assert await ctx.ids("sleep", summarised_only=True) == [new]
    assert await ctx.ids("sleep", language="nor") == [new]
    assert await ctx.ids("", language="ENG") == [old]
    assert set(await ctx.ids("sleep", reference_ids=[old, none])) == {old, none}
    assert await ctx.ids("sleep", reference_ids=[]) == []
    # source: via the imports that read the record; an undone import does not count
    imports = {}
    for name, status in (("PubMed", "done"), ("Cochrane Library", "undone")):
        row = await LiteratureImport.insert(
            LiteratureImport(
                cluster=ctx.a, filename="f.ris", format="ris", source=name, status=status
            )
        ).returning(LiteratureImport.id)
        imports[name] = row[0]["id"]
    await ReferenceSource.insert(
        ReferenceSource(reference=old, literature_import=imports["PubMed"], position=1),
        ReferenceSource(reference=new, literature_import=imports["Cochrane Library"], position=1),
    )
    assert await ctx.ids("sleep", source="pubmed") == [old]
    assert await ctx.ids("", source="PUBMED") == [old]
    assert await ctx.ids("sleep", source="cochrane library") == []
    assert await ctx.ids("sleep", source="Embase") == []


async def test_pagination_and_totals(ctx: Ctx) -> None:
    ids = [await ctx.ref(f"Report on reading {i}", year=2000 + i) for i in range(30)]
    await ctx.ref("Other topic", year=1999)
    page1 = await search(SearchQuery(text="reading", cluster_ids=[ctx.a], per_page=10))
    page3 = await search(SearchQuery(text="reading", cluster_ids=[ctx.a], per_page=10, page=3))
    beyond = await search(SearchQuery(text="reading", cluster_ids=[ctx.a], per_page=10, page=9))
    assert (page1.total, page3.total, beyond.total) == (30, 30, 30)
    assert len(page1.hits) == len(page3.hits) == 10
    assert beyond.hits == []
    every = [h.id for p in (page1, page3) for h in p.hits]
    assert len(set(every)) == 20
    # empty text: filters only, year descending then id
    plain = await search(SearchQuery(cluster_ids=[ctx.a], per_page=7, page=2))
    assert plain.total == 31
    assert [h.id for h in plain.hits] == list(reversed(ids))[7:14]
    assert (await search(SearchQuery(cluster_ids=[ctx.a], per_page=10_000))).per_page == 200
    by_title = await search(SearchQuery(text="report", cluster_ids=[ctx.a], sort="title"))
    titles = [h.title_html for h in by_title.hits]
    assert titles == sorted(titles, key=str.lower)
    by_year = await search(SearchQuery(text="report", cluster_ids=[ctx.a], sort="year"))
    assert [h.year for h in by_year.hits][:3] == [2029, 2028, 2027]


async def test_highlighting_marks_terms_and_escapes_markup(ctx: Ctx) -> None:
    rid = await ctx.ref(
        "<script>alert('x')</script> Parenting & schools",
        "Long introduction words here. " * 20 + "We studied parenting <b>programmes</b>.",
        authors=[["Nordmann", "Kari"]],
        container="Journal <i>",
        doi="10.1/x",
        year=2021,
    )
    page = await search(SearchQuery(text="parenting", cluster_ids=[ctx.a]))
    (hit,) = page.hits
    assert hit.id == rid
    assert "<script>" not in hit.title_html
    assert "&lt;script&gt;" in hit.title_html
    assert "<mark>Parenting</mark>" in hit.title_html
    assert "&amp;" in hit.title_html
    assert "<mark>parenting</mark>" in hit.snippet_html
    assert "<b>" not in hit.snippet_html
    assert hit.authors == [["Nordmann", "Kari"]]
    assert (hit.container, hit.doi, hit.year) == ("Journal <i>", "10.1/x", 2021)
    # without text: escaped, unmarked
    (plain,) = (await search(SearchQuery(cluster_ids=[ctx.a]))).hits
    assert "<mark>" not in plain.title_html
    assert "&lt;script&gt;" in plain.title_html


@pytest.mark.parametrize(
    "text",
    [
        '"',
        '"parenting',
        "parenting\"'",
        "(",
        "(parenting",
        ")",
        "NEAR",
        "NEAR(parenting support)",
        "parenting NEAR/2 support",
        "-",
        "-parenting",
        "*",
        "parenting*",
        "**",
        "title:",
        "title:parenting",
        "abstract:parenting OR",
        "OR",
        "OR OR parenting",
        "AND NOT",
        "😀",
        "parenting 😀",
        "!!! ??? ...",
        "^",
        "{}",
        "'; DROP TABLE literature_reference; --",
        "北京大学 研究",
        "e\u0301cole",
        "\u0000",
        "a" * 3000,
        " ".join(["word"] * 200),
    ],
)
async def test_hostile_queries_never_crash(ctx: Ctx, text: str) -> None:
    rid = await ctx.ref("Parenting support", "Support for parents.")
    page = await search(SearchQuery(text=text, cluster_ids=[ctx.a]))
    assert page.total == len(page.hits)
    assert set(h.id for h in page.hits) <= {rid}
    assert await Reference.count() == 1


async def test_query_syntax_or_phrase_prefix(ctx: Ctx) -> None:
    school = await ctx.ref("School absence", "Pupils stay home.")
    sleep = await ctx.ref("Sleep and screens", "Teenagers sleep less with screens at night.")
    both = await ctx.ref("Screens at school", "School rules for phones.")
    assert set(await ctx.ids("school OR sleep")) == {school, sleep, both}
    assert set(await ctx.ids("school screens")) == {both}
    assert await ctx.ids('"screens at night"') == [sleep]
    assert await ctx.ids('"night at screens"') == []
    assert set(await ctx.ids("teen*")) == {sleep}
    assert set(await ctx.ids("scho*")) == {school, both}
    assert parse_query('a OR b "c d" e* -f') == parse_query('a OR b "c d" e* f')


async def test_updates_and_deletes_are_reflected(ctx: Ctx) -> None:
    rid = await ctx.ref("Loneliness among elderly", "A study.")
    assert await ctx.ids("loneliness") == [rid]
    await Reference.update({Reference.title: "Physical activity among elderly"}).where(
        Reference.id == rid
    )
    assert await ctx.ids("loneliness") == []
    assert await ctx.ids("physical") == [rid]
    await Reference.update({Reference.keywords_text: "ensomhet"}).where(Reference.id == rid)
    assert await ctx.ids("ensomhet") == [rid]
    await Reference.update({Reference.year: 2020}).where(Reference.id == rid)
    assert await ctx.ids("physical") == [rid]
    assert await ctx.ids("physical", year_from=2020, year_to=2020) == [rid]
    await Reference.update({Reference.evidence_type: "rct"}).where(Reference.id == rid)
    assert await ctx.ids("physical", evidence_types=["rct"]) == [rid]
    assert await ctx.ids("physical", evidence_types=["other"]) == []
    await Reference.delete().where(Reference.id == rid)
    assert await ctx.ids("physical") == []
    await rebuild_index()
    assert await ctx.ids("physical") == []
    other = await ctx.ref("Physical education", "Gym.")
    await rebuild_index()
    assert await ctx.ids("physical") == [other]


async def test_merged_duplicates_are_hidden(ctx: Ctx) -> None:
    keeper = await ctx.ref("Vaccination uptake", "Keeper.")
    dup = await ctx.ref("Vaccination uptake", "Duplicate.")
    await Reference.update({Reference.merged_into: keeper}).where(Reference.id == dup)
    assert await ctx.ids("vaccination") == [keeper]
    assert await ctx.ids("") == [keeper]
    assert await ctx.ids("", reference_ids=[dup]) == []


async def test_public_only(ctx: Ctx) -> None:
    in_measure = await ctx.ref("Early intervention A", summarised=True)
    in_public_check = await ctx.ref("Early intervention B")
    in_private_check = await ctx.ref("Early intervention C")
    in_open_check = await ctx.ref("Early intervention D")
    await ctx.ref("Early intervention E")
    other_cluster = await ctx.ref("Early intervention F", cluster=ctx.b)
    measure = (
        await Measure.insert(Measure(name="M", slug="m", scale="grade", level="high")).returning(
            Measure.id
        )
    )[0]["id"]
    await MeasureReference.insert(
        MeasureReference(measure=measure, reference=in_measure),
        MeasureReference(measure=measure, reference=other_cluster),
    )
    need = (
        await Need.insert(
            Need(
                cluster=ctx.a,
                municipality=ctx.muni,
                title="Behov",
                question="Spørsmål?",
                prevention_level="universal",
                intended_use="other",
            )
        ).returning(Need.id)
    )[0]["id"]
    for rid, public, status in (
        (in_public_check, True, "completed"),
        (in_private_check, False, "completed"),
        (in_open_check, True, "open"),
    ):
        check = (
            await LiteratureCheck.insert(
                LiteratureCheck(
                    cluster=ctx.a, need=need, question="Q", public=public, status=status
                )
            ).returning(LiteratureCheck.id)
        )[0]["id"]
        await CheckReview.insert(CheckReview(check=check, reference=rid))
    public = set(await ctx.ids("intervention", public_only=True))
    assert public == {in_measure, in_public_check}
    everywhere = set(await ctx.ids("intervention", public_only=True, cluster_ids=None))
    assert everywhere == {in_measure, in_public_check, other_cluster}
    assert set(await ctx.ids("", public_only=True, cluster_ids=None)) == everywhere
    with pytest.raises(ValueError, match="public search only"):
        await search(SearchQuery(text="intervention"))


async def test_cluster_scoping(ctx: Ctx) -> None:
    mine = await ctx.ref("Dental health", "Teeth.")
    theirs = await ctx.ref("Dental health", "Teeth.", cluster=ctx.b)
    assert await ctx.ids("dental") == [mine]
    assert await ctx.ids("dental", cluster_ids=[ctx.b]) == [theirs]
    assert set(await ctx.ids("dental", cluster_ids=[ctx.a, ctx.b])) == {mine, theirs}
    assert await ctx.ids("dental", cluster_ids=[]) == []
    assert await ctx.ids("", reference_ids=[theirs]) == []


async def test_norwegian_text_with_and_without_diacritics(ctx: Ctx) -> None:
    rid = await ctx.ref(
        "Tiltak mot frafall i høyskolen på Ålesund",
        "Barnehage og skole samarbeider om tidlig innsats for barn og unge.",
        language="nob",
    )
    # common behaviour: exact Norwegian words, with diacritics, and å/Å folded both ways
    assert await ctx.ids("høyskolen") == [rid]
    assert await ctx.ids("HØYSKOLEN") == [rid]
    assert await ctx.ids("ålesund") == [rid]
    assert await ctx.ids("Alesund") == [rid]
    assert await ctx.ids("tidlig innsats") == [rid]
    assert await ctx.ids('"tidlig innsats"') == [rid]
    page = await search(SearchQuery(text="høyskolen", cluster_ids=[ctx.a]))
    assert "<mark>høyskolen</mark>" in page.hits[0].title_html
    if is_postgres():
        # unaccent folds ø too, and the Norwegian snowball stemmer merges inflections
        assert await ctx.ids("hoyskolen") == [rid]
        assert await ctx.ids("barnehagene") == [rid]
        assert await ctx.ids("høyskole") == [rid]
    else:
        # ø has no Unicode decomposition: unicode61 keeps it; porter does not stem Norwegian
        assert await ctx.ids("hoyskolen") == []
        assert await ctx.ids("barnehagene") == []
        assert await ctx.ids("høysk*") == [rid]


async def test_english_stemming_on_both_engines(ctx: Ctx) -> None:
    rid = await ctx.ref("Screening of children", "An intervention for each child.")
    assert await ctx.ids("interventions") == [rid]
    assert await ctx.ids("screened") == [rid]
    assert await ctx.ids("child") == [rid]


async def test_many_matches_are_capped_and_an_export_takes_them_all(
    ctx: Ctx, monkeypatch: pytest.MonkeyPatch
) -> None:
    """More matches than the search ranks: the page says so, ranks the first ones found, and
    pages only through those; an export still takes every hit. Likewise a search without
    text counts no further than its limit."""
    monkeypatch.setattr(search_module, "CANDIDATES", 4)
    monkeypatch.setattr(search_module, "COUNT_LIMIT", 5)
    ids = [await ctx.ref(f"Study {i}", "About reading at home.", year=2000 + i) for i in range(6)]
    titled = await ctx.ref("Reading at school", "Pupils.", year=1990)
    page = await search(SearchQuery(text="reading", cluster_ids=[ctx.a], per_page=3))
    assert (page.total, page.capped, len(page.hits)) == (4, True, 3)
    ranked = {h.id for h in page.hits}
    rest = await search(SearchQuery(text="reading", cluster_ids=[ctx.a], per_page=3, page=2))
    assert len(rest.hits) == 1
    assert ranked.isdisjoint(h.id for h in rest.hits)
    assert ranked | {h.id for h in rest.hits} <= {*ids, titled}
    by_year = await search(SearchQuery(text="reading", cluster_ids=[ctx.a], sort="year"))
    years = [h.year for h in by_year.hits]
    assert by_year.capped
    assert len(years) == 4
    assert years == sorted(years, reverse=True)
    everything = await search_module.search_ids(
        SearchQuery(text="reading", cluster_ids=[ctx.a]), 100
    )
    assert everything[0] == titled  # the title hit ranks first among all hits
    assert set(everything) == {*ids, titled}
    listed = await search(SearchQuery(cluster_ids=[ctx.a], per_page=10))
    assert (listed.total, listed.capped, len(listed.hits)) == (5, True, 5)
    exact = await search(SearchQuery(text="school", cluster_ids=[ctx.a]))
    assert (exact.total, exact.capped, [h.id for h in exact.hits]) == (1, False, [titled])
