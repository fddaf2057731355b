"""The classifier's cheaper searches find exactly what its patterns find (literature.anchors)."""

from __future__ import annotations

import random
import re

from literature import classify
from literature.anchors import anchors, gated, may_match

PATTERNS = [
    classify._BACKGROUND,
    classify._PROTOCOL_TITLE,
    classify._PROTOCOL_ABSTRACT,
    *(pattern for _type, pattern in classify._CUES),
]
PHRASES = [
    "systematic review",
    "systematic literature reviews",
    "meta analysis",
    "metaanalyser",
    "based on a recent systematic review",
    "previous cochrane systematic reviews",
    "no meta analysis",
    "scoping review",
    "evidence and gap map",
    "umbrella review",
    "review of reviews",
    "randomised controlled trial",
    "non randomised",
    "cluster randomized trial",
    "were randomised",
    "ble tilfeldig fordelt",
    "120 participants",
    "barn",
    "kvalitativ intervjustudie",
    "sporreskjema",
    "protocol",
    "will be searched",
    "retningslinjer",
    "narrative review",
    "commentary",
    "children",
    "school",
    "trial",
]


def _texts() -> list[str]:
    rng = random.Random(17)
    words = " ".join(PHRASES).split()
    texts = [*PHRASES, ""]
    for _ in range(3000):
        parts = [rng.choice(PHRASES if rng.random() < 0.3 else words) for _ in range(12)]
        texts.append(" ".join(parts))
    return texts


def _found(match: re.Match[str] | None) -> tuple[tuple[int, int], str] | None:
    return (match.span(), match.group()) if match else None


def test_anchors_never_skip_a_match_and_gated_patterns_match_the_same() -> None:
    for pattern in PATTERNS:
        required, fast = anchors(pattern), gated(pattern)
        assert fast is not pattern or pattern is classify._CUES[5][1]  # digits lead one branch
        for text in _texts():
            found = pattern.search(text)
            if found:
                assert may_match(required, text), (pattern.pattern[:40], text)
            assert _found(fast.search(text)) == _found(found)
            assert fast.sub(" ", text) == pattern.sub(" ", text)


def test_anchors_of_simple_patterns() -> None:
    assert anchors(re.compile(r"\b(?:abc|de)f?\b")) == frozenset({"abc", "de"})
    assert anchors(re.compile(r"x*")) is None
    assert anchors(re.compile(r"(?:ab|c*)")) is None
    assert gated(re.compile(r"(?:ab|cd)")).pattern.startswith("(?=[ac])")
    assert gated(re.compile(r"a?")).pattern == "a?"  # may match nothing: left as it is
