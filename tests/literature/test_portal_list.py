"""The public research list without a query (issue 17): the newest public references first, page
by page, not counted — `capped` says more follow — and never a private, unpublished or merged
one; the portal links the next page and shows the newest answered needs with their number."""

from __future__ import annotations

from typing import Any

from literature.tables import CheckReview, LiteratureCheck, Reference
from tests.conftest import World
from tests.platform.test_views import text_of

URL = "/api/public/literature"


async def _check(world: World, need_id: int, public: bool, status: str) -> int:
    check = LiteratureCheck(
        cluster=world.ids["cluster_a"],
        need=need_id,
        question="Q",
        status=status,
        verdict="answered",
        public=public,
    )
    await check.save()
    return int(check.id)


async def _cite(
    check_id: int, cluster: int, year: int | None, merged_into: int | None = None
) -> int:
    ref = Reference(cluster=cluster, title=f"Study {year}", year=year, merged_into=merged_into)
    await ref.save()
    await CheckReview(check=check_id, reference=ref.id, certainty="high").save()
    return int(ref.id)


async def test_public_list_newest_first_uncounted(
    client: Any, needs_world: World, need_id: int
) -> None:
    w = needs_world
    a, b = w.ids["cluster_a"], w.ids["cluster_b"]
    published = await _check(w, need_id, True, "completed")
    public = [
        await _cite(published, a if i % 2 else b, y)
        for i, y in enumerate([2019, None, 2024, 2021, 2021])
    ]
    await _cite(published, a, 2023, merged_into=public[0])  # merged: never listed
    await _cite(await _check(w, need_id, False, "completed"), a, 2025)  # not public
    await _cite(await _check(w, need_id, True, "in_progress"), a, 2026)  # not published
    rows = await Reference.select(Reference.id, Reference.year).where(Reference.id.is_in(public))
    expected = [
        r["id"] for r in sorted(rows, key=lambda r: (r["year"] is None, -(r["year"] or 0), r["id"]))
    ]

    seen: list[int] = []
    for page in (1, 2, 3):
        answer = await client.get(URL, params={"per_page": 2, "page": page})
        assert answer.status_code == 200, answer.text
        body = answer.json()
        seen += [h["id"] for h in body["hits"]]
        assert body["total"] == len(seen)
        assert body["capped"] is (page < 3)
    assert seen == expected
    # Past the end: nothing, and nothing more.
    past = (await client.get(URL, params={"per_page": 2, "page": 4})).json()
    assert (past["hits"], past["capped"]) == ([], False)
    far = (await client.get(URL, params={"per_page": 200, "page": 51})).json()  # offset 10,000
    assert (far["hits"], far["capped"]) == ([], False)


async def test_portal_links_the_next_page_and_the_newest_verdicts(
    client: Any, needs_world: World, need_id: int
) -> None:
    w = needs_world
    for _ in range(21):  # 21 answered needs, each citing one study: more than a page of each
        await _cite(await _check(w, need_id, True, "completed"), w.ids["cluster_a"], 2020)
    first = text_of(await client.get("/kunnskap"))
    assert "Mer enn 20 publikasjoner, de nyeste først." in first
    assert "page=2" in first
    assert "page=3" not in first
    assert first.count("/kunnskap/behov/") >= 20
    assert "Vis alle 21 besvarte behov" in first
    second = text_of(await client.get("/kunnskap?page=2"))
    assert "Mer enn" not in second
    assert "21 publikasjoner" in second
