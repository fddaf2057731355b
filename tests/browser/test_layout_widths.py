"""The round results and the literature check at a laptop (1280x800) and a phone (390x844):
the ranking table's decision column is visible (on the laptop without scrolling; on the phone
in its own horizontally scrollable region that a keyboard can reach), no label of the criterion
chart or the PRISMA diagram is cut off (each text's box lies inside its SVG's viewBox and inside
the shape it labels), the page itself never scrolls sideways, and axe finds nothing."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser import axe
from tests.browser.harness import ADVISER, LiveServer, api_login, fill_params, new_context

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
SIZES = [pytest.param(LAPTOP, id="1280x800"), pytest.param(PHONE, id="390x844")]

# The decision column: header and cells, their boxes, and the scroll region around them.
DECISION_COLUMN = """() => {
    const table = document.querySelector('table.ranking');
    if (!table) return null;
    const heads = [...table.querySelectorAll('thead th')];
    const index = heads.findIndex(th => th.innerText.trim() === 'Beslutning');
    if (index < 0) return {missing: heads.map(th => th.innerText.trim())};
    const cells = [heads[index], ...[...table.querySelectorAll('tbody tr')].map(
        tr => tr.children[index])];
    const region = table.closest('.table-scroll');
    const vw = document.documentElement.clientWidth;
    const box = el => { const r = el.getBoundingClientRect();
                        return {left: r.left, right: r.right, width: r.width, height: r.height}; };
    const shown = el => { const s = getComputedStyle(el);
                          return s.display !== 'none' && s.visibility === 'visible'; };
    const style = region ? getComputedStyle(region) : null;
    const result = {
        vw, rows: cells.length - 1,
        cells: cells.map(c => ({text: c.innerText.trim().slice(0, 40), shown: shown(c),
                                box: box(c)})),
        region: region && {box: box(region), tabindex: region.tabIndex,
                           overflowX: style.overflowX, scrollWidth: region.scrollWidth,
                           clientWidth: region.clientWidth},
        afterScroll: [],
    };
    if (region) {
        for (const cell of cells) {
            region.scrollLeft = cell.offsetLeft - 8;  // scroll the region, as a user would
            result.afterScroll.push({cell: box(cell), region: box(region)});
        }
        region.scrollLeft = 0;
    }
    return result;
}"""

# Every text of the page's SVG charts in its SVG's user units (transforms applied, so the
# PRISMA phase labels written upwards count in their real direction), with the viewBox and the
# smallest rect of the same SVG that holds the text's centre (the box or band it labels).
SVG_TEXTS = """(selector) => {
    const out = [];
    for (const svg of document.querySelectorAll(selector)) {
        const vb = svg.viewBox.baseVal;
        const toSvg = svg.getScreenCTM().inverse();
        const rects = [...svg.querySelectorAll('rect')].map(r => r.getBBox())
            .filter(b => !(b.x === vb.x && b.y === vb.y && b.width === vb.width));
        const svgBox = svg.getBoundingClientRect();
        for (const text of svg.querySelectorAll('text')) {
            const b = text.getBBox();
            const m = toSvg.multiply(text.getScreenCTM());
            const pts = [[b.x, b.y], [b.x + b.width, b.y], [b.x, b.y + b.height],
                         [b.x + b.width, b.y + b.height]].map(([x, y]) => {
                const p = new DOMPoint(x, y).matrixTransform(m); return [p.x, p.y]; });
            const xs = pts.map(p => p[0]), ys = pts.map(p => p[1]);
            const box = {left: Math.min(...xs), right: Math.max(...xs),
                         top: Math.min(...ys), bottom: Math.max(...ys)};
            const cx = (box.left + box.right) / 2, cy = (box.top + box.bottom) / 2;
            const holders = rects.filter(r => r.x <= cx && cx <= r.x + r.width
                                         && r.y <= cy && cy <= r.y + r.height)
                .sort((a, b) => a.width * a.height - b.width * b.height);
            const h = holders[0];
            const screen = text.getBoundingClientRect();
            out.push({
                text: text.textContent, cls: text.getAttribute('class') || '', box,
                viewBox: {left: vb.x, right: vb.x + vb.width, top: vb.y, bottom: vb.y + vb.height},
                holder: h ? {left: h.x, right: h.x + h.width, top: h.y, bottom: h.y + h.height}
                          : null,
                length: text.getComputedTextLength(),
                onScreen: screen.left >= svgBox.left - 1 && screen.right <= svgBox.right + 1,
            });
        }
    }
    return out;
}"""

SLACK = 0.5  # SVG units: rounding of glyph boxes


def _inside(box: dict[str, float], frame: dict[str, float]) -> bool:
    return (
        box["left"] >= frame["left"] - SLACK
        and box["right"] <= frame["right"] + SLACK
        and box["top"] >= frame["top"] - SLACK
        and box["bottom"] <= frame["bottom"] + SLACK
    )


async def _open(browser: Any, live_server: LiveServer, size: dict[str, int], path: str) -> Any:
    context = await new_context(browser, live_server)
    await api_login(context, live_server, ADVISER)
    page = await context.new_page()
    await page.set_viewport_size(size)
    url, missing = fill_params(live_server, path)
    assert url is not None, f"no demo id for {missing}"
    response = await page.goto(live_server.url(url), wait_until="load")
    assert response is not None, url
    assert response.status == 200, f"{url}: {response.status}"
    return page


async def _no_sideways_page(page: Any) -> None:
    widths = await page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"{page.url}: the page scrolls sideways ({widths})"


def _clipped(texts: list[dict[str, Any]]) -> list[str]:
    problems = []
    for t in texts:
        where = f"«{t['text']}» {t['box']}"
        if not _inside(t["box"], t["viewBox"]):
            problems.append(f"{where} leaves the viewBox {t['viewBox']}")
        elif t["holder"] is not None and not _inside(t["box"], t["holder"]):
            problems.append(f"{where} leaves its shape {t['holder']}")
        elif not t["onScreen"]:
            problems.append(f"{where} is drawn outside its SVG on the screen")
    return problems


@pytest.mark.parametrize("size", SIZES)
async def test_round_results_show_the_decisions_and_whole_labels(
    browser: Any, live_server: LiveServer, size: dict[str, int]
) -> None:
    page = await _open(browser, live_server, size, "/runder/{round_id}")
    try:
        column = await page.evaluate(DECISION_COLUMN)
        assert column is not None, "the demo round has no results table"
        assert "missing" not in column, f"no decision column: {column}"
        assert column["rows"] > 0
        assert all(c["shown"] and c["box"]["width"] > 0 for c in column["cells"]), column
        region = column["region"]
        if size == LAPTOP:  # the whole table fits: every decision is on screen as it is
            assert region["scrollWidth"] <= region["clientWidth"] + 1, region
            outside = [c for c in column["cells"] if c["box"]["right"] > column["vw"] + 1]
            assert not outside, f"decision cells beyond the {column['vw']} px screen: {outside}"
        else:  # a scroll region of its own, on screen, reachable by keyboard
            assert region["overflowX"] in ("auto", "scroll"), region
            assert region["tabindex"] >= 0, "the scroll region cannot be reached by keyboard"
            assert region["box"]["left"] >= 0, region
            assert region["box"]["right"] <= column["vw"] + 1, region
            for seen in column["afterScroll"]:
                cell, frame = seen["cell"], seen["region"]
                hidden = f"a decision cell stays out of view after scrolling its region: {seen}"
                assert cell["left"] >= frame["left"] - 1, hidden
                assert cell["right"] <= frame["right"] + 1, hidden
        texts = await page.evaluate(SVG_TEXTS, ".chart svg")
        labels = [t for t in texts if t["cls"] == "bar-label"]
        assert {t["text"] for t in labels} >= {"Nytte", "Alvorlighet", "Ressurs", "Kunnskapsgap"}
        assert not _clipped(texts), "\n".join(_clipped(texts))
        await _no_sideways_page(page)
        violations = await axe.run(page)
        assert not violations, axe.report(f"{page.url} at {size}", violations)
    finally:
        await page.context.close()


@pytest.mark.parametrize("size", SIZES)
async def test_prisma_diagram_labels_are_whole(
    browser: Any, live_server: LiveServer, size: dict[str, int]
) -> None:
    page = await _open(browser, live_server, size, "/litteratursjekker/{check_id}")
    try:
        texts = await page.evaluate(SVG_TEXTS, ".prisma-diagram svg")
        assert len(texts) > 10, "no PRISMA diagram on the check page"
        phases = [t for t in texts if t["holder"] and t["box"]["bottom"] - t["box"]["top"] > 40]
        assert {t["text"] for t in phases} >= {"Identifikasjon", "Screening", "Inkludert"}
        assert not _clipped(texts), "\n".join(_clipped(texts))
        region = await page.evaluate(
            """() => { const d = document.querySelector('.prisma-diagram');
                       const s = getComputedStyle(d); const r = d.getBoundingClientRect();
                       return {tabindex: d.tabIndex, overflowX: s.overflowX, left: r.left,
                               right: r.right, scrollWidth: d.scrollWidth,
                               clientWidth: d.clientWidth,
                               vw: document.documentElement.clientWidth}; }"""
        )
        assert region["left"] >= 0, region
        assert region["right"] <= region["vw"] + 1, region
        if region["scrollWidth"] > region["clientWidth"]:  # the phone: a region to scroll
            assert region["overflowX"] in ("auto", "scroll"), region
            assert region["tabindex"] >= 0, region
        await _no_sideways_page(page)
        violations = await axe.run(page)
        assert not violations, axe.report(f"{page.url} at {size}", violations)
    finally:
        await page.context.close()
