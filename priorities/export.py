"""Excel export of a priority round: ranking, raw scores, groups, decisions and the method used.

Plain data in, bytes out; the service layer gathers the data and decides who may download it.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import openpyxl
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

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

_OSLO_NAME = "Europe/Oslo"


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

Kind = Literal["text", "wrap", "int", "score", "share", "number", "datetime"]

_NUMBER_FORMATS: dict[str, str] = {
    "int": "0",
    "score": "0.0",
    "share": "0%",
    "number": "0.00",
    "datetime": "dd.mm.yyyy hh:mm",
}
_MAX_WIDTH: dict[str, int] = {"wrap": 60, "text": 40}
_MIN_WIDTH = 8
_TOP = Alignment(vertical="top")
_WRAP_TOP = Alignment(wrap_text=True, vertical="top")
_HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="top")

Value = str | int | float | datetime | None


@dataclass(frozen=True)
class _Col:
    header: str
    kind: Kind = "text"


def _clean(text: str) -> str:
    # openpyxl refuses control characters; they carry no meaning in these fields.
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def _display_width(value: Value, kind: Kind) -> int:
    if value is None:
        return 0
    if kind == "datetime":
        return 16
    if kind in {"score", "share", "number"}:
        return 6
    return max((len(line) for line in str(value).splitlines()), default=0)


def _write_table(
    sheet: Worksheet,
    columns: Sequence[_Col],
    rows: Sequence[Sequence[Value]],
    *,
    autofilter: bool = True,
) -> None:
    """A table people can read: bold frozen header, fitted widths, formats, wrap and filter."""
    widths = [len(col.header) for col in columns]
    for position, col in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=position, value=col.header)
        cell.font = Font(bold=True)
        cell.alignment = _HEADER_ALIGNMENT
    for row_number, values in enumerate(rows, start=2):
        for position, (col, value) in enumerate(zip(columns, values, strict=True), start=1):
            widths[position - 1] = max(widths[position - 1], _display_width(value, col.kind))
            if value is None:
                continue  # a blank answer stays an empty cell, never 0
            cell = sheet.cell(row=row_number, column=position)
            if isinstance(value, str):
                cell.value = _clean(value)
                cell.data_type = "s"  # user text starting with "=" must stay text, not a formula
            else:
                cell.value = value
            if col.kind in _NUMBER_FORMATS:
                cell.number_format = _NUMBER_FORMATS[col.kind]
            cell.alignment = _WRAP_TOP if col.kind == "wrap" else _TOP
    for position, (col, width) in enumerate(zip(columns, widths, strict=True), start=1):
        cap = _MAX_WIDTH.get(col.kind, 30)
        sheet.column_dimensions[get_column_letter(position)].width = min(
            cap, max(_MIN_WIDTH, width + 2)
        )
    sheet.freeze_panes = "A2"
    if autofilter:
        last = get_column_letter(len(columns))
        sheet.auto_filter.ref = f"A1:{last}{max(1, len(rows)) + 1}"


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
        _Col("Rang", "int"),
        _Col("Behov-ID", "int"),
        _Col("Kunnskapsbehov", "wrap"),
        _Col("Prioritetsskår", "score"),
        *(_Col(f"{label} (CS)", "score") for label in CRITERIA.values()),
        *(_Col(f"Enighet {key}", "share") for key in RATED_CRITERIA),
        _Col("AEA (samlet enighet)", "share"),
        _Col("Rangintervall"),
        _Col("Ustabil"),
        _Col("Vurderere", "int"),
        _Col("Blanke svar", "int"),
        _Col("Beslutning"),
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
    _write_table(sheet, columns, rows)


def _group_label(export: RoundExport, key: str) -> str:
    return export.group_labels.get(key) or key


def _scores_sheet(sheet: Worksheet, export: RoundExport) -> None:
    columns = [
        _Col("Vurderer"),
        _Col("Gruppe"),
        _Col("Kommune"),
        _Col("Behov-ID", "int"),
        _Col("Kunnskapsbehov", "wrap"),
        *(_Col(CRITERIA[key], "int") for key in RATED_CRITERIA),
        _Col("Kommentar", "wrap"),
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
    _write_table(sheet, columns, rows)


def _groups_sheet(sheet: Worksheet, export: RoundExport, needs: Sequence[ExportNeed]) -> None:
    columns = [
        _Col("Behov-ID", "int"),
        _Col("Kunnskapsbehov", "wrap"),
        _Col("Gruppe"),
        *(_Col(f"{CRITERIA[key]} (CS)", "score") for key in RATED_CRITERIA),
        _Col("Prioritetsskår", "score"),
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
    _write_table(sheet, columns, rows)


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
        _Col("Behov-ID", "int"),
        _Col("Kunnskapsbehov", "wrap"),
        _Col("Beregnet rang", "int"),
        *(
            _Col(header, "text" if key == "decision" else "wrap")
            for key, header in _DECISION_FIELDS.items()
        ),
        *(_Col(key, "wrap") for key in extra),  # nothing the caller sends is left out
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
    _write_table(sheet, columns, rows)


def _local_time(moment: datetime) -> datetime:
    """Naive local time for Excel, which has no time zones; naive input is taken as local."""
    if moment.tzinfo is None:
        return moment
    try:
        zone: tzinfo = ZoneInfo(_OSLO_NAME)
    except ZoneInfoNotFoundError:  # no tz database installed: UTC is better than a crash
        zone = UTC
    return moment.astimezone(zone).replace(tzinfo=None)


_METHOD_NOTES: tuple[tuple[str, str], ...] = (
    (
        "Kriteriene",
        "Nytte, alvorlighet og ressurs er prioriteringskriteriene for de kommunale helse- og "
        "omsorgstjenestene (NOU 2018:16 Det viktigste først og Meld. St. 38 (2020–2021) Nytte, "
        "ressurs og alvorlighet). Her er de brukt inspirert av Blankholm-kriteriene: for skole, "
        "barnehage, barnevern, NAV og politi gjelder de ikke formelt, men brukes i overført "
        "betydning.",
    ),
    (
        "Vurderingene",
        "Hver vurderer svarer 1–5 på hvert kriterium. «Kan ikke vurdere» er et blankt svar. "
        "Blanke svar telles ikke og står som tomme celler i arket «Råskårer».",
    ),
    (
        "Kriterieskår (CS)",
        "CS = 100 × (snitt − 1) / 4, der snittet er gjennomsnittet av svarene som ikke er "
        "blanke. 0 er lavest og 100 høyest.",
    ),
    (
        "Ressurs",
        "Ressurs skåres omvendt: jo mindre ressurser, jo høyere prioritet. Svaret snus "
        "(6 − svar) før CS regnes ut. Arket «Råskårer» viser svarene slik de ble gitt.",
    ),
    (
        "Kunnskapsgap",
        "Kunnskapsgap vurderes ikke av panelet, men hentes fra litteratursjekken: besvart 1, "
        "delvis besvart 3, ubesvart 5.",
    ),
    (
        "Prioritetsskår",
        "Prioritetsskår = Σ vekt × CS / Σ vekt, med vektene over.",
    ),
    (
        "Lik stemme per gruppe",
        "CS regnes ut for hver gruppe for seg (arket «Grupper»), og gruppene teller likt i "
        "snittet. Slik overdøver ikke en stor gruppe, for eksempel mange ansatte i "
        "motorkommunen, de små kommunene eller ungdommene.",
    ),
    (
        "Enighet (AEA)",
        "For hvert kriterium: andelen vurderere som ga det vanligste svaret. AEA (Average "
        "Expert Agreement, fra CHNRI-metoden) er snittet over kriteriene. En høy skår med lav "
        "enighet betyr at behovet er omstridt.",
    ),
    (
        "Rangintervall",
        "Laveste og høyeste plass behovet fikk i følsomhetsberegningen. Et behov merket "
        "ustabilt kan bytte plass ved små endringer i vurderingene.",
    ),
    (
        "Beslutningen",
        "Den beregnede rangeringen er et hjelpemiddel, ikke beslutningen. Kriteriene veies "
        "samlet. Beslutningen kan avvike fra rangeringen, og da med skriftlig begrunnelse "
        "(arket «Beslutninger»).",
    ),
    (
        "Offentlighet",
        "Eksporten kan være et offentlig dokument etter offentleglova og kan være arkivpliktig. "
        "Den skal ikke inneholde personopplysninger om barn. Vurderere vises med navn eller "
        "pseudonym, slik runden er satt opp.",
    ),
)


def _about_sheet(sheet: Worksheet, export: RoundExport) -> None:
    columns = [_Col("Emne"), _Col("Innhold", "wrap")]
    rows: list[list[Value]] = [
        ["Runde", export.round_name],
        ["Klynge", export.cluster_name],
        [
            "Avsluttet",
            _local_time(export.closed_at) if export.closed_at else "Ikke avsluttet",
        ],
        ["Vektlegging", export.weighting],
    ]
    for key, weight in export.weights.items():
        rows.append([f"Vekt {CRITERIA.get(key, key).lower()}", weight])
    rows += [[topic, text] for topic, text in _METHOD_NOTES]
    _write_table(sheet, columns, rows, autofilter=False)
    # One column mixes text, a date and numbers; format the cells that are not text.
    for row in sheet.iter_rows(min_row=2, min_col=2, max_col=2):
        cell = row[0]
        if isinstance(cell.value, datetime):
            cell.number_format = _NUMBER_FORMATS["datetime"]
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
