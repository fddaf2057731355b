"""Tiered duplicate detection for bibliographic records, within one import and against stored ones.

Pure module: callers map their records to `DedupRecord` and act on the returned matches.

Tiers (each new record gets at most one match, the strongest found):

1. Same normalised DOI (case-folded, ``https://doi.org/``/``doi:`` prefixes stripped) or same PMID.
   Empty identifiers never match. A PMID match is skipped when both records carry different DOIs.
2. Same normalised title + at least one shared author (family name and first initial; family name
   alone when either side has no given name) + publication years at most 1 apart. Two different
   non-empty DOIs (or PMIDs) veto the automatic merge; such a pair can still surface in tier 3.
   A missing year on either side also keeps the pair out of tier 2 (it becomes "possible"): year
   is our only guard against updated reviews that reuse title and authors, so a person decides.
   The one exception is an identical citation: both years missing, the same author set and the
   same journal (so re-importing an export creates nothing new).
3. Fuzzy title similarity (``rapidfuzz.fuzz.token_sort_ratio`` on normalised titles with a
   leading "preprint" tag removed) >= ``FUZZY_THRESHOLD``. Titles of fewer than
   ``SHORT_TITLE_WORDS`` words also need a shared author; one-word titles never match fuzzily.
   Reported as *possible*, never merged automatically.

Indexing: tiers 1-2 use dict look-ups (linear in the number of records). Tier 3 blocks candidates
on the first and the last significant title word and on year (within ``FUZZY_YEAR_WINDOW``, plus
records without a year), so a typo must leave one of those two words intact to be found.

Within one import the first occurrence is the keeper; a duplicate's identifiers are indexed under
its keeper so later copies match the same keeper. Pairs in ``not_duplicates`` are never reported.
"""

from __future__ import annotations

import functools
import re
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from literature.formats.record import normalise_doi

FUZZY_THRESHOLD = 90.0
SHORT_TITLE_WORDS = 4
FUZZY_YEAR_WINDOW = 2  # preprints usually precede the journal version by a year or two
MAX_TIER2_YEAR_GAP = 1

# Letters NFKD does not decompose; folded the same way on both sides so "Tromsø"/"Tromso" and
# "læring"/"laering" meet. ö, ä, å, é ... decompose and lose their marks in NFKD.
_LETTER_FOLDS = str.maketrans(
    {"ø": "o", "æ": "ae", "å": "a", "œ": "oe", "đ": "d", "ð": "d", "ł": "l", "þ": "th", "ı": "i"}
)
_NON_ALNUM = re.compile(r"[\W_]+")
_PREPRINT_TAG = re.compile(r"^(?:preprint|pre print|medrxiv|biorxiv|psyarxiv|socarxiv)\s+")
# Words too common to block on; blocking on them would put most titles in one bucket.
_STOPWORDS = frozenset(
    {
        *("a", "an", "and", "the", "of", "in", "on", "for", "to", "with", "at", "by", "from"),
        *("or", "is", "are", "as", "its", "into"),
        *("en", "et", "ei", "og", "i", "pa", "til", "med", "av", "om", "der", "det", "den"),
        *("de", "som", "eller"),
    }
)


@dataclass(frozen=True, slots=True)
class DedupRecord:
    key: int
    title: str
    authors: tuple[tuple[str, str], ...] = ()  # (family, given)
    year: int | None = None
    doi: str = ""
    pmid: str = ""
    container: str = ""


@dataclass(frozen=True, slots=True)
class Match:
    key: int
    duplicate_of: int
    tier: int  # 1 | 2 | 3
    reason: str
    score: float


@dataclass(slots=True)
class DedupResult:
    exact: list[Match] = field(default_factory=list)  # tiers 1-2: merge automatically
    possible: list[Match] = field(default_factory=list)  # tier 3: a person confirms


@functools.cache
def _combining_marks() -> dict[int, None]:
    """Every combining code point (what NFKD splits off a letter), for str.translate."""
    return {cp: None for cp in range(sys.maxunicode + 1) if unicodedata.combining(chr(cp))}


def fold(text: str) -> str:
    """Case-fold, fold Nordic letters, strip diacritics and punctuation, collapse whitespace."""
    text = text.casefold()
    if not text.isascii():  # most titles are ASCII: skip the Unicode work
        text = unicodedata.normalize("NFKD", text.translate(_LETTER_FOLDS))
        text = text.translate(_combining_marks())
    return " ".join(_NON_ALNUM.sub(" ", text).split())


def normalise_pmid(pmid: str) -> str:
    digits = "".join(ch for ch in pmid if ch.isdigit())
    return digits.lstrip("0")


def author_keys(authors: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
    """(family, first initial) keys; family words are joined so "Van der Berg" = "Vanderberg"."""
    keys = set()
    for family, given in authors:
        fam = fold(family).replace(" ", "")
        if fam:
            keys.add((fam, fold(given)[:1]))
    return keys


def _shared_author(a: set[tuple[str, str]], b: set[tuple[str, str]]) -> str | None:
    for fam, initial in a:
        for fam2, initial2 in b:
            if fam == fam2 and (not initial or not initial2 or initial == initial2):
                return f"{fam} {initial or initial2}".strip()
    return None


@dataclass(slots=True)
class _Prepared:
    rec: DedupRecord
    doi: str
    pmid: str
    title: str
    fuzzy_title: str
    authors: set[tuple[str, str]]
    block_words: tuple[str, ...]


def _prepare(rec: DedupRecord) -> _Prepared:
    title = fold(rec.title)
    fuzzy_title = _PREPRINT_TAG.sub("", title)
    words = [w for w in fuzzy_title.split() if w not in _STOPWORDS]
    block = tuple(dict.fromkeys((words[0], words[-1]))) if words else ()
    return _Prepared(
        rec=rec,
        doi=normalise_doi(rec.doi),
        pmid=normalise_pmid(rec.pmid),
        title=title,
        fuzzy_title=fuzzy_title,
        authors=author_keys(rec.authors),
        block_words=block,
    )


def _identical_without_year(a: _Prepared, b: _Prepared) -> bool:
    return (
        a.rec.year is None
        and b.rec.year is None
        and bool(a.authors)
        and a.authors == b.authors
        and fold(a.rec.container) == fold(b.rec.container)
        and _ids_conflict(a, b) is None
    )


def _ids_conflict(a: _Prepared, b: _Prepared) -> str | None:
    if a.doi and b.doi and a.doi != b.doi:
        return "different DOIs"
    if a.pmid and b.pmid and a.pmid != b.pmid:
        return "different PMIDs"
    return None


class _Index:
    def __init__(self, not_duplicates: set[frozenset[int]] | frozenset[frozenset[int]]) -> None:
        self.not_duplicates = not_duplicates
        self.records: dict[int, _Prepared] = {}
        self.by_doi: dict[str, list[int]] = defaultdict(list)
        self.by_pmid: dict[str, list[int]] = defaultdict(list)
        self.by_title: dict[str, list[int]] = defaultdict(list)
        # block word -> year (None = unknown) -> keys
        self.by_block: dict[str, dict[int | None, list[int]]] = defaultdict(
            lambda: defaultdict(list)
        )

    def allowed(self, a: int, b: int) -> bool:
        return a != b and frozenset((a, b)) not in self.not_duplicates

    def add_keeper(self, p: _Prepared) -> None:
        key = p.rec.key
        self.records[key] = p
        self.alias(p, key)
        if p.title:
            self.by_title[p.title].append(key)
        for word in p.block_words:
            self.by_block[word][p.rec.year].append(key)

    def alias(self, p: _Prepared, keeper: int) -> None:
        """Index a record's identifiers under `keeper` (itself, or its keeper if a duplicate)."""
        if p.doi and keeper not in self.by_doi[p.doi]:
            self.by_doi[p.doi].append(keeper)
        if p.pmid and keeper not in self.by_pmid[p.pmid]:
            self.by_pmid[p.pmid].append(keeper)

    def tier1(self, p: _Prepared) -> Match | None:
        key = p.rec.key
        if p.doi:
            for other in self.by_doi.get(p.doi, ()):
                if self.allowed(key, other):
                    return Match(key, other, 1, f"same DOI {p.doi}", 1.0)
        if p.pmid:
            for other in self.by_pmid.get(p.pmid, ()):
                o = self.records[other]
                if self.allowed(key, other) and not (p.doi and o.doi and p.doi != o.doi):
                    return Match(key, other, 1, f"same PMID {p.pmid}", 1.0)
        return None

    def tier2(self, p: _Prepared) -> Match | None:
        key = p.rec.key
        if not p.title:
            return None
        for other in self.by_title.get(p.title, ()):
            o = self.records[other]
            if not self.allowed(key, other):
                continue
            if p.rec.year is None or o.rec.year is None:
                # Without a year only an identical citation merges: both years missing, the
                # same (non-empty) author list and the same journal. That keeps an export
                # re-imported from creating new records, and nothing looser slips through.
                if _identical_without_year(p, o):
                    return Match(key, other, 2, "identical citation without year", 1.0)
                continue
            if abs(p.rec.year - o.rec.year) > MAX_TIER2_YEAR_GAP or _ids_conflict(p, o):
                continue
            author = _shared_author(p.authors, o.authors)
            if author:
                reason = f"same title, shared author {author}, years {o.rec.year}/{p.rec.year}"
                return Match(key, other, 2, reason, 1.0)
        return None

    def _fuzzy_candidates(self, p: _Prepared) -> set[int]:
        year = p.rec.year
        found: set[int] = set()
        for word in p.block_words:
            by_year = self.by_block.get(word)
            if not by_year:
                continue
            if year is None:
                for keys in by_year.values():
                    found.update(keys)
                continue
            for y in (*range(year - FUZZY_YEAR_WINDOW, year + FUZZY_YEAR_WINDOW + 1), None):
                found.update(by_year.get(y, ()))
        return found

    def tier3(self, p: _Prepared) -> Match | None:
        key = p.rec.key
        n_words = len(p.fuzzy_title.split())
        if n_words < 2:
            return None
        best: Match | None = None
        for other in sorted(self._fuzzy_candidates(p)):
            o = self.records[other]
            if not self.allowed(key, other):
                continue
            best_score = best.score * 100 if best else FUZZY_THRESHOLD
            score = fuzz.token_sort_ratio(p.fuzzy_title, o.fuzzy_title, score_cutoff=best_score)
            if not score or (best and score <= best_score):
                continue
            short = min(n_words, len(o.fuzzy_title.split())) < SHORT_TITLE_WORDS
            author = _shared_author(p.authors, o.authors)
            if short and not author:
                continue
            parts = [f"title similarity {score:.0f}"]
            if author:
                parts.append(f"shared author {author}")
            if p.rec.year is None or o.rec.year is None:
                parts.append("year missing")
            elif p.rec.year != o.rec.year:
                parts.append(f"years {o.rec.year}/{p.rec.year}")
            if conflict := _ids_conflict(p, o):
                parts.append(conflict)
            best = Match(key, other, 3, ", ".join(parts), round(score / 100, 4))
        return best


def find_duplicates(
    new: Sequence[DedupRecord],
    existing: Sequence[DedupRecord],
    *,
    not_duplicates: set[frozenset[int]] | frozenset[frozenset[int]] = frozenset(),
) -> DedupResult:
    """Match `new` records against `existing` ones and against earlier records in `new`."""
    index = _Index(not_duplicates)
    for rec in existing:
        index.add_keeper(_prepare(rec))
    result = DedupResult()
    for rec in new:
        p = _prepare(rec)
        match = index.tier1(p) or index.tier2(p)
        if match:
            result.exact.append(match)
            index.alias(p, match.duplicate_of)
            continue
        possible = index.tier3(p)
        if possible:
            result.possible.append(possible)
        # A possible duplicate stays a record of its own until a person merges it.
        index.add_keeper(p)
    return result
