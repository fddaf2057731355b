"""Keyboard and focus (skip link, visible focus), the nynorsk switch, and the job page's live
progress bar for a municipality import started through the upload form."""

from __future__ import annotations

import json
import re
import time
from typing import Any

import pytest

from tests.browser import axe
from tests.browser.harness import (
    ADMIN,
    ADVISER,
    BAD_CSV,
    SUMMARY,
    Contexts,
    LiveServer,
    api_login,
    fill_params,
    start_import,
)

pytestmark = pytest.mark.browser

# (who, path): public pages, the login form, and logged-in pages with forms and disclosures.
KEYBOARD_PAGES = [
    (None, "/"),
    (None, "/login"),
    (ADVISER, "/mine-organisasjoner"),
    (ADVISER, "/klynger/{cluster_id}"),
    (ADMIN, "/admin/organisations"),
]
MAX_TABS = 80


async def open_page(contexts: Contexts, server: LiveServer, who: str | None, path: str) -> Any:
    filled, missing = fill_params(server, path)
    assert filled, f"{path}: no demo value for {missing}"
    page = await (await contexts.get(who)).new_page()
    response = await page.goto(server.url(filled))
    status = response.status if response else None
    assert status == 200, f"{path} as {who}: HTTP {status}"
    return page


@pytest.mark.parametrize(("who", "path"), KEYBOARD_PAGES[:3])
async def test_skip_link_is_first_and_moves_focus_to_main(
    contexts: Contexts, live_server: LiveServer, who: str | None, path: str
) -> None:
    page = await open_page(contexts, live_server, who, path)
    try:
        await page.keyboard.press("Tab")
        first = await page.evaluate(
            """() => {
                const el = document.activeElement;
                const href = el && el.getAttribute('href') || '';
                const target = href.startsWith('#') ? document.getElementById(href.slice(1)) : null;
                return {tag: el.tagName.toLowerCase(), href, text: el.innerText.trim(),
                        visible: el.getBoundingClientRect().width > 1,
                        targetIsMain: !!target && (target.tagName === 'MAIN'
                            || target.getAttribute('role') === 'main' || !!target.closest('main'))};
            }"""
        )
        is_skip_link = first["tag"] == "a" and first["href"].startswith("#")
        assert is_skip_link, f"{path}: the first Tab stop should be the skip link, got {first}"
        assert first["targetIsMain"], f"{path}: the skip link {first['href']} does not lead to main"
        assert first["visible"], f"{path}: the skip link is not visible when it has focus"
        await page.keyboard.press("Enter")
        inside = await page.evaluate(
            """() => { const el = document.activeElement;
                       return !!el && (el.tagName === 'MAIN' || !!el.closest('main')); }"""
        )
        assert inside, (
            f"{path}: activating the skip link did not move focus into <main> "
            "(give <main> tabindex=-1 so it can take focus)"
        )
    finally:
        await page.close()


STYLE_JS = """(el) => {
    const s = getComputedStyle(el);
    return {outline: `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`,
            outlineStyle: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth) || 0,
            boxShadow: s.boxShadow, border: s.borderColor, background: s.backgroundColor,
            decoration: s.textDecorationLine};
}"""


@pytest.mark.parametrize(("who", "path"), KEYBOARD_PAGES)
async def test_every_tab_stop_has_a_visible_focus_indicator(
    contexts: Contexts, live_server: LiveServer, who: str | None, path: str
) -> None:
    page = await open_page(contexts, live_server, who, path)
    try:
        stops: list[dict[str, Any]] = []
        for i in range(MAX_TABS):
            await page.keyboard.press("Tab")
            info = await page.evaluate(
                """(i) => {
                    const el = document.activeElement;
                    if (!el || el === document.body) return null;
                    if (el.dataset.tabStop) return {again: true};
                    el.dataset.tabStop = String(i);
                    const style = ("""
                + STYLE_JS
                + """)(el);
                    return {i, style, what: el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                            + ' "' + (el.innerText || el.value || el.name || '').trim()
                            .slice(0, 40) + '"'};
                }""",
                i,
            )
            if info is None or info.get("again"):
                break
            stops.append(info)
        assert stops, f"{path}: nothing on the page takes keyboard focus"
        await page.evaluate("() => document.activeElement && document.activeElement.blur()")
        await page.mouse.move(0, 0)
        missing = []
        for stop in stops:
            unfocused = await page.eval_on_selector(f'[data-tab-stop="{stop["i"]}"]', STYLE_JS)
            focused = stop["style"]
            has_outline = focused["outlineStyle"] != "none" and focused["outlineWidth"] >= 1
            changed = any(
                focused[k] != unfocused[k]
                for k in ("outline", "boxShadow", "border", "background", "decoration")
            )
            if not (changed and (has_outline or focused["boxShadow"] != unfocused["boxShadow"])):
                missing.append(f"{stop['what']} (focused {focused}, unfocused {unfocused})")
        SUMMARY.append(f"focus: {len(stops)} tab stops on {path} as {who or 'anonymous'}")
        assert not missing, (
            f"{path} as {who or 'anonymous'}: tab stops without a visible focus outline or "
            "box-shadow:\n  " + "\n  ".join(missing)
        )
    finally:
        await page.close()


LANGUAGE_SELECTORS = [
    '[hreflang="nn"]',
    'a[lang="nn"]',
    'button[lang="nn"]',
    'button[value="nn"]',
    'input[type="submit"][value="nn"]',
]


async def switch_to_nynorsk(page: Any) -> None:
    for selector in LANGUAGE_SELECTORS:
        control = page.locator(selector)
        if await control.count():
            await control.first.focus()
            async with page.expect_navigation():
                await page.keyboard.press("Enter")
            return
    select = page.locator('select:has(option[value="nn"])')
    if await select.count():
        form = page.locator('form:has(option[value="nn"])').first
        await select.first.select_option("nn")
        submit = form.locator("button[type=submit], input[type=submit], button:not([type])")
        if await submit.count():
            async with page.expect_navigation():
                await submit.first.click()
        else:
            await page.wait_for_load_state("load")
        return
    for role in ("link", "button"):
        control = page.get_by_role(role, name=re.compile("nynorsk", re.IGNORECASE))
        if await control.count():
            await control.first.focus()
            async with page.expect_navigation():
                await page.keyboard.press("Enter")
            return
    pytest.fail(f"no language switch to nynorsk on {page.url}")


async def ui_text(page: Any) -> str:
    return await page.evaluate(
        """() => [...document.querySelectorAll('header, nav, footer, h1, label, button')]
                 .map(e => e.innerText.trim()).join(' | ')"""
    )


@pytest.mark.parametrize("who", [None, "ansatt@demo.klynge.no"], ids=["anonymous", "ansatt"])
async def test_switch_to_nynorsk(browser: Any, live_server: LiveServer, who: str | None) -> None:
    from tests.browser.harness import new_context

    context = await new_context(browser, live_server)
    try:
        if who:
            await api_login(context, live_server, who)
        page = await context.new_page()
        path = "/mine-organisasjoner" if who else "/"
        await page.goto(live_server.url(path))
        assert await page.evaluate("() => document.documentElement.lang") == "nb"
        before = await ui_text(page)
        await switch_to_nynorsk(page)
        if not page.url.endswith(path):
            await page.goto(live_server.url(path))
        lang = await page.evaluate("() => document.documentElement.lang")
        assert lang == "nn", f"<html lang> is {lang!r} after switching to nynorsk"
        after = await ui_text(page)
        assert after != before, f"the UI text did not change with nynorsk:\n{after[:400]}"
        violations = await axe.run(page)
        assert not violations, axe.report(f"{page.url} in nynorsk", violations)
    finally:
        await context.close()


# Two municipalities the demo does not have (the session's page-visit import uses others).
GOOD_CSV_2 = "kommunenummer,navn,innbyggere\n4613,Bømlo,12100\n4614,Stord,19000\n"

PROGRESS_JS = """() => {
    const el = document.querySelector('progress, [role=progressbar]');
    if (!el) return null;
    if (el.tagName === 'PROGRESS') return el.max ? 100 * el.value / el.max : el.value;
    return parseFloat(el.getAttribute('aria-valuenow') || 'NaN');
}"""
JOB_PAGE = re.compile(r"/jobs/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


async def reopen_job_page_as_unfinished(page: Any) -> None:
    """A small import may finish before its page has loaded, and then the page never has to
    update itself. So open the job page again, served as the server renders a job that has not
    started (status queued, bar at 0, no errors yet): its script must then bring it up to date
    from the real status route, without a reload. (Playwright does not route the redirect from
    the upload form, hence the second visit.)"""

    async def handler(route: Any) -> None:
        response = await route.fetch()
        body = await response.text()
        body = re.sub(r'data-status="\w+"', 'data-status="queued"', body, count=1)
        body = re.sub(r'(<progress\b[^>]*?\bvalue=")\d+(")', r"\g<1>0\2", body, count=1)
        body = re.sub(r"<div data-job-errors(?: hidden)?>", "<div data-job-errors hidden>", body)
        body = re.sub(r"<tbody>.*?</tbody>", "<tbody></tbody>", body, flags=re.DOTALL)
        await route.fulfill(response=response, body=body)

    assert JOB_PAGE.search(page.url), f"the upload form led to {page.url}, not a job page"
    await page.route(JOB_PAGE, handler, times=1)
    await page.add_init_script(WATCH_LOADS_JS)
    await page.goto(page.url)


# Runs at the start of every document in the tab: counts loads per path (sessionStorage lives
# across reloads) and notes the bar's value as served, before any script touches it.
WATCH_LOADS_JS = """(() => {
    const key = 'klynge-loads:' + location.pathname;
    sessionStorage.setItem(key, String(Number(sessionStorage.getItem(key) || 0) + 1));
    document.addEventListener('DOMContentLoaded', () => {
        const el = document.querySelector('progress, [role=progressbar]');
        window.__klyngeServedProgress = !el ? null : el.tagName === 'PROGRESS'
            ? 100 * el.value / (el.max || 100) : parseFloat(el.getAttribute('aria-valuenow'));
    });
})();"""


async def loads_of_this_page(page: Any) -> int:
    return int(
        await page.evaluate(
            "() => Number(sessionStorage.getItem('klynge-loads:' + location.pathname) || 0)"
        )
    )


async def job_errors_shown(page: Any, server: LiveServer, job_id: str) -> bool:
    result = json.loads(server.scalar("SELECT result FROM job WHERE id = ?", (job_id,)) or "{}")
    reasons = [e["reason"] for e in result.get("errors", [])]
    body = await page.inner_text("body")  # hidden elements give no text
    return bool(reasons) and all(r in body for r in reasons)


async def check_progress_page(page: Any, server: LiveServer, job_id: str, *, expect: str) -> None:
    first = await page.evaluate("() => window.__klyngeServedProgress")
    assert first is not None, f"{page.url}: no progress bar (<progress> or role=progressbar)"
    assert first < 100, (
        f"{page.url}: the bar started at {first}; could not make the page show an unfinished "
        "job, so a live update cannot be observed (did the job page's markup change?)"
    )
    seen = [first]
    status = ""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        status = server.scalar("SELECT status FROM job WHERE id = ?", (job_id,)) or ""
        value = await page.evaluate(PROGRESS_JS)
        if value != seen[-1]:
            seen.append(value)
        if expect == "done" and value is not None and value >= 100:
            break
        if (
            expect == "failed"
            and status == "failed"
            and await job_errors_shown(page, server, job_id)
        ):
            break
        await page.wait_for_timeout(200)
    else:
        says = (await page.inner_text("body"))[:600]
        pytest.fail(
            f"{page.url}: job {job_id} is {status!r}, expected {expect!r}; the bar went "
            f"{seen} without reaching the end; the page says:\n{says}"
        )
    loads = await loads_of_this_page(page)
    assert loads == 1, f"{page.url}: the job page was loaded {loads} times to update itself"
    SUMMARY.append(f"job page ({expect}): bar went {seen} without a reload")
    assert status == expect, f"job {job_id} ended {status!r}, expected {expect!r}"
    violations = await axe.run(page)
    assert not violations, axe.report(f"{page.url} ({expect}, after live update)", violations)


async def test_job_progress_reaches_100_without_reload(
    contexts: Contexts, live_server: LiveServer
) -> None:
    page = await (await contexts.get(ADMIN)).new_page()
    try:
        job_id = await start_import(page, live_server, "kommuner2.csv", GOOD_CSV_2)
        await reopen_job_page_as_unfinished(page)
        await check_progress_page(page, live_server, job_id, expect="done")
        state = await page.inner_text("[data-job-state], [role=status]")
        assert state.strip(), "the job's state text is empty after the update"
    finally:
        await page.close()


async def test_bad_file_shows_the_row_errors(contexts: Contexts, live_server: LiveServer) -> None:
    page = await (await contexts.get(ADMIN)).new_page()
    try:
        job_id = await start_import(page, live_server, "feil.csv", BAD_CSV)
        await reopen_job_page_as_unfinished(page)
        await check_progress_page(page, live_server, job_id, expect="failed")
    finally:
        await page.close()
