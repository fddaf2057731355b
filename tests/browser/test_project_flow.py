"""A project followed in the browser from the accepted proposal to "running": the adviser
is told of a researcher's proposal (notification, task, mail) and accepts it, the researcher is
told, the adviser opens the project it created, moves it to preparation, sees what blocks
"running", decides the approvals checklist, and starts the project."""

from __future__ import annotations

import json
from typing import Any

from tests.browser import axe
from tests.browser.handoff_checks import not_mailed, told
from tests.browser.harness import (
    ADVISER,
    DEMO_PASSWORD,
    RESEARCHER,
    SUMMARY,
    Contexts,
    LiveServer,
)

PROPOSAL = "Ettervern i små kommuner"
ASKER = "navleiar@demo.klynge.no"  # NAV Alver endorsed the need the proposal answers
OUTSIDER = "rektor@demo.klynge.no"  # a school in Askøy: no part of it


async def _propose(contexts: Contexts, live_server: LiveServer) -> int:
    """The demo researcher proposes a new project for the need their group already answers."""
    request = (await contexts.get(None)).request
    token = await request.post(
        "/api/auth/token", data={"email": RESEARCHER, "password": DEMO_PASSWORD}
    )
    assert token.ok, await token.text()
    headers = {"Authorization": f"Bearer {(await token.json())['access_token']}"}
    row = live_server.query(
        'SELECT proposal."group", proposal.need_ids FROM proposal JOIN role_assignment '
        'ON role_assignment.research_group = proposal."group" JOIN account ON account.id = '
        "role_assignment.account WHERE account.email = ? ORDER BY proposal.id LIMIT 1",
        (RESEARCHER,),
    )
    assert row, "the demo has no proposal of the demo researcher's group"
    proposal = await request.post(
        "/api/proposals",
        data={
            "group_id": row[0][0],
            "need_ids": json.loads(row[0][1])[:1],
            "title": PROPOSAL,
            "aims": "Prøve ut ettervern i samarbeid mellom små kommuner.",
            "research_questions": "Hva trenger unge voksne i små kommuner?",
            "design": "Deltakende følgeforskning.",
            "methods": ["participatory"],
            "codesign": {"user_representatives": "Ungdomsrådet", "how": "Verksteder"},
            "ethics": ["dpia"],
            "budget_nok": 900000,
        },
        headers=headers,
    )
    assert proposal.ok, await proposal.text()
    return int((await proposal.json())["id"])


async def _status(page: Any) -> str:
    return (await page.inner_text("#prosjektstatus strong.status")).strip()


async def _to(page: Any, status: str) -> None:
    form = page.locator(f'form[action$="/status"]:has(input[name="to"][value="{status}"])')
    await form.locator("button[type=submit]").click()
    await page.wait_for_load_state()


async def _decide_checklist(page: Any) -> int:
    """The adviser decides every undecided item (its decision form still says "undecided"):
    not required, with a reason. Each decision reloads the page."""
    decided = 0
    while True:
        forms = page.locator("#godkjenninger form[action$='/krav']")
        values = [
            await forms.nth(i).locator("select[name=required]").input_value()
            for i in range(await forms.count())
        ]
        if "undecided" not in values:
            return decided
        form = forms.nth(values.index("undecided"))
        await form.locator("xpath=ancestor::details[1]/summary").click()
        await form.locator("select[name=required]").select_option("no")
        await form.locator("textarea[name=required_reason]").fill(
            "Ikke nødvendig i dette prosjektet."
        )
        await form.locator("button[type=submit]").click()
        await page.wait_for_load_state()
        decided += 1


async def _approve_required(page: Any) -> int:
    """The team records each required item as approved, with its reference number."""
    approved = 0
    while True:
        panels = page.locator("#godkjenninger details.panel:has(form[action$='/krav'])")
        todo = None
        for i in range(await panels.count()):
            panel = panels.nth(i)
            required = panel.locator("form[action$='/krav'] select[name=required]")
            status = panel.locator("form:not([action$='/krav']) select[name=status]")
            if (await required.input_value()) == "yes" and (
                await status.input_value()
            ) != "approved":
                todo = panel
                break
        if todo is None:
            return approved
        await todo.locator("summary").click()
        form = todo.locator("form:not([action$='/krav'])")
        await form.locator("select[name=status]").select_option("approved")
        await form.locator("input[name=reference]").fill(f"Sikt 4382{approved:02d}")
        await form.locator("button[type=submit]").click()
        await page.wait_for_load_state()
        approved += 1


async def test_a_project_from_accepted_proposal_to_running(
    contexts: Contexts, live_server: LiveServer
) -> None:
    proposal_id = await _propose(contexts, live_server)
    here = f"/forslag/{proposal_id}"
    await told(contexts, live_server, ADVISER, PROPOSAL, here, here)
    await told(contexts, live_server, ASKER, PROPOSAL, here)
    not_mailed(live_server, OUTSIDER, PROPOSAL)
    page = await (await contexts.get(ADVISER)).new_page()
    try:
        await page.goto(live_server.url(f"/forslag/{proposal_id}"))
        await page.check("#review-decision-accept")
        await page.fill("textarea[name=reason]", "Godt forankret i tjenestene.")
        await page.click("form[action$='/vurdering'] button[type=submit]")
        await page.wait_for_load_state()
        await page.click("a[href^='/prosjekter/']:has-text('Se prosjektet')")
        await page.wait_for_load_state()
        assert "/prosjekter/" in page.url
        assert await _status(page) == "Planlagt"
        project = page.url.split("?")[0].split("#")[0].removeprefix(live_server.base_url)
        await told(contexts, live_server, RESEARCHER, PROPOSAL, project)
        not_mailed(live_server, OUTSIDER, PROPOSAL)

        await _to(page, "preparation")
        assert await _status(page) == "Under forberedelse"
        blockers = await page.inner_text("#prosjektstatus")
        assert "mangler" in blockers.lower()
        assert await page.locator('form:has(input[name="to"][value="running"])').count() == 0

        decided = await _decide_checklist(page)
        assert decided >= 4, (
            f"only {decided} checklist items were undecided on {page.url}:\n"
            + await page.inner_text("#godkjenninger")
        )
        assert await _approve_required(page) >= 1
        violations = await axe.run(page)
        assert not violations, axe.report(f"{page.url} (preparation)", violations)

        await _to(page, "running")
        assert await _status(page) == "Pågår"
        SUMMARY.append(
            f"project flow: proposal {proposal_id} accepted -> planned -> preparation -> "
            f"{decided} approvals decided -> running ({page.url})"
        )
    finally:
        await page.close()
