"""A grant followed in the browser from the call to an approved report: the funder officer
creates and publishes a call (full financing, at least 20 % R&D, no existing positions; progress
reports every 6 months and a final one); the R&D adviser applies from the running demo project
with a budget whose R&D share is too low, is refused with the failed condition named, fixes the
budget and submits; the officer grants it; the first report is written by the project team,
attested by a municipal leader of a participating service and approved by the officer."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from tests.browser import axe
from tests.browser.harness import ADVISER, FUNDER_OFFICER, SUMMARY, Contexts, LiveServer

OFFICER = FUNDER_OFFICER


async def _axe(page: Any, what: str) -> None:
    violations = await axe.run(page)
    assert not violations, axe.report(f"{page.url} ({what})", violations)


async def _submit(form: Any) -> None:
    page = form.page
    await form.locator("button[type=submit]").click()
    await page.wait_for_load_state()


async def _open(page: Any, form_selector: str) -> Any:
    """The form inside a closed <details>: open the details first."""
    form = page.locator(form_selector)
    details = form.locator("xpath=ancestor::details[1]")
    if not await details.evaluate("d => d.open"):
        await details.locator("summary").first.click()
    return form


async def _application_status(page: Any) -> str:
    return (await page.inner_text("#oversikt .status")).strip()


async def _report_status(page: Any) -> str:
    return (await page.inner_text("dl dt:text-is('Status') + dd")).strip()


async def _budget_line(
    page: Any, category: str, amount: str, description: str, fte: str = ""
) -> None:
    form = await _open(page, "form[action$='/budsjett']")
    await form.locator("select[name=category]").select_option(category)
    await form.locator("input[name=description]").fill(description)
    await form.locator("input[name=fte_percent]").fill(fte)
    await form.locator("input[name=amount]").fill(amount)
    await _submit(form)
    assert "/soknader/" in page.url, page.url
    assert await page.locator(".error-summary").count() == 0, await page.inner_text("main")


async def _financing_line(page: Any, amount: str) -> None:
    form = await _open(page, "form[action$='/finansiering']")
    await form.locator("select[name=source]").select_option("this_funder")
    await form.locator("input[name=description]").fill("Omsøkt beløp")
    await form.locator("input[name=amount]").fill(amount)
    await _submit(form)
    assert await page.locator(".error-summary").count() == 0, await page.inner_text("main")


async def _create_call(page: Any, live_server: LiveServer, today: dt.date) -> int:
    await page.goto(live_server.url("/utlysninger/ny"))
    form = page.locator("form[action='/utlysninger/ny']")
    await form.locator("input[name=title]").fill("Tjenesteinnovasjon med FoU 2027")
    await form.locator("textarea[name=description]").fill(
        "Midler til kommunale FoU-prosjekter med en tydelig forskningsdel."
    )
    await form.locator("input[name=opens_on]").fill(today.isoformat())
    await form.locator("input[name=closes_on]").fill((today + dt.timedelta(days=60)).isoformat())
    await form.locator("input[name=budget]").fill("10 000 000")
    await form.locator("textarea[name=criteria]").fill("Relevans\nGjennomføring")
    await form.locator("input[name=progress_months]").fill("6")
    await form.locator("input[name=final]").check()
    for kind in ("full_financing", "min_rnd_share", "no_existing_positions"):
        await form.locator(f"#call-cond-{kind}").check()
    await form.locator("input[name='min_rnd_share-percent']").fill("20")
    await _submit(form)
    found = re.search(r"/utlysninger/(\d+)", page.url)
    assert found, f"the call form did not lead to the call (at {page.url}):\n" + (
        await page.inner_text("main")
    )
    await _submit(page.locator("form[action$='/publiser']"))
    text = await page.inner_text("main")
    assert "Åpen" in text, text
    assert "FoU-andel" in text, text
    return int(found.group(1))


async def _apply(page: Any, live_server: LiveServer, project_id: int, call_id: int) -> int:
    await page.goto(live_server.url(f"/soknader/ny?project_id={project_id}&call_id={call_id}"))
    form = page.locator("form[action='/soknader/ny'][method=post]")
    assert await form.count() == 1, await page.inner_text("main")
    await form.locator("select[name=call_id]").select_option(str(call_id))
    await form.locator("input[name=title]").fill("Ettervern i små kommuner – søknad")
    await _submit(form)
    found = re.search(r"/soknader/(\d+)", page.url)
    assert found, f"no application page after starting (at {page.url})"
    return int(found.group(1))


def _attester(live_server: LiveServer, project_id: int) -> str | None:
    """A demo login that is a municipal leader of the project: a coordinator of an active
    participating municipality, or a service leader of an active participating service or of a
    service in one."""
    row = live_server.query(
        "SELECT account.email FROM role_assignment JOIN account ON account.id = "
        "role_assignment.account LEFT JOIN service ON service.id = role_assignment.service "
        "WHERE account.email LIKE '%@demo.klynge.no' AND ("
        " (role_assignment.role = 'coordinator' AND role_assignment.municipality IN "
        "  (SELECT municipality FROM project_participant WHERE project = ? AND status = 'active'"
        "   AND municipality IS NOT NULL))"
        " OR (role_assignment.role = 'service_leader' AND (role_assignment.service IN "
        "  (SELECT service FROM project_participant WHERE project = ? AND status = 'active'"
        "   AND service IS NOT NULL) OR service.municipality IN "
        "  (SELECT municipality FROM project_participant WHERE project = ? AND status = 'active'"
        "   AND municipality IS NOT NULL)))) ORDER BY account.email LIMIT 1",
        (project_id, project_id, project_id),
    )
    return str(row[0][0]) if row else None


async def test_a_grant_from_call_to_approved_report(
    contexts: Contexts, live_server: LiveServer
) -> None:
    today = dt.date.today()
    project_id = live_server.scalar("SELECT min(id) FROM project WHERE status = 'running'")
    assert project_id, "the demo has no running project"
    attester = _attester(live_server, int(project_id))
    assert attester, f"no demo login is a municipal leader of project {project_id}"

    officer = await (await contexts.get(OFFICER)).new_page()
    adviser = await (await contexts.get(ADVISER)).new_page()
    leader = await (await contexts.get(attester)).new_page()
    try:
        # 1. The funder officer creates and publishes the call.
        call_id = await _create_call(officer, live_server, today)
        assert live_server.scalar("SELECT status FROM grant_call WHERE id = ?", (call_id,)) == (
            "published"
        )

        # 2. The adviser applies from the running project: R&D 100 000 of 700 000 (14.3 %).
        application_id = await _apply(adviser, live_server, int(project_id), call_id)
        await _budget_line(adviser, "new_position", "600 000", "Prosjektleder", "100")
        await _budget_line(adviser, "rnd", "100 000", "Følgeforskning")
        await _financing_line(adviser, "700 000")
        assert await _application_status(adviser) == "Utkast"
        await _axe(adviser, "application, draft")
        await _submit(adviser.locator("form[action$='/send-inn']"))
        text = await adviser.inner_text("main")
        assert "FoU-andel" in text, text
        assert "14,3" in text, text
        assert await _application_status(adviser) == "Utkast"
        status = live_server.scalar(
            "SELECT status FROM grant_application WHERE id = ?", (application_id,)
        )
        assert status == "draft"

        # Fixed: R&D 200 000 of 800 000 (25 %), this funder covers all of it.
        await adviser.goto(live_server.url(f"/soknader/{application_id}"))
        await _budget_line(adviser, "rnd", "100 000", "Forskerstøtte")
        await _financing_line(adviser, "100 000")
        await _submit(adviser.locator("form[action$='/send-inn']"))
        assert await _application_status(adviser) == "Innsendt", await adviser.inner_text("main")

        # 3. The officer reviews and grants it.
        await officer.goto(live_server.url(f"/soknader/{application_id}/vurdering"))
        await _axe(officer, "review panel")
        decision = officer.locator("form#decision")
        await decision.locator("select[name=decision]").select_option("granted")
        await decision.locator("input[name=amount]").fill("800 000")
        await decision.locator("input[name=starts_on]").fill(today.isoformat())
        ends = today.replace(year=today.year + 1) - dt.timedelta(days=1)
        await decision.locator("input[name=ends_on]").fill(ends.isoformat())
        await _submit(decision)
        assert "Innvilget" in await officer.inner_text("main")
        await officer.goto(live_server.url(f"/soknader/{application_id}"))
        assert await _application_status(officer) == "Innvilget"

        # 4. The first report of the schedule is due: the team writes it.
        grant_id = live_server.scalar(
            "SELECT id FROM grant_agreement WHERE application = ?", (application_id,)
        )
        assert grant_id, "granting made no grant agreement"
        await adviser.goto(live_server.url(f"/tilskudd/{grant_id}"))
        await _axe(adviser, "grant")
        await adviser.locator("#rapporter ~ .table-wrap tbody tr").first.locator("a").click()
        await adviser.wait_for_load_state()
        report_url = adviser.url
        assert re.search(r"/tilskudd/\d+/rapporter/\d+$", report_url), report_url
        assert await _report_status(adviser) == "Ikke sendt inn"
        report = adviser.locator("form#report")
        await report.locator("textarea[name=progress]").fill(
            "Prosjektleder er tilsatt og kartleggingen i kommunene er gjennomført."
        )
        await report.locator("textarea[name=rnd_activity]").fill(
            "Følgeforskerne har gjennomført intervjuer med ungdom og ansatte."
        )
        # Spent in the period: 150 000 on the position, 30 000 on each R&D line (28,6 % R&D).
        spent = report.locator("input[name^='spent-']")
        assert await spent.count() == 3
        for i, amount in enumerate(("150 000", "30 000", "30 000")):
            await spent.nth(i).fill(amount)
        await report.locator("input[name=rnd_spent]").fill("60 000")
        await _submit(report)
        assert await adviser.locator(".error-summary").count() == 0, await adviser.inner_text(
            "main"
        )
        conditions = await adviser.inner_text("ul.conditions")
        assert "FoU-andel 28,6 %" in conditions, conditions
        await _axe(adviser, "report, team")

        # The municipal leader attests that no existing positions are financed.
        await leader.goto(report_url)
        attestation = leader.locator("form#attestation")
        assert await attestation.count() == 1, await leader.inner_text("main")
        await attestation.locator("#attestation-yes").check()
        await _submit(attestation)
        assert "Ingen eksisterende stillinger" in await leader.inner_text("#attestasjon ~ p")

        # The team submits the report; the officer approves it.
        await adviser.goto(report_url)
        await _submit(adviser.locator("form#submit"))
        assert await _report_status(adviser) == "Innsendt", await adviser.inner_text("main")
        await officer.goto(report_url)
        await _axe(officer, "report, funder")
        review = officer.locator("form#review")
        await review.locator("select[name=decision]").select_option("approve")
        await review.locator("textarea[name=comment]").fill("Godt arbeid.")
        await _submit(review)
        assert await _report_status(officer) == "Godkjent", await officer.inner_text("main")
        SUMMARY.append(
            f"grants flow: call {call_id} published -> application {application_id} refused "
            f"(R&D 14,3 %) -> fixed (25 %) -> submitted -> granted (grant {grant_id}) -> report "
            f"written, attested by {attester}, submitted -> approved ({report_url})"
        )
    finally:
        for page in (officer, adviser, leader):
            await page.close()
