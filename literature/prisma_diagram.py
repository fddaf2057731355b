"""The PRISMA 2020 flow diagram of a check's counts: labels (nb, nn, en), the diagram's rows,
a text description, and accessible standalone SVG. Pure module."""

from __future__ import annotations

import itertools
import textwrap
from collections.abc import Mapping, Sequence
from xml.sax.saxutils import escape, quoteattr

from literature.prisma import UNSPECIFIED, PrismaCounts

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


# Text width per character as a share of the font size: a generous average for Arial and its
# stand-ins (bold capitals reach 0.7; measured lines of mixed text stay under 0.6), so wrapped
# lines and band labels fit their boxes in any browser.
_CHAR = 0.6
_BAND_FONT = 14


def _text_length(text: str, font: float) -> float:
    return len(text) * font * _CHAR


def _wrap(lines: Sequence[str], width: int) -> list[str]:
    chars = max(12, int((width - 2 * _PAD) / (_FONT * _CHAR)))
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


def _bands(placed: Sequence[tuple[str, int, int]]) -> list[str]:
    """Phase bands on the left, merging consecutive rows of one phase."""
    bands: list[list] = []
    for phase, top, bottom in placed:
        if bands and bands[-1][0] == phase:
            bands[-1][2] = bottom
        else:
            bands.append([phase, top, bottom])
    body: list[str] = []
    for phase, top, bottom in bands:
        cx, cy = _BAND_X + _BAND_W / 2, (top + bottom) / 2
        body.append(
            f'<rect x="{_BAND_X}" y="{top}" width="{_BAND_W}" height="{bottom - top}" '
            f'rx="4" fill="{_EDGE}"/>'
        )
        body.append(
            f'<text x="{cx}" y="{cy}" fill="#ffffff" font-weight="bold" text-anchor="middle" '
            f'font-size="{_BAND_FONT}" dominant-baseline="central" '
            f'transform="rotate(-90 {cx} {cy})">{escape(phase)}</text>'
        )
    return body


def _band_room(rows: Sequence[tuple[str, int]]) -> list[int]:
    """Row heights grown so that each phase's band (consecutive rows of one phase, with the
    gaps between them) is tall enough for its label written upwards."""
    heights = [height for _, height in rows]
    start = 0
    while start < len(rows):
        end = start
        while end + 1 < len(rows) and rows[end + 1][0] == rows[start][0]:
            end += 1
        span = sum(heights[start : end + 1]) + _GAP * (end - start)
        needed = int(_text_length(rows[start][0], _BAND_FONT * 1.1)) + 2 * _PAD
        if span < needed:
            heights[end] += needed - span
        start = end + 1
    return heights


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
    wrapped = [
        (phase, _wrap(main, _MAIN_W), _wrap(side, _SIDE_W) if side else [])
        for phase, main, side in rows
    ]
    heights = _band_room(
        [(phase, max(len(m), len(sd)) * _LINE + 2 * _PAD) for phase, m, sd in wrapped]
    )
    for (phase, main_lines, side_lines), height in zip(wrapped, heights, strict=True):
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
    body += _bands(placed)
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
