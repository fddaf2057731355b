"""Scoring many needs at once: chunks of needs against the index, optionally in forked worker
processes that share the index copy-on-write."""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

import numpy as np

from projects.matching.model import NeedText

if TYPE_CHECKING:
    from projects.matching.core import MatchIndex


def iter_chunks(
    index: MatchIndex, needs: Sequence[NeedText], chunk: int, workers: int
) -> Iterator[tuple[int, np.ndarray]]:
    """See `MatchIndex.iter_score_chunks`."""
    starts = list(range(0, len(needs), chunk))
    workers = max(1, min(workers or 1, os.cpu_count() or 1))
    can_fork = "fork" in mp.get_all_start_methods()
    if workers <= 1 or len(starts) <= 2 or not can_fork:
        for start in starts:
            yield start, index.score_needs(needs[start : start + chunk])
        return
    global _FORK_STATE
    _FORK_STATE = (index, needs, chunk)
    try:
        with mp.get_context("fork").Pool(workers) as pool:
            yield from zip(starts, pool.imap(_score_chunk, starts), strict=True)
    finally:
        _FORK_STATE = None


_FORK_STATE: tuple[MatchIndex, Sequence[NeedText], int] | None = None


def _score_chunk(start: int) -> np.ndarray:
    assert _FORK_STATE is not None
    index, needs, chunk = _FORK_STATE
    return index.score_needs(needs[start : start + chunk])
