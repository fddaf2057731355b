"""Who reads which proposals: the cluster's advisers, the group's researchers, and the
services and municipalities that asked the need it is made for (others get 404)."""

from __future__ import annotations

from typing import Any

from klynge.auth.principal import Principal
from klynge.auth.roles import Role
from klynge.db import json_value
from klynge.errors import NotFound
from klynge.i18n import N_
from klynge.scoping import can_manage_cluster, ensure_cluster_visible
from priorities import api as priorities
from projects.tables import Proposal


async def _asked(actor: Principal, need_ids: Any) -> bool:
    """Did the caller's service or municipality ask one of these needs?"""
    wanted = {int(n) for n in json_value(need_ids, [])}
    return bool(wanted) and bool(wanted & set(await priorities.needs_asked_by(actor)))


async def load_proposal(actor: Principal, proposal_id: int) -> dict[str, Any]:
    row = await Proposal.select().where(Proposal.id == proposal_id).first()
    if row is None:
        raise NotFound(N_("We could not find the proposal."))
    if not (
        can_manage_cluster(actor, row["cluster"])
        or actor.is_admin
        or actor.has(Role.RESEARCHER, row["group"])
        # The services and municipalities that asked the need read what is proposed for it.
        or await _asked(actor, row["need_ids"])
    ):
        ensure_cluster_visible(actor, row["cluster"])
        raise NotFound(N_("We could not find the proposal."))
    return row


async def _asked_ids(actor: Principal) -> list[int]:
    """The proposals made for needs the caller's service or municipality asked."""
    asked = set(await priorities.needs_asked_by(actor))
    if not asked:
        return []
    rows = await Proposal.select(Proposal.id, Proposal.need_ids).where(
        Proposal.cluster.is_in(sorted(actor.cluster_ids) or [-1])
    )
    return [r["id"] for r in rows if asked & {int(n) for n in json_value(r["need_ids"], [])}]


async def visible_where(
    actor: Principal, cluster_id: int | None, group_id: int | None
) -> list[Any]:
    """Advisers see their clusters' proposals; researchers their groups' own; services and
    municipalities those made for the needs they asked."""
    where: list[Any] = []
    if not actor.is_admin:
        own = Proposal.group.is_in(sorted(actor.org_ids(Role.RESEARCHER)) or [-1])
        advised = [c for c in actor.cluster_ids if can_manage_cluster(actor, c)]
        asked = Proposal.id.is_in(await _asked_ids(actor) or [-1])
        where.append(Proposal.cluster.is_in(advised or [-1]) | own | asked)
    if cluster_id is not None:
        where.append(Proposal.cluster == cluster_id)
    if group_id is not None:
        where.append(Proposal.group == group_id)
    return where
