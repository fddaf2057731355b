from literature.dedup import (
    DedupRecord,
    find_duplicates,
    fold,
    normalise_doi,
    normalise_pmid,
)

TITLE = "Effects of school-based physical activity on academic achievement in children"
HANSEN = (("Hansen", "Kari"),)


def rec(key, title=TITLE, authors=HANSEN, year=2020, doi="", pmid=""):
    return DedupRecord(key=key, title=title, authors=authors, year=year, doi=doi, pmid=pmid)


def pairs(matches):
    return {(m.key, m.duplicate_of, m.tier) for m in matches}


# --- normalisation ---------------------------------------------------------------------------


def test_fold_nordic_letters_and_diacritics():
    assert fold("Tromsø") == fold("TROMSO") == fold("Tromsö") == "tromso"
    assert fold("Læring på Ås") == "laering pa as"
    assert fold("  Well-being:   a (review)! ") == "well being a review"


def test_normalise_doi_variants():
    expected = "10.1002/14651858.cd012345.pub2"
    for raw in (
        "10.1002/14651858.CD012345.pub2",
        "https://doi.org/10.1002/14651858.CD012345.pub2",
        "http://dx.doi.org/10.1002/14651858.cd012345.pub2",
        "doi:10.1002/14651858.CD012345.PUB2",
        " DOI: 10.1002/14651858.CD012345.pub2 ",
    ):
        assert normalise_doi(raw) == expected


def test_normalise_pmid():
    assert normalise_pmid("PMID: 31234567") == "31234567"
    assert normalise_pmid("  ") == ""


# --- tier 1 ----------------------------------------------------------------------------------


def test_tier1_doi_case_and_prefix_variants():
    existing = [rec(1, title="Stored title", doi="10.1186/S12889-020-1234-5")]
    new = [rec(2, title="Different title", doi="https://doi.org/10.1186/s12889-020-1234-5")]
    result = find_duplicates(new, existing)
    assert pairs(result.exact) == {(2, 1, 1)}
    assert result.exact[0].score == 1.0
    assert not result.possible


def test_tier1_pmid():
    existing = [rec(1, title="Stored", pmid="31234567")]
    result = find_duplicates([rec(2, title="Other", pmid="PMID:31234567")], existing)
    assert pairs(result.exact) == {(2, 1, 1)}
    assert "PMID" in result.exact[0].reason


def test_tier1_pmid_skipped_when_dois_differ():
    existing = [rec(1, title="Alpha beta gamma delta", doi="10.1000/a", pmid="111")]
    new = [rec(2, title="Omega psi chi phi", doi="10.1000/b", pmid="111")]
    assert not find_duplicates(new, existing).exact


def test_empty_keys_never_match():
    existing = [rec(1, title="First unrelated study of things", doi="", pmid="")]
    new = [
        rec(2, title="Second unrelated piece of work", doi="  ", pmid=""),
        rec(3, title="Third completely other item", doi="", pmid="PMID:"),
    ]
    result = find_duplicates(new, existing)
    assert result.exact == []
    assert result.possible == []


# --- tier 2 ----------------------------------------------------------------------------------


def test_tier2_nordic_variants_and_punctuation():
    existing = [
        rec(1, title="Barns psykiske helse i Tromsø: en kohortstudie", authors=(("Sørlie", "Åse"),))
    ]
    new = [
        rec(
            2, title="BARNS PSYKISKE HELSE I TROMSÖ - EN KOHORTSTUDIE.", authors=(("Sorlie", "A"),)
        ),
    ]
    result = find_duplicates(new, existing)
    assert pairs(result.exact) == {(2, 1, 2)}
    assert "sorlie a" in result.exact[0].reason


def test_tier2_needs_shared_author_with_same_initial():
    existing = [rec(1, authors=(("Hansen", "Kari"),))]
    result = find_duplicates([rec(2, authors=(("Hansen", "Per"),))], existing)
    assert not result.exact
    # Same title, no shared author: still worth a look.
    assert pairs(result.possible) == {(2, 1, 3)}


def test_tier2_family_name_alone_when_given_missing():
    existing = [rec(1, authors=(("Hansen", ""),))]
    assert pairs(find_duplicates([rec(2)], existing).exact) == {(2, 1, 2)}


def test_tier2_doi_veto_falls_back_to_possible():
    existing = [rec(1, doi="10.1002/14651858.CD000001.pub2")]
    new = [rec(2, doi="10.1002/14651858.CD000001.pub3")]
    result = find_duplicates(new, existing)
    assert result.exact == []
    assert pairs(result.possible) == {(2, 1, 3)}
    assert "different DOIs" in result.possible[0].reason


def test_tier2_one_doi_missing_is_not_a_veto():
    existing = [rec(1, doi="10.1000/abc")]
    assert pairs(find_duplicates([rec(2, doi="")], existing).exact) == {(2, 1, 2)}


def test_tier2_year_plus_minus_one_but_not_two():
    existing = [rec(1, year=2020)]
    assert pairs(find_duplicates([rec(2, year=2021)], existing).exact) == {(2, 1, 2)}
    assert pairs(find_duplicates([rec(2, year=2019)], existing).exact) == {(2, 1, 2)}
    result = find_duplicates([rec(2, year=2022)], existing)
    assert result.exact == []
    assert pairs(result.possible) == {(2, 1, 3)}


def test_tier2_missing_year_becomes_possible():
    existing = [rec(1, year=None)]
    result = find_duplicates([rec(2, year=2020)], existing)
    assert result.exact == []
    assert pairs(result.possible) == {(2, 1, 3)}
    assert "year missing" in result.possible[0].reason


# --- tier 3 ----------------------------------------------------------------------------------


def test_tier3_typo():
    existing = [rec(1)]
    typo = "Effects of school-based physical activty on academic achievement in childen"
    result = find_duplicates([rec(2, title=typo, authors=())], existing)
    assert result.exact == []
    [match] = result.possible
    assert (match.key, match.duplicate_of, match.tier) == (2, 1, 3)
    assert 0.9 <= match.score < 1.0


def test_tier3_preprint_title_variant_with_different_doi():
    existing = [rec(1, year=2022, doi="10.1136/bmj-2022-070000")]
    new = [rec(2, title="Preprint: " + TITLE, year=2021, doi="10.1101/2021.03.01.21252600")]
    result = find_duplicates(new, existing)
    assert result.exact == []
    assert pairs(result.possible) == {(2, 1, 3)}


def test_tier3_unrelated_titles_do_not_match():
    existing = [rec(1)]
    other = "Effects of school meals on academic achievement in adolescents: a cohort study"
    assert find_duplicates([rec(2, title=other)], existing).possible == []


def test_tier3_short_titles_need_shared_author():
    existing = [rec(1, title="Loneliness in ageing", authors=(("Berg", "Ola"),))]
    stranger = rec(2, title="Loneliness in aging", authors=(("Dahl", "Eva"),))
    colleague = rec(3, title="Loneliness in aging", authors=(("Berg", "O."),))
    assert find_duplicates([stranger], existing).possible == []
    assert pairs(find_duplicates([colleague], existing).possible) == {(3, 1, 3)}


def test_tier3_one_word_titles_never_fuzzy():
    existing = [rec(1, title="Editorial", authors=(("Berg", "Ola"),))]
    assert find_duplicates([rec(2, title="Editorials", authors=(("Berg", "Ola"),))], existing) == (
        find_duplicates([], [])
    )


# --- decisions, order, languages -------------------------------------------------------------


def test_not_duplicates_respected_on_every_tier():
    existing = [rec(1, doi="10.1000/x", pmid="5")]
    new = [rec(2, doi="10.1000/X", pmid="5")]
    result = find_duplicates(new, existing, not_duplicates={frozenset({1, 2})})
    assert result.exact == []
    assert result.possible == []


def test_not_duplicates_picks_another_candidate():
    existing = [rec(1, doi="10.1000/x"), rec(3, doi="10.1000/x")]
    result = find_duplicates(
        [rec(2, doi="10.1000/x")], existing, not_duplicates={frozenset({1, 2})}
    )
    assert pairs(result.exact) == {(2, 3, 1)}


def test_within_import_first_occurrence_is_keeper():
    new = [
        rec(10, doi="10.1000/dup", pmid=""),
        rec(11, title="Something else entirely here", doi="", pmid="777"),
        rec(12, title="Copy", doi="https://doi.org/10.1000/DUP", pmid="777"),
        rec(13, title="Again", doi="", pmid="777"),
    ]
    result = find_duplicates(new, [])
    assert pairs(result.exact) == {(12, 10, 1), (13, 11, 1)}


def test_within_import_duplicate_ids_point_to_keeper():
    new = [rec(10, doi="10.1000/a"), rec(11, title="Copy", doi="10.1000/a", pmid="42")]
    result = find_duplicates(new, [rec(1, title="Stored", pmid="42", doi="")])
    # DOI is checked before PMID, so 11 joins 10 (within the import) rather than stored 1.
    assert pairs(result.exact) == {(11, 10, 1)}


def test_multilingual_titles():
    existing = [
        rec(1, title="Ældres ensomhed i Danmark", authors=(("Ærø", "Søren"),), year=2019),
        rec(2, title="Évaluation d'un programme de prévention à l'école", year=2018),
        rec(3, title="Kinder und Jugendliche in Österreich: Gesundheitsbericht", year=2017),
        rec(4, title="Utdanning og helse blant unge voksne i Nord-Norge", year=2016),
    ]
    new = [
        rec(11, title="AELDRES ENSOMHED I DANMARK", authors=(("Aero", "S"),), year=2019),
        rec(12, title="Evaluation d’un programme de prevention a l’ecole", year=2019),
        rec(13, title="Kinder und Jugendliche in Osterreich - Gesundheitsbericht", year=2017),
        # Same words, different study: a different language's title does not match.
        rec(14, title="Education and health among young adults in Northern Norway", year=2016),
    ]
    result = find_duplicates(new, existing)
    assert pairs(result.exact) == {(11, 1, 2), (12, 2, 2), (13, 3, 2)}
    assert result.possible == []


def test_identical_citation_without_year_merges_but_not_with_another_journal() -> None:
    authors = (("Nordmann", "Kari"),)
    stored = [DedupRecord(1, "Barn i fosterhjem", authors, None, container="Tidsskrift A")]
    same = DedupRecord(2, "Barn i fosterhjem", authors, None, container="tidsskrift a")
    other_journal = DedupRecord(3, "Barn i fosterhjem", authors, None, container="Tidsskrift B")
    no_authors = DedupRecord(4, "Barn i fosterhjem", (), None, container="Tidsskrift A")
    result = find_duplicates([same], stored)
    assert [(m.key, m.tier) for m in result.exact] == [(2, 2)]
    for record in (other_journal, no_authors):
        assert find_duplicates([record], stored).exact == []
