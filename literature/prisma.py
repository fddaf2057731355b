"""PRISMA 2020 counts of a literature check, computed from stored events (never typed in),
and the flow diagram as accessible standalone SVG.

Pure module. How the service builds the input from the tables (`literature/tables.py`):

- `sources`: one `SourceCount` per `LiteratureImport` of the check that is not undone (several
  imports from one database are added up by name): `source` = `LiteratureImport.source`,
  `records` = `LiteratureImport.read` minus the records that could not be read (the good
  records: the number of `ReferenceSource` rows of the import), `duplicates` = that import's
  `ReferenceSource` rows with `duplicate_tier` set whose reference is another record of the
  same check. A search with no file (`CheckSearch.hits`, e.g. zero hits) is a `SourceCount`
  with `records=hits`, `duplicates=0`.
- `extra_duplicates`: duplicates found among the check's own records after import (confirmed
  tier-3 `DuplicateCandidate` merges of two references of the check).
- `records`: ids of the check's unique references (not `merged_into` another), i.e. what is
  left after duplicates are removed.
- `outcomes`: `literature.screening.screen(decisions, blind=..., screeners=...,
  references=records)` over the check's `ScreeningDecision` rows.
- `exclusion_reasons`: `LiteratureCheck.exclusion_reasons` (gives the reasons' order and shows
  the configured reasons with zero); a full-text exclusion with reason `NOT_RETRIEVED` counts as
  "report not retrieved", not as an exclusion after assessment.

Consistency (each failure is listed in `PrismaCounts.problems`, in Norwegian):
identified − duplicates = screened + not yet screened; screened = excluded + sought + awaiting
(title); sought = not retrieved + assessed + awaiting (full text); assessed = excluded with
reasons + included; no negative numbers.
"""

from __future__ import annotations

import itertools
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from xml.sax.saxutils import escape, quoteattr

from literature.screening import Outcome

__all__ = [
    "LABELS_EN",
    "LABELS_NB",
    "LABELS_NN",
    "NOT_RETRIEVED",
    "UNSPECIFIED",
    "PrismaCounts",
    "SourceCount",
    "consistency_problems",
    "prisma_counts",
    "prisma_lines",
    "prisma_svg",
]

NOT_RETRIEVED = "not_retrieved"  # full-text reason: the report could not be obtained
UNSPECIFIED = "unspecified"  # key of full-text exclusions given without a reason


@dataclass(frozen=True, slots=True)
class SourceCount:
    """Records identified from one source and how many of them were removed as duplicates."""

    source: str
    records: int
    duplicates: int = 0


def _awaiting() -> dict[str, dict[str, int]]:
    return {"title": {"pending": 0, "conflict": 0}, "fulltext": {"pending": 0, "conflict": 0}}


@dataclass
class PrismaCounts:
    identified_total: int = 0
    identified_per_source: dict[str, int] = field(default_factory=dict)
    duplicates_per_source: dict[str, int] = field(default_factory=dict)
    duplicates_removed: int = 0
    not_screened: int = 0  # unique records nobody has screened yet
    records_screened: int = 0  # records with at least one title decision
    records_excluded: int = 0  # title stage
    reports_sought: int = 0  # include + uncertain at the title stage
    reports_not_retrieved: int = 0
    reports_assessed: int = 0
    reports_excluded: dict[str, int] = field(default_factory=dict)  # reason -> count
    studies_included: int = 0
    # {"title": {"pending": n, "conflict": n}, "fulltext": {...}}; full-text "uncertain" is
    # pending. Title "pending" counts records some but not all blind screeners have decided.
    awaiting: dict[str, dict[str, int]] = field(default_factory=_awaiting)
    problems: list[str] = field(default_factory=list)

    @property
    def awaiting_title(self) -> int:
        return sum(self.awaiting.get("title", {}).values())

    @property
    def awaiting_fulltext(self) -> int:
        return sum(self.awaiting.get("fulltext", {}).values())

    @property
    def reports_excluded_total(self) -> int:
        return sum(self.reports_excluded.values())


def consistency_problems(counts: PrismaCounts) -> list[str]:
    """What does not add up in `counts` (empty when consistent)."""
    problems: list[str] = []
    for item in fields(counts):
        value = getattr(counts, item.name)
        if isinstance(value, int) and value < 0:
            problems.append(f"{item.name} er negativ ({value}).")
        elif isinstance(value, dict):
            for key, inner in value.items():
                values = inner.items() if isinstance(inner, dict) else [(None, inner)]
                for sub, number in values:
                    if number < 0:
                        where = f"{key}/{sub}" if sub else key
                        problems.append(f"{item.name}[{where}] er negativ ({number}).")
    per_source = sum(counts.identified_per_source.values())
    if counts.identified_per_source and per_source != counts.identified_total:
        problems.append(
            f"Identifiserte poster per kilde ({per_source}) er ikke lik totalen "
            f"({counts.identified_total})."
        )
    left = counts.identified_total - counts.duplicates_removed
    unique = counts.records_screened + counts.not_screened
    if left != unique:
        problems.append(
            f"Identifisert ({counts.identified_total}) minus duplikater "
            f"({counts.duplicates_removed}) er {left}, men det er {unique} unike poster "
            f"({counts.records_screened} screenet + {counts.not_screened} ikke screenet)."
        )
    screened = counts.records_excluded + counts.reports_sought + counts.awaiting_title
    if counts.records_screened != screened:
        problems.append(
            f"Screenet ({counts.records_screened}) er ikke ekskludert "
            f"({counts.records_excluded}) + søkt hentet ({counts.reports_sought}) + venter "
            f"({counts.awaiting_title}) = {screened}."
        )
    sought = counts.reports_not_retrieved + counts.reports_assessed + counts.awaiting_fulltext
    if counts.reports_sought != sought:
        problems.append(
            f"Søkt hentet ({counts.reports_sought}) er ikke ikke hentet "
            f"({counts.reports_not_retrieved}) + vurdert ({counts.reports_assessed}) + venter "
            f"({counts.awaiting_fulltext}) = {sought}."
        )
    assessed = counts.reports_excluded_total + counts.studies_included
    if counts.reports_assessed != assessed:
        problems.append(
            f"Vurdert i fulltekst ({counts.reports_assessed}) er ikke ekskludert med grunn "
            f"({counts.reports_excluded_total}) + inkludert ({counts.studies_included}) "
            f"= {assessed}."
        )
    return problems


def prisma_counts(
    sources: Iterable[SourceCount],
    records: Iterable[int],
    outcomes: Mapping[tuple[int, str], Outcome],
    *,
    extra_duplicates: int = 0,
    exclusion_reasons: Sequence[str] = (),
) -> PrismaCounts:
    """PRISMA 2020 counts of one check (see the module docstring for the mapping)."""
    counts = PrismaCounts()
    for source in sources:
        counts.identified_per_source[source.source] = (
            counts.identified_per_source.get(source.source, 0) + source.records
        )
        counts.duplicates_per_source[source.source] = (
            counts.duplicates_per_source.get(source.source, 0) + source.duplicates
        )
    counts.identified_total = sum(counts.identified_per_source.values())
    counts.duplicates_removed = sum(counts.duplicates_per_source.values()) + extra_duplicates
    counts.reports_excluded = {r: 0 for r in exclusion_reasons if r != NOT_RETRIEVED}

    unique = list(dict.fromkeys(records))
    known = set(unique)
    extra: list[str] = []
    stray = sorted({ref for ref, _ in outcomes if ref not in known})
    if stray:
        extra.append(
            f"{len(stray)} poster har screeningsbeslutninger, men er ikke blant sjekkens unike "
            "poster (sammenslått eller fjernet?); de er ikke talt med."
        )
    orphan_fulltext = 0
    for ref in unique:
        title = outcomes.get((ref, "title"))
        if title is None or (title.state == "pending" and not title.decided_by):
            counts.not_screened += 1
            if (ref, "fulltext") in outcomes and outcomes[(ref, "fulltext")].decided_by:
                orphan_fulltext += 1
            continue
        counts.records_screened += 1
        if title.state == "exclude":
            counts.records_excluded += 1
        elif title.state in ("pending", "conflict"):
            counts.awaiting["title"][title.state] += 1
        else:  # include | uncertain: sought for retrieval
            counts.reports_sought += 1
            full = outcomes.get((ref, "fulltext"))
            if full is None or full.state not in ("include", "exclude"):
                state = "conflict" if full is not None and full.state == "conflict" else "pending"
                counts.awaiting["fulltext"][state] += 1
            elif full.state == "exclude" and full.reason == NOT_RETRIEVED:
                counts.reports_not_retrieved += 1
            else:
                counts.reports_assessed += 1
                if full.state == "include":
                    counts.studies_included += 1
                else:
                    reason = full.reason or UNSPECIFIED
                    counts.reports_excluded[reason] = counts.reports_excluded.get(reason, 0) + 1
            continue
        full = outcomes.get((ref, "fulltext"))
        if full is not None and full.decided_by:
            orphan_fulltext += 1
    if orphan_fulltext:
        extra.append(
            f"{orphan_fulltext} poster har fulltekstbeslutninger, men er ikke sendt videre fra "
            "tittel/sammendrag; fulltekstbeslutningene er ikke talt med."
        )
    counts.problems = consistency_problems(counts) + extra
    return counts


# ---------------------------------------------------------------------------------------------
# Labels and the flow diagram

LABELS_NB: dict[str, str] = {
    "title": "PRISMA 2020-flytdiagram",
    "identification": "Identifikasjon",
    "screening": "Screening",
    "included": "Inkludert",
    "identified": "Poster identifisert",
    "removed_before": "Poster fjernet før screening:",
    "duplicates": "Duplikater fjernet",
    "screened": "Poster screenet",
    "not_screened": "Ikke screenet ennå",
    "pending": "Venter på avgjørelse",
    "conflict": "Uenighet mellom screenere",
    "excluded": "Poster ekskludert",
    "sought": "Rapporter søkt hentet",
    "not_retrieved": "Rapporter ikke hentet",
    "assessed": "Rapporter vurdert i fulltekst",
    "reports_excluded": "Rapporter ekskludert",
    "studies_included": "Studier inkludert",
    "unspecified": "Uten oppgitt grunn",
    "reasons": "Grunner",
}

LABELS_NN: dict[str, str] = {
    "title": "PRISMA 2020-flytdiagram",
    "identification": "Identifikasjon",
    "screening": "Screening",
    "included": "Inkludert",
    "identified": "Postar identifiserte",
    "removed_before": "Postar fjerna før screening:",
    "duplicates": "Duplikat fjerna",
    "screened": "Postar screena",
    "not_screened": "Ikkje screena enno",
    "pending": "Ventar på avgjerd",
    "conflict": "Usemje mellom screenarar",
    "excluded": "Postar ekskluderte",
    "sought": "Rapportar søkte henta",
    "not_retrieved": "Rapportar ikkje henta",
    "assessed": "Rapportar vurderte i fulltekst",
    "reports_excluded": "Rapportar ekskluderte",
    "studies_included": "Studiar inkluderte",
    "unspecified": "Utan oppgjeven grunn",
    "reasons": "Grunnar",
}

LABELS_EN: dict[str, str] = {
    "title": "PRISMA 2020 flow diagram",
    "identification": "Identification",
    "screening": "Screening",
    "included": "Included",
    "identified": "Records identified",
    "removed_before": "Records removed before screening:",
    "duplicates": "Duplicate records removed",
    "screened": "Records screened",
    "not_screened": "Not yet screened",
    "pending": "Awaiting decision",
    "conflict": "Screeners disagree",
    "excluded": "Records excluded",
    "sought": "Reports sought for retrieval",
    "not_retrieved": "Reports not retrieved",
    "assessed": "Reports assessed for eligibility",
    "reports_excluded": "Reports excluded",
    "studies_included": "Studies included in review",
    "unspecified": "No reason given",
    "reasons": "Reasons",
}


def _n(label: str, number: int) -> str:
    return f"{label} (n = {number})"


def _reason_text(reason: str, labels: Mapping[str, str], reason_labels: Mapping[str, str]) -> str:
    if reason in reason_labels:
        return reason_labels[reason]
    if reason == UNSPECIFIED:
        return labels["unspecified"]
    return reason


def prisma_lines(
    counts: PrismaCounts,
    labels: Mapping[str, str] = LABELS_NB,
    reason_labels: Mapping[str, str] | None = None,
) -> list[tuple[str, list[str], list[str]]]:
    """The diagram's rows: (phase, main box lines, side box lines); also the report's table."""
    labels = {**LABELS_NB, **labels}
    reason_labels = reason_labels or {}
    identified = [_n(labels["identified"], counts.identified_total)]
    identified += [f"{source} (n = {n})" for source, n in counts.identified_per_source.items()]
    screened = [_n(labels["screened"], counts.records_screened)]
    if counts.not_screened:
        screened.append(_n(labels["not_screened"], counts.not_screened))
    sought = [_n(labels["sought"], counts.reports_sought)]
    for stage, lines in (("title", screened), ("fulltext", sought)):
        for state in ("pending", "conflict"):
            number = counts.awaiting.get(stage, {}).get(state, 0)
            if number:
                lines.append(_n(labels[state], number))
    excluded = [_n(labels["reports_excluded"], counts.reports_excluded_total)]
    excluded += [
        f"{_reason_text(reason, labels, reason_labels)} (n = {n})"
        for reason, n in counts.reports_excluded.items()
    ]
    return [
        (
            labels["identification"],
            identified,
            [labels["removed_before"], _n(labels["duplicates"], counts.duplicates_removed)],
        ),
        (labels["screening"], screened, [_n(labels["excluded"], counts.records_excluded)]),
        (labels["screening"], sought, [_n(labels["not_retrieved"], counts.reports_not_retrieved)]),
        (labels["screening"], [_n(labels["assessed"], counts.reports_assessed)], excluded),
        (labels["included"], [_n(labels["studies_included"], counts.studies_included)], []),
    ]


# Layout, in viewBox units (the SVG scales to its container; no fixed pixel size).
_WIDTH = 780
_BAND_X, _BAND_W = 12, 34
_MAIN_X, _MAIN_W = 62, 340
_SIDE_X, _SIDE_W = 446, 322
_FONT = 15
_LINE = 20
_PAD = 12
_GAP = 34
_TOP = 52
_INK = "#1a1a1a"  # on white: 17.4:1
_EDGE = "#1f3b5c"  # boxes, arrows and bands; white on it: 11.3:1
_SIDE_FILL = "#f2f5f9"  # ink on it: 16:1


def _wrap(lines: Sequence[str], width: int) -> list[str]:
    chars = max(12, int((width - 2 * _PAD) / (_FONT * 0.56)))
    out: list[str] = []
    for line in lines:
        out += textwrap.wrap(line, chars, break_long_words=True, break_on_hyphens=False) or [""]
    return out


def _box(x: int, y: int, w: int, lines: Sequence[str], fill: str) -> list[str]:
    h = len(lines) * _LINE + 2 * _PAD
    parts = [
        f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="4" fill="{fill}" '
        f'stroke="{_EDGE}" stroke-width="1.5"/>'
    ]
    for i, line in enumerate(lines):
        weight = ' font-weight="bold"' if i == 0 else ""
        parts.append(
            f'<text x="{x + _PAD}" y="{y + _PAD + (i + 1) * _LINE - 5}"{weight}>'
            f"{escape(line)}</text>"
        )
    return parts


def _arrow(x1: float, y1: float, x2: float, y2: float) -> list[str]:
    size = 7
    if x1 == x2:  # down
        head = f"{x2 - size},{y2 - size * 1.4} {x2 + size},{y2 - size * 1.4} {x2},{y2}"
        end = (x2, y2 - size * 1.4)
    else:  # right
        head = f"{x2 - size * 1.4},{y2 - size} {x2 - size * 1.4},{y2 + size} {x2},{y2}"
        end = (x2 - size * 1.4, y2)
    return [
        f'<line x1="{x1}" y1="{y1}" x2="{end[0]}" y2="{end[1]}" stroke="{_EDGE}" '
        'stroke-width="2"/>',
        f'<polygon points="{head}" fill="{_EDGE}"/>',
    ]


def prisma_description(
    counts: PrismaCounts,
    labels: Mapping[str, str] = LABELS_NB,
    reason_labels: Mapping[str, str] | None = None,
) -> str:
    """All counts in words, for screen readers (the SVG's <desc>) and text alternatives."""
    sentences = []
    for _, main, side in prisma_lines(counts, labels, reason_labels):
        for lines in (main, side):
            if lines:
                head = lines[0].rstrip(":")
                sentences.append(head + (": " + ", ".join(lines[1:]) if lines[1:] else "") + ".")
    return " ".join(sentences)


def prisma_svg(
    counts: PrismaCounts,
    labels: Mapping[str, str] = LABELS_NB,
    reason_labels: Mapping[str, str] | None = None,
) -> str:
    """The PRISMA 2020 flow diagram as standalone SVG text (no scripts, no external refs)."""
    labels = {**LABELS_NB, **labels}
    rows = prisma_lines(counts, labels, reason_labels)
    body: list[str] = []
    y = _TOP
    placed: list[tuple[str, int, int]] = []  # phase, top, bottom
    main_boxes: list[tuple[int, int]] = []
    for phase, main, side in rows:
        main_lines = _wrap(main, _MAIN_W)
        side_lines = _wrap(side, _SIDE_W) if side else []
        height = max(len(main_lines), len(side_lines)) * _LINE + 2 * _PAD
        main_y = y + (height - (len(main_lines) * _LINE + 2 * _PAD)) // 2
        body += _box(_MAIN_X, main_y, _MAIN_W, main_lines, "#ffffff")
        main_boxes.append((main_y, main_y + len(main_lines) * _LINE + 2 * _PAD))
        if side_lines:
            side_y = y + (height - (len(side_lines) * _LINE + 2 * _PAD)) // 2
            body += _box(_SIDE_X, side_y, _SIDE_W, side_lines, _SIDE_FILL)
            middle = y + height / 2
            body += _arrow(_MAIN_X + _MAIN_W, middle, _SIDE_X, middle)
        placed.append((phase, y, y + height))
        y += height + _GAP
    centre = _MAIN_X + _MAIN_W / 2
    for (_, bottom), (top, _) in itertools.pairwise(main_boxes):
        body += _arrow(centre, bottom, centre, top)
    # Phase bands on the left, merging consecutive rows of one phase.
    bands: list[list] = []
    for phase, top, bottom in placed:
        if bands and bands[-1][0] == phase:
            bands[-1][2] = bottom
        else:
            bands.append([phase, top, bottom])
    for phase, top, bottom in bands:
        cx, cy = _BAND_X + _BAND_W / 2, (top + bottom) / 2
        body.append(
            f'<rect x="{_BAND_X}" y="{top}" width="{_BAND_W}" height="{bottom - top}" '
            f'rx="4" fill="{_EDGE}"/>'
        )
        body.append(
            f'<text x="{cx}" y="{cy}" fill="#ffffff" font-weight="bold" text-anchor="middle" '
            f'dominant-baseline="central" transform="rotate(-90 {cx} {cy})">'
            f"{escape(phase)}</text>"
        )
    height = y - _GAP + 16
    title = labels["title"]
    description = prisma_description(counts, labels, reason_labels)
    return "\n".join(
        [
            '<svg xmlns="http://www.w3.org/2000/svg" role="img" '
            f'viewBox="0 0 {_WIDTH} {height}" preserveAspectRatio="xMidYMin meet" '
            f'font-family="Arial, Helvetica, sans-serif" font-size="{_FONT}" fill="{_INK}" '
            f"aria-label={quoteattr(title)}>",
            f"<title>{escape(title)}</title>",
            f"<desc>{escape(description)}</desc>",
            f'<rect x="0" y="0" width="{_WIDTH}" height="{height}" fill="#ffffff"/>',
            f'<text x="{_WIDTH / 2}" y="30" text-anchor="middle" font-size="18" '
            f'font-weight="bold">{escape(title)}</text>',
            *body,
            "</svg>",
            "",
        ]
    )
