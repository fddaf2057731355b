"""The demo literature files in literature/demo_data/ parse cleanly and behave as the manifest says.

The manifest lists each export with its expected record count and the groups of records that are
the same work; importing the files one after another (each import checked against what is
already stored, exact duplicates merged away) must find exactly those duplicates.
"""

from __future__ import annotations

import copy
import json
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from literature.classify import SUMMARISED, classify
from literature.dedup import DedupRecord, find_duplicates
from literature.formats import Record, bibtex, csljson, medline, ris, table
from literature.formats.record import ParseResult

DEMO = Path(__file__).resolve().parents[2] / "literature" / "demo_data"
SERVICE_TYPES = {
    "barnevern",
    "skole",
    "barnehage",
    "helsestasjon",
    "ppt",
    "bup",
    "nav",
    "politi",
    "kultur_fritid",
    "annet",
}
LEVELS: dict[str, set[object]] = {
    "ungsinn": {0, 1, 2, 3, 4, 5},
    "ungsinn_old": {1, 2, 3, 4},
    "grade": {"high", "moderate", "low", "very_low"},
    "eif": {"4", "3", "2", "NL2", "NE"},
}

Ref = tuple[str, int]  # (filename, 1-based record number)


def _manifest() -> dict:
    return json.loads((DEMO / "manifest.json").read_text(encoding="utf-8"))


def _parse(filename: str, fmt: str) -> ParseResult:
    data = (DEMO / filename).read_bytes()
    if fmt == "medline":
        return medline.parse(data)
    if fmt == "ris":
        return ris.parse(data)
    if fmt == "bibtex":
        return bibtex.parse(data)
    if fmt == "csljson":
        return csljson.parse(data)
    if fmt == "xlsx":
        return table.parse(data, filename)
    raise AssertionError(f"unknown format {fmt!r} in manifest")


@cache
def _parsed() -> dict[str, ParseResult]:
    return {
        entry["filename"]: _parse(entry["filename"], entry["format"])
        for entry in _manifest()["files"]
    }


def _records() -> dict[Ref, Record]:
    """Every record by (file, number); valid because every file parses without problems."""
    return {
        (filename, number): record
        for filename, result in _parsed().items()
        for number, record in enumerate(result.records, start=1)
    }


def _import_in_order(manifest: dict) -> tuple[dict[Ref, int], list, list]:
    """Import file by file; returns keys and the exact and possible matches found."""
    keys: dict[Ref, int] = {}
    stored: list[DedupRecord] = []
    exact, possible = [], []
    for entry in manifest["files"]:
        result = _parsed()[entry["filename"]]
        new = []
        for number, record in enumerate(result.records, start=1):
            keys[(entry["filename"], number)] = len(keys)
            new.append(
                DedupRecord(
                    key=keys[(entry["filename"], number)],
                    title=record.title,
                    authors=tuple((a.family, a.given) for a in record.authors),
                    year=record.year,
                    doi=record.doi,
                    pmid=record.pmid,
                )
            )
        found = find_duplicates(new, stored)
        exact += found.exact
        possible += found.possible
        merged = {match.key for match in found.exact}
        stored += [rec for rec in new if rec.key not in merged]
    return keys, exact, possible


def duplicate_errors(manifest: dict) -> list[str]:
    """Differences between the manifest's duplicate groups and what find_duplicates reports."""
    keys, exact, possible = _import_in_order(manifest)
    names = {key: ref for ref, key in keys.items()}
    found_exact = {(m.key, m.duplicate_of): m.tier for m in exact}
    found_possible = {(m.key, m.duplicate_of) for m in possible}
    want_exact: dict[tuple[int, int], int] = {}
    want_possible: set[tuple[int, int]] = set()
    errors: list[str] = []
    for group in manifest["duplicate_groups"]:
        members = [keys.get((m["file"], m["record"])) for m in group["members"]]
        if None in members or len(members) < 2:
            errors.append(f"group {group['members']} names a record that does not exist")
            continue
        keeper, *copies = members
        for key in copies:
            pair = (key, keeper)
            if group["expect"] == "exact":
                want_exact[pair] = group["tier"]
            elif group["expect"] == "possible":
                want_possible.add(pair)
            elif group["expect"] == "not_exact":
                want_possible.add(pair)  # same title: surfaces for a person, never merged
                if pair in found_exact:
                    errors.append(f"DOI veto ignored: {names[key]} merged into {names[keeper]}")
            else:
                errors.append(f"unknown expectation {group['expect']!r}")
    for pair, tier in want_exact.items():
        if found_exact.get(pair) != tier:
            errors.append(
                f"expected tier {tier} exact {names[pair[0]]} -> {names[pair[1]]}, "
                f"found tier {found_exact.get(pair)}"
            )
    for pair in found_exact.keys() - want_exact.keys():
        errors.append(f"unexpected exact duplicate {names[pair[0]]} -> {names[pair[1]]}")
    for pair in want_possible - found_possible:
        errors.append(f"expected possible duplicate {names[pair[0]]} -> {names[pair[1]]}")
    for pair in found_possible - want_possible:
        errors.append(f"unexpected possible duplicate {names[pair[0]]} -> {names[pair[1]]}")
    return errors


# --- Files ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("entry", _manifest()["files"], ids=lambda entry: entry["filename"])
def test_file_parses_without_problems_and_matches_count(entry):
    result = _parsed()[entry["filename"]]
    assert result.problems == []
    assert result.read == entry["expected_records"]
    assert len(result.records) == entry["expected_records"]
    assert all(record.title and record.authors and record.year for record in result.records)


def test_manifest_lists_every_demo_file_with_a_source_and_query():
    manifest = _manifest()
    listed = {entry["filename"] for entry in manifest["files"]}
    on_disk = {
        path.name
        for path in DEMO.iterdir()
        if path.suffix in {".nbib", ".ris", ".bib", ".json", ".xlsx"}
        and path.name not in {"manifest.json", "measures.json", "checks.json", "adoptions.json"}
    }
    assert listed == on_disk
    for entry in manifest["files"]:
        assert entry["source"]
        assert entry["searched_on"]
        assert len(entry["query"]) > 40


def test_total_between_300_and_400():
    total = sum(entry["expected_records"] for entry in _manifest()["files"])
    assert 300 <= total <= 400
    assert sum(len(result.records) for result in _parsed().values()) == total


def test_identifiers_are_fictional():
    for ref, record in _records().items():
        assert not record.doi or record.doi.startswith("10.5555/"), ref
        assert not record.pmid or 90_000_000 <= int(record.pmid) <= 99_999_999, ref
        assert not record.url or record.url.startswith(
            ("https://example.org/", "https://pubmed.ncbi.nlm.nih.gov/")
        ), ref


def test_xlsx_is_reproducible_from_the_csv(tmp_path):
    from literature.demo_data.make_xlsx import SOURCE, build

    target = tmp_path / "fhi.xlsx"
    assert build(SOURCE, target) == len(_parsed()["fhi_oversikt_2026-10-05.xlsx"].records)
    rebuilt = table.parse(target.read_bytes(), "fhi.xlsx")
    original = _parsed()["fhi_oversikt_2026-10-05.xlsx"]
    assert [r.title for r in rebuilt.records] == [r.title for r in original.records]


# --- Duplicates ----------------------------------------------------------------------------------


def test_duplicate_groups_found_as_the_manifest_says():
    assert duplicate_errors(_manifest()) == []


def test_duplicate_figures():
    groups = _manifest()["duplicate_groups"]
    kinds = Counter((group["expect"], group["tier"]) for group in groups)
    assert kinds[("exact", 1)] >= 20
    assert kinds[("exact", 2)] >= 6
    assert kinds[("possible", 3)] >= 4
    assert kinds[("not_exact", None)] == 2
    records = _records()
    for group in groups:
        if group["expect"] == "not_exact":
            a, b = (records[(m["file"], m["record"])] for m in group["members"])
            assert a.title == b.title
            assert a.year == b.year
            assert a.doi
            assert b.doi
            assert a.doi != b.doi


def test_duplicate_check_can_fail():
    manifest = _manifest()
    broken = copy.deepcopy(manifest)
    exact = next(group for group in broken["duplicate_groups"] if group["expect"] == "exact")
    exact["expect"] = "possible"  # a merged pair reported as merely possible
    assert duplicate_errors(broken)
    dropped = copy.deepcopy(manifest)
    dropped["duplicate_groups"] = dropped["duplicate_groups"][1:]  # an unlisted duplicate
    assert any("unexpected exact" in error for error in duplicate_errors(dropped))


# --- Measures ------------------------------------------------------------------------------------


def _measures() -> list[dict]:
    return json.loads((DEMO / "measures.json").read_text(encoding="utf-8"))["measures"]


def test_measures_have_valid_fields():
    measures = _measures()
    assert len(measures) >= 10
    assert len({measure["slug"] for measure in measures}) == len(measures)
    for measure in measures:
        assert measure["demo"] is True
        assert measure["name"]
        assert measure["target_group"]
        assert 2 <= measure["description"].count(".") <= 6, measure["slug"]
        assert 0 <= measure["age_from"] <= measure["age_to"] <= 25
        assert measure["service_types"]
        assert set(measure["service_types"]) <= SERVICE_TYPES
        evidence = measure["evidence"]
        assert evidence["level"] in LEVELS[evidence["scale"]], measure["slug"]
        assert measure["links"]
        for link in measure["links"]:
            assert link["title"]
            assert link["url"].startswith("https://example.org/")


def test_measure_references_point_at_summarised_research():
    records = _records()
    for measure in _measures():
        assert measure["references"], measure["slug"]
        for ref in measure["references"]:
            record = records.get((ref["file"], ref["record"]))
            assert record is not None, (measure["slug"], ref)
            kind = classify(
                record.title, record.abstract, record.publication_types, record.keywords
            )
            assert kind.type in SUMMARISED, (measure["slug"], record.title, kind)
