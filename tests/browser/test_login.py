"""Logging in through the login form with the keyboard only, as every demo user, and out again."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.browser.harness import DEMO_PASSWORD, USERS, DemoUser, LiveServer

pytestmark = pytest.mark.browser

MAX_TABS = 40
LOGOUT_NAMES = ("Logg ut", "Logg av", "Log out", "Sign out")


async def active(page: Any) -> dict[str, str]:
    return dict(
        await page.evaluate(
            """() => {
                const el = document.activeElement;
                return {tag: el ? el.tagName.toLowerCase() : '', type: (el && el.type) || '',
                        name: (el && el.name) || '', id: (el && el.id) || '',
                        autocomplete: (el && el.autocomplete) || '',
                        text: el ? (el.innerText || el.value || '').trim().slice(0, 60) : ''};
            }"""
        )
    )


def is_email_field(el: dict[str, str]) -> bool:
    return el["tag"] == "input" and (
        el["type"] == "email"
        or "email" in el["name"].lower()
        or "username" in el["autocomplete"]
        or "email" in el["autocomplete"]
    )


async def tab_to(page: Any, wanted: Any, what: str) -> None:
    visited = []
    for _ in range(MAX_TABS):
        await page.keyboard.press("Tab")
        el = await active(page)
        if wanted(el):
            return
        visited.append(f"{el['tag']}[{el['type'] or el['name'] or el['text']}]")
    pytest.fail(f"Tab never reached the {what} on {page.url}; focus went {' → '.join(visited)}")


async def logout_control(page: Any) -> Any:
    for name in LOGOUT_NAMES:
        for role in ("button", "link", "menuitem"):
            control = page.get_by_role(role, name=name, exact=False)
            if await control.count():
                return control.first
    pytest.fail(f"no log-out button or link ({' / '.join(LOGOUT_NAMES)}) on {page.url}")


@pytest.mark.parametrize("user", USERS, ids=[u.email.split("@")[0] for u in USERS])
async def test_keyboard_login_and_logout(
    fresh_context: Any, live_server: LiveServer, user: DemoUser
) -> None:
    page = await fresh_context.new_page()
    response = await page.goto(live_server.url("/login"))
    status = response.status if response else None
    assert status == 200, f"/login answered {status}"

    await tab_to(page, is_email_field, "e-mail field")
    await page.keyboard.type(user.email)
    await page.keyboard.press("Tab")
    el = await active(page)
    assert (el["tag"], el["type"]) == ("input", "password"), (
        f"Tab from the e-mail field should reach the password field, reached {el}"
    )
    await page.keyboard.type(DEMO_PASSWORD)
    async with page.expect_navigation():
        await page.keyboard.press("Enter")
    await page.wait_for_load_state("load")
    assert not urlsplit(page.url).path.startswith("/login"), (
        f"still on the login page after logging in as {user.email}: "
        + (await page.inner_text("body"))[:300]
    )
    assert await page.get_by_text(user.name, exact=False).count(), (
        f"{user.name} is not shown after logging in (page {page.url})"
    )

    control = await logout_control(page)
    await control.focus()
    async with page.expect_navigation():
        await page.keyboard.press("Enter")
    await page.wait_for_load_state("load")
    assert not await page.get_by_text(user.name, exact=False).count(), (
        f"{user.name} still shown after logging out (page {page.url})"
    )
    cookies = {c["name"] for c in await fresh_context.cookies()}
    assert "klynge_access" not in cookies, "the session cookie survived logging out"
    response = await page.goto(live_server.url("/mine-organisasjoner"))
    assert urlsplit(page.url).path.startswith("/login") or (response and response.status == 401), (
        f"after logging out /mine-organisasjoner answered {response and response.status} "
        f"at {page.url} instead of asking to log in"
    )


async def test_login_errors_are_accessible(fresh_context: Any, live_server: LiveServer) -> None:
    """A failed login: the page stays axe-clean and each error is tied to its field
    (aria-invalid + aria-describedby naming the message) — WCAG 3.3.1."""
    from tests.browser import axe

    page = await fresh_context.new_page()
    await page.goto(live_server.url("/login"))
    await tab_to(page, is_email_field, "e-mail field")
    await page.keyboard.type("finnes.ikke@demo.klynge.no")
    async with page.expect_navigation():
        await page.keyboard.press("Enter")  # no password: the form must say so
    assert urlsplit(page.url).path.startswith("/login")
    fields = await page.evaluate(
        """() => [...document.querySelectorAll('[aria-invalid="true"]')].map(el => ({
            name: el.name || el.id,
            described: (el.getAttribute('aria-describedby') || '').split(/\\s+/)
                .map(id => document.getElementById(id)).filter(Boolean)
                .map(n => n.innerText.trim()).join(' '),
        }))"""
    )
    assert fields, "no field is marked aria-invalid after a login without password"
    silent = [f["name"] for f in fields if not f["described"]]
    assert not silent, f"fields marked invalid without an aria-describedby message: {silent}"
    violations = await axe.run(page)
    assert not violations, axe.report(f"{page.url} (login failed)", violations)
