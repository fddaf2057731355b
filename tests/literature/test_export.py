"""Export to RIS, BibTeX, CSL-JSON and .xlsx, checked by importing the files again."""

from __future__ import annotations

import dataclasses
import io
import json
import re
from collections.abc import Callable

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from literature.dedup import DedupRecord, find_duplicates
from literature.export import (
    BIBTEX_ENTRY_TYPES,
    EXPORTERS,
    XLSX_COLUMNS,
    bibtex_keys,
    csl_type,
    to_bibtex,
    to_csljson,
    to_ris,
    to_xlsx,
)
from literature.formats import bibtex, csljson, ris, table
from literature.formats.record import Author, Record, make_record

ABSTRACT = """Bakgrunn: Tidlig innsats er et mål.
Metode: 50 % av barna (n = 120) ble fulgt i to år.

Resultater: Færre henvisninger — særlig i Tromsø & Alta."""

RECORDS = [
    make_record(
        raw="",
        title="Tidlig innsats i barnehagen: effekter på språkutvikling i Tromsø og Ålesund",
        abstract=ABSTRACT,
        authors=[Author("Sæther", "Kjersti"), Author("Øverland", "Pål Andreas")],
        year=2021,
        container="Tidsskrift for Den norske legeforening",
        volume="141",
        issue="4",
        pages="112-120",
        doi="10.4045/tidsskr.20.0123",
        pmid="33754321",
        publication_types=["Journal Article", "Randomized Controlled Trial"],
        keywords=["barnehage", "språk", "Child, Preschool"],
        language="nor",
        url="https://tidsskriftet.no/2021/03/tidlig-innsats?a=1&b=2_c%20d",
    ),
    make_record(
        raw="",
        title="{Effects} of 50% & more_ on $costs$ #1 -- or --- \\emph{not} ~ ^2 'q' `b` \"c\"",
        abstract="Braces {like} these, 100% & _under_ ... and ``quotes''.",
        authors=[Author("Folkehelseinstituttet", ""), Author("World Health Organization", "")],
        year=None,
        container="",
        publication_types=["Report"],
        keywords=["Child, Preschool"],
    ),
    make_record(
        raw="",
        title="Sámi mánáid dearvvašvuohta: čoahkkáigeassu ja ŋ, đ, š, ŧ, ž",
        authors=[Author("Aikio", "Áile"), Author("Čoavddaš", "Đánel"), Author("Ŋuolla", "")],
        year=2019,
        container="Sámi dieđalaš áigečála",
        pages="e1234",
        publication_types=["Systematic Review"],
        language="sme",
    ),
    make_record(
        raw="",
        title="城市社区老年人抑郁症状的干预研究",
        abstract="目的：探讨社区干预的效果。方法：随机对照试验。",
        authors=[Author("王", "丽"), Author("Müller", "Jürgen"), Author("van der Berg", "Jan")],
        year=2022,
        container="Journal of Affective Disorders",
        volume="300",
        pages="1-9",
        doi="10.1016/j.jad.2022.01.001",
        publication_types=["Journal Article"],
        keywords=["depresjon", "eldre"],
        language="chi",
    ),
    make_record(
        raw="",
        title="Straßenverkehr und Gesundheit: Maßnahmen für Kommunen (Café, naïve, señor)",
        authors=[Author("Groß", "Jürgen")],
        year=2019,
        container="Handbuch Gesundheitsförderung",
        publication_types=["Book Section"],
    ),
    make_record(raw="", title="Bare en tittel", pmid="1", publication_types=["Journal Article"]),
    # Same first author, year and first word as another record: BibTeX keys must differ.
    make_record(
        raw="",
        title="Tidlig innsats i skolen",
        authors=[Author("Sæther", "Kjersti")],
        year=2021,
        container="Tidsskrift for Den norske legeforening",
        publication_types=["Journal Article"],
    ),
]

FIELDS = [field.name for field in dataclasses.fields(Record) if field.name != "raw"]


def _fields(record: Record, *, types: bool = True) -> dict[str, object]:
    values = {name: getattr(record, name) for name in FIELDS}
    if not types:
        del values["publication_types"]
    return values


def _bibtex_types(record: Record) -> tuple[str, ...]:
    kind = csl_type(record)
    return (kind,) if kind in BIBTEX_ENTRY_TYPES else ()


def _parse_xlsx(data: bytes):
    return table.parse(data, "export.xlsx")


PARSERS: dict[str, Callable[[bytes], object]] = {
    "ris": ris.parse,
    "bibtex": bibtex.parse,
    "csljson": csljson.parse,
    "xlsx": _parse_xlsx,
}
# What each format gives back as publication types (see literature/export.py).
EXPECTED_TYPES: dict[str, Callable[[Record], tuple[str, ...]]] = {
    "ris": lambda record: record.publication_types,
    "xlsx": lambda record: record.publication_types,
    "csljson": lambda record: (csl_type(record),),
    "bibtex": _bibtex_types,
}


def _round_trip(name: str, records: list[Record]) -> list[Record]:
    export, _media_type, _extension = EXPORTERS[name]
    result = PARSERS[name](export(records))
    assert result.problems == []
    return result.records


@pytest.mark.parametrize("name", sorted(EXPORTERS))
def test_round_trip_keeps_every_field(name: str) -> None:
    back = _round_trip(name, RECORDS)
    assert len(back) == len(RECORDS)
    for original, again in zip(RECORDS, back, strict=True):
        assert _fields(again, types=False) == _fields(original, types=False)
        assert again.publication_types == EXPECTED_TYPES[name](original)


@pytest.mark.parametrize("name", sorted(EXPORTERS))
def test_reimport_yields_no_new_records(name: str) -> None:
    back = _round_trip(name, RECORDS)

    def dedup(records: list[Record], offset: int) -> list[DedupRecord]:
        return [
            DedupRecord(
                key=offset + index,
                title=record.title,
                authors=tuple((author.family, author.given) for author in record.authors),
                year=record.year,
                doi=record.doi,
                pmid=record.pmid,
                container=record.container,
            )
            for index, record in enumerate(records)
        ]

    result = find_duplicates(dedup(back, 1000), dedup(RECORDS, 0))
    # Every reimported record is an exact duplicate: records without year or identifier merge
    # as identical citations (same authors and journal, both years missing).
    no_year = {
        i
        for i, record in enumerate(RECORDS)
        if record.year is None and not record.doi and not record.pmid
    }
    assert no_year == {1}
    assert sorted(match.key - 1000 for match in result.exact) == list(range(len(RECORDS)))
    assert all(match.tier in {1, 2} for match in result.exact)
    assert result.possible == []
    # Each reimported record matches its own original, not a look-alike.
    matches = result.exact
    assert all(match.key - 1000 == match.duplicate_of for match in matches)


def test_ris_keeps_every_publication_type_and_missing_ones_get_the_ty_name() -> None:
    record = make_record(raw="", title="T", publication_types=["Review", "Meta-Analysis"])
    (back,) = ris.parse(to_ris([record])).records
    assert back.publication_types == ("Review", "Meta-Analysis")
    assert b"TY  - JOUR" in to_ris([record])
    (untyped,) = ris.parse(to_ris([make_record(raw="", title="T")])).records
    assert untyped.publication_types == ("Generic",)


def test_ris_page_ranges_split_only_when_they_come_back_the_same() -> None:
    for pages in ("112-120", "5-5", "e1234", "S12-S14", "112 - 120", "A-1-A-5", "-5"):
        record = make_record(raw="", title="T", pages=pages)
        (back,) = ris.parse(to_ris([record])).records
        assert back.pages == record.pages, pages


def test_bibtex_keys_unique_ascii_and_readable() -> None:
    keys = bibtex_keys(RECORDS + RECORDS)
    assert len(set(keys)) == len(keys)
    assert all(re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", key) for key in keys)
    assert keys[0] == "Saether2021Tidlig"
    assert keys[6] == "Saether2021Tidliga"
    cjk = make_record(raw="", title="城市", authors=[Author("王", "丽")])
    assert bibtex_keys([cjk, cjk]) == ["ref", "refa"]


def test_bibtex_escapes_specials_and_entry_types() -> None:
    text = to_bibtex(RECORDS).decode()
    assert r"\{Effects\} of 50\% \& more\_" in text
    for entry_type in ("@article{", "@incollection{", "@report{"):
        assert entry_type in text
    assert "booktitle = {{Handbuch" in text
    (back,) = bibtex.parse(to_bibtex([RECORDS[1]])).records
    assert back.title == RECORDS[1].title


def test_csljson_is_valid_csl() -> None:
    items = json.loads(to_csljson(RECORDS))
    assert [item["type"] for item in items][:3] == ["article-journal", "report", "article-journal"]
    assert items[1]["author"] == [
        {"literal": "Folkehelseinstituttet"},
        {"literal": "World Health Organization"},
    ]
    assert items[0]["issued"] == {"date-parts": [[2021]]}
    assert "issued" not in items[1]
    assert items[0]["keyword"] == "barnehage; språk; Child, Preschool"
    assert len({item["id"] for item in items}) == len(items)


def test_xlsx_sheet_header_and_cells() -> None:
    formula_like = make_record(raw="", title="=SUM(A1:A2) is not a formula", pmid="123")
    workbook = openpyxl.load_workbook(io.BytesIO(to_xlsx([*RECORDS, formula_like])))
    sheet = workbook["Referanser"]
    assert workbook.sheetnames == ["Referanser"]
    header = [cell.value for cell in sheet[1]]
    assert header == [name for name, _width in XLSX_COLUMNS]
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width == 60
    assert sheet.max_row == len(RECORDS) + 2
    assert sheet.cell(row=2, column=3).value == 2021
    assert sheet.cell(row=sheet.max_row, column=1).value == "=SUM(A1:A2) is not a formula"
    (back,) = table.parse(to_xlsx([formula_like]), "a.xlsx").records
    assert back.title == formula_like.title
    assert back.pmid == "123"


def test_empty_export_and_exporters_table() -> None:
    assert set(EXPORTERS) == {"ris", "bibtex", "csljson", "xlsx"}
    assert [EXPORTERS[name][2] for name in ("ris", "bibtex", "csljson", "xlsx")] == [
        "ris",
        "bib",
        "json",
        "xlsx",
    ]
    assert json.loads(to_csljson([])) == []
    assert to_ris([]) == b""
    assert openpyxl.load_workbook(io.BytesIO(to_xlsx([]))).active.max_row == 1


def test_table_reads_several_publication_types() -> None:
    data = 'Title;Publication Types\nT;"Journal Article; Research Support, Non-U.S. Gov\'t"\n'
    (record,) = table.parse(data.encode(), "a.csv").records
    assert record.publication_types == ("Journal Article", "Research Support, Non-U.S. Gov't")


# --- Property tests ----------------------------------------------------------------------------


def _normalised(text: str) -> str:
    return make_record(raw="", title=text).title


# Letters, marks, numbers, punctuation, symbols and spaces from all scripts; no control or
# surrogate characters. make_record (NFC, collapsed whitespace) is the normaliser.
_TEXT = st.text(
    alphabet=st.characters(categories=("L", "M", "N", "P", "S", "Zs")), max_size=40
).map(_normalised)
_NAME = st.text(
    alphabet=st.characters(categories=("L", "M", "Zs"), exclude_characters=",;"),
    min_size=1,
    max_size=15,
).map(_normalised)
_KEYWORD = _TEXT.filter(lambda text: text and ";" not in text)


@st.composite
def _records(draw: st.DrawFn) -> Record:
    authors = draw(st.lists(st.tuples(_NAME, _NAME | st.just("")), max_size=4))
    return make_record(
        raw="",
        title=draw(_TEXT.filter(bool)),
        abstract=draw(_TEXT),
        authors=[Author(family, given) for family, given in authors if family],
        year=draw(st.none() | st.integers(1500, 2100)),
        container=draw(_TEXT),
        volume=draw(_TEXT),
        issue=draw(_TEXT),
        pages=draw(_TEXT),
        doi=draw(
            st.just("") | st.from_regex(r"10\.\d{4,6}/[a-z0-9._()<>;#-]{1,20}", fullmatch=True)
        ),
        pmid=draw(st.just("") | st.from_regex(r"[1-9][0-9]{0,8}", fullmatch=True)),
        publication_types=draw(st.lists(_KEYWORD, max_size=3)),
        keywords=draw(st.lists(_KEYWORD, max_size=4)),
        language=draw(_TEXT),
        url=draw(_TEXT),
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_records(), min_size=1, max_size=4))
def test_ris_round_trip_property(records: list[Record]) -> None:
    # Pages are split into SP/EP only when that reads back the same; types need a non-empty list.
    back = ris.parse(to_ris(records)).records
    assert len(back) == len(records)
    for original, again in zip(records, back, strict=True):
        assert _fields(again, types=False) == _fields(original, types=False)
        if original.publication_types:
            assert again.publication_types == original.publication_types


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_records(), min_size=1, max_size=4))
def test_csljson_round_trip_property(records: list[Record]) -> None:
    # csljson.py turns an en dash in pages into a hyphen; the exporter writes pages as they are.
    back = csljson.parse(to_csljson(records)).records
    assert len(back) == len(records)
    for original, again in zip(records, back, strict=True):
        expected = _fields(original, types=False)
        expected["pages"] = original.pages.replace("\u2013", "-")
        assert _fields(again, types=False) == expected
        assert again.publication_types == (csl_type(original),)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_records(), min_size=1, max_size=4))
def test_xlsx_round_trip_property(records: list[Record]) -> None:
    back = table.parse(to_xlsx(records), "a.xlsx").records
    assert [_fields(record) for record in back] == [_fields(record) for record in records]
