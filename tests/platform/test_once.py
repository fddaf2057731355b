"""klynge.once: a key is claimed by exactly one caller, also when many race for it, and a claim
made in a transaction that rolls back is gone with it."""

from __future__ import annotations

import asyncio

import pytest

from klynge import once
from klynge.db import transaction


async def test_the_first_claim_wins_and_later_ones_lose(db: None) -> None:
    assert await once.claim("report:1:before_14") is True
    assert await once.claim("report:1:before_14") is False
    assert await once.claim("report:1:overdue") is True
    assert await once.claimed("report:1:before_14")
    assert not await once.claimed("report:2:before_14")


async def test_racing_claims_give_one_winner(db: None) -> None:
    async def one() -> bool:
        async with transaction():
            return await once.claim("delivery:7:remind_30")

    results = await asyncio.gather(*(one() for _ in range(8)))
    assert sorted(results) == [False] * 7 + [True]


async def test_a_rolled_back_claim_is_not_kept(db: None) -> None:
    class Boom(Exception):
        pass

    async def claim_then_fail() -> None:
        async with transaction():
            assert await once.claim("delivery:9:escalate")
            raise Boom

    with pytest.raises(Boom):
        await claim_then_fail()
    assert await once.claim("delivery:9:escalate") is True
