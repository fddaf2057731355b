"""Use cases behind a round's assignment page: the result table (names of needs and groups,
candidates in rank order, loads) and the choices of the assignment form."""

from __future__ import annotations

from typing import Any

from priorities import api as priorities
from projects import groups
from projects import schemas as s


async def result_table(out: s.AssignmentOut | None) -> dict[str, Any]:
    """What the result table needs: names of needs and groups, candidates per need in rank
    order, and each group's load against its capacity."""
    if out is None or not out.result:
        return {"rows": [], "loads": [], "result": {}}
    result = out.result
    pairs = {int(n): cands for n, cands in (result.get("pairs") or {}).items()}
    alternates = {int(n): alts for n, alts in (result.get("alternates") or {}).items()}
    need_ids = list(pairs) + [n for n in alternates if n not in pairs]
    need_ids += [int(n) for n in result.get("unassigned") or [] if int(n) not in need_ids]
    order = await priorities.prioritised_needs(out.round_id)
    need_ids.sort(key=lambda n: (order.index(n) if n in order else 10**6, n))
    group_ids = {int(g) for cands in pairs.values() for g, *_ in cands}
    group_ids |= {int(g) for alts in alternates.values() for g, *_ in alts}
    group_ids |= {int(g) for g in (result.get("load") or {})}
    listed = {g.id: g for g in await groups.list_groups(sorted(group_ids))} if group_ids else {}
    titles = await priorities.need_titles(need_ids)
    rows = [
        {
            "need_id": n,
            "rank": order.index(n) + 1 if n in order else None,
            "title": titles.get(n, str(n)),
            "candidates": [
                {"group": listed.get(int(g)), "group_id": int(g), "fit": f}
                for g, f in pairs.get(n, [])
            ],
            "alternates": [
                {"group": listed.get(int(g)), "group_id": int(g), "fit": f, "why": why}
                for g, f, why in alternates.get(n, [])
            ],
            "weakest": n == result.get("weakest_need"),
            "only_weak": n in (result.get("needs_with_only_weak") or []),
            "no_eligible": n in (result.get("no_eligible") or []),
        }
        for n in need_ids
    ]
    loads = [
        {"group": listed.get(int(g)), "group_id": int(g), "used": used}
        for g, used in (result.get("load") or {}).items()
    ]
    return {"rows": rows, "loads": loads, "result": result}


async def round_choices(round_id: int) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    need_ids = await priorities.prioritised_needs(round_id)
    titles = await priorities.need_titles(need_ids)
    needs = [(n, titles.get(n, str(n))) for n in need_ids]
    options = [(g.id, f"{g.name} ({g.institution})") for g in await groups.list_groups()]
    return needs, options
