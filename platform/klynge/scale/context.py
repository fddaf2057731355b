"""What the core's part of the national-scale load hands to every app's part: the directory it
made (plain ids and names), the bulk writer, the fraction and a seeded random source per part.
Apps hand facts to the apps after them through `shared` (plain data, keyed by app name)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from klynge.scale.bulk import BulkWriter


@dataclass(frozen=True)
class ClusterFacts:
    id: int
    name: str
    motor: int  # municipality id
    municipalities: tuple[int, ...]  # the members, motor first
    adviser: int  # account id
    weight: float  # share of the national load, relative to the other clusters
    demo: bool = False


@dataclass(frozen=True)
class ServiceFacts:
    id: int
    municipality: int
    kind: str  # klynge.orgs.schemas.ServiceType value
    name: str
    leader: int  # account ids
    employee: int


@dataclass(frozen=True)
class GroupFacts:
    id: int
    name: str
    institution: str
    topic: str  # key of klynge.scale.vocabulary.TOPICS
    researchers: tuple[int, ...]
    region: str


@dataclass(frozen=True)
class FunderFacts:
    id: int
    name: str
    officer: int


@dataclass
class ScaleContext:
    fraction: float
    seed: int
    writer: BulkWriter
    progress: Callable[[str], None]
    clusters: list[ClusterFacts] = field(default_factory=list)
    municipality_names: dict[int, str] = field(default_factory=dict)
    municipality_language: dict[int, str] = field(default_factory=dict)  # nb | nn: need texts
    coordinators: dict[int, int] = field(default_factory=dict)  # municipality -> account
    user_representatives: dict[int, int] = field(default_factory=dict)  # municipality -> account
    services: list[ServiceFacts] = field(default_factory=list)
    groups: list[GroupFacts] = field(default_factory=list)
    funders: list[FunderFacts] = field(default_factory=list)
    shared: dict[str, Any] = field(default_factory=dict)
    _by_municipality: dict[int, list[ServiceFacts]] = field(default_factory=dict, repr=False)
    _indexed: int = field(default=-1, repr=False)

    @property
    def now(self) -> dt.datetime:
        return self.writer.now

    def count(self, national: int, minimum: int = 1) -> int:
        """How many of something the national load has `national` of, at this fraction."""
        return max(minimum, round(national * self.fraction))

    def rng(self, part: str) -> random.Random:
        """A random source of its own for each part: adding a part changes no other."""
        return random.Random(f"{self.seed}:{part}")  # noqa: S311 (demo data, not security)

    def services_of(self, municipality: int) -> list[ServiceFacts]:
        if self._indexed != len(self.services):  # (re)built when services were added
            self._indexed = len(self.services)
            self._by_municipality = {}
            for service in self.services:
                self._by_municipality.setdefault(service.municipality, []).append(service)
        return self._by_municipality.get(municipality, [])

    def cluster_of(self, cluster_id: int) -> ClusterFacts:
        return next(c for c in self.clusters if c.id == cluster_id)

    def split(self, total: int) -> list[int]:
        """`total` shared out over the clusters by weight (largest remainder, so it adds up)."""
        weights = [c.weight for c in self.clusters]
        whole = sum(weights)
        exact = [total * w / whole for w in weights]
        counts = [int(x) for x in exact]
        order = sorted(range(len(exact)), key=lambda i: exact[i] - counts[i], reverse=True)
        for i in order[: total - sum(counts)]:
            counts[i] += 1
        return counts
