"""Helpers for hand-off tests: what a person reads in their notifications and task list, in a
language of their choice, and the mail a real local SMTP server (aiosmtpd) received."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.conftest import World
from tests.platform.test_mail import SmtpServer, smtp, smtp_env

__all__ = ["SmtpServer", "deliver", "mailed", "notes", "set_language", "smtp", "smtp_env", "tasks"]


async def set_language(world: World, key: str, language: str) -> None:
    """A signed-in user reads the UI in their account's language (Accept-Language is only the
    anonymous visitor's), so the account's choice is set and the header sent as well."""
    from klynge.auth.tables import Account

    await Account.update({Account.language: language}).where(Account.id == world.accounts[key])


async def notes(
    client: Any, world: World, key: str, language: str = "nb", kind: str | None = None
) -> list[dict[str, Any]]:
    await set_language(world, key, language)
    response = await client.get(
        "/api/notifications", headers={**world.headers[key], "Accept-Language": language}
    )
    assert response.status_code == 200, response.text
    return [n for n in response.json() if kind is None or n["kind"] == kind]


async def tasks(
    client: Any, world: World, key: str, language: str = "nb", prefix: str = ""
) -> list[dict[str, Any]]:
    await set_language(world, key, language)
    response = await client.get(
        "/api/me/tasks", headers={**world.headers[key], "Accept-Language": language}
    )
    assert response.status_code == 200, response.text
    return [t for t in response.json() if t["kind"].startswith(prefix)]


async def deliver() -> None:
    """Run the queued mail sender jobs (as the sweeper would) until the outbox is sent."""
    from klynge.jobs import runner
    from klynge.jobs.tables import Job
    from klynge.mail.tables import MailOutbox

    for _ in range(200):
        for job in await Job.select(Job.id).where(Job.name == "send_mail", Job.status == "queued"):
            await runner.execute(job["id"])
        if not await MailOutbox.exists().where(MailOutbox.status == "queued"):
            return
        await asyncio.sleep(0.02)
    raise AssertionError("mail stayed queued")


def mailed(server: SmtpServer, needle: str) -> list[str]:
    """Who received a mail whose subject holds `needle`, sorted."""
    found = [
        address
        for message, rcpts in zip(server.inbox.messages, server.inbox.recipients, strict=True)
        if needle in str(message["Subject"])
        for address in rcpts
    ]
    return sorted(found)


def address(key: str) -> str:
    return f"{key}@test.klynge.no"
