"""PDSA cycles, measures and run charts of a project, through the API and the HTML pages: who
may read and change them, the phases, the next cycle from a decision, values one by one and
pasted, the run chart's signals, the accessible SVG with its table, and another cluster's 404."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from tests.conftest import World
from tests.platform.test_views import HTML, login, submit, text_of
from tests.priorities.conftest import synthetic_fnr

BASE = "/api/projects/{pid}"


@pytest.fixture
async def pdsa_world(app: Any, world: World) -> World:
    """Cluster A has a project led by a researcher of its research group."""
    from klynge.auth.tables import Account, RoleAssignment
    from klynge.orgs.tables import ResearchGroup
    from projects.tables import Project

    group = await ResearchGroup.insert(
        ResearchGroup(
            name="Skole og samarbeid", institution="UiB", org_number="974760673", sector="uoh"
        )
    ).returning(ResearchGroup.id)
    world.ids["group"] = group[0]["id"]
    row = await Account.insert(
        Account(name="Forsker", email="leader@test.klynge.no", password_hash="x")
    ).returning(Account.id)
    world.accounts["leader"] = row[0]["id"]
    await RoleAssignment.insert(
        RoleAssignment(account=row[0]["id"], role="researcher", research_group=world.ids["group"])
    )
    world.headers["leader"] = {"Authorization": f"Bearer {app.state.codec.issue(row[0]['id'])}"}
    project = await Project.insert(
        Project(
            cluster=world.ids["cluster_a"],
            group=world.ids["group"],
            title="Mindre skolefravær",
            status="running",
            leader=row[0]["id"],
        )
    ).returning(Project.id)
    world.ids["project"] = project[0]["id"]
    return world


def url(world: World, path: str = "") -> str:
    return BASE.format(pid=world.ids["project"]) + path


async def test_cycles_through_the_api(client: Any, pdsa_world: World) -> None:
    w, h = pdsa_world, pdsa_world.headers["leader"]
    measure = await client.post(
        url(w, "/measures"),
        json={"name": "Fravær", "kind": "outcome", "unit": "%", "better": "down", "baseline": 12},
        headers=h,
    )
    assert measure.status_code == 201, measure.text
    mid = measure.json()["id"]
    created = await client.post(
        url(w, "/cycles"),
        json={"change_idea": "Ring hjem dag 1", "prediction": "Fravær ned", "measure_ids": [mid]},
        headers=h,
    )
    assert created.status_code == 201, created.text
    cycle = created.json()
    assert (cycle["number"], cycle["phase"], cycle["measure_ids"]) == (1, "do", [mid])
    cid = cycle["id"]

    done = await client.patch(
        url(w, f"/cycles/{cid}"),
        json={"done_what": "Ringte", "started_on": "2026-01-05", "study": "Ned 2 %"},
        headers=h,
    )
    assert done.json()["phase"] == "study"
    wrong = await client.patch(url(w, f"/cycles/{cid}"), json={"ended_on": "2026-01-01"}, headers=h)
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["field"] == "ended_on"
    refused = await client.post(url(w, f"/cycles/{cid}/next"), headers=h)
    assert refused.status_code == 409
    acted = await client.patch(
        url(w, f"/cycles/{cid}"),
        json={"learned": "Tidlig kontakt", "decision": "adapt", "next_test": "SMS også"},
        headers=h,
    )
    assert acted.json()["phase"] == "done"
    assert acted.json()["may_continue"] is True
    nxt = await client.post(url(w, f"/cycles/{cid}/next"), headers=h)
    assert nxt.status_code == 201, nxt.text
    assert (nxt.json()["number"], nxt.json()["change_idea"]) == (2, "SMS også")
    assert nxt.json()["measure_ids"] == [mid]
    listed = (await client.get(url(w, "/cycles"), headers=w.headers["adviser_a"])).json()
    assert [c["number"] for c in listed] == [1, 2]
    assert [c["may_continue"] for c in listed] == [False, False]
    bad = await client.post(
        url(w, "/cycles"), json={"change_idea": "x", "measure_ids": [999999]}, headers=h
    )
    assert bad.status_code == 422

    from klynge.audit import AuditEvent

    actions = {r["action"] for r in await AuditEvent.select(AuditEvent.action)}
    assert {"pdsa.cycle_created", "pdsa.cycle_updated", "pdsa.cycle_continued"} <= actions


async def test_measures_values_and_run_chart(client: Any, pdsa_world: World) -> None:
    w, h = pdsa_world, pdsa_world.headers["adviser_a"]
    mid = (await client.post(url(w, "/measures"), json={"name": "Oppmøte"}, headers=h)).json()["id"]
    start = dt.date(2026, 1, 5)
    series = [3, 4, 3, 5, 4, 3, 8, 9, 8, 9, 10, 9]
    for i, value in enumerate(series):
        answer = await client.post(
            url(w, f"/measures/{mid}/values"),
            json={"measured_on": (start + dt.timedelta(weeks=i)).isoformat(), "value": value},
            headers=h,
        )
        assert answer.status_code == 201, answer.text
    measures = (await client.get(url(w, "/measures"), headers=h)).json()
    assert len(measures[0]["values"]) == 12
    chart = (await client.get(url(w, f"/measures/{mid}/run-chart"), headers=h)).json()
    assert chart["median"] == 6.5
    shifts = [s for s in chart["signals"] if s["kind"] == "shift"]
    assert [(s["direction"], s["points"], s["improvement"]) for s in shifts] == [
        ("below", [0, 1, 2, 3, 4, 5], False),
        ("above", [6, 7, 8, 9, 10, 11], True),
    ]
    assert chart["runs"] == {
        "useful_observations": 12,
        "runs": 2,
        "lower_limit": 3,
        "upper_limit": 11,
    }
    assert chart["points"][0] == {
        "measured_on": "2026-01-05",
        "value": 3.0,
        "side": "below",
        "signals": ["shift"],
    }
    baseline = await client.get(
        url(w, f"/measures/{mid}/run-chart"), params={"baseline_points": 6}, headers=h
    )
    assert baseline.json()["median"] == 3.5
    nan = await client.post(
        url(w, f"/measures/{mid}/values"),
        json={"measured_on": "2026-01-05", "value": 1e300},
        headers=h,
    )
    assert nan.status_code in (400, 422)
    missing = await client.get(url(w, "/measures/999999/run-chart"), headers=h)
    assert missing.status_code == 404


async def test_who_may_read_and_change(client: Any, pdsa_world: World) -> None:
    w = pdsa_world
    body = {"change_idea": "Test"}
    # A coordinator of a member municipality sees the cluster's project but is not the team.
    assert (
        await client.get(url(w, "/cycles"), headers=w.headers["coordinator_askoy"])
    ).status_code == 200
    refused = await client.post(
        url(w, "/cycles"), json=body, headers=w.headers["coordinator_askoy"]
    )
    assert refused.status_code == 403
    for key in ("adviser_b", "coordinator_trondheim", "nobody"):
        for path in ("/cycles", "/measures", "/measures/1/run-chart"):
            assert (await client.get(url(w, path), headers=w.headers[key])).status_code == 404
        answer = await client.post(url(w, "/cycles"), json=body, headers=w.headers[key])
        assert answer.status_code == 404
    assert (await client.get(url(w, "/cycles"))).status_code == 401
    other = await client.get("/api/projects/999999/cycles", headers=w.headers["admin"])
    assert other.status_code == 404
    guarded = await client.post(
        url(w, "/cycles"),
        json={"change_idea": f"Eleven {synthetic_fnr()} ringte"},
        headers=w.headers["leader"],
    )
    assert guarded.status_code == 422
    assert guarded.json()["errors"][0]["field"] == "change_idea"
    assert synthetic_fnr() not in guarded.text


async def test_the_pdsa_page_and_its_forms(client: Any, pdsa_world: World) -> None:
    w = pdsa_world
    pid = w.ids["project"]
    page = f"/prosjekter/{pid}/pdsa"
    await login(client, w, "adviser_a")
    empty = await client.get(page, headers=HTML)
    assert empty.status_code == 200
    assert "Mindre skolefravær" in text_of(empty)
    created = await submit(
        client,
        page,
        f"/prosjekter/{pid}/pdsa/malinger",
        {"name": "Fravær", "kind": "outcome", "unit": "%", "better": "down", "baseline": "12,5"},
    )
    assert created.status_code == 303
    assert created.headers["location"].startswith(
        f"/prosjekter/{pid}?notice=projects.pdsa-measure-created"
    )
    cycle = await submit(
        client,
        page,
        f"/prosjekter/{pid}/pdsa/sykluser",
        {"change_idea": "Ring hjem", "prediction": "Ned 20 %", "title": "Telefon"},
    )
    assert cycle.status_code == 303
    api = (await client.get(url(w, "/cycles"), headers=w.headers["adviser_a"])).json()
    cid = api[0]["id"]
    mid = (await client.get(url(w, "/measures"), headers=w.headers["adviser_a"])).json()[0]["id"]
    failed = await submit(
        client,
        page,
        f"/prosjekter/{pid}/pdsa/sykluser/{cid}/do",
        {"done_what": "Ringte", "started_on": "2026-02-01", "ended_on": "2026-01-01"},
    )
    assert failed.status_code == 422
    assert "Sluttdatoen kan ikke være før startdatoen." in text_of(failed)
    ok = await submit(
        client,
        page,
        f"/prosjekter/{pid}/pdsa/sykluser/{cid}/do",
        {"done_what": "Ringte", "started_on": "2026-01-12", "ended_on": ""},
    )
    assert ok.status_code == 303
    assert ok.headers["location"].endswith(f"#pdsa-syklus-{cid}")
    lines = "\n".join(
        f"{(dt.date(2026, 1, 5) + dt.timedelta(weeks=i)).isoformat()};{v}"
        for i, v in enumerate([14, 13, 14, 15, 13, 14, 9, 8, 9, 8, 7, 8])
    )
    pasted = await submit(
        client, page, f"/prosjekter/{pid}/pdsa/malinger/{mid}/lim-inn", {"lines": lines}
    )
    assert pasted.status_code == 303
    bad_paste = await submit(
        client, page, f"/prosjekter/{pid}/pdsa/malinger/{mid}/lim-inn", {"lines": "i går;x"}
    )
    assert bad_paste.status_code == 422
    assert "Linje 1" in text_of(bad_paste)
    one = await submit(
        client,
        page,
        f"/prosjekter/{pid}/pdsa/malinger/{mid}/verdier",
        {"measured_on": "2026-03-30", "value": "7,5", "note": "Etter påske"},
    )
    assert one.status_code == 303
    act = await submit(
        client,
        page,
        f"/prosjekter/{pid}/pdsa/sykluser/{cid}/act",
        {"decision": "adopt", "next_test": "Også SMS"},
    )
    assert act.status_code == 303
    nxt = await submit(client, page, f"/prosjekter/{pid}/pdsa/sykluser/{cid}/neste", {})
    assert nxt.status_code == 303

    shown = await client.get(page, headers=HTML)
    body = text_of(shown)
    assert shown.status_code == 200
    assert re.search(
        r'<svg role="img" aria-labelledby="pdsa-chart-\d+-title pdsa-chart-\d+-desc"', shown.text
    )
    assert "<title id=" in shown.text
    assert "<desc id=" in shown.text
    assert "Skift: 6 punkter på rad over medianen" in body
    assert "PDSA 1" in body  # the cycle's start drawn on the chart
    assert "<rect" in shown.text  # shift points are squares
    assert "<caption" in shown.text
    assert 'scope="col"' in shown.text
    assert "Etter påske" in body
    assert body.count('id="pdsa-syklus-') == 2


async def test_pages_for_those_outside(client: Any, pdsa_world: World) -> None:
    w = pdsa_world
    pid = w.ids["project"]
    await login(client, w, "adviser_b")
    assert (await client.get(f"/prosjekter/{pid}/pdsa", headers=HTML)).status_code == 404
    await login(client, w, "coordinator_askoy")
    page = await client.get(f"/prosjekter/{pid}/pdsa", headers=HTML)
    assert page.status_code == 200
    assert "/pdsa/sykluser" not in page.text  # no forms for those who may not edit
    refused = await submit(
        client, f"/prosjekter/{pid}/pdsa", f"/prosjekter/{pid}/pdsa/sykluser", {"change_idea": "x"}
    )
    assert refused.status_code == 403


async def test_the_section_for_the_project_page(pdsa_world: World) -> None:
    from klynge.auth.service import load_principal
    from projects.workspace import pdsa
    from projects.workspace.loading import load_access

    actor = await load_principal(pdsa_world.accounts["adviser_a"])
    access = await load_access(actor, pdsa_world.ids["project"])
    section = await pdsa.section(actor, access)
    assert section.template == "projects/workspace/_pdsa.html"
    assert section.context["visible"] is True
    assert section.context["may_edit"] is True


async def test_ids_of_another_project_are_not_found(client: Any, pdsa_world: World) -> None:
    from projects.tables import Project

    w = pdsa_world
    other = await Project.insert(
        Project(cluster=w.ids["cluster_b"], group=w.ids["group"], title="Midt", status="running")
    ).returning(Project.id)
    other_url = f"/api/projects/{other[0]['id']}"
    hb = w.headers["adviser_b"]
    mid = (
        await client.post(url(w, "/measures"), json={"name": "A"}, headers=w.headers["leader"])
    ).json()["id"]
    cid = (await client.post(url(w, "/cycles"), json={}, headers=w.headers["leader"])).json()["id"]
    value = {"measured_on": "2026-01-05", "value": 1}
    assert (
        await client.post(f"{other_url}/measures/{mid}/values", json=value, headers=hb)
    ).status_code == 404
    assert (
        await client.get(f"{other_url}/measures/{mid}/run-chart", headers=hb)
    ).status_code == 404
    assert (
        await client.patch(f"{other_url}/cycles/{cid}", json={"study": "x"}, headers=hb)
    ).status_code == 404
    assert (await client.post(f"{other_url}/cycles/{cid}/next", headers=hb)).status_code == 404
    taken = await client.post(f"{other_url}/cycles", json={"measure_ids": [mid]}, headers=hb)
    assert taken.status_code == 422
    await login(client, w, "adviser_b")
    pid = w.ids["project"]
    answer = await submit(
        client,
        f"/prosjekter/{other[0]['id']}/pdsa",
        f"/prosjekter/{pid}/pdsa/sykluser",
        {"change_idea": "x"},
    )
    assert answer.status_code == 404


async def test_demo_cycles_show_a_shift(client: Any, pdsa_world: World) -> None:
    from projects.workspace.pdsa_demo import seed_pdsa

    w = pdsa_world
    await seed_pdsa(w.ids["project"])
    await seed_pdsa(w.ids["project"])  # idempotent
    h = w.headers["adviser_a"]
    cycles = (await client.get(url(w, "/cycles"), headers=h)).json()
    assert [(c["number"], c["phase"]) for c in cycles] == [(1, "done"), (2, "study")]
    mid = (await client.get(url(w, "/measures"), headers=h)).json()[0]["id"]
    chart = (await client.get(url(w, f"/measures/{mid}/run-chart"), headers=h)).json()
    assert {(s["kind"], s["direction"], s["improvement"]) for s in chart["signals"]} >= {
        ("shift", "below", True)
    }
