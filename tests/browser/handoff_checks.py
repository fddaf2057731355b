"""Checks for hand-offs in the browser: the next person has the notification, the task and
the mail (sent by the live server through the tests' SMTP server); someone else has no mail."""

from __future__ import annotations

from typing import Any

from tests.browser import axe
from tests.browser.harness import Contexts, LiveServer


def _outbox(live_server: LiveServer, email: str) -> str:
    """What the server's outbox and sender did, for a failure message."""
    rows = live_server.query(
        "SELECT status, subject, last_error FROM mail_outbox WHERE to_address = ? "
        "ORDER BY id DESC LIMIT 3",
        (email,),
    )
    jobs = live_server.query(
        "SELECT status, created_at, started_at FROM job WHERE name = 'send_mail' "
        "ORDER BY created_at DESC LIMIT 3"
    )
    return f"outbox: {[tuple(r) for r in rows]}; sender runs: {[tuple(j) for j in jobs]}"


async def told(
    contexts: Contexts,
    live_server: LiveServer,
    email: str,
    needle: str,
    link: str,
    task_link: str | None = None,
) -> None:
    """`email` got a mail with `needle` and `link`, has the notification (with `needle`,
    linking to `link`) on /varsler and, when `task_link` is given, a task linking there on
    /oppgaver (which passes axe)."""
    await live_server.inbox.wait_for(
        email, needle, live_server.url(link), explain=lambda: _outbox(live_server, email)
    )
    page = await (await contexts.get(email)).new_page()
    try:
        await page.goto(live_server.url("/varsler"))
        notice = page.locator(f"main a[href^='{link}']", has_text=needle)
        assert await notice.count() >= 1, await page.inner_text("main")
        if task_link is not None:
            await page.goto(live_server.url("/oppgaver"))
            violations = await axe.run(page)
            assert not violations, axe.report(f"{page.url} (tasks of {email})", violations)
            tasks = page.locator(f"main a[href^='{task_link}']")
            assert await tasks.count() >= 1, await page.inner_text("main")
    finally:
        await page.close()


def not_mailed(live_server: LiveServer, email: str, needle: str) -> None:
    for message in live_server.inbox.all_to(email):
        plain = message.get_body(preferencelist=("plain",))
        assert plain is None or needle not in plain.get_content(), (email, message["Subject"])


def asker_email(live_server: LiveServer, need_id: int) -> str:
    """A demo login of the service (else the municipality) that asked the need."""
    row = live_server.query(
        "SELECT a.email FROM need n JOIN role_assignment r ON (n.service IS NOT NULL AND "
        "r.role IN ('service_leader', 'service_employee') AND r.service = n.service) OR "
        "(n.service IS NULL AND r.role = 'coordinator' AND r.municipality = n.municipality) "
        "JOIN account a ON a.id = r.account WHERE n.id = ? ORDER BY a.id LIMIT 1",
        (need_id,),
    )
    assert row, f"no demo login asked need {need_id}"
    return str(row[0][0])


async def choose_first(select: Any) -> None:
    values = await select.locator("option").evaluate_all(
        "options => options.map(o => o.value).filter(v => v)"
    )
    await select.select_option(values[0])
