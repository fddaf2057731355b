"""Browser test harness: one live `klynge run` subprocess on its own demo SQLite file, one
Debian chromium, one browser context per demo user (logged in once, reused by every test).

The in-process test settings (tests/conftest.py) are never shared with the live server: it gets
its own environment, database file, secret key and port.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser import axe
from tests.browser.harness import (
    ADMIN,
    GOOD_CSV,
    KLYNGE,
    STARTUP_TIMEOUT,
    SUMMARY,
    Contexts,
    ImportResult,
    LiveServer,
    UploadFormMissing,
    free_port,
    healthy,
    live_env,
    new_context,
    start_import,
)
from tests.smtp import SmtpServer


@pytest.fixture(scope="session")
def live_server() -> Iterator[LiveServer]:
    axe.require_browser_deps()
    tmp = Path(tempfile.mkdtemp(prefix="klynge-browser-"))
    db_path = tmp / "demo.sqlite"
    port = free_port()
    smtp = SmtpServer(free_port()).__enter__()
    env = live_env(db_path, port, smtp.port)
    demo = subprocess.run(
        [str(KLYNGE), "demo"],
        env=env,
        cwd=tmp,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if demo.returncode != 0:
        pytest.fail(f"`klynge demo` failed:\n{demo.stdout}\n{demo.stderr}", pytrace=False)
    log_path = tmp / "server.log"
    log = log_path.open("wb")
    process = subprocess.Popen(
        [str(KLYNGE), "run", "--port", str(port)],
        env=env,
        cwd=tmp,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    server = LiveServer(f"http://127.0.0.1:{port}", db_path, log_path, process, smtp.inbox)
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            if process.poll() is not None:
                pytest.fail(f"`klynge run` exited early:\n{server.log_tail()}", pytrace=False)
            if healthy(server.url("/healthz")):
                break
            if time.monotonic() > deadline:
                pytest.fail(
                    f"`klynge run` did not answer /healthz within {STARTUP_TIMEOUT:.0f} s:\n"
                    f"{server.log_tail()}",
                    pytrace=False,
                )
            time.sleep(0.1)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        log.close()
        smtp.__exit__()
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="session")
async def browser(live_server: LiveServer) -> AsyncIterator[Any]:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        chromium = await pw.chromium.launch(
            executable_path=str(axe.CHROMIUM), args=axe.CHROMIUM_ARGS, headless=True
        )
        try:
            yield chromium
        finally:
            await chromium.close()


@pytest.fixture(scope="session")
async def contexts(browser: Any, live_server: LiveServer) -> AsyncIterator[Contexts]:
    pool = Contexts(browser, live_server)
    try:
        yield pool
    finally:
        await pool.close()


@pytest.fixture
async def fresh_context(browser: Any, live_server: LiveServer) -> AsyncIterator[Any]:
    """An anonymous context of its own (for tests that change cookies or log out)."""
    context = await new_context(browser, live_server)
    try:
        yield context
    finally:
        await context.close()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if SUMMARY:
        terminalreporter.section("browser tests: pages")
        for line in SUMMARY:
            terminalreporter.write_line(line)


@pytest.fixture(scope="session")
async def import_result(contexts: Contexts, live_server: LiveServer) -> ImportResult:
    """A municipality import started once through the upload form as the platform admin."""
    page = await (await contexts.get(ADMIN)).new_page()
    try:
        job_id = await start_import(page, live_server, "kommuner.csv", GOOD_CSV)
    except UploadFormMissing as exc:
        SUMMARY.append(f"municipality import: {exc}")
        return ImportResult(None, str(exc))
    finally:
        await page.close()
    live_server.extra_ids["job_id"] = job_id
    return ImportResult(job_id)
