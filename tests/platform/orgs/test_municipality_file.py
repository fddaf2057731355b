"""Tests for the municipality bulk-import parser."""

from __future__ import annotations

import dataclasses
import io
import random
import zipfile
from collections.abc import Sequence
from datetime import date, datetime

import openpyxl
import pytest

from klynge.orgs import municipality_file
from klynge.orgs.municipality_file import (
    FileFormatError,
    MunicipalityRow,
    RowError,
    parse_municipality_file,
)
from klynge.orgs.validators import LanguageDecision

HEADER = ["Kommunenummer", "Navn", "Fylke", "Innbyggere", "Målform", "Gyldig fra"]


def xlsx(rows: Sequence[Sequence[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(text: str, *, encoding: str = "utf-8") -> bytes:
    return text.encode(encoding)


def cells(errors: list[RowError]) -> set[tuple[int, str]]:
    return {(error.row, error.column) for error in errors}


def test_xlsx_with_excel_types() -> None:
    data = xlsx(
        [
            HEADER,
            [301, "Oslo", "Oslo", 717710, "nøytral", datetime(2024, 1, 1)],
            ["4601", " Bergen ", None, None, "Nynorsk", None],
            [5001, "Trondheim", 50, "214 565", "bokmål", "01.01.2024"],
        ]
    )
    rows, errors = parse_municipality_file(data, "kommuner.XLSX")
    assert errors == []
    start = date(2024, 1, 1)
    lang = LanguageDecision
    assert rows == [
        MunicipalityRow(2, "0301", "Oslo", "Oslo", 717710, lang.NEUTRAL, start),
        MunicipalityRow(3, "4601", "Bergen", "Vestland", None, lang.NYNORSK, start),
        MunicipalityRow(4, "5001", "Trondheim", "Trøndelag", 214565, lang.BOKMAL, start),
    ]


def test_semicolon_csv_with_bom_and_spaced_population() -> None:
    text = (
        "Kommunenr;Kommunenavn;Folketall;Språk;Gyldig_fra\r\n"
        "0301;Oslo;717\u00a0710;bokmål;2024-01-01\r\n"
        "1103;Stavanger;149 048;;\r\n"
    )
    rows, errors = parse_municipality_file(csv_bytes("\ufeff" + text), "kommuner.csv")
    assert errors == []
    assert [(r.number, r.name, r.population, r.language, r.county) for r in rows] == [
        ("0301", "Oslo", 717710, LanguageDecision.BOKMAL, "Oslo"),
        ("1103", "Stavanger", 149048, LanguageDecision.NEUTRAL, "Rogaland"),
    ]


def test_comma_csv_with_english_headers() -> None:
    text = 'code,name,population,language,valid_from\n4601,"Bergen, by",291940,nn,01.01.2024\n'
    rows, errors = parse_municipality_file(csv_bytes(text), "x.csv")
    assert errors == []
    assert rows[0].name == "Bergen, by"
    assert rows[0].language is LanguageDecision.NYNORSK


def test_cp1252_csv_is_read() -> None:
    text = "Kommunenummer;Navn;Målform\n1103;Stavanger;Bokmål\n5001;Trøndelag-test;nøytral\n"
    rows, errors = parse_municipality_file(csv_bytes(text, encoding="cp1252"), "x.csv")
    assert errors == []
    assert [r.name for r in rows] == ["Stavanger", "Trøndelag-test"]


@pytest.mark.parametrize(
    "header",
    ["  KOMMUNENUMMER ;navn", "Knr;Kommune", "nummer;name", "Kommune-nr.;Kommune navn"],
)
def test_header_aliases(header: str) -> None:
    rows, errors = parse_municipality_file(csv_bytes(f"{header}\n0301;Oslo\n"), "x.csv")
    assert errors == []
    assert [(r.number, r.name) for r in rows] == [("0301", "Oslo")]


def test_missing_required_columns_are_reported_on_row_1() -> None:
    rows, errors = parse_municipality_file(csv_bytes("Fylke;Innbyggere\nOslo;1\n"), "x.csv")
    assert rows == []
    assert cells(errors) == {(1, "kommunenummer"), (1, "navn")}


def test_duplicate_header_is_reported() -> None:
    rows, errors = parse_municipality_file(csv_bytes("knr;navn;nummer\n0301;Oslo;0301\n"), "x.csv")
    assert rows == []
    assert cells(errors) == {(1, "kommunenummer")}


def test_every_bad_row_is_reported() -> None:
    data = xlsx(
        [
            HEADER,
            ["0301", "Oslo", None, 717710, None, None],  # 2: fine
            ["46O1", "Bergen", None, None, None, None],  # 3: bad number
            ["4602", "", None, None, None, None],  # 4: empty name
            ["1103", "Stavanger", None, -5, None, None],  # 5: negative population
            ["1106", "Haugesund", None, "mange", None, None],  # 6: population not a number
            ["5001", "Trondheim", None, None, "svensk", None],  # 7: bad language
            ["1108", "Sandnes", None, None, None, "31.02.2024"],  # 8: no such date
            [None, None, None, None, None, None],  # 9: empty, skipped
            ["0301", "Oslo igjen", None, None, None, datetime(2024, 1, 1)],  # 10: duplicate of 2
            ["4600", "Vestland", "Oslo", 1.5, "x", "i går"],  # 11: four problems
            ["3101", "Halden", "Vestland", None, None, None],  # 12: county mismatch
        ]
    )
    rows, errors = parse_municipality_file(data, "kommuner.xlsx")
    assert [r.row for r in rows] == [2]
    assert cells(errors) == {
        (3, "kommunenummer"),
        (4, "navn"),
        (5, "innbyggere"),
        (6, "innbyggere"),
        (7, "målform"),
        (8, "gyldig fra"),
        (10, "kommunenummer"),
        (11, "kommunenummer"),
        (11, "innbyggere"),
        (11, "målform"),
        (11, "gyldig fra"),
        (12, "fylke"),
    }
    assert all(error.reason for error in errors)
    [duplicate] = [e for e in errors if e.row == 10]
    assert "Rad 2" in duplicate.reason
    assert "rad 10" in duplicate.reason
    [county] = [e for e in errors if e.row == 12]
    assert "Østfold" in county.reason


def test_same_number_with_different_valid_from_is_not_a_duplicate() -> None:
    text = "knr;navn;gyldig fra\n0301;Oslo;01.01.2024\n0301;Oslo;01.01.2025\n"
    rows, errors = parse_municipality_file(csv_bytes(text), "x.csv")
    assert errors == []
    assert [r.valid_from for r in rows] == [date(2024, 1, 1), date(2025, 1, 1)]


def test_historic_number_needs_a_matching_date() -> None:
    text = "knr;navn;gyldig fra\n3001;Halden;01.01.2020\n3001;Halden;\n"
    rows, errors = parse_municipality_file(csv_bytes(text), "x.csv")
    assert [(r.row, r.county) for r in rows] == [(2, "Viken")]
    assert cells(errors) == {(3, "kommunenummer")}


@pytest.mark.parametrize("county", ["Troms", "troms", "Troms - Romsa - Tromssa", "55", " Troms "])
def test_county_spellings_that_match(county: str) -> None:
    rows, errors = parse_municipality_file(
        csv_bytes(f"knr;navn;fylke\n5501;Tromsø;{county}\n"), "x.csv"
    )
    assert errors == []
    assert rows[0].county == "Troms"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("291 940", 291940),
        ("291\u00a0940", 291940),
        ("291\u202f940", 291940),
        ("0", 0),
        ("", None),
    ],
)
def test_population_formats(cell: str, expected: int | None) -> None:
    rows, errors = parse_municipality_file(
        csv_bytes(f"knr;navn;innbyggere\n4601;Bergen;{cell}\n"), "x.csv"
    )
    assert errors == []
    assert rows[0].population == expected


@pytest.mark.parametrize("cell", ["-1", "12,5", "291.940", "mange", "1e3"])
def test_bad_population(cell: str) -> None:
    rows, errors = parse_municipality_file(
        csv_bytes(f"knr;navn;innbyggere\n4601;Bergen;{cell}\n"), "x.csv"
    )
    assert rows == []
    assert cells(errors) == {(2, "innbyggere")}


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2024-01-01", date(2024, 1, 1)),
        ("01.01.2024", date(2024, 1, 1)),
        ("1.7.2020", date(2020, 7, 1)),
        ("2020-01-01 00:00:00", date(2020, 1, 1)),
        ("", date(2024, 1, 1)),
    ],
)
def test_date_formats(cell: str, expected: date) -> None:
    rows, errors = parse_municipality_file(
        csv_bytes(f"knr;navn;gyldig fra\n0301;Oslo;{cell}\n"), "x.csv"
    )
    assert errors == []
    assert rows[0].valid_from == expected


@pytest.mark.parametrize("cell", ["2024-13-01", "01/01/2024", "i går", "45000", "01.01.1700"])
def test_bad_dates(cell: str) -> None:
    rows, errors = parse_municipality_file(
        csv_bytes(f"knr;navn;gyldig fra\n0301;Oslo;{cell}\n"), "x.csv"
    )
    assert rows == []
    assert cells(errors) == {(2, "gyldig fra")}


def test_excel_date_cell() -> None:
    data = xlsx([["knr", "navn", "gyldig fra"], [3001, "Halden", date(2020, 1, 1)]])
    rows, errors = parse_municipality_file(data, "x.xlsx")
    assert errors == []
    assert rows[0].valid_from == date(2020, 1, 1)
    assert rows[0].number == "3001"


def test_empty_rows_are_skipped_but_numbering_follows_the_sheet() -> None:
    text = "knr;navn\n\n;\n0301;Oslo\n \n4601;\n"
    rows, errors = parse_municipality_file(csv_bytes(text), "x.csv")
    assert [r.row for r in rows] == [4]
    assert cells(errors) == {(6, "navn")}


def test_max_rows() -> None:
    text = "knr;navn\n0301;Oslo\n4601;Bergen\n5001;Trondheim\n"
    with pytest.raises(FileFormatError, match="flere enn"):
        parse_municipality_file(csv_bytes(text), "x.csv", max_rows=2)
    data = xlsx([["knr", "navn"], *[[f"{n:04d}", "X"] for n in range(301, 304)]])
    with pytest.raises(FileFormatError):
        parse_municipality_file(data, "x.xlsx", max_rows=2)
    rows, _ = parse_municipality_file(csv_bytes(text), "x.csv", max_rows=3)
    assert len(rows) == 3


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (b"", "x.csv"),
        (b"", "x.xlsx"),
        (b"knr;navn\n0301;Oslo\n", "kommuner.txt"),
        (b"knr;navn\n0301;Oslo\n", "kommuner"),
        (b"knr;navn\n0301;Oslo\n", "kommuner.xls"),
        (b"this is not a zip file at all", "x.xlsx"),
        (random.Random(1).randbytes(4096), "x.xlsx"),
        (random.Random(2).randbytes(4096), "x.csv"),
        (b"knr;navn\n0301;Oslo\x01\x02\x03\n", "x.csv"),
        (b"\n\n\n", "x.csv"),
    ],
    ids=[
        "empty_csv",
        "empty_xlsx",
        "txt",
        "no_extension",
        "xls",
        "text_as_xlsx",
        "garbage_xlsx",
        "garbage_csv",
        "control_chars",
        "blank_csv",
    ],
)
def test_unreadable_files(data: bytes, filename: str) -> None:
    with pytest.raises(FileFormatError) as caught:
        parse_municipality_file(data, filename)
    assert str(caught.value)


def test_truncated_xlsx() -> None:
    data = xlsx([["knr", "navn"], ["0301", "Oslo"]])
    for length in (len(data) // 2, len(data) - 10, 30):
        with pytest.raises(FileFormatError):
            parse_municipality_file(data[:length], "x.xlsx")


def test_xlsx_posing_as_csv() -> None:
    data = xlsx([["knr", "navn"], ["0301", "Oslo"]])
    with pytest.raises(FileFormatError, match=r"\.xlsx"):
        parse_municipality_file(data, "x.csv")


def test_zip_that_is_not_a_workbook() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hei")
    with pytest.raises(FileFormatError):
        parse_municipality_file(buffer.getvalue(), "x.xlsx")


def test_corrupt_sheet_inside_a_valid_workbook() -> None:
    source = zipfile.ZipFile(io.BytesIO(xlsx([["knr", "navn"], ["0301", "Oslo"]])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content[: len(content) // 2]
            archive.writestr(item.filename, content)
    with pytest.raises(FileFormatError):
        parse_municipality_file(buffer.getvalue(), "x.xlsx")


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<" + b" " * 5_000_000 + b"/>")
    return buffer.getvalue()


def test_zip_bomb_is_refused_before_openpyxl(monkeypatch: pytest.MonkeyPatch) -> None:
    def must_not_be_called(*args: object, **kwargs: object) -> None:
        raise AssertionError("openpyxl was handed a zip bomb")

    data = _zip_bomb()
    assert len(data) < 50_000
    monkeypatch.setattr(openpyxl, "load_workbook", must_not_be_called)
    with pytest.raises(FileFormatError, match="pakker ut"):
        parse_municipality_file(data, "kommuner.xlsx")


def test_total_uncompressed_size_is_limited(monkeypatch: pytest.MonkeyPatch) -> None:
    data = xlsx([["knr", "navn"], ["0301", "Oslo"]])
    monkeypatch.setattr(
        municipality_file,
        "LIMITS",
        dataclasses.replace(municipality_file.LIMITS, max_uncompressed_bytes=1000),
    )
    with pytest.raises(FileFormatError, match="for stor"):
        parse_municipality_file(data, "x.xlsx")


def test_encrypted_zip_member_is_refused() -> None:
    data = bytearray(xlsx([["knr", "navn"], ["0301", "Oslo"]]))
    # Set the "encrypted" flag in every central directory entry, as a password-protected zip has.
    position = data.find(b"PK\x01\x02")
    while position != -1:
        data[position + 8] |= 0x1
        position = data.find(b"PK\x01\x02", position + 4)
    with pytest.raises(FileFormatError, match="passord"):
        parse_municipality_file(bytes(data), "x.xlsx")


def test_huge_csv_field_is_refused() -> None:
    text = "knr;navn\n0301;" + "x" * 200_000 + "\n"
    with pytest.raises(FileFormatError):
        parse_municipality_file(csv_bytes(text), "x.csv")


def test_header_only_file_gives_nothing() -> None:
    assert parse_municipality_file(csv_bytes("knr;navn\n"), "x.csv") == ([], [])


def test_long_cell_is_refused_whatever_the_csv_module_limit() -> None:
    import csv

    old = csv.field_size_limit()
    csv.field_size_limit(10_000_000)  # another reader in the process may have raised it
    try:
        with pytest.raises(FileFormatError):
            parse_municipality_file(csv_bytes("knr;navn\n0301;" + "x" * 20_000 + "\n"), "x.csv")
    finally:
        csv.field_size_limit(old)
