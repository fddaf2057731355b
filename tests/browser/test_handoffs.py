"""Hand-offs of the priorities part in the browser, one after the other as they happen: a
service leader submits a need and the adviser is told; the adviser opens a round with it and
the rater on the panel is told; the adviser closes the round and the service that asked is
told. Each time: the notification, the task where there is one, and the mail in the tests'
SMTP server — and a leader of another municipality gets no mail about it."""

from __future__ import annotations

from tests.browser.handoff_checks import choose_first, not_mailed, told
from tests.browser.harness import ADVISER, SUMMARY, Contexts, LiveServer

LEADER = "leder@demo.klynge.no"
RATER = "rektor@demo.klynge.no"
OUTSIDER = "navleiar@demo.klynge.no"  # a service leader of another municipality
TITLE = "Søvn og skulefråvær hos unge i Bergen"
ROUND = "Ekstrarunde desember"


async def _submit_need(contexts: Contexts, live_server: LiveServer) -> int:
    leader = await (await contexts.get(LEADER)).new_page()
    await leader.goto(live_server.url("/behov/ny"))
    form = leader.locator("form:has(textarea[name=question])")
    await form.locator("input[name=title]").fill(TITLE)
    await form.locator("textarea[name=question]").fill(
        "Kva veit vi om samanhengen mellom søvn og fråvær i ungdomsskulen?"
    )
    await form.locator("input[name=service_ids]").first.check()
    await choose_first(form.locator("select[name=prevention_level]"))
    await choose_first(form.locator("select[name=intended_use]"))
    await form.locator("button[name=action][value=submit]").click()
    await leader.wait_for_load_state()
    need_id = live_server.scalar("SELECT id FROM need WHERE title = ?", (TITLE,))
    assert need_id, await leader.inner_text("main")
    assert live_server.scalar("SELECT status FROM need WHERE id = ?", (need_id,)) == "submitted"
    await leader.close()
    return int(need_id)


async def _open_round(contexts: Contexts, live_server: LiveServer, need_id: int) -> int:
    rater_id = live_server.scalar("SELECT id FROM account WHERE email = ?", (RATER,))
    adviser = await (await contexts.get(ADVISER)).new_page()
    await adviser.goto(live_server.url("/runder/ny"))
    form = adviser.locator("form[action='/runder/ny'][method=post]")
    await form.locator("input[name=name]").fill(ROUND)
    await form.locator(f"#round-need-{need_id}").check()
    await form.locator(f"#rater-{rater_id}").check()
    await form.locator("button[type=submit]").last.click()
    await adviser.wait_for_load_state()
    round_id = live_server.scalar("SELECT id FROM priority_round WHERE name = ?", (ROUND,))
    assert round_id, await adviser.inner_text("main")
    await adviser.close()
    return int(round_id)


async def _close_round(contexts: Contexts, live_server: LiveServer, round_id: int) -> None:
    adviser = await (await contexts.get(ADVISER)).new_page()
    await adviser.goto(live_server.url(f"/runder/{round_id}/lukk"))
    await adviser.locator(f"form[action='/runder/{round_id}/lukk'] button[type=submit]").click()
    await adviser.wait_for_load_state()
    status = live_server.scalar("SELECT status FROM priority_round WHERE id = ?", (round_id,))
    assert status == "closed", await adviser.inner_text("main")
    await adviser.close()


async def test_need_round_and_decision_hand_offs(
    contexts: Contexts, live_server: LiveServer
) -> None:
    need_id = await _submit_need(contexts, live_server)
    await told(contexts, live_server, ADVISER, TITLE, f"/behov/{need_id}", f"/behov/{need_id}")
    not_mailed(live_server, OUTSIDER, TITLE)

    round_id = await _open_round(contexts, live_server, need_id)
    scoring = f"/runder/{round_id}/skaar"
    await told(contexts, live_server, RATER, ROUND, scoring, scoring)
    not_mailed(live_server, OUTSIDER, ROUND)

    await _close_round(contexts, live_server, round_id)
    await told(contexts, live_server, LEADER, f"«{ROUND}»", f"/behov/{need_id}")
    not_mailed(live_server, OUTSIDER, ROUND)
    SUMMARY.append(
        f"hand-offs: need {need_id} by {LEADER} -> {ADVISER}; round {round_id} -> {RATER}; "
        f"closed -> {LEADER}"
    )
