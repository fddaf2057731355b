"""Findings returned, in the browser: the R&D adviser records an outcome of the running demo
project and publishes it; a municipal leader it was delivered to finds it on their task list,
reads it and answers the three questions (told in-app and by e-mail, through a real SMTP
server); the return-rate dashboard counts the answer; the originating need shows "answered" with a
link to the findings. Each page passes axe."""

from __future__ import annotations

from typing import Any

from tests.browser import axe
from tests.browser.harness import ADVISER, SUMMARY, Contexts, LiveServer

TITLE = "Fråværsteamet fekk fleire elevar tilbake i klassen"


async def _axe(page: Any, what: str) -> None:
    violations = await axe.run(page)
    assert not violations, axe.report(f"{page.url} ({what})", violations)


async def _submit(form: Any) -> None:
    await form.locator("button[type=submit]").first.click()
    await form.page.wait_for_load_state()


def _recipient(live_server: LiveServer, outcome_id: int) -> tuple[str, int] | None:
    """A demo login a municipality's (or a service's) delivery is addressed to: its
    coordinator, or a leader of the asking service or of one of its relevant services."""
    row = live_server.query(
        "SELECT a.email, d.id FROM findings_delivery d "
        "LEFT JOIN findings_addressed_service s ON s.delivery = d.id "
        "JOIN role_assignment r ON (r.role = 'coordinator' AND r.municipality = d.municipality)"
        " OR (r.role = 'service_leader' AND (r.service = d.service OR r.service = s.service)) "
        "JOIN account a ON a.id = r.account "
        "WHERE d.outcome = ? AND d.kind != 'cluster' ORDER BY d.id LIMIT 1",
        (outcome_id,),
    )
    return (str(row[0][0]), int(row[0][1])) if row else None


async def _answered(page: Any, live_server: LiveServer) -> int:
    """The dashboard's "answered" figure in all (the adviser's scope)."""
    await page.goto(live_server.url("/tilbakeforing"))
    if not await page.locator("#return-total").count():
        return 0
    cell = page.locator("table:has(#return-total) tbody tr td").nth(3)
    return int((await cell.inner_text()).split()[0])


async def test_findings_from_publishing_to_the_answered_need(
    contexts: Contexts, live_server: LiveServer
) -> None:
    project_id = int(live_server.scalar("SELECT min(id) FROM project WHERE status = 'running'"))
    need_id = int(
        live_server.scalar(
            "SELECT id FROM need WHERE status = 'matched' AND id IN "
            "(SELECT value FROM project, json_each(project.need_ids) WHERE project.id = ?)",
            (project_id,),
        )
    )
    adviser = await (await contexts.get(ADVISER)).new_page()
    before = await _answered(adviser, live_server)

    # The adviser records the outcome and publishes it.
    await adviser.goto(live_server.url(f"/prosjekter/{project_id}/resultater/ny"))
    await _axe(adviser, "new outcome")
    form = adviser.locator("form:has(textarea[name=summary])")
    await form.locator("select[name=kind]").select_option("finding")
    await form.locator("input[name=title]").fill(TITLE)
    await form.locator("select[name=summary_language]").select_option("nn")
    await form.locator("textarea[name=summary]").fill(
        "Elevar med høgt fråvær kom oftare tilbake når skulen og barnevernet møttest kvar veke."
    )
    await form.locator("textarea[name=practice]").fill(
        "Set av ein fast time i veka til fråværsteamet på kvar ungdomsskule."
    )
    await form.locator("input[name=is_public]").check()
    await _submit(form)
    assert "/resultater/" in adviser.url, await adviser.inner_text("main")
    outcome_id = int(adviser.url.split("/resultater/")[1].split("?")[0].split("#")[0])
    await _submit(adviser.locator("form[action$='/publiser']"))
    await _axe(adviser, "published outcome")
    status = live_server.scalar("SELECT status FROM project_outcome WHERE id = ?", (outcome_id,))
    assert status == "published"
    deliveries = live_server.scalar(
        "SELECT count(*) FROM findings_delivery WHERE outcome = ?", (outcome_id,)
    )
    assert deliveries >= 2  # a municipality and the cluster at least

    # Someone it was delivered to finds it on their task list, reads it and answers.
    found = _recipient(live_server, outcome_id)
    assert found, f"no demo login is addressed by outcome {outcome_id}'s deliveries"
    email, delivery_id = found
    mail = await live_server.inbox.wait_for(email, TITLE)
    plain = mail.get_body(preferencelist=("plain",))
    assert plain is not None
    assert f"/leveranser/{delivery_id}" in plain.get_content()
    leader = await (await contexts.get(email)).new_page()
    await leader.goto(live_server.url("/varsler"))
    assert TITLE in await leader.inner_text("main")
    await leader.goto(live_server.url("/oppgaver"))
    await _axe(leader, "task list")
    await leader.locator(f"a[href='/leveranser/{delivery_id}']").first.click()
    await leader.wait_for_load_state()
    assert TITLE in await leader.inner_text("main")
    await _axe(leader, "delivery")
    answer = leader.locator("form:has(textarea[name=change])")
    await answer.locator("input[name=relevant][value=yes]").check()
    await answer.locator("input[name=will_use][value=yes]").check()
    await answer.locator("textarea[name=change]").fill("Vi prøver fast fråværsmøte frå januar.")
    await _submit(answer)
    answered = live_server.scalar(
        "SELECT will_use FROM findings_delivery WHERE id = ?", (delivery_id,)
    )
    assert answered == "yes"
    await leader.goto(live_server.url("/oppgaver"))
    assert await leader.locator(f"a[href='/leveranser/{delivery_id}']").count() == 0

    # The dashboard counts it; the need is answered, with the findings linked.
    assert await _answered(adviser, live_server) == before + 1
    await _axe(adviser, "return-rate dashboard")
    await adviser.goto(live_server.url(f"/behov/{need_id}"))
    assert live_server.scalar("SELECT status FROM need WHERE id = ?", (need_id,)) == "answered"
    link = adviser.locator(f"a[href='/resultater/{outcome_id}']")
    assert await link.count() >= 1
    SUMMARY.append(
        f"findings flow: outcome {outcome_id} published to {deliveries} recipients, answered by "
        f"{email}; dashboard answered {before} -> {before + 1}; need {need_id} answered"
    )
