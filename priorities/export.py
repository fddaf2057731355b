"""Excel export of a priority round: ranking, raw scores, groups, decisions and the method used.

Plain data in, bytes out; the service layer gathers the data and decides who may download it.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import openpyxl
from openpyxl.styles import Alignment
from openpyxl.worksheet.worksheet import Worksheet

from priorities.export_about import METHOD_NOTES, local_time
from priorities.xlsx_table import NUMBER_FORMATS, Col, Value, write_table

__all__ = [
    "CRITERIA",
    "DECISION_LABELS",
    "SHEET_ABOUT",
    "SHEET_DECISIONS",
    "SHEET_GROUPS",
    "SHEET_RANKING",
    "SHEET_SCORES",
    "ExportNeed",
    "ExportScore",
    "RoundExport",
    "build_round_workbook",
]

SHEET_RANKING = "Rangering"
SHEET_SCORES = "Råskårer"
SHEET_GROUPS = "Grupper"
SHEET_DECISIONS = "Beslutninger"
SHEET_ABOUT = "Om runden"

CRITERIA: dict[str, str] = {
    "nytte": "Nytte",
    "alvorlighet": "Alvorlighet",
    "ressurs": "Ressurs",
    "kunnskapsgap": "Kunnskapsgap",
}
RATED_CRITERIA = ("nytte", "alvorlighet", "ressurs")

DECISION_LABELS: dict[str, str] = {
    "prioritised": "Prioritert",
    "not_prioritised": "Ikke prioritert",
    "deferred": "Utsatt",
}

# Beslutningsgrunnlag fields in the order of Meld. St. 38 (2020–2021), with their headers.
_DECISION_FIELDS: dict[str, str] = {
    "decision": "Beslutning",
    "justification": "Begrunnelse",
    "situation": "Situasjon",
    "frame": "Rammer (juridiske, økonomiske, faglige)",
    "assessment": "Vurdering av kriteriene",
    "knowledge_base": "Kunnskapsgrunnlag og usikkerhet",
    "participation": "Hvem deltok (medvirkning)",
    "child_best_interest": "Barnets beste",
    "local_conditions": "Lokale forhold",
    "equal_access": "Likeverdig tilgang",
    "departs_reason": "Begrunnelse for avvik fra beregnet rangering",
}


@dataclass(frozen=True)
class ExportNeed:
    """One need's result. Criterion scores (CS) and `score` are 0–100; `agreement` and `aea`
    are shares 0–1. `group_scores` maps a group key to {"nytte", "alvorlighet", "ressurs",
    "score"} → value."""

    need_id: int
    rank: int | None
    title: str
    score: float | None
    criteria: Mapping[str, float | None]
    agreement: Mapping[str, float | None]
    aea: float | None
    rank_min: int | None
    rank_max: int | None
    unstable: bool
    raters: int
    blanks: int
    group_scores: Mapping[str, Mapping[str, float | None]]
    decision: str | None
    justification: str
    departs_reason: str


@dataclass(frozen=True)
class ExportScore:
    """One rater's answers (1–5, None for "kan ikke vurdere") on one need, as given."""

    rater_label: str
    group: str
    municipality: str
    need_id: int
    need_title: str
    nytte: int | None
    alvorlighet: int | None
    ressurs: int | None
    comment: str


@dataclass(frozen=True)
class RoundExport:
    round_name: str
    cluster_name: str
    closed_at: datetime | None
    weights: Mapping[str, float]
    weighting: str
    group_labels: Mapping[str, str]
    needs: Sequence[ExportNeed]
    scores: Sequence[ExportScore]
    decisions_fields: Sequence[Mapping[str, str]]


# --- Writing tables ----------------------------------------------------------------------------

# --- Sheets ------------------------------------------------------------------------------------


def _decision_label(decision: str | None) -> str | None:
    if not decision:
        return None
    return DECISION_LABELS.get(decision, decision)


def _rank_range(need: ExportNeed) -> str | None:
    if need.rank_min is None or need.rank_max is None:
        return None
    if need.rank_min == need.rank_max:
        return str(need.rank_min)
    return f"{need.rank_min}–{need.rank_max}"


def _ranked(needs: Sequence[ExportNeed]) -> list[ExportNeed]:
    # Unranked needs (no answers yet) last; otherwise the caller's order is kept.
    return sorted(needs, key=lambda n: (n.rank is None, n.rank if n.rank is not None else 0))


def _ranking_sheet(sheet: Worksheet, needs: Sequence[ExportNeed]) -> None:
    columns = [
        Col("Rang", "int"),
        Col("Behov-ID", "int"),
        Col("Kunnskapsbehov", "wrap"),
        Col("Prioritetsskår", "score"),
        *(Col(f"{label} (CS)", "score") for label in CRITERIA.values()),
        *(Col(f"Enighet {key}", "share") for key in RATED_CRITERIA),
        Col("AEA (samlet enighet)", "share"),
        Col("Rangintervall"),
        Col("Ustabil"),
        Col("Vurderere", "int"),
        Col("Blanke svar", "int"),
        Col("Beslutning"),
    ]
    rows = [
        [
            need.rank,
            need.need_id,
            need.title,
            need.score,
            *(need.criteria.get(key) for key in CRITERIA),
            *(need.agreement.get(key) for key in RATED_CRITERIA),
            need.aea,
            _rank_range(need),
            "Ja" if need.unstable else "Nei",
            need.raters,
            need.blanks,
            _decision_label(need.decision),
        ]
        for need in needs
    ]
    write_table(sheet, columns, rows)


def _group_label(export: RoundExport, key: str) -> str:
    return export.group_labels.get(key) or key


def _scores_sheet(sheet: Worksheet, export: RoundExport) -> None:
    columns = [
        Col("Vurderer"),
        Col("Gruppe"),
        Col("Kommune"),
        Col("Behov-ID", "int"),
        Col("Kunnskapsbehov", "wrap"),
        *(Col(CRITERIA[key], "int") for key in RATED_CRITERIA),
        Col("Kommentar", "wrap"),
    ]
    rows = [
        [
            score.rater_label,
            _group_label(export, score.group),
            score.municipality,
            score.need_id,
            score.need_title,
            score.nytte,
            score.alvorlighet,
            score.ressurs,
            score.comment or None,
        ]
        for score in export.scores
    ]
    write_table(sheet, columns, rows)


def _groups_sheet(sheet: Worksheet, export: RoundExport, needs: Sequence[ExportNeed]) -> None:
    columns = [
        Col("Behov-ID", "int"),
        Col("Kunnskapsbehov", "wrap"),
        Col("Gruppe"),
        *(Col(f"{CRITERIA[key]} (CS)", "score") for key in RATED_CRITERIA),
        Col("Prioritetsskår", "score"),
    ]
    order = list(export.group_labels)
    rows: list[list[Value]] = []
    for need in needs:
        known = [key for key in order if key in need.group_scores]
        others = sorted(key for key in need.group_scores if key not in export.group_labels)
        for key in known + others:
            values = need.group_scores[key]
            rows.append(
                [
                    need.need_id,
                    need.title,
                    _group_label(export, key),
                    *(values.get(criterion) for criterion in RATED_CRITERIA),
                    values.get("score"),
                ]
            )
    write_table(sheet, columns, rows)


def _decisions_sheet(sheet: Worksheet, export: RoundExport, needs: Sequence[ExportNeed]) -> None:
    by_id = {need.need_id: need for need in needs}
    extra = list(
        dict.fromkeys(
            key
            for fields in export.decisions_fields
            for key in fields
            if key != "need_id" and key not in _DECISION_FIELDS
        )
    )
    columns = [
        Col("Behov-ID", "int"),
        Col("Kunnskapsbehov", "wrap"),
        Col("Beregnet rang", "int"),
        *(
            Col(header, "text" if key == "decision" else "wrap")
            for key, header in _DECISION_FIELDS.items()
        ),
        *(Col(key, "wrap") for key in extra),  # nothing the caller sends is left out
    ]
    rows: list[list[Value]] = []
    covered: set[int] = set()
    for fields in export.decisions_fields:
        raw_id = str(fields.get("need_id", "")).strip()
        need_id: int | str | None = int(raw_id) if raw_id.isdigit() else (raw_id or None)
        need = by_id.get(need_id) if isinstance(need_id, int) else None
        if need is not None:
            covered.add(need.need_id)
        values: list[Value] = [
            need_id,
            need.title if need else None,
            need.rank if need else None,
        ]
        for key in _DECISION_FIELDS:
            value = fields.get(key) or None
            values.append(_decision_label(value) if key == "decision" else value)
        values += [fields.get(key) or None for key in extra]
        rows.append(values)
    # A decision recorded on the need but missing from decisions_fields must still be exported.
    for need in needs:
        if need.need_id in covered or not (need.decision or need.justification):
            continue
        recorded = {
            "decision": need.decision,
            "justification": need.justification,
            "departs_reason": need.departs_reason,
        }
        row: list[Value] = [need.need_id, need.title, need.rank]
        for key in _DECISION_FIELDS:
            value = recorded.get(key) or None
            row.append(_decision_label(value) if key == "decision" else value)
        rows.append(row + [None] * len(extra))
    write_table(sheet, columns, rows)


def _about_sheet(sheet: Worksheet, export: RoundExport) -> None:
    columns = [Col("Emne"), Col("Innhold", "wrap")]
    rows: list[list[Value]] = [
        ["Runde", export.round_name],
        ["Klynge", export.cluster_name],
        [
            "Avsluttet",
            local_time(export.closed_at) if export.closed_at else "Ikke avsluttet",
        ],
        ["Vektlegging", export.weighting],
    ]
    for key, weight in export.weights.items():
        rows.append([f"Vekt {CRITERIA.get(key, key).lower()}", weight])
    rows += [[topic, text] for topic, text in METHOD_NOTES]
    write_table(sheet, columns, rows, autofilter=False)
    # One column mixes text, a date and numbers; format the cells that are not text.
    for row in sheet.iter_rows(min_row=2, min_col=2, max_col=2):
        cell = row[0]
        if isinstance(cell.value, datetime):
            cell.number_format = NUMBER_FORMATS["datetime"]
        elif isinstance(cell.value, int | float):
            cell.number_format = "0.##"
            cell.alignment = Alignment(horizontal="left", vertical="top")
    sheet.column_dimensions["B"].width = 90


def build_round_workbook(export: RoundExport) -> bytes:
    """The round as an .xlsx workbook with the sheets Rangering, Råskårer, Grupper,
    Beslutninger and Om runden."""
    needs = _ranked(export.needs)
    workbook = openpyxl.Workbook()
    ranking = workbook.active
    assert ranking is not None
    ranking.title = SHEET_RANKING
    _ranking_sheet(ranking, needs)
    _scores_sheet(workbook.create_sheet(SHEET_SCORES), export)
    _groups_sheet(workbook.create_sheet(SHEET_GROUPS), export, needs)
    _decisions_sheet(workbook.create_sheet(SHEET_DECISIONS), export, needs)
    _about_sheet(workbook.create_sheet(SHEET_ABOUT), export)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
