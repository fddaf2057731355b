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

from rapidfuzz import fuzz, process

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
_LETTER_FOLD_PAIRS = tuple((chr(k), v) for k, v in _LETTER_FOLDS.items())
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


class _CombiningMarks(dict[int, int | None]):
    """str.translate table deleting every combining code point (what NFKD splits off a
    letter), filled as characters are met: building it for all of Unicode took over a second
    of every process's first import."""

    def __missing__(self, cp: int) -> int | None:
        value = None if unicodedata.combining(chr(cp)) else cp
        self[cp] = value
        return value


@functools.cache
def _combining_marks() -> dict[int, int | None]:
    return _CombiningMarks()


def fold(text: str) -> str:
    """Case-fold, fold Nordic letters, strip diacritics and punctuation, collapse whitespace."""
    text = text.casefold()
    if not text.isascii():  # most titles are ASCII: skip the Unicode work
        for letter, folded in _LETTER_FOLD_PAIRS:  # replace() of the few present: faster
            if letter in text:  # than translate() of every character of an abstract
                text = text.replace(letter, folded)
        text = unicodedata.normalize("NFKD", text)
        if not text.isascii():  # marks are not ASCII; Nordic text is ASCII once folded
            text = text.translate(_combining_marks())
    return " ".join(_NON_ALNUM.sub(" ", text).split())


def normalise_pmid(pmid: str) -> str:
    digits = "".join(ch for ch in pmid if ch.isdigit())
    return digits.lstrip("0")


def author_keys(authors: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
    """(family, first initial) keys; family words are joined so "Van der Berg" = "Vanderberg"."""
    keys = set()
    for family, given in authors:
        key = _author_key(family, given)
        if key is not None:
            keys.add(key)
    return keys


@functools.lru_cache(maxsize=65_536)  # names recur across a file's records
def _author_key(family: str, given: str) -> tuple[str, str] | None:
    fam = fold(family).replace(" ", "")
    return (fam, fold(given)[:1]) if fam else None


def _shared_author(a: set[tuple[str, str]], b: set[tuple[str, str]]) -> str | None:
    for fam, initial in a:
        for fam2, initial2 in b:
            if fam == fam2 and (not initial or not initial2 or initial == initial2):
                return f"{fam} {initial or initial2}".strip()
    return None


@dataclass(slots=True)
class _Prepared:
    """What matching reads of a record (not the record: an index of 100,000 keeps these)."""

    key: int
    year: int | None
    container: str  # interned: a few journals, many records
    doi: str
    pmid: str
    title: str
    fuzzy_title: str
    sorted_title: str  # its words sorted, as token_sort_ratio compares them
    authors: set[tuple[str, str]]
    block_words: tuple[str, ...]


def _prepare(rec: DedupRecord) -> _Prepared:
    title = fold(rec.title)
    fuzzy_title = _PREPRINT_TAG.sub("", title)
    words = [w for w in fuzzy_title.split() if w not in _STOPWORDS]
    block = tuple(dict.fromkeys((words[0], words[-1]))) if words else ()
    return _Prepared(
        key=rec.key,
        year=rec.year,
        container=sys.intern(rec.container),
        doi=normalise_doi(rec.doi),
        pmid=normalise_pmid(rec.pmid),
        title=title,
        fuzzy_title=fuzzy_title,
        sorted_title=" ".join(sorted(fuzzy_title.split())),
        authors=author_keys(rec.authors),
        block_words=block,
    )


def _identical_without_year(a: _Prepared, b: _Prepared) -> bool:
    return (
        a.year is None
        and b.year is None
        and bool(a.authors)
        and a.authors == b.authors
        and fold(a.container) == fold(b.container)
        and _ids_conflict(a, b) is None
    )


def _ids_conflict(a: _Prepared, b: _Prepared) -> str | None:
    if a.doi and b.doi and a.doi != b.doi:
        return "different DOIs"
    if a.pmid and b.pmid and a.pmid != b.pmid:
        return "different PMIDs"
    return None


@dataclass(slots=True)
class _Block:
    keys: list[int] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)


class _Index:
    def __init__(self, not_duplicates: set[frozenset[int]] | frozenset[frozenset[int]]) -> None:
        self.not_duplicates = not_duplicates
        self.records: dict[int, _Prepared] = {}
        self.by_doi: dict[str, list[int]] = defaultdict(list)
        self.by_pmid: dict[str, list[int]] = defaultdict(list)
        self.by_title: dict[str, list[int]] = defaultdict(list)
        # block word -> year (None = unknown) -> the keys and their sorted titles, side by side
        self.by_block: dict[str, dict[int | None, _Block]] = defaultdict(
            lambda: defaultdict(_Block)
        )

    def allowed(self, a: int, b: int) -> bool:
        return a != b and frozenset((a, b)) not in self.not_duplicates

    def add_keeper(self, p: _Prepared) -> None:
        key = p.key
        self.records[key] = p
        self.alias(p, key)
        if p.title:
            self.by_title[p.title].append(key)
        for word in p.block_words:
            block = self.by_block[word][p.year]
            block.keys.append(key)
            block.titles.append(p.sorted_title)

    def alias(self, p: _Prepared, keeper: int) -> None:
        """Index a record's identifiers under `keeper` (itself, or its keeper if a duplicate)."""
        if p.doi and keeper not in self.by_doi[p.doi]:
            self.by_doi[p.doi].append(keeper)
        if p.pmid and keeper not in self.by_pmid[p.pmid]:
            self.by_pmid[p.pmid].append(keeper)

    def tier1(self, p: _Prepared) -> Match | None:
        key = p.key
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
        key = p.key
        if not p.title:
            return None
        for other in self.by_title.get(p.title, ()):
            o = self.records[other]
            if not self.allowed(key, other):
                continue
            if p.year is None or o.year is None:
                # Without a year only an identical citation merges: both years missing, the
                # same (non-empty) author list and the same journal. That keeps an export
                # re-imported from creating new records, and nothing looser slips through.
                if _identical_without_year(p, o):
                    return Match(key, other, 2, "identical citation without year", 1.0)
                continue
            if abs(p.year - o.year) > MAX_TIER2_YEAR_GAP or _ids_conflict(p, o):
                continue
            author = _shared_author(p.authors, o.authors)
            if author:
                reason = f"same title, shared author {author}, years {o.year}/{p.year}"
                return Match(key, other, 2, reason, 1.0)
        return None

    def _fuzzy_blocks(self, p: _Prepared) -> list[_Block]:
        year = p.year
        found: list[_Block] = []
        for word in p.block_words:
            by_year = self.by_block.get(word)
            if not by_year:
                continue
            if year is None:
                found.extend(by_year.values())
                continue
            for y in (*range(year - FUZZY_YEAR_WINDOW, year + FUZZY_YEAR_WINDOW + 1), None):
                if y in by_year:
                    found.append(by_year[y])
        return found

    def _fuzzy_hits(self, p: _Prepared) -> list[tuple[int, float]]:
        """(key, title similarity) of the candidates at or above the threshold, in key order.
        Every candidate is scored in one rapidfuzz call per block list (its C loop); a record
        in two blocks is scored twice and counted once."""
        keys: list[int] = []
        titles: list[str] = []
        for block in self._fuzzy_blocks(p):
            keys += block.keys
            titles += block.titles
        if not keys:
            return []
        # token_sort_ratio is the ratio of the titles with their words sorted: sorted once each.
        hits = process.extract(
            p.sorted_title,
            titles,
            scorer=fuzz.ratio,
            score_cutoff=FUZZY_THRESHOLD,
            limit=None,
        )
        return sorted({keys[position]: score for _title, score, position in hits}.items())

    def tier3(self, p: _Prepared) -> Match | None:
        n_words = len(p.fuzzy_title.split())
        if n_words < 2:
            return None
        # The hits taken in key order exactly as one call per candidate with the best score so
        # far as cut-off would take them, so the choice (ties included) stays the same.
        best: Match | None = None
        for other, score in self._fuzzy_hits(p):
            if not self.allowed(p.key, other):
                continue
            best_score = best.score * 100 if best else FUZZY_THRESHOLD
            if score < best_score or (best and score <= best_score):
                continue
            best = self._possible(p, self.records[other], score, n_words) or best
        return best

    def _possible(self, p: _Prepared, o: _Prepared, score: float, n_words: int) -> Match | None:
        """The tier-3 match of `p` with `o` at `score`; None when a short title lacks a shared
        author."""
        short = min(n_words, len(o.fuzzy_title.split())) < SHORT_TITLE_WORDS
        author = _shared_author(p.authors, o.authors)
        if short and not author:
            return None
        parts = [f"title similarity {score:.0f}"]
        if author:
            parts.append(f"shared author {author}")
        if p.year is None or o.year is None:
            parts.append("year missing")
        elif p.year != o.year:
            parts.append(f"years {o.year}/{p.year}")
        if conflict := _ids_conflict(p, o):
            parts.append(conflict)
        return Match(p.key, o.key, 3, ", ".join(parts), round(score / 100, 4))


class Deduplicator:
    """Incremental duplicate detection: the stored records first, then each new record in file
    order (`check`), so an import can stream its file. Decisions are those of find_duplicates."""

    def __init__(
        self,
        existing: Iterable[DedupRecord],
        not_duplicates: set[frozenset[int]] | frozenset[frozenset[int]] = frozenset(),
    ) -> None:
        self._index = _Index(not_duplicates)
        self.add_existing(existing)

    def add_existing(self, existing: Iterable[DedupRecord]) -> None:
        """More stored records (before any `check`), e.g. read page by page."""
        for rec in existing:
            self._index.add_keeper(_prepare(rec))

    def check(self, rec: DedupRecord) -> Match | None:
        """The match of a new record (tier 1-2: merge; tier 3: possible), None when it is new.
        A record not merged becomes a keeper later records can match."""
        index = self._index
        p = _prepare(rec)
        match = index.tier1(p) or index.tier2(p)
        if match:
            index.alias(p, match.duplicate_of)
            return match
        possible = index.tier3(p)
        # A possible duplicate stays a record of its own until a person merges it.
        index.add_keeper(p)
        return possible


def find_duplicates(
    new: Sequence[DedupRecord],
    existing: Sequence[DedupRecord],
    *,
    not_duplicates: set[frozenset[int]] | frozenset[frozenset[int]] = frozenset(),
) -> DedupResult:
    """Match `new` records against `existing` ones and against earlier records in `new`."""
    dedup = Deduplicator(existing, not_duplicates)
    result = DedupResult()
    for rec in new:
        match = dedup.check(rec)
        if match is None:
            continue
        (result.possible if match.tier == 3 else result.exact).append(match)
    return result
