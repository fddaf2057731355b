"""The spreadsheet toolkit: limits, zip bombs, headers, cell-addressed errors, CSV, writing."""

from __future__ import annotations

import dataclasses
import io
import zipfile
from collections.abc import Sequence

import openpyxl
import pytest

from klynge import excel
from klynge.excel import CellError, FileFormatError, Limits, Wording

LIMITS = Limits()


def xlsx(rows: Sequence[Sequence[object]], *, title: str = "Ark1", extra: str = "") -> bytes:
    book = openpyxl.Workbook()
    if extra:
        book.create_sheet(extra).append(["feil ark"])
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


# --- limits and zip bombs --------------------------------------------------------------------


def test_empty_and_oversize_files_are_refused() -> None:
    with pytest.raises(FileFormatError, match=r"^Filen er tom\.$"):
        excel.check_size(b"", LIMITS)
    small = Limits(max_file_bytes=2 * 1024 * 1024)
    excel.check_size(b"x" * small.max_file_bytes, small)  # type: ignore[operator]
    with pytest.raises(FileFormatError) as caught:
        excel.check_size(b"x" * (2 * 1024 * 1024 + 1), small)
    assert str(caught.value) == "Filen er for stor. Største tillatte størrelse er 2 MB."
    excel.check_size(b"x" * (30 * 1024 * 1024), Limits(max_file_bytes=None))


def test_zip_bomb_by_ratio_is_refused() -> None:
    bomb = zipped({"xl/worksheets/sheet1.xml": b"<" + b" " * 5_000_000 + b"/>"})
    assert len(bomb) < 50_000
    with pytest.raises(FileFormatError) as caught:
        excel.check_zip(bomb, LIMITS)
    assert str(caught.value) == (
        "Excel-filen pakker ut til uforholdsmessig mye data og blir ikke lest."
    )


def test_small_members_may_compress_well() -> None:
    excel.check_zip(zipped({"xl/styles.xml": b" " * 500_000}), LIMITS)


def test_total_uncompressed_size_is_limited() -> None:
    data = zipped({f"part{i}.xml": bytes(range(256)) * 20 for i in range(3)})
    excel.check_zip(data, Limits(max_uncompressed_bytes=3 * 5120))
    with pytest.raises(FileFormatError) as caught:
        excel.check_zip(data, Limits(max_uncompressed_bytes=3 * 5120 - 1))
    assert str(caught.value) == (
        "Excel-filen er for stor når den pakkes ut. Del den opp i flere filer."
    )


def test_entry_count_is_limited() -> None:
    data = zipped({f"m{i}.xml": b"x" for i in range(11)})
    excel.check_zip(data, Limits(max_zip_members=11))
    with pytest.raises(FileFormatError) as caught:
        excel.check_zip(data, Limits(max_zip_members=10))
    assert str(caught.value) == "Excel-filen har en uvanlig oppbygning og kan ikke leses."


def test_encrypted_and_broken_archives_are_refused() -> None:
    data = bytearray(zipped({"a.xml": b"<a/>"}))
    position = data.find(b"PK\x01\x02")
    data[position + 8] |= 0x1
    with pytest.raises(FileFormatError, match=r"^Excel-filen er passordbeskyttet"):
        excel.check_zip(bytes(data), LIMITS)
    with pytest.raises(FileFormatError, match=r"^Filen er ikke en gyldig Excel-fil \(\.xlsx\)"):
        excel.check_zip(b"not a zip at all", LIMITS)


def test_bomb_never_reaches_openpyxl(monkeypatch: pytest.MonkeyPatch) -> None:
    def must_not_be_called(*args: object, **kwargs: object) -> None:
        raise AssertionError("openpyxl was handed a zip bomb")

    monkeypatch.setattr(openpyxl, "load_workbook", must_not_be_called)
    bomb = zipped({"xl/worksheets/sheet1.xml": b"<" + b" " * 5_000_000 + b"/>"})
    with pytest.raises(FileFormatError, match="pakker ut"):
        excel.read_xlsx(bomb, LIMITS)


# --- reading .xlsx ---------------------------------------------------------------------------


def test_read_xlsx_numbers_rows_as_the_user_sees_them() -> None:
    data = xlsx([["Navn", "Tall"], ["a", 1], [None, " "], ["b", 2.5]], title="Data")
    table = excel.read_xlsx(data, LIMITS)
    # openpyxl's read-only mode pads every row to max_columns.
    assert table.header == ["Navn", "Tall", *[None] * 48]
    assert [(row, values[:2]) for row, values in table.rows] == [(2, ["a", 1]), (4, ["b", 2.5])]
    assert table.sheet == "Data"


def test_read_xlsx_picks_the_named_sheet_folded_else_the_first() -> None:
    data = xlsx([["Navn"], ["riktig"]], title="Kunnskapsbehov", extra="Veiledning")
    book = openpyxl.load_workbook(io.BytesIO(data))
    book.move_sheet("Veiledning", offset=-1)  # the wanted sheet is no longer first
    out = io.BytesIO()
    book.save(out)
    table = excel.read_xlsx(out.getvalue(), LIMITS, sheet="kunnskaps behov")
    assert (table.sheet, table.rows[0][1][0]) == ("Kunnskapsbehov", "riktig")
    assert excel.read_xlsx(out.getvalue(), LIMITS, sheet="Mangler").sheet == "Veiledning"


def test_read_xlsx_limits_rows_and_columns() -> None:
    data = xlsx([["a", "b", "c"], [1, 2, 3], [4, 5, 6]])
    table = excel.read_xlsx(data, Limits(max_columns=2))
    assert table.header == ["a", "b"]
    assert table.rows == [(2, [1, 2]), (3, [4, 5])]
    with pytest.raises(FileFormatError) as caught:
        excel.read_xlsx(data, Limits(max_rows=1), Wording(too_many="More than %(limit)s refs."))
    assert str(caught.value) == "More than 1 refs."  # an import's own wording (a msgid)
    many = Limits(max_rows=1500)
    rows = [["a"], *[[i] for i in range(1501)]]
    with pytest.raises(FileFormatError, match=r"^Filen har flere enn 1 500 rader med data"):
        excel.read_xlsx(xlsx(rows), many)


def test_read_xlsx_without_header() -> None:
    with pytest.raises(FileFormatError) as caught:
        excel.read_xlsx(xlsx([[None, " "]]), LIMITS, Wording(missing_header="Use the template."))
    assert str(caught.value) == "Use the template."
    with pytest.raises(FileFormatError) as caught:
        excel.read_xlsx(xlsx([[None, " "]]), LIMITS)
    assert (
        str(caught.value) == "Filen mangler overskriftsrad. Første rad skal inneholde kolonnenavn."
    )


def test_damaged_workbook_is_a_file_format_error() -> None:
    with pytest.raises(FileFormatError) as caught:
        excel.read_xlsx(zipped({"readme.txt": b"hei"}), LIMITS)
    assert str(caught.value) == (
        "Filen kunne ikke leses som Excel-arbeidsbok (.xlsx). Lagre den på nytt og prøv igjen."
    )


# --- headers and cell-addressed errors -------------------------------------------------------


ALIASES = excel.alias_table(
    {"number": ("Kommunenummer", "knr"), "language": ("Målform", "språk"), "name": ("navn",)}
)


def test_fold_ignores_case_space_punctuation_and_diacritics() -> None:
    assert excel.fold(" Førebyggings-NIVÅ ") == "forebyggingsniva"
    assert excel.fold("Ærlig Språk") == "aerligsprak"
    assert excel.fold("Cafe\u0301") == excel.fold("Café") == "cafe"
    assert excel.fold(None) == ""


def test_map_header_aliases_duplicates_and_missing() -> None:
    columns = excel.map_header(
        ["KNR", None, "Notat", "MÅLFORM", "Språk", "kommune nummer"], ALIASES
    )
    assert columns.positions == {"number": 0, "language": 3}
    assert columns.duplicates == ["language", "number"]
    assert columns.missing(["number", "name", "language"]) == ["name"]
    assert columns.letter("language") == "D"
    assert columns.letter("name") == ""
    assert columns.cell(["0301", None, "x", "nynorsk"], "language") == "nynorsk"
    assert columns.cell(["0301"], "language") is None


def test_cell_errors_carry_sheet_row_and_letter() -> None:
    errors = excel.CellErrors()
    first = errors.add(4, "Tittel", "Tittel mangler.", position=2, sheet="Kunnskapsbehov")
    errors.add(5, "Spørsmål", "Spørsmål mangler.")
    assert errors == [
        CellError(4, "Tittel", "Tittel mangler."),
        CellError(5, "Spørsmål", "Spørsmål mangler."),
    ]
    assert (first.sheet, first.letter, first.address) == (
        "Kunnskapsbehov",
        "C",
        "Kunnskapsbehov!C4",
    )
    assert errors[1].address == "rad 5"
    assert CellError(2, "x", "y", "AB").address == "AB2"
    assert first.as_dict() == {"row": 4, "column": "Tittel", "reason": "Tittel mangler."}
    assert excel.column_letter(26) == "AA"


# --- CSV -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("a;b,c\n", ";"), ("a,b,c\n", ","), ("a\tb\tc\n", "\t"), ("\n\na,b;c\n", ";"), ("", ";")],
)
def test_sniff_delimiter(text: str, expected: str) -> None:
    assert excel.sniff_delimiter(text) == expected


def test_read_csv_has_the_same_interface() -> None:
    text = excel.decode_csv("\ufeffNavn,Tall\nØystre Slidre,1\n,\nÅs,2\n".encode(), LIMITS)
    table = excel.read_csv(text, LIMITS)
    assert table == excel.Table(["Navn", "Tall"], [(2, ["Øystre Slidre", "1"]), (4, ["Ås", "2"])])
    assert excel.decode_csv("Navn\nÅs\n".encode("cp1252"), LIMITS) == "Navn\nÅs\n"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Filen er tom."),
        (b"PK\x03\x04rest", "Filen ser ut som en Excel-fil. Gi den endelsen .xlsx og prøv igjen."),
        (
            b"a\x00b",
            "Filen er ikke en tekstfil (CSV). Lagre den som «CSV UTF-8» eller .xlsx og prøv igjen.",
        ),
        (
            b"a;b\x07\n",
            "Filen inneholder tegn som ikke hører hjemme i en CSV-fil. "
            "Lagre den som «CSV UTF-8» eller .xlsx og prøv igjen.",
        ),
    ],
)
def test_decode_csv_refuses_what_is_not_csv(data: bytes, message: str) -> None:
    with pytest.raises(FileFormatError) as caught:
        excel.decode_csv(data, LIMITS)
    assert str(caught.value) == message


def test_csv_cell_limit_is_our_own() -> None:
    limits = dataclasses.replace(LIMITS, max_cell_chars=10)
    with pytest.raises(FileFormatError) as caught:
        excel.read_csv("a;b\n1;" + "x" * 11 + "\n", limits)
    assert str(caught.value) == "Rad 2 har en celle som er altfor lang."
    assert excel.read_csv("a;b\n1;" + "x" * 10 + "\n", limits).rows == [(2, ["1", "x" * 10])]


# --- writing ---------------------------------------------------------------------------------


def test_writing_helpers_round_trip() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    excel.header_row(
        sheet,
        [
            excel.Column("Navn", 30, wrap=True),
            excel.Column("Beløp", 12, excel.DECIMAL),
            excel.Column("Dato", None, excel.DATE),
        ],
        fill="DDEBF7",
    )
    excel.set_text(sheet.cell(row=2, column=1), '=HYPERLINK("x")\x01')
    cells = excel.list_sheet(book, "Lister", "Tjenester", ["Skole", "Barnevern"])
    excel.validate(
        sheet,
        0,
        100,
        title="Navn",
        kind="list",
        formula1=cells,
        error="Velg fra listen.",
        prompt="Velg.",
    )
    excel.validate(
        sheet,
        1,
        100,
        title="Beløp",
        kind="list",
        formula1=excel.inline_list(["a", "b"]),
        error="Velg a eller b.",
    )
    book = openpyxl.load_workbook(io.BytesIO(excel.to_bytes(book)))
    sheet = book["Sheet"]
    assert [c.value for c in sheet[1]] == ["Navn", "Beløp", "Dato"]
    assert all(c.font.bold for c in sheet[1])
    assert sheet["A1"].fill.fgColor.rgb == "00DDEBF7"
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width == 30
    assert sheet.column_dimensions["B"].number_format == "0.00"
    assert sheet["A2"].value == '=HYPERLINK("x")'
    assert sheet["A2"].data_type == "s"
    lists = book["Lister"]
    assert lists.sheet_state == "hidden"
    assert [c.value for c in lists["A"]] == ["Tjenester", "Skole", "Barnevern"]
    assert cells == "Lister!$A$2:$A$3"
    validations = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    assert validations["A2:A100"].formula1 == "Lister!$A$2:$A$3"
    assert validations["A2:A100"].prompt == "Velg."
    assert validations["B2:B100"].formula1 == '"a,b"'
    assert validations["B2:B100"].showInputMessage is False
    assert excel.fit_width(["x" * 100]) == 60
    assert excel.fit_width([]) == 12
