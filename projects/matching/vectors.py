"""Where embedding vectors come from: stored with the publication (the platform), or computed
on demand through a small on-disk cache (the command line, the benchmarks).

A cache entry is keyed by the model's version, the kind (passage or query) and a hash of the
text, so a model change never reuses an old vector. The cache is a SQLite file
(``KLYNGE_EMBED_CACHE``, default ``~/.cache/klynge/embeddings.sqlite3``; ``off`` disables it).
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from projects.matching.embedders import MODELS, embedder

__all__ = ["VectorSource", "cached_source", "default_cache_path", "embed_texts"]

# (model key, texts, kind 'passage' | 'query') -> vectors (n × dim, float32, normalised)
VectorSource = Callable[[str, Sequence[str], str], np.ndarray]

_BATCH = 64


def embed_texts(
    model: str,
    texts: Sequence[str],
    kind: str = "passage",
    progress: Callable[[int, int], None] | None = None,
) -> np.ndarray:
    """Vectors straight from the model, batch by batch (progress(done, total) after each)."""
    model_ = embedder(model)
    run = model_.queries if kind == "query" else model_.passages
    out = np.zeros((len(texts), model_.info.dim), dtype=np.float32)
    for start in range(0, len(texts), _BATCH):
        out[start : start + _BATCH] = run(list(texts[start : start + _BATCH]))
        if progress:
            progress(min(len(texts), start + _BATCH), len(texts))
    return out


def default_cache_path() -> Path | None:
    raw = os.environ.get("KLYNGE_EMBED_CACHE", "").strip()
    if raw.lower() in {"off", "none", "0"}:
        return None
    if raw:
        return Path(raw)
    return Path.home() / ".cache" / "klynge" / "embeddings.sqlite3"


def _key(version: str, kind: str, text: str) -> str:
    return hashlib.blake2b(f"{version}\x00{kind}\x00{text}".encode(), digest_size=20).hexdigest()


def _open(target: Path) -> sqlite3.Connection | None:
    """The cache file, or None when it cannot be used (read-only home, a damaged file): then
    vectors are computed as if there were no cache, never an error."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(target, timeout=30)
        db.execute("CREATE TABLE IF NOT EXISTS vec (k TEXT PRIMARY KEY, v BLOB NOT NULL)")
        db.commit()
    except (OSError, sqlite3.Error):
        return None
    return db


def cached_source(
    path: Path | None = None, progress: Callable[[int, int], None] | None = None
) -> VectorSource:
    """A vector source that looks in the cache first and computes only what is missing, batch
    by batch (each batch is kept at once: an interrupted run resumes where it stopped)."""
    target = path if path is not None else default_cache_path()

    def source(model: str, texts: Sequence[str], kind: str) -> np.ndarray:
        db = _open(target) if target is not None else None
        if db is None:
            return embed_texts(model, texts, kind, progress)
        # The model's name, not the model: a run that finds everything cached loads no weights.
        info = MODELS[model]
        version = info.version
        keys = [_key(version, kind, t) for t in texts]
        found: dict[str, bytes] = {}
        try:
            for k in dict.fromkeys(keys):
                row = db.execute("SELECT v FROM vec WHERE k = ?", (k,)).fetchone()
                if row is not None:
                    found[k] = row[0]
            todo = list({keys[i]: i for i, k in enumerate(keys) if k not in found}.values())
            for start in range(0, len(todo), _BATCH):
                part = todo[start : start + _BATCH]
                fresh = embed_texts(model, [texts[i] for i in part], kind)
                rows = [(keys[i], fresh[j].tobytes()) for j, i in enumerate(part)]
                found.update(rows)
                try:
                    db.executemany("INSERT OR REPLACE INTO vec (k, v) VALUES (?, ?)", rows)
                    db.commit()
                except sqlite3.Error:
                    pass  # a full disk or a locked file costs the cache, not the result
                if progress:
                    progress(min(len(todo), start + _BATCH), len(todo))
        finally:
            db.close()
        out = np.zeros((len(texts), info.dim), dtype=np.float32)
        for i, k in enumerate(keys):
            out[i] = np.frombuffer(found[k], dtype=np.float32)
        return out

    return source
