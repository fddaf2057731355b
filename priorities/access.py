"""Who may see a need or a round: the cluster lookups behind the pages' path guards."""

from __future__ import annotations

from priorities.tables import Need, PriorityRound, RoundRater


async def need_cluster(need_id: int) -> int | None:
    """The cluster a need belongs to (None: no such need)."""
    row = await Need.select(Need.cluster).where(Need.id == need_id).first()
    return None if row is None else row["cluster"]


async def round_cluster(round_id: int) -> int | None:
    """The cluster a round belongs to (None: no such round)."""
    row = (
        await PriorityRound.select(PriorityRound.cluster)
        .where(PriorityRound.id == round_id)
        .first()
    )
    return None if row is None else row["cluster"]


async def rates_in(round_id: int, account_id: int) -> bool:
    """Whether the account sits on the round's panel (panel members may come from outside)."""
    return await RoundRater.exists().where(
        RoundRater.round == round_id, RoundRater.account == account_id
    )
