"""Unicode-aware matching used by the small-table searches."""

from __future__ import annotations

import pytest

from klynge.text import contains, fold


@pytest.mark.parametrize(
    ("needle", "haystack"),
    [
        ("øygarden", "Øygarden"),
        ("ÅSNES", "Åsnes"),
        ("strasse", "STRAẞE"),
        ("ｂｅｒｇｅｎ", "Bergen"),
    ],
)
def test_contains_folds_case_and_width(needle: str, haystack: str) -> None:
    assert contains(needle, haystack)


def test_empty_needle_matches_nothing() -> None:
    assert not contains("", "Bergen")
    assert not contains("   ", "Bergen")


def test_wildcards_are_literal() -> None:
    assert not contains("%", "Bergen")
    assert contains("50%", "50% stilling")


def test_fold_is_idempotent() -> None:
    assert fold(fold("Ærøy")) == fold("Ærøy") == "ærøy"
