"""Hand-offs in the browser: one user acts, the next user finds the notification and the task,
and the mail arrives in the test's SMTP server (aiosmtpd, real SMTP from the live server).
Each step also checks someone who is not part of the hand-off got no mail about it."""

from __future__ import annotations

from typing import Any

from tests.browser import axe
from tests.browser.harness import ADVISER, SUMMARY, Contexts, LiveServer

LEADER = "leder@demo.klynge.no"
OUTSIDER = "navleiar@demo.klynge.no"  # a service leader of another municipality


async def _axe(page: Any, what: str) -> None:
    violations = await axe.run(page)
    assert not violations, axe.report(f"{page.url} ({what})", violations)


async def _told(
    contexts: Contexts, live_server: LiveServer, email: str, needle: str, link: str
) -> None:
    """`email` has the notification, a task linking to `link` and a mail with `needle`."""

    def explain() -> str:
        rows = live_server.query(
            "SELECT m.status, m.subject, m.last_error FROM mail_outbox m WHERE m.to_address = ? "
            "ORDER BY m.id DESC LIMIT 3",
            (email,),
        )
        jobs = live_server.query(
            "SELECT status, created_at, dispatched_at, started_at FROM job "
            "WHERE name = 'send_mail' ORDER BY created_at DESC LIMIT 3"
        )
        return f"outbox: {[tuple(r) for r in rows]}; jobs: {[tuple(j) for j in jobs]}"

    mail = await live_server.inbox.wait_for(email, needle, explain=explain)
    plain = mail.get_body(preferencelist=("plain",))
    assert plain is not None
    assert link in plain.get_content()
    page = await (await contexts.get(email)).new_page()
    await page.goto(live_server.url("/varsler"))
    assert needle in await page.inner_text("main")
    await page.goto(live_server.url("/oppgaver"))
    await _axe(page, "task list")
    assert await page.locator(f"main a[href^='{link}']").count() >= 1, await page.inner_text("main")
    await page.close()


def _not_mailed(live_server: LiveServer, email: str, needle: str) -> None:
    for message in live_server.inbox.all_to(email):
        plain = message.get_body(preferencelist=("plain",))
        assert plain is None or needle not in plain.get_content(), (email, message["Subject"])


async def _choose_first(select: Any) -> None:
    values = await select.locator("option").evaluate_all(
        "options => options.map(o => o.value).filter(v => v)"
    )
    await select.select_option(values[0])


async def test_a_submitted_need_reaches_the_adviser(
    contexts: Contexts, live_server: LiveServer
) -> None:
    title = "Søvn og skulefråvær hos unge i Bergen"
    leader = await (await contexts.get(LEADER)).new_page()
    await leader.goto(live_server.url("/behov/ny"))
    form = leader.locator("form:has(textarea[name=question])")
    await form.locator("input[name=title]").fill(title)
    await form.locator("textarea[name=question]").fill(
        "Kva veit vi om samanhengen mellom søvn og fråvær i ungdomsskulen?"
    )
    await form.locator("input[name=service_ids]").first.check()
    await _choose_first(form.locator("select[name=prevention_level]"))
    await _choose_first(form.locator("select[name=intended_use]"))
    await form.locator("button[name=action][value=submit]").click()
    await leader.wait_for_load_state()
    need_id = live_server.scalar("SELECT id FROM need WHERE title = ?", (title,))
    assert need_id, await leader.inner_text("main")
    assert live_server.scalar("SELECT status FROM need WHERE id = ?", (need_id,)) == "submitted"

    await _told(contexts, live_server, ADVISER, title, f"/behov/{need_id}")
    _not_mailed(live_server, OUTSIDER, title)
    SUMMARY.append(f"hand-off: need {need_id} submitted by {LEADER} -> {ADVISER} told")
