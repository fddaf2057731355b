"""Small read-only questions other apps ask about needs (through priorities.api)."""

from __future__ import annotations

from priorities.tables import Need


async def need_titles(ids: list[int]) -> dict[int, str]:
    """Need id -> title."""
    rows = await Need.select(Need.id, Need.title).where(Need.id.is_in(ids or [-1]))
    return {r["id"]: r["title"] for r in rows}


async def need_headlines(ids: list[int]) -> dict[int, dict[str, str]]:
    """Need id -> its title and target group, in one query (lists of many needs)."""
    rows = await Need.select(Need.id, Need.title, Need.target_group).where(
        Need.id.is_in(ids or [-1])
    )
    return {r["id"]: {"title": r["title"], "target_group": r["target_group"]} for r in rows}


async def need_clusters(ids: list[int]) -> dict[int, int]:
    """Need id -> the cluster it belongs to (unknown ids are left out)."""
    rows = await Need.select(Need.id, Need.cluster).where(Need.id.is_in(ids or [-1]))
    return {r["id"]: r["cluster"] for r in rows}


async def need_ids_by_title(cluster_id: int | None = None) -> dict[str, int]:
    """Title -> need id, in one cluster or in all (the demo seeders find their needs so)."""
    query = Need.select(Need.id, Need.title)
    if cluster_id is not None:
        query = query.where(Need.cluster == cluster_id)
    return {r["title"]: r["id"] for r in await query}


async def demo_need_ids(cluster_id: int) -> dict[str, int]:
    """The demo needs' keys -> ids in a cluster (for the other apps' demo seeders)."""
    from priorities.demo import NEEDS

    by_title = await need_ids_by_title(cluster_id)
    return {n.key: by_title[n.title] for n in NEEDS if n.title in by_title}
