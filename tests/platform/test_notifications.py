"""Notifications are stored as a msgid with params and read in the reader's language."""

from __future__ import annotations

from typing import Any

from tests.conftest import World


async def test_a_notification_is_read_in_the_readers_language(client: Any, world: World) -> None:
    from klynge.auth.tables import Account
    from klynge.notifications import notify

    await notify(
        "projects.action",
        "Do the follow-up action «%(title)s»",
        params={"title": "Møte med skolen"},
        account_id=world.accounts["adviser_a"],
    )
    # An older row: Norwegian text, no params, a literal percent kept as it is.
    await notify("legacy", "Fullført 100 %", account_id=world.accounts["adviser_a"])
    headers = world.headers["adviser_a"]
    texts = {}
    for lang in ("nb", "nn", "en"):  # the reader's own choice of language
        await Account.update({Account.language: lang}).where(
            Account.id == world.accounts["adviser_a"]
        )
        found = await client.get("/api/notifications", headers=headers)
        texts[lang] = [n["text"] for n in found.json()]
    assert texts["nb"] == ["Fullført 100 %", "Gjør oppfølgingspunktet «Møte med skolen»"]
    assert texts["nn"][1] == "Gjer oppfølgingspunktet «Møte med skolen»"
    assert texts["en"][1] == "Do the follow-up action «Møte med skolen»"
    other = await client.get("/api/notifications", headers=world.headers["adviser_b"])
    assert other.json() == []
