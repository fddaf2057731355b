"""Tests for the knowledge-need template and its importer; ID numbers here are generated."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping, Sequence

import openpyxl
import pytest

from klynge.privacy import is_national_id
from priorities.needs_xlsx import (
    INTENDED_USE_LABELS,
    PREVENTION_LABELS,
    FileFormatError,
    IntendedUse,
    NeedRow,
    PreventionLevel,
    RowError,
    build_template,
    parse_needs_file,
)

SERVICES = [
    (1, "Skole"),
    (2, "Barnevern"),
    (3, "Helsestasjon og skolehelsetjeneste"),
    (4, "Justissektoren (politi, konfliktråd)"),
]
SERVICE_IDS = {name: service_id for service_id, name in SERVICES}
HEADER = [
    "Tittel",
    "Spørsmål",
    "Bakgrunn",
    "Alder fra",
    "Alder til",
    "Målgruppe",
    "Tjenester",
    "Forebyggingsnivå",
    "Bruk av svaret",
    "Språk",
]
GOOD = [
    "Fravær og samarbeid",
    "Hvordan kan skole og barnevern samarbeide bedre om elever med høyt fravær?",
    "Fraværet øker på ungdomsskolen.",
    12,
    16,
    "Elever med høyt fravær",
    "Skole; Barnevern",
    "Selektert",
    "Tjenesteutvikling",
    "nb",
]


def d_number() -> str:
    """A valid D-number (day + 40) for someone born in 1860, so nobody alive holds it."""
    k1_weights = (3, 7, 6, 1, 8, 9, 4, 5, 2)
    k2_weights = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
    for individual in range(500, 750):
        base = f"550360{individual:03d}"
        k1 = -sum(w * int(d) for w, d in zip(k1_weights, base, strict=True)) % 11
        if k1 == 10:
            continue
        k2 = -sum(w * int(d) for w, d in zip(k2_weights, base + str(k1), strict=True)) % 11
        if k2 == 10:
            continue
        return f"{base}{k1}{k2}"
    raise AssertionError("no D-number found")


def fill(template: bytes, rows: Sequence[Sequence[object]], *, start: int = 2) -> bytes:
    """The template as a user would fill it in: rows written from `start` on."""
    workbook = openpyxl.load_workbook(io.BytesIO(template))
    sheet = workbook["Kunnskapsbehov"]
    for offset, values in enumerate(rows):
        for column, value in enumerate(values, start=1):
            sheet.cell(row=start + offset, column=column, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx(rows: Sequence[Sequence[object]], *, title: str = "Ark1") -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def parse(
    data: bytes, services: Mapping[str, int] = SERVICE_IDS, **kwargs: int
) -> tuple[list[NeedRow], list[RowError]]:
    return parse_needs_file(data, "behov.xlsx", services, **kwargs)


def cells(errors: Sequence[RowError]) -> set[tuple[int, str]]:
    return {(error.row, error.column) for error in errors}


# --- Template ----------------------------------------------------------------------------------


def test_template_layout() -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(build_template(SERVICES)))
    assert workbook.sheetnames == ["Kunnskapsbehov", "Veiledning", "Lister"]
    sheet = workbook["Kunnskapsbehov"]
    assert workbook.active.title == "Kunnskapsbehov"
    assert [cell.value for cell in sheet[1]] == HEADER
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["B"].width >= 40  # the question needs room
    assert sheet.max_row == 1  # no example rows that could be imported by mistake
    assert workbook["Lister"].sheet_state == "hidden"
    assert workbook["Veiledning"].sheet_state == "visible"


def _validations(sheet: openpyxl.worksheet.worksheet.Worksheet) -> dict[str, object]:
    """First column letter of each validation's range → the validation."""
    return {
        str(dv.sqref).split(":")[0].rstrip("0123456789"): dv
        for dv in sheet.data_validations.dataValidation
    }


def test_template_dropdowns_and_whole_numbers() -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(build_template(SERVICES)))
    sheet = workbook["Kunnskapsbehov"]
    validations = _validations(sheet)

    prevention = validations["H"]
    assert prevention.type == "list"
    assert prevention.formula1 == '"Universell,Selektert,Indikert"'
    use = validations["I"]
    assert use.type == "list"
    assert use.formula1 == '"' + ",".join(INTENDED_USE_LABELS.values()) + '"'
    assert validations["J"].type == "list"
    assert validations["J"].formula1 == '"nb,nn"'

    services = validations["G"]
    assert services.type == "list"
    assert services.formula1 == "Lister!$A$2:$A$5"
    assert [workbook["Lister"][f"A{row}"].value for row in range(2, 6)] == [
        name for _, name in SERVICES
    ]

    for column in ("D", "E"):
        age = validations[column]
        assert (age.type, age.operator, age.formula1, age.formula2) == (
            "whole",
            "between",
            "0",
            "24",
        )
    for dv in (prevention, use, services, validations["D"]):
        assert str(dv.sqref).endswith("2001")  # covers as many rows as the importer accepts
        assert dv.showErrorMessage
    assert prevention.errorStyle in (None, "stop")  # only listed values
    assert services.errorStyle == "information"  # several names separated by ";" are allowed


def test_long_service_list_is_referenced_not_inline() -> None:
    many = [(i, f"Tjenesten med et ganske langt navn nummer {i}") for i in range(1, 41)]
    assert len(",".join(name for _, name in many)) > 255
    workbook = openpyxl.load_workbook(io.BytesIO(build_template(many)))
    dv = _validations(workbook["Kunnskapsbehov"])["G"]
    assert dv.formula1 == "Lister!$A$2:$A$41"
    assert workbook["Lister"]["A41"].value == many[-1][1]


def test_service_name_that_looks_like_a_formula_stays_text() -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(build_template([(1, '=HYPERLINK("x")')])))
    cell = workbook["Lister"]["A2"]
    assert cell.value == '=HYPERLINK("x")'
    assert cell.data_type == "s"


def test_template_without_services_has_no_service_dropdown() -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(build_template([])))
    assert "G" not in _validations(workbook["Kunnskapsbehov"])


def test_guide_explains_the_rules_in_norwegian() -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(build_template(SERVICES)))
    text = "\n".join(
        str(cell.value) for row in workbook["Veiledning"].iter_rows() for cell in row if cell.value
    )
    for phrase in (
        "fødselsnummer",
        "D-nummer",
        "navn",
        "sammensatt",
        "fra 0 til 24",
        "minst én tjeneste",
        "semikolon",
        "nb (bokmål)",
        "Universell",
        "Evaluering av et tiltak",
    ):
        assert phrase in text, phrase
    for _, name in SERVICES:
        assert name in text


# --- Round trip --------------------------------------------------------------------------------


def test_filled_template_round_trip() -> None:
    data = fill(
        build_template(SERVICES),
        [
            GOOD,
            [
                "Overgang barnehage–skole",
                "Korleis sikre ein god overgang frå barnehage til skule?\nKva verkar?",
                None,
                5.0,
                "6",
                None,
                "skole",
                "universal",
                "Avgjerd",
                "nn",
            ],
            [
                "  Vold   i nære relasjoner  ",
                "Hva vet vi om tiltak mot vold i nære relasjoner?",
                "",
                0,
                24,
                "",
                "justissektoren (politi,  konfliktråd);HELSESTASJON OG SKOLEHELSETJENESTE;"
                " Barnevern ;Barnevern",
                "INDIKERT",
                "evaluering av eit tiltak",
                None,
            ],
        ],
    )
    rows, errors = parse(data)
    assert errors == []
    assert rows == [
        NeedRow(
            row=2,
            title="Fravær og samarbeid",
            question=GOOD[1],
            background="Fraværet øker på ungdomsskolen.",
            age_from=12,
            age_to=16,
            target_group="Elever med høyt fravær",
            service_ids=(1, 2),
            prevention_level=PreventionLevel.SELECTED,
            intended_use=IntendedUse.SERVICE_DEVELOPMENT,
            language="nb",
        ),
        NeedRow(
            row=3,
            title="Overgang barnehage–skole",
            question="Korleis sikre ein god overgang frå barnehage til skule?\nKva verkar?",
            background="",
            age_from=5,
            age_to=6,
            target_group="",
            service_ids=(1,),
            prevention_level=PreventionLevel.UNIVERSAL,
            intended_use=IntendedUse.DECISION,
            language="nn",
        ),
        NeedRow(
            row=4,
            title="Vold i nære relasjoner",
            question="Hva vet vi om tiltak mot vold i nære relasjoner?",
            background="",
            age_from=0,
            age_to=24,
            target_group="",
            service_ids=(4, 3, 2),  # the order given, duplicates once: a cross-service need
            prevention_level=PreventionLevel.INDICATED,
            intended_use=IntendedUse.EVALUATE_MEASURE,
            language="nb",  # empty language means bokmål
        ),
    ]


@pytest.mark.parametrize(
    ("prevention", "expected"),
    [(label, level) for level, label in PREVENTION_LABELS.items()]
    + [(level.value, level) for level in PreventionLevel]
    + [("universell", PreventionLevel.UNIVERSAL), (" SELEKTERT ", PreventionLevel.SELECTED)],
)
def test_prevention_labels_and_keys(prevention: str, expected: PreventionLevel) -> None:
    rows, errors = parse(fill(build_template(SERVICES), [[*GOOD[:7], prevention, *GOOD[8:]]]))
    assert errors == []
    assert rows[0].prevention_level is expected


@pytest.mark.parametrize(
    ("use", "expected"),
    [(label, use) for use, label in INTENDED_USE_LABELS.items()]
    + [(use.value, use) for use in IntendedUse]
    + [
        ("Tenesteutvikling", IntendedUse.SERVICE_DEVELOPMENT),
        ("avgjerd", IntendedUse.DECISION),
        ("Evaluering av eit tiltak", IntendedUse.EVALUATE_MEASURE),
        ("Anna", IntendedUse.OTHER),
    ],
)
def test_intended_use_labels_keys_and_nynorsk(use: str, expected: IntendedUse) -> None:
    rows, errors = parse(fill(build_template(SERVICES), [[*GOOD[:8], use, GOOD[9]]]))
    assert errors == []
    assert rows[0].intended_use is expected


def test_english_headers_and_keys() -> None:
    header = [
        "title",
        "question",
        "background",
        "age_from",
        "age_to",
        "target_group",
        "services",
        "prevention_level",
        "intended_use",
        "language",
    ]
    data = xlsx([header, ["T", "Q?", "", 3, 4, "", "Skole", "selected", "other", "NN"]])
    rows, errors = parse(data)
    assert errors == []
    assert (rows[0].title, rows[0].intended_use, rows[0].language) == ("T", IntendedUse.OTHER, "nn")


def test_nynorsk_headers_in_another_order_with_extra_columns() -> None:
    header = [
        "Merknad",
        "TENESTER",
        "Førebyggingsnivå",
        "Alder frå",
        "Alder til",
        "tittel",
        "Spørsmål",
        "Bruk av svaret",
    ]
    data = xlsx([header, ["ignorert", "Barnevern", "Indikert", 10, 12, "T", "S?", "Anna"]])
    rows, errors = parse(data)
    assert errors == []
    assert rows[0].service_ids == (2,)
    assert (rows[0].age_from, rows[0].age_to) == (10, 12)
    assert (rows[0].background, rows[0].target_group, rows[0].language) == ("", "", "nb")


def test_needs_sheet_is_found_by_name_even_when_not_first() -> None:
    workbook = openpyxl.Workbook()
    workbook.active.title = "Notater"
    workbook.active.append(["ikke", "dette"])
    sheet = workbook.create_sheet("kunnskapsbehov")
    sheet.append(HEADER)
    sheet.append(GOOD)
    buffer = io.BytesIO()
    workbook.save(buffer)
    rows, errors = parse(buffer.getvalue())
    assert errors == []
    assert [row.title for row in rows] == [GOOD[0]]


def test_empty_rows_are_skipped_and_row_numbers_are_the_sheets() -> None:
    data = fill(build_template(SERVICES), [GOOD, [None] * 10, ["  ", None, ""], GOOD])
    rows, errors = parse(data)
    assert errors == []
    assert [row.row for row in rows] == [2, 5]


# --- Row errors --------------------------------------------------------------------------------


def test_every_problem_is_reported_with_row_and_column() -> None:
    number = d_number()
    assert is_national_id(number)
    bad = [
        [*GOOD[:6], "Skole; Tannhelse", *GOOD[7:]],  # row 2: unknown service
        [*GOOD[:3], 12, 25, *GOOD[5:]],  # row 3: age 25
        [*GOOD[:3], 16, 12, *GOOD[5:]],  # row 4: from > to
        [None, *GOOD[1:]],  # row 5: missing title
        [*GOOD[:7], "Veldig forebyggende", "Kanskje", "sv"],  # row 6: enums and language
        [GOOD[0], f"Gjelder eleven med D-nummer {number}.", *GOOD[2:]],  # row 7: ID number
        GOOD,  # row 8: fine
        [None, None, None, "tolv", 3.5, None, None, None, None, None, "x"],  # row 9: all wrong
    ]
    rows, errors = parse(fill(build_template(SERVICES), bad))
    assert [row.row for row in rows] == [8]
    assert cells(errors) == {
        (2, "Tjenester"),
        (3, "Alder til"),
        (4, "Alder til"),
        (5, "Tittel"),
        (6, "Forebyggingsnivå"),
        (6, "Bruk av svaret"),
        (6, "Språk"),
        (7, "Spørsmål"),
        (9, "Tittel"),
        (9, "Spørsmål"),
        (9, "Alder fra"),
        (9, "Alder til"),
        (9, "Tjenester"),
        (9, "Forebyggingsnivå"),
        (9, "Bruk av svaret"),
    }
    by_cell = {(error.row, error.column): error.reason for error in errors}
    assert "«Tannhelse»" in by_cell[2, "Tjenester"]
    assert "24" in by_cell[3, "Alder til"]
    assert "«Alder fra» (16)" in by_cell[4, "Alder til"]
    assert "mangler" in by_cell[5, "Tittel"]
    assert "«Veldig forebyggende»" in by_cell[6, "Forebyggingsnivå"]
    assert "fødselsnummer" in by_cell[7, "Spørsmål"]
    assert all(number not in error.reason for error in errors)
    assert all(error.reason.endswith(".") for error in errors)


def test_id_number_in_any_free_text_column_is_blocking() -> None:
    number = d_number()
    spaced = f"{number[:6]} {number[6:]}"
    data = fill(
        build_template(SERVICES),
        [
            [f"Sak {number}", *GOOD[1:]],
            [*GOOD[:2], f"Se {spaced}", *GOOD[3:]],
            [*GOOD[:5], f"Barnet {number}", *GOOD[6:]],
        ],
    )
    rows, errors = parse(data)
    assert rows == []
    assert cells(errors) == {(2, "Tittel"), (3, "Bakgrunn"), (4, "Målgruppe")}
    assert all(number not in e.reason and spaced not in e.reason for e in errors)


def test_id_number_echoed_from_an_unknown_value_is_masked() -> None:
    number = d_number()
    data = fill(
        build_template(SERVICES),
        [[*GOOD[:6], f"Skole; {number}", f"Nivå {number}", *GOOD[8:]]],
    )
    _, errors = parse(data)
    assert cells(errors) == {(2, "Tjenester"), (2, "Forebyggingsnivå")}
    assert all(number not in error.reason for error in errors)
    assert all("[fjernet]" in error.reason for error in errors)


def test_other_personal_data_is_a_warning_not_an_error() -> None:
    data = fill(
        build_template(SERVICES),
        [[*GOOD[:2], "Ring 912 34 567 eller skriv til ola@example.no", *GOOD[3:]]],
    )
    rows, errors = parse(data)
    assert errors == []
    assert cells(rows[0].warnings) == {(2, "Bakgrunn")}
    assert len(rows[0].warnings) == 2
    assert all("912" not in warning.reason for warning in rows[0].warnings)


def test_text_length_limits() -> None:
    data = fill(
        build_template(SERVICES),
        [
            ["x" * 201, "y" * 4001, "z" * 10_001, *GOOD[3:5], "m" * 501, *GOOD[6:]],
            ["x" * 200, "y" * 4000, "z" * 10_000, *GOOD[3:5], "m" * 500, *GOOD[6:]],
        ],
    )
    rows, errors = parse(data)
    assert cells(errors) == {(2, "Tittel"), (2, "Spørsmål"), (2, "Bakgrunn"), (2, "Målgruppe")}
    assert [row.row for row in rows] == [3]


@pytest.mark.parametrize("age", [-1, 25, 2.5, "fem", "1e1", True])
def test_bad_ages(age: object) -> None:
    _, errors = parse(fill(build_template(SERVICES), [[*GOOD[:3], age, 24, *GOOD[5:]]]))
    assert cells(errors) == {(2, "Alder fra")}


def test_services_are_matched_ignoring_case_and_spaces_only() -> None:
    services = {"  Psykisk helsevern  for barn og unge (BUP) ": 7, "PPT": 8}
    data = fill(
        build_template([]),
        [
            [*GOOD[:6], "psykisk HELSEVERN for barn og unge (bup)\nppt", *GOOD[7:]],
            [*GOOD[:6], "P.P.T.", *GOOD[7:]],
            [*GOOD[:6], " ; ;", *GOOD[7:]],
        ],
    )
    rows, errors = parse(data, services)
    assert [(row.row, row.service_ids) for row in rows] == [(2, (7, 8))]
    assert cells(errors) == {(3, "Tjenester"), (4, "Tjenester")}
    assert "minst én tjeneste" in next(e.reason for e in errors if e.row == 4)


# --- The file as a whole -----------------------------------------------------------------------


def test_missing_required_columns_are_named() -> None:
    data = xlsx([["Tittel", "Spørsmål", "Alder fra", "Tjenester"], ["T", "S?", 1, "Skole"]])
    with pytest.raises(FileFormatError) as raised:
        parse(data)
    message = str(raised.value)
    for name in ("«Alder til»", "«Forebyggingsnivå»", "«Bruk av svaret»"):
        assert name in message
    assert "«Tittel»" not in message


def test_duplicate_column_is_refused() -> None:
    with pytest.raises(FileFormatError, match="mer enn én gang"):
        parse(xlsx([[*HEADER, "title"], GOOD]))


def test_header_only_file_gives_no_rows() -> None:
    assert parse(build_template(SERVICES)) == ([], [])


def test_too_many_rows() -> None:
    data = fill(build_template(SERVICES), [GOOD] * 4)
    assert len(parse(data, max_rows=4)[0]) == 4
    with pytest.raises(FileFormatError, match="flere enn 3"):
        parse(data, max_rows=3)


@pytest.mark.parametrize("filename", ["behov.csv", "behov.xls", "behov.ods", "behov", "behov.txt"])
def test_other_file_types_are_refused(filename: str) -> None:
    with pytest.raises(FileFormatError, match=r"\.xlsx"):
        parse_needs_file(build_template(SERVICES), filename, SERVICE_IDS)


def test_extension_is_case_insensitive() -> None:
    data = fill(build_template(SERVICES), [GOOD])
    assert len(parse_needs_file(data, " Behov.XLSX ", SERVICE_IDS)[0]) == 1


@pytest.mark.parametrize(
    "data",
    [b"", b"not a spreadsheet at all", b"PK\x03\x04" + b"\x00" * 100],
    ids=["empty", "garbage", "broken-zip"],
)
def test_garbage_is_refused(data: bytes) -> None:
    with pytest.raises(FileFormatError):
        parse(data)


def test_truncated_file_is_refused() -> None:
    data = fill(build_template(SERVICES), [GOOD])
    with pytest.raises(FileFormatError):
        parse(data[: len(data) // 2])


def test_zip_that_is_not_a_workbook_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hei")
    with pytest.raises(FileFormatError):
        parse(buffer.getvalue())


def test_zip_bomb_is_refused_before_openpyxl(monkeypatch: pytest.MonkeyPatch) -> None:
    def must_not_be_called(*args: object, **kwargs: object) -> None:
        raise AssertionError("openpyxl was handed a zip bomb")

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<" + b" " * 5_000_000 + b"/>")
    data = buffer.getvalue()
    assert len(data) < 50_000
    monkeypatch.setattr(openpyxl, "load_workbook", must_not_be_called)
    with pytest.raises(FileFormatError, match="pakker ut"):
        parse(data)


def test_file_without_header_is_refused() -> None:
    with pytest.raises(FileFormatError, match="overskriftsrad"):
        parse(xlsx([[None, None], ["T", "S"]]))
