"""Unicode-aware text helpers (SQLite's LIKE folds ASCII only: "Ø" would not find "ø"), and
the one nb/nn/en text pipeline (`klynge.text.pipeline`: normalise, words, language, stems)."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Compatibility-normalised and case-folded, for comparisons people expect to ignore case."""
    return unicodedata.normalize("NFKC", text).casefold().strip()


def contains(needle: str, *haystacks: str | None) -> bool:
    """True when the folded needle occurs in any haystack; an empty needle matches nothing."""
    key = fold(needle)
    return bool(key) and any(key in fold(h) for h in haystacks if h)
