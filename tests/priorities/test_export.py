"""Tests for the round export workbook."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Any

import openpyxl
import pytest
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from priorities.export import (
    ExportNeed,
    ExportScore,
    RoundExport,
    build_round_workbook,
)

SHEETS = ["Rangering", "Råskårer", "Grupper", "Beslutninger", "Om runden"]
TABLES = ["Rangering", "Råskårer", "Grupper", "Beslutninger"]
LONG_TITLE = (
    "Hvordan kan skole og barnevern samarbeide bedre om elever med høyt fravær, og hva "
    "vet vi om tiltak som virker for elever som står i fare for å falle ut av skolen?"
)


def need(**overrides: Any) -> ExportNeed:
    values: dict[str, Any] = {
        "need_id": 11,
        "rank": 1,
        "title": LONG_TITLE,
        "score": 71.25,
        "criteria": {"nytte": 75.0, "alvorlighet": 62.5, "ressurs": 50.0, "kunnskapsgap": 100.0},
        "agreement": {"nytte": 0.5, "alvorlighet": 0.75, "ressurs": 0.25},
        "aea": 0.5,
        "rank_min": 1,
        "rank_max": 2,
        "unstable": False,
        "raters": 4,
        "blanks": 1,
        "group_scores": {
            "youth": {"nytte": 100.0, "alvorlighet": 75.0, "ressurs": None, "score": 87.5},
            "staff": {"nytte": 50.0, "alvorlighet": 50.0, "ressurs": 50.0, "score": 50.0},
        },
        "decision": "prioritised",
        "justification": "Høy nytte.",
        "departs_reason": "",
    }
    values.update(overrides)
    return ExportNeed(**values)


def round_export(**overrides: Any) -> RoundExport:
    values: dict[str, Any] = {
        "round_name": "Vår 2026",
        "cluster_name": "Kunnskapskommunen Vest",
        "closed_at": datetime(2026, 3, 1, 12, 30, tzinfo=UTC),
        "weights": {"nytte": 1.0, "alvorlighet": 1.0, "ressurs": 0.5, "kunnskapsgap": 1.0},
        "weighting": "equal_groups",
        "group_labels": {"staff": "Ansatte", "youth": "Ungdom", "leaders": "Ledere"},
        "needs": [
            need(
                need_id=13,
                rank=None,
                title="=SUM(A1:A9)",
                score=None,
                criteria={"nytte": None, "alvorlighet": None, "ressurs": None},
                agreement={},
                aea=None,
                rank_min=None,
                rank_max=None,
                raters=0,
                blanks=0,
                group_scores={},
                decision=None,
                justification="",
            ),
            need(
                need_id=12,
                rank=2,
                title="Overgang barnehage–skole",
                score=40.0,
                rank_min=2,
                rank_max=5,
                unstable=True,
                decision="deferred",
                justification="Venter på litteratursjekken.",
                group_scores={
                    "other": {"nytte": 10.0, "score": 10.0},
                    "youth": {"nytte": 20.0, "score": 20.0},
                },
            ),
            need(),
        ],
        "scores": [
            ExportScore("Panelist 1", "youth", "Askøy", 11, LONG_TITLE, 5, 4, None, ""),
            ExportScore("Panelist 2", "staff", "Bergen", 11, LONG_TITLE, 3, None, 3, "Usikker."),
            ExportScore("Panelist 2", "unknown", "Bergen", 12, "Overgang", 1, 1, 1, "\x07ok"),
        ],
        "decisions_fields": [
            {
                "need_id": "11",
                "decision": "prioritised",
                "justification": "Høy nytte og alvorlighet.",
                "situation": "Mange elever med høyt fravær.",
                "frame": "Opplæringslova.",
                "assessment": "Nytte høy, alvorlighet høy, ressurs middels.",
                "knowledge_base": "To oversikter, lav sikkerhet.",
                "participation": "Ungdomsråd, ansatte, FoU-rådgiver.",
                "child_best_interest": "Barna får hjelp tidligere.",
                "local_conditions": "Små skoler.",
                "equal_access": "Gjelder alle kommunene.",
                "departs_reason": "",
                "plan_links": "Kommuneplanens samfunnsdel",
            }
        ],
    }
    values.update(overrides)
    return RoundExport(**values)


def load(export: RoundExport | None = None) -> Workbook:
    return openpyxl.load_workbook(io.BytesIO(build_round_workbook(export or round_export())))


def table(sheet: Worksheet) -> list[dict[str, Any]]:
    header = [cell.value for cell in sheet[1]]
    return [
        dict(zip(header, (cell.value for cell in row), strict=True))
        for row in sheet.iter_rows(min_row=2)
    ]


def column(sheet: Worksheet, header: str) -> str:
    for cell in sheet[1]:
        if cell.value == header:
            return cell.column_letter
    raise AssertionError(f"no column {header!r}")


def test_reopens_with_the_sheets_in_order() -> None:
    assert load().sheetnames == SHEETS


@pytest.mark.parametrize("name", SHEETS)
def test_header_is_bold_and_frozen(name: str) -> None:
    sheet = load()[name]
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    assert all(cell.value for cell in sheet[1])


@pytest.mark.parametrize("name", TABLES)
def test_tables_have_autofilter_over_the_whole_table(name: str) -> None:
    sheet = load()[name]
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}" + str(
        max(2, sheet.max_row)
    )


def test_ranking_rows_are_in_rank_order_with_unranked_last() -> None:
    rows = table(load()["Rangering"])
    assert [row["Behov-ID"] for row in rows] == [11, 12, 13]
    first, second, unranked = rows
    assert first["Rang"] == 1
    assert first["Prioritetsskår"] == 71.25
    assert first["Kunnskapsgap (CS)"] == 100.0
    assert first["Rangintervall"] == "1–2"
    assert (first["Ustabil"], second["Ustabil"]) == ("Nei", "Ja")
    assert second["Rangintervall"] == "2–5"
    assert (first["Vurderere"], first["Blanke svar"]) == (4, 1)
    assert (first["Beslutning"], second["Beslutning"]) == ("Prioritert", "Utsatt")
    assert unranked["Rang"] is None
    assert unranked["Beslutning"] is None


def test_ranking_number_formats() -> None:
    sheet = load()["Rangering"]
    for header in ("Prioritetsskår", "Nytte (CS)", "Ressurs (CS)", "Kunnskapsgap (CS)"):
        assert sheet[f"{column(sheet, header)}2"].number_format == "0.0", header
    for header in ("Enighet nytte", "Enighet ressurs", "AEA (samlet enighet)"):
        cell = sheet[f"{column(sheet, header)}2"]
        assert cell.number_format == "0%", header
        assert 0 <= cell.value <= 1


def test_missing_scores_are_empty_cells_not_zero() -> None:
    sheet = load()["Rangering"]
    for header in ("Prioritetsskår", "Nytte (CS)", "Enighet nytte", "AEA (samlet enighet)"):
        assert sheet[f"{column(sheet, header)}4"].value is None, header


def test_raw_scores_keep_blank_answers_blank() -> None:
    rows = table(load()["Råskårer"])
    assert [(r["Vurderer"], r["Nytte"], r["Alvorlighet"], r["Ressurs"]) for r in rows] == [
        ("Panelist 1", 5, 4, None),
        ("Panelist 2", 3, None, 3),
        ("Panelist 2", 1, 1, 1),
    ]
    assert [r["Gruppe"] for r in rows] == ["Ungdom", "Ansatte", "unknown"]
    assert rows[0]["Kommentar"] is None
    assert rows[2]["Kommentar"] == "ok"  # control characters removed, not a crash
    assert rows[0]["Kommune"] == "Askøy"


def test_groups_per_need_in_label_order() -> None:
    rows = table(load()["Grupper"])
    assert [(r["Behov-ID"], r["Gruppe"]) for r in rows] == [
        (11, "Ansatte"),
        (11, "Ungdom"),
        (12, "Ungdom"),
        (12, "other"),  # a group without a label is shown by its key, after the known ones
    ]
    youth = rows[1]
    assert (youth["Nytte (CS)"], youth["Ressurs (CS)"], youth["Prioritetsskår"]) == (
        100.0,
        None,
        87.5,
    )
    sheet = load()["Grupper"]
    assert sheet[f"{column(sheet, 'Prioritetsskår')}2"].number_format == "0.0"


def test_decisions_hold_every_field() -> None:
    rows = table(load()["Beslutninger"])
    by_id = {row["Behov-ID"]: row for row in rows}
    first = by_id[11]
    assert first["Kunnskapsbehov"] == LONG_TITLE
    assert first["Beregnet rang"] == 1
    assert first["Beslutning"] == "Prioritert"
    expected = {
        "Begrunnelse": "Høy nytte og alvorlighet.",
        "Situasjon": "Mange elever med høyt fravær.",
        "Rammer (juridiske, økonomiske, faglige)": "Opplæringslova.",
        "Vurdering av kriteriene": "Nytte høy, alvorlighet høy, ressurs middels.",
        "Kunnskapsgrunnlag og usikkerhet": "To oversikter, lav sikkerhet.",
        "Hvem deltok (medvirkning)": "Ungdomsråd, ansatte, FoU-rådgiver.",
        "Barnets beste": "Barna får hjelp tidligere.",
        "Lokale forhold": "Små skoler.",
        "Likeverdig tilgang": "Gjelder alle kommunene.",
        "plan_links": "Kommuneplanens samfunnsdel",
    }
    for header, value in expected.items():
        assert first[header] == value, header
    assert first["Begrunnelse for avvik fra beregnet rangering"] is None
    # A decision recorded only on the need is exported too.
    assert by_id[12]["Beslutning"] == "Utsatt"
    assert by_id[12]["Begrunnelse"] == "Venter på litteratursjekken."
    assert 13 not in by_id


def test_about_sheet_explains_the_method() -> None:
    sheet = load()["Om runden"]
    rows = {row["Emne"]: row["Innhold"] for row in table(sheet)}
    assert rows["Runde"] == "Vår 2026"
    assert rows["Klynge"] == "Kunnskapskommunen Vest"
    assert rows["Avsluttet"] == datetime(2026, 3, 1, 13, 30)  # Oslo time (CET) in March
    assert rows["Vektlegging"] == "equal_groups"
    assert rows["Vekt ressurs"] == 0.5
    text = "\n".join(str(value) for value in rows.values())
    for phrase in (
        "inspirert av Blankholm-kriteriene",
        "CS = 100 × (snitt − 1) / 4",
        "omvendt",
        "gruppene teller likt",
        "AEA",
        "offentleglova",
    ):
        assert phrase in text, phrase


def test_open_round_says_so() -> None:
    sheet = load(round_export(closed_at=None))["Om runden"]
    rows = {row["Emne"]: row["Innhold"] for row in table(sheet)}
    assert rows["Avsluttet"] == "Ikke avsluttet"


def test_user_text_that_looks_like_a_formula_stays_text() -> None:
    sheet = load()["Rangering"]
    cell = sheet[f"{column(sheet, 'Kunnskapsbehov')}4"]
    assert cell.value == "=SUM(A1:A9)"
    assert cell.data_type == "s"


def test_column_widths_fit_content_within_a_cap() -> None:
    sheet = load()["Rangering"]
    title = sheet.column_dimensions[column(sheet, "Kunnskapsbehov")]
    assert title.width == 60  # capped although the title is longer
    assert sheet[f"{column(sheet, 'Kunnskapsbehov')}2"].alignment.wrap_text
    rank = sheet.column_dimensions[column(sheet, "Rang")].width
    assert 8 <= rank < 15


def test_empty_round_still_makes_a_workbook() -> None:
    workbook = load(round_export(needs=[], scores=[], decisions_fields=[], group_labels={}))
    assert workbook.sheetnames == SHEETS
    assert workbook["Rangering"].max_row == 1
