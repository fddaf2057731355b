"""Norwegian national ID numbers (fødselsnummer, D-, H- and synthetic numbers) in free text.

Every run of 11 digits is a candidate, however the digits are grouped and whatever separates
the groups (spaces, tabs, newlines, dots, slashes, dashes of any kind — after normalisation), as
long as the run does not continue with more digits. Each candidate is checked with python-stdnum,
then with the rules stdnum does not know (synthetic numbers, the 2032 check-digit rule)."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import lru_cache

import numpy as np
from stdnum.no import fodselsnummer

from klynge.privacy.normalise import Normalised

_GROUP = re.compile(r"\d+")
# Groups of digits with only separators between them (after normalisation) make one chain.
_CHAIN = re.compile(r"\d++(?:[ ./-]{1,3}+\d++)*+")
LENGTH = 11

_K1_WEIGHTS = (3, 7, 6, 1, 8, 9, 4, 5, 2, 1)
_K2_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2, 1)
# From 2032 Skatteetaten lets the weighted sum for the first check digit leave remainder 0-3,
# not only 0. Numbers issued under that rule must be caught now, so it is on by default.
_K1_REMAINDERS_2032 = frozenset({0, 1, 2, 3})
_DAY_OFFSETS = (0, 40)  # D-number: day + 40
_MONTH_OFFSETS = (0, 40, 80)  # H-number and NAV synthetic: +40; Skatteetaten/Tenor synthetic: +80


def ascii_digits(candidate: str) -> str:
    """Python's \\d matches every Unicode decimal digit: a number typed with full-width or
    Arabic-Indic digits identifies a person just as well, so they count, converted to ASCII."""
    if candidate.isascii():
        return "".join(ch for ch in candidate if ch.isdigit())
    return "".join(str(unicodedata.decimal(ch)) for ch in candidate if ch.isdecimal())


def _has_plausible_date(digits: str) -> bool:
    day, month, year = int(digits[0:2]), int(digits[2:4]), int(digits[4:6])
    for day_offset in _DAY_OFFSETS:
        for month_offset in _MONTH_OFFSETS:
            d, m = day - day_offset, month - month_offset
            if not (1 <= d <= 31 and 1 <= m <= 12):
                continue
            # Only 29 February depends on the century; 2000 was a leap year, 1900 was not.
            for century in (1800, 1900, 2000):
                try:
                    date(century + year, m, d)
                except ValueError:
                    continue
                return True
    return False


def _checksums_ok(digits: str, *, rule_2032: bool) -> bool:
    values = [c - 48 for c in digits.encode("ascii")]
    k1_remainder = sum(w * v for w, v in zip(_K1_WEIGHTS, values[:10], strict=True)) % 11
    allowed = _K1_REMAINDERS_2032 if rule_2032 else frozenset({0})
    if k1_remainder not in allowed:
        return False
    return sum(w * v for w, v in zip(_K2_WEIGHTS, values, strict=True)) % 11 == 0


@lru_cache(maxsize=4096)
def valid_digits(digits: str, *, rule_2032: bool = True) -> bool:
    """Eleven ASCII digits that make a plausible national ID. FH-numbers (first digit 8 or 9,
    no date) are not accepted: without a date to check they would make too many ordinary
    11-digit numbers look like ID numbers."""
    if len(digits) != LENGTH or not digits.isascii() or not digits.isdigit():
        return False
    # The check digits first (cheap; they reject 96-99 % of random numbers). stdnum then decides,
    # except for what it rejects: synthetic numbers, century-ambiguous dates, the 2032 rule.
    if not _checksums_ok(digits, rule_2032=rule_2032):
        return False
    return fodselsnummer.is_valid(digits) or _has_plausible_date(digits)


def _windows(offsets: list[int]) -> list[tuple[int, int]]:
    """(first, last) group index pairs whose whole groups hold exactly 11 digits."""
    ends = {offset: index for index, offset in enumerate(offsets)}
    return [(i, ends[o + LENGTH]) for i, o in enumerate(offsets[:-1]) if o + LENGTH in ends]


def _checksums(windows: np.ndarray, rule_2032: bool) -> np.ndarray:
    """Which rows (11 digits each) pass both check digits. They reject 96-99 % of random
    numbers, so only the rest goes on to the date and stdnum."""
    k1 = (windows[:, :10] @ np.asarray(_K1_WEIGHTS)) % 11
    k2 = (windows @ np.asarray(_K2_WEIGHTS)) % 11
    allowed = list(_K1_REMAINDERS_2032 if rule_2032 else {0})
    passing: np.ndarray = np.isin(k1, allowed) & (k2 == 0)
    return passing


def _chain_candidates(chain: str, rule_2032: bool) -> list[tuple[int, int]]:
    """(start, end) in the chain of windows of whole groups holding 11 digits that pass the
    check digits. Vectorised: a chain may be a column of numbers, or an attack of 500,000."""
    raw = np.frombuffer(ascii_digits_keep(chain).encode("ascii"), dtype=np.uint8)
    is_digit = (raw >= 48) & (raw <= 57)
    edges = np.diff(np.concatenate(([False], is_digit, [False])).astype(np.int8))
    starts, ends = np.nonzero(edges == 1)[0], np.nonzero(edges == -1)[0]
    offsets = np.concatenate(([0], np.cumsum(ends - starts)))
    boundary = np.full(int(offsets[-1]) + LENGTH + 1, -1)
    boundary[offsets] = np.arange(len(offsets))
    last = boundary[offsets[:-1] + LENGTH]
    first = np.nonzero(last >= 0)[0]
    if not len(first):
        return []
    digits = raw[is_digit].astype(np.int64) - 48
    windows = digits[offsets[first][:, None] + np.arange(LENGTH)]
    keep = _checksums(windows, rule_2032)
    first, last = first[keep], last[first][keep]
    return list(zip(starts[first].tolist(), ends[last - 1].tolist(), strict=True))


def ascii_digits_keep(text: str) -> str:
    """`text` with every Unicode decimal digit written as its ASCII digit (lengths kept)."""
    if text.isascii():
        return text
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in text)


def candidate_spans(text: str, *, rule_2032: bool = True) -> list[tuple[int, int]]:
    """Spans (in `text`) of every valid 11-digit run made of whole groups of a chain."""
    spans: list[tuple[int, int]] = []
    for chain in _CHAIN.finditer(text):
        if chain.end() - chain.start() < LENGTH:
            continue
        base = chain.start()
        for start, end in _chain_candidates(chain.group(), rule_2032):
            if spans and base + start < spans[-1][1]:
                continue  # inside a number already found
            if valid_digits(ascii_digits(chain.group()[start:end]), rule_2032=rule_2032):
                spans.append((base + start, base + end))
    return spans


def spans_in(normalised: Normalised, *, rule_2032: bool = True) -> list[tuple[int, int]]:
    return [normalised.span(s, e) for s, e in candidate_spans(normalised.text, rule_2032=rule_2032)]
