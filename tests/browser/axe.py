"""axe-core in the page: prerequisites, running the WCAG 2.1 A/AA rules, readable reports."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
AXE_JS = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def require_browser_deps() -> None:
    """Fail (never skip) when Debian's chromium or axe-core is missing."""
    missing = []
    if not CHROMIUM.exists():
        missing.append(f"Debian's chromium ({CHROMIUM})")
    if not AXE_JS.is_file():
        missing.append(f"axe-core ({AXE_JS.relative_to(REPO_ROOT)})")
    if missing:
        pytest.fail(
            "Browser tests need " + " and ".join(missing) + ": run `make browser-deps` "
            "(apt-get install chromium; npm ci). Never `playwright install`.",
            pytrace=False,
        )


_AXE_SOURCE: str | None = None


def _axe_source() -> str:
    global _AXE_SOURCE
    if _AXE_SOURCE is None:
        _AXE_SOURCE = AXE_JS.read_text(encoding="utf-8")
    return _AXE_SOURCE


async def inject(page: Any) -> None:
    """Load axe into the page. DevTools evaluation is not subject to the page's CSP, so the app's
    own `default-src 'self'` stays in force (a context with bypass_csp would hide CSP breakage)."""
    if await page.evaluate("() => typeof window.axe === 'object'"):
        return
    await page.evaluate(_axe_source() + "\n;undefined")
    if not await page.evaluate("() => typeof window.axe === 'object'"):
        # Fallback: a script tag (needs a context created with bypass_csp=True).
        await page.add_script_tag(path=str(AXE_JS))


# Page scripts have no Playwright timeout: a page axe cannot run in fails instead of hanging.
AXE_SECONDS = 60.0


async def run(page: Any) -> list[dict[str, Any]]:
    """The WCAG 2.1 A/AA violations on the page as it is now."""
    try:
        async with asyncio.timeout(AXE_SECONDS):
            return await _run(page)
    except TimeoutError:
        pytest.fail(f"axe did not finish on {page.url} within {AXE_SECONDS:.0f} s")


async def _run(page: Any) -> list[dict[str, Any]]:
    await inject(page)
    result = await page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {
                runOnly: {type: 'tag', values: tags},
                resultTypes: ['violations'],
                // Preloading refetches stylesheets into inline <style>, which the app's CSP
                // (rightly) refuses; the WCAG A/AA rules do not need it.
                preload: false,
            });
            return {passes: r.passes.length, violations: r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({
                    target: n.target.map(t => Array.isArray(t) ? t.join(' >>> ') : t),
                    html: n.html.slice(0, 200),
                    summary: (n.failureSummary || '').replace(/\\s+/g, ' ').slice(0, 300),
                })),
            }))};
        }""",
        WCAG_TAGS,
    )
    # A run that checked nothing (axe not really loaded, an empty page) must not look clean.
    assert result["passes"] or result["violations"], f"axe checked nothing on {page.url}"
    return list(result["violations"])


def report(label: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"{label}: {len(violations)} axe violation(s)"]
    for v in violations:
        lines.append(f"  - {v['id']} [{v['impact']}] {v['help']} ({v['helpUrl']})")
        for node in v["nodes"]:
            lines.append(f"      target {', '.join(node['target'])}")
            lines.append(f"        html {node['html']}")
            if node["summary"]:
                lines.append(f"        fix  {node['summary']}")
    return "\n".join(lines)
