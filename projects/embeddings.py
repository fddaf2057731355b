"""Publication embeddings stored with the publication (`publication_vector`): computed batch by
batch for what is missing or stale (another model version, or another text), stored batch by
batch, and read back for matching. Also the vector source a matching run uses for what is not
stored (group profiles, needs, the matcher's calibration probes): the on-disk cache
(KLYNGE_EMBED_CACHE) in front of the models, so a repeated run embeds nothing again."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import sqlite3
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from klynge.errors import translate
from klynge.i18n import N_
from projects.matching import Publication
from projects.matching.embedders import MODELS
from projects.matching.semantic import clip
from projects.matching.variants import DEFAULT, ENSEMBLES
from projects.matching.vectors import VectorSource, cached_source, embed_texts
from projects.tables import PublicationVector

log = logging.getLogger("klynge.projects")

BATCH = 16  # publications embedded (and stored) at a time: progress moves, a crash loses little

# (done, total) over every model's publications still to embed
Progress = Callable[[int, int], Awaitable[None]]
EMBEDDING = N_("Computing the publications' embeddings: %(done)s of %(total)s")


def job_progress(report: Callable[[int, str], Awaitable[None]], start: int, end: int) -> Progress:
    """A job's progress bar (`ctx.progress`) between start and end percent, in words."""

    async def progress(done: int, total: int) -> None:
        percent = start + (end - start) * done // max(1, total)
        await report(percent, translate(EMBEDDING, {"done": done, "total": total}))

    return progress


def models() -> tuple[str, ...]:
    """The embedding models the default matcher's signals use (e.g. 'minilm_via_e5': both)."""
    signals = ENSEMBLES[DEFAULT].signals()
    return tuple(m for m in MODELS if any(m == s or m in s.split("_via_") for s in signals))


def text_hash(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=20).hexdigest()


def publication_text(row: Mapping[str, object]) -> str:
    """What is embedded, as the matcher reads it: the title and the abstract."""
    return Publication(title=str(row["title"] or ""), abstract=str(row["abstract"] or "")).text()


def run_source() -> VectorSource:
    """For one run: texts seen before in the run are not looked up again (a need is embedded
    to rank and read again to explain), then the cache file, then the models; the models
    alone when the cache is unusable (e.g. a read-only home folder): slower, never wrong."""
    cached = cached_source()
    seen: dict[tuple[str, str, str], np.ndarray] = {}

    def lookup(model: str, texts: Sequence[str], kind: str) -> np.ndarray:
        try:
            return cached(model, texts, kind)
        except (OSError, sqlite3.Error) as exc:
            log.warning("embedding cache unusable (%s); computing without it", exc)
            return embed_texts(model, texts, kind)

    def source(model: str, texts: Sequence[str], kind: str) -> np.ndarray:
        new = list(dict.fromkeys(t for t in texts if (model, kind, t) not in seen))
        if new:
            for text, vector in zip(new, lookup(model, new, kind), strict=True):
                seen[(model, kind, text)] = vector
        out = np.zeros((len(texts), MODELS[model].dim), dtype=np.float32)
        for i, text in enumerate(texts):
            out[i] = seen[(model, kind, text)]
        return out

    return source


@dataclass
class EmbedReport:
    computed: dict[str, int] = field(default_factory=dict)  # per model
    current: int = 0  # (publication, model) pairs already up to date

    @property
    def total(self) -> int:
        return sum(self.computed.values())


async def _stale(
    texts: Mapping[int, str],
) -> tuple[dict[str, list[tuple[int, str]]], int]:
    """Per model, the (publication id, text) whose stored vector is missing or stale."""
    stored = {
        (r["publication"], r["model"]): (r["version"], r["text_hash"])
        for r in await PublicationVector.select(
            PublicationVector.publication,
            PublicationVector.model,
            PublicationVector.version,
            PublicationVector.text_hash,
        ).where(PublicationVector.publication.is_in(list(texts) or [-1]))
    }
    todo: dict[str, list[tuple[int, str]]] = {}
    current = 0
    for model in models():
        version = MODELS[model].version
        for pub_id, text in texts.items():
            if stored.get((pub_id, model)) == (version, text_hash(text)):
                current += 1
            else:
                todo.setdefault(model, []).append((pub_id, text))
    return todo, current


async def _store(model: str, batch: Sequence[tuple[int, str]], vectors: np.ndarray) -> None:
    version = MODELS[model].version
    rows = [
        PublicationVector(
            publication=pub_id,
            model=model,
            version=version,
            text_hash=text_hash(text),
            vector=np.asarray(vector, dtype=np.float32).tobytes(),
        )
        for (pub_id, text), vector in zip(batch, vectors, strict=True)
    ]
    await PublicationVector.insert(*rows).on_conflict(
        target=(PublicationVector.publication, PublicationVector.model),
        action="DO UPDATE",
        values=[
            PublicationVector.version,
            PublicationVector.text_hash,
            PublicationVector.vector,
            PublicationVector.created_at,
        ],
    )


async def embed_publications(
    pubs: Sequence[Mapping[str, object]],
    progress: Progress | None = None,
    source: VectorSource | None = None,
) -> EmbedReport:
    """Embed and store what is missing or stale among these publications (rows with id, title,
    abstract). Idempotent: a second call (or a second worker) finds them current."""
    texts = {int(str(p["id"])): publication_text(p) for p in pubs}
    todo, current = await _stale({k: v for k, v in texts.items() if v})
    report = EmbedReport(current=current)
    total = sum(len(items) for items in todo.values())
    embed = source or run_source()
    done = 0
    for model, items in todo.items():
        for start in range(0, len(items), BATCH):
            batch = items[start : start + BATCH]
            # The models hold the CPU for seconds: off the event loop, so the app keeps serving.
            # As the matcher reads a publication with this model (e5: its opening); the stored
            # hash is the whole text's, so an edit anywhere makes the vector stale.
            chars = MODELS[model].passage_chars
            texts_ = [clip(t, chars) for _, t in batch]
            vectors = await asyncio.to_thread(embed, model, texts_, "passage")
            await _store(model, batch, vectors)
            done += len(batch)
            report.computed[model] = report.computed.get(model, 0) + len(batch)
            if progress:
                await progress(done, total)
    return report


async def stored_vectors(texts: Mapping[int, str]) -> dict[int, dict[str, np.ndarray]]:
    """The current vectors by publication and model, for these publications' texts (a vector of
    another model version or of another text is left out)."""
    versions = {m: MODELS[m].version for m in models()}
    hashes = {pub_id: text_hash(text) for pub_id, text in texts.items()}
    out: dict[int, dict[str, np.ndarray]] = {}
    rows = await PublicationVector.select(
        PublicationVector.publication,
        PublicationVector.model,
        PublicationVector.version,
        PublicationVector.text_hash,
        PublicationVector.vector,
    ).where(PublicationVector.publication.is_in(list(texts) or [-1]))
    for r in rows:
        current = versions.get(r["model"]) == r["version"]
        if current and hashes.get(r["publication"]) == r["text_hash"]:
            vector = np.frombuffer(bytes(r["vector"]), dtype=np.float32)
            out.setdefault(r["publication"], {})[r["model"]] = vector
    return out
