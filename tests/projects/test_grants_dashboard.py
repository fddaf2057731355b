"""The funder's grants dashboard and the adviser's view: figures through the API (exact øre),
tenancy (another funder or cluster gets 404), the HTML page with its chart and tables, the xlsx
export, and the pure rules and chart geometry."""

from __future__ import annotations

import io
from typing import Any

import pytest

from tests.conftest import World
from tests.platform.test_views import HTML
from tests.projects import grants_dashboard_fixtures as fx


@pytest.fixture
async def gw(app: Any, world: World) -> World:
    return await fx.build(app, world)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    import projects.grants.dashboard as module

    monkeypatch.setattr(module, "today", lambda: fx.TODAY)


async def test_funder_dashboard_figures(client: Any, gw: World) -> None:
    r = await client.get(
        f"/api/funders/{gw.ids['funder_1']}/dashboard", headers=gw.headers["officer_f1"]
    )
    assert r.status_code == 200, r.text
    d = r.json()
    assert d["name"] == "Forskingsfondet"
    calls = {c["title"]: c for c in d["calls"]}
    assert calls["Innovasjon i skolen"]["granted_ore"] == 500_000_00
    assert calls["Innovasjon i skolen"]["granted_percent"] == "50.0"
    assert calls["Innovasjon i skolen"]["applications"] == 2
    assert calls["Helse og omsorg"]["applications"] == 1  # the draft is not the funder's
    by_status = {s["status"]: s["count"] for s in d["applications_by_status"]}
    assert by_status == {
        "draft": 0, "submitted": 1, "changes_requested": 0, "granted": 2, "declined": 0,
        "withdrawn": 0,
    }  # fmt: skip
    assert d["granted_ore"] == 500_000_00
    assert d["framework_ore"] == 1_500_000_00
    assert d["granted_by_year"] == [
        {"year": 2025, "granted_ore": 150_000_00},
        {"year": 2026, "granted_ore": 350_000_00},
    ]
    assert d["rnd_budget_ore"] == 120_000_00
    assert d["budget_ore"] == 600_000_00
    assert d["rnd_percent"] == "20.0"
    assert d["rnd_spent_ore"] == 30_000_00
    assert d["spent_ore"] == 100_000_00
    assert d["rnd_spent_percent"] == "30.0"
    grants = {g["id"]: g for g in d["grants"]}
    assert set(grants) == {gw.ids["grant_1"], gw.ids["grant_2"]}
    assert grants[gw.ids["grant_1"]]["url"] == f"/tilskudd/{gw.ids['grant_1']}"
    assert grants[gw.ids["grant_1"]]["conditions"] == {
        "min_rnd_share": "met", "co_financing": "met", "rnd_partner": "not_evaluated",
    }  # fmt: skip
    assert grants[gw.ids["grant_2"]]["conditions"]["min_rnd_share"] == "not_met"
    assert grants[gw.ids["grant_2"]]["conditions"]["co_financing"] == "not_met"
    compliance = {c["kind"]: c for c in d["compliance"]}
    assert compliance["min_rnd_share"]["met"] == 1
    assert compliance["min_rnd_share"]["not_met"] == 1
    assert compliance["rnd_partner"]["not_evaluated"] == 2
    assert [x["id"] for x in d["reports_due"]] == [gw.ids["report_due"]]
    assert [x["id"] for x in d["reports_overdue"]] == [gw.ids["report_overdue"]]
    assert d["reports_overdue"][0]["days"] == -5
    assert all(a["url"] == f"/soknader/{a['id']}" for a in d["applications"])


@pytest.mark.parametrize("who", ["officer_f2", "adviser_a", "nobody", "coordinator_askoy"])
async def test_another_funder_gets_404(client: Any, gw: World, who: str) -> None:
    for tail in ("dashboard", "dashboard.xlsx"):
        r = await client.get(f"/api/funders/{gw.ids['funder_1']}/{tail}", headers=gw.headers[who])
        assert r.status_code == 404, (who, tail, r.text)


async def test_admin_sees_any_funder_and_unknown_is_404(client: Any, gw: World) -> None:
    r = await client.get(
        f"/api/funders/{gw.ids['funder_2']}/dashboard", headers=gw.headers["admin"]
    )
    assert r.status_code == 200
    assert r.json()["granted_ore"] == 50_000_00
    r = await client.get("/api/funders/999999/dashboard", headers=gw.headers["admin"])
    assert r.status_code == 404


async def test_cluster_dashboard(client: Any, gw: World) -> None:
    r = await client.get(
        f"/api/clusters/{gw.ids['cluster_a']}/grants-dashboard", headers=gw.headers["adviser_a"]
    )
    assert r.status_code == 200, r.text
    d = r.json()
    assert {a["id"] for a in d["applications"]} == {
        gw.ids[k] for k in ("app_1", "app_3", "app_4", "app_5")
    }
    assert d["granted_ore"] == 400_000_00  # to both funders
    assert {c["id"] for c in d["calls"]} == {gw.ids["call_1"], gw.ids["call_2"], gw.ids["call_3"]}
    assert [x["id"] for x in d["reports_overdue"]] == [gw.ids["report_other"]]
    for who in ("adviser_b", "officer_f1", "coordinator_askoy"):
        r = await client.get(
            f"/api/clusters/{gw.ids['cluster_a']}/grants-dashboard", headers=gw.headers[who]
        )
        assert r.status_code in (403, 404), who


async def test_funding_page_html(client: Any, gw: World) -> None:
    from tests.platform.test_views import login

    await login(client, gw, "officer_f1")
    r = await client.get("/finansiering", headers=HTML)
    assert r.status_code == 200, r.text
    html = r.text
    assert "Forskingsfondet" in html
    assert 'role="img"' in html
    assert f'href="/tilskudd/{gw.ids["grant_1"]}"' in html
    assert f'href="/soknader/{gw.ids["app_3"]}"' in html
    assert "500\u00a0000\u00a0kr" in html
    r = await client.get(f"/finansiering?funder_id={gw.ids['funder_2']}", headers=HTML)
    assert r.status_code == 404
    r = await client.get("/finansiering.xlsx", headers=HTML)
    assert r.status_code == 200
    assert r.content[:2] == b"PK"


async def test_admin_chooses_a_funder(client: Any, gw: World) -> None:
    from tests.platform.test_views import login

    await login(client, gw, "admin")
    r = await client.get("/finansiering", headers=HTML)
    assert r.status_code == 200
    assert 'name="funder_id"' in r.text
    assert "Annet fond" in r.text
    r = await client.get(f"/finansiering?funder_id={gw.ids['funder_2']}", headers=HTML)
    assert r.status_code == 200
    assert "Annet fonds utlysning" in r.text


async def test_cluster_grants_page(client: Any, gw: World) -> None:
    from tests.platform.test_views import login

    await login(client, gw, "adviser_a")
    r = await client.get(f"/klynger/{gw.ids['cluster_a']}/tilskudd", headers=HTML)
    assert r.status_code == 200, r.text
    assert "Omsorg A" in r.text
    assert "Fravær B" not in r.text
    r = await client.get(f"/klynger/{gw.ids['cluster_a']}/tilskudd.xlsx", headers=HTML)
    assert r.status_code == 200
    assert r.content[:2] == b"PK"
    r = await client.get(f"/klynger/{gw.ids['cluster_b']}/tilskudd", headers=HTML)
    assert r.status_code in (403, 404)


async def test_xlsx_sheets_and_number_format(client: Any, gw: World) -> None:
    from openpyxl import load_workbook

    r = await client.get(
        f"/api/funders/{gw.ids['funder_1']}/dashboard.xlsx", headers=gw.headers["officer_f1"]
    )
    assert r.status_code == 200
    book = load_workbook(io.BytesIO(r.content))
    assert len(book.sheetnames) == 4
    calls = book.worksheets[0]
    values = {calls.cell(row=i, column=1).value: calls.cell(row=i, column=6) for i in (2, 3)}
    cell = values["Innovasjon i skolen"]
    assert cell.value == 500_000
    assert "kr" in cell.number_format
    grants = book.worksheets[2]
    assert grants.cell(row=2, column=5).value.startswith("/tilskudd/")


async def _dashboard_counts(
    monkeypatch: pytest.MonkeyPatch, client: Any, gw: World
) -> dict[str, int]:
    from tests.platform.test_views import login
    from tests.querycount import count_queries

    paths = {
        "api_funder": (f"/api/funders/{gw.ids['funder_1']}/dashboard", gw.headers["officer_f1"]),
        "api_cluster": (
            f"/api/clusters/{gw.ids['cluster_a']}/grants-dashboard", gw.headers["adviser_a"],
        ),
    }  # fmt: skip
    counts = {}
    for key, (path, headers) in paths.items():
        with count_queries(monkeypatch) as log:
            r = await client.get(path, headers=headers)
        assert r.status_code == 200, r.text
        counts[key] = log.count
    await login(client, gw, "officer_f1")
    with count_queries(monkeypatch) as log:
        r = await client.get("/finansiering", headers=HTML)
    assert r.status_code == 200
    counts["html_funder"] = log.count
    return counts


async def test_query_count_does_not_grow(
    monkeypatch: pytest.MonkeyPatch, client: Any, gw: World
) -> None:
    project = await fx.project(gw, "cluster_a", "Mange søknader")

    async def add(n: int) -> None:
        for i in range(n):
            a = await fx.application(
                gw, gw.ids["call_1"], project, "cluster_a", f"Ekstra {i}", "granted", 10_000_00,
                [("rnd", 5_000_00), ("operations", 5_000_00)], [("own", 2_000_00)],
            )  # fmt: skip
            g = await fx.grant(a, 10_000_00, fx.TODAY)
            await fx.report(g, fx.TODAY + fx.dt.timedelta(days=3))
            await fx.report(g, fx.TODAY - fx.dt.timedelta(days=3), "approved", 1_000_00, {"1": 5})

    await add(3)
    small = await _dashboard_counts(monkeypatch, client, gw)
    await add(9)
    large = await _dashboard_counts(monkeypatch, client, gw)
    assert small == large
    assert small["api_funder"] <= 10
