"""The marker that replaces a national ID number shown back in a form or an import message is
in the reader's language: "[fjernet]" (nb), "[fjerna]" (nn), "[removed]" (en)."""

from __future__ import annotations

import pytest

from klynge import i18n
from klynge.privacy import mask
from tests.platform.test_views import synthetic_national_id


@pytest.mark.parametrize(
    ("language", "marker"), [("nb", "[fjernet]"), ("nn", "[fjerna]"), ("en", "[removed]")]
)
def test_the_mask_reads_in_the_current_language(language: str, marker: str) -> None:
    token = i18n.set_language(language)
    try:
        shown = mask(f"Gjelder barnet {synthetic_national_id()}.")
    finally:
        i18n._current.reset(token)
    assert shown == f"Gjelder barnet {marker}."
