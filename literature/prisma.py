"""PRISMA 2020 counts of a literature check, computed from stored events (never typed in),
and their consistency (the diagram is drawn by `literature.prisma_diagram`).

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

Consistency (each failure is listed in `PrismaCounts.problems`, in the current language):
identified − duplicates = screened + not yet screened; screened = excluded + sought + awaiting
(title); sought = not retrieved + assessed + awaiting (full text); assessed = excluded with
reasons + included; no negative numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields

from klynge.errors import translate
from klynge.i18n import N_
from literature.screening import Outcome

__all__ = [
    "NOT_RETRIEVED",
    "UNSPECIFIED",
    "PrismaCounts",
    "SourceCount",
    "consistency_problems",
    "prisma_counts",
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


# What does not add up, in the reader's language (the current one when the counts are made).
_NEGATIVE = N_("%(name)s is negative (%(value)s).")
_NEGATIVE_ITEM = N_("%(name)s[%(where)s] is negative (%(value)s).")
_PER_SOURCE = N_(
    "Identified records per source (%(per_source)s) do not equal the total (%(total)s)."
)
_UNIQUE = N_(
    "Identified (%(total)s) minus duplicates (%(duplicates)s) is %(left)s, but there are "
    "%(unique)s unique records (%(screened)s screened + %(not_screened)s not screened)."
)
_SCREENED = N_(
    "Screened (%(screened)s) is not excluded (%(excluded)s) + sought for retrieval "
    "(%(sought)s) + awaiting (%(awaiting)s) = %(sum)s."
)
_SOUGHT = N_(
    "Sought for retrieval (%(sought)s) is not not retrieved (%(not_retrieved)s) + assessed "
    "(%(assessed)s) + awaiting (%(awaiting)s) = %(sum)s."
)
_ASSESSED = N_(
    "Assessed in full text (%(assessed)s) is not excluded with reasons (%(excluded)s) + "
    "included (%(included)s) = %(sum)s."
)
_STRAY = N_(
    "%(num)s records have screening decisions but are not among the check's unique records "
    "(merged or removed?); they are not counted."
)
_ORPHAN_FULLTEXT = N_(
    "%(num)s records have full-text decisions but were not passed on from title/abstract; "
    "the full-text decisions are not counted."
)


def _negatives(counts: PrismaCounts) -> list[str]:
    problems: list[str] = []
    for item in fields(counts):
        value = getattr(counts, item.name)
        if isinstance(value, int) and value < 0:
            problems.append(translate(_NEGATIVE, {"name": item.name, "value": value}))
        elif isinstance(value, dict):
            for key, inner in value.items():
                values = inner.items() if isinstance(inner, dict) else [(None, inner)]
                for sub, number in values:
                    if number < 0:
                        where = f"{key}/{sub}" if sub else key
                        params = {"name": item.name, "where": where, "value": number}
                        problems.append(translate(_NEGATIVE_ITEM, params))
    return problems


def consistency_problems(counts: PrismaCounts) -> list[str]:
    """What does not add up in `counts` (empty when consistent)."""
    c = counts
    problems = _negatives(c)
    per_source = sum(c.identified_per_source.values())
    if c.identified_per_source and per_source != c.identified_total:
        params = {"per_source": per_source, "total": c.identified_total}
        problems.append(translate(_PER_SOURCE, params))
    left = c.identified_total - c.duplicates_removed
    unique = c.records_screened + c.not_screened
    if left != unique:
        params = {"total": c.identified_total, "duplicates": c.duplicates_removed, "left": left}
        params |= {"unique": unique, "screened": c.records_screened}
        problems.append(translate(_UNIQUE, {**params, "not_screened": c.not_screened}))
    screened = c.records_excluded + c.reports_sought + c.awaiting_title
    if c.records_screened != screened:
        params = {"screened": c.records_screened, "excluded": c.records_excluded}
        params |= {"sought": c.reports_sought, "awaiting": c.awaiting_title, "sum": screened}
        problems.append(translate(_SCREENED, params))
    sought = c.reports_not_retrieved + c.reports_assessed + c.awaiting_fulltext
    if c.reports_sought != sought:
        params = {"sought": c.reports_sought, "not_retrieved": c.reports_not_retrieved}
        params |= {"assessed": c.reports_assessed, "awaiting": c.awaiting_fulltext}
        problems.append(translate(_SOUGHT, {**params, "sum": sought}))
    assessed = c.reports_excluded_total + c.studies_included
    if c.reports_assessed != assessed:
        params = {"assessed": c.reports_assessed, "excluded": c.reports_excluded_total}
        params |= {"included": c.studies_included, "sum": assessed}
        problems.append(translate(_ASSESSED, params))
    return problems


def _identified(sources: Iterable[SourceCount], extra_duplicates: int) -> PrismaCounts:
    """Counts with the identification phase filled in (several imports of one source add up)."""
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
    return counts


def _count_fulltext(counts: PrismaCounts, full: Outcome | None) -> None:
    """One record sought for retrieval: where its full-text outcome puts it."""
    counts.reports_sought += 1
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


def prisma_counts(
    sources: Iterable[SourceCount],
    records: Iterable[int],
    outcomes: Mapping[tuple[int, str], Outcome],
    *,
    extra_duplicates: int = 0,
    exclusion_reasons: Sequence[str] = (),
) -> PrismaCounts:
    """PRISMA 2020 counts of one check (see the module docstring for the mapping)."""
    counts = _identified(sources, extra_duplicates)
    counts.reports_excluded = {r: 0 for r in exclusion_reasons if r != NOT_RETRIEVED}

    unique = list(dict.fromkeys(records))
    known = set(unique)
    extra: list[str] = []
    stray = sorted({ref for ref, _ in outcomes if ref not in known})
    if stray:
        extra.append(translate(_STRAY, {"num": len(stray)}))
    orphan_fulltext = 0
    for ref in unique:
        title = outcomes.get((ref, "title"))
        if title is None or (title.state == "pending" and not title.decided_by):
            counts.not_screened += 1
            if (ref, "fulltext") in outcomes and outcomes[(ref, "fulltext")].decided_by:
                orphan_fulltext += 1
            continue
        counts.records_screened += 1
        full = outcomes.get((ref, "fulltext"))
        if title.state == "exclude":
            counts.records_excluded += 1
        elif title.state in ("pending", "conflict"):
            counts.awaiting["title"][title.state] += 1
        else:  # include | uncertain: sought for retrieval
            _count_fulltext(counts, full)
            continue
        if full is not None and full.decided_by:
            orphan_fulltext += 1
    if orphan_fulltext:
        extra.append(translate(_ORPHAN_FULLTEXT, {"num": orphan_fulltext}))
    counts.problems = consistency_problems(counts) + extra
    return counts
