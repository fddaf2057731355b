"""The index of similar needs (priorities.need_terms): a need's word stems are written when it
is created and rewritten when its text is edited, similar needs are found through them, and
the candidates are read through the rarest terms within a bound."""

from __future__ import annotations

from typing import Any

from priorities.need_terms import rarest
from priorities.similarity import word_terms
from tests.conftest import World
from tests.priorities.test_needs_api import create


async def _terms(need_id: int) -> dict[str, float]:
    from priorities.tables import NeedTerm

    rows = await NeedTerm.select(NeedTerm.term, NeedTerm.weight).where(NeedTerm.need == need_id)
    return {r["term"]: r["weight"] for r in rows}


async def test_terms_follow_the_text_and_find_the_similar_need(
    client: Any, needs_world: World
) -> None:
    w = needs_world
    first = await create(client, w)
    assert await _terms(first["id"]) == word_terms(
        first["title"], first["question"], first["background"]
    )
    other = await create(
        client,
        w,
        title="Digital mobbing blant barn i barneskolen",
        question="Hvilke tiltak mot nettmobbing virker for barn 8–12 år?",
        background="Foreldre melder om mer mobbing på sosiale medier.",
    )
    assert first["id"] not in [s["id"] for s in other["similar"]]

    edited = await client.patch(
        f"/api/needs/{other['id']}",
        json={"title": "Samarbeid mellom skole og barnevern om elever med mye fravær"},
        headers=w.headers["coordinator_askoy"],
    )
    assert edited.status_code == 200, edited.text
    assert "samarbeid" in await _terms(other["id"])
    assert edited.json()["similar"][0]["id"] == first["id"]


def test_rarest_terms_fit_the_bound_rarest_first() -> None:
    frequency = {"barnevern": 900, "skulefråvær": 3, "samarbeid": 40, "elev": 300}
    assert rarest(frequency, rows=400) == ["skulefråvær", "samarbeid", "elev"]
    assert rarest(frequency, rows=50) == ["skulefråvær", "samarbeid"]
    # The rarest term is read even when it alone passes the bound.
    assert rarest({"barnevern": 900}, rows=50) == ["barnevern"]
    assert rarest({}) == []
