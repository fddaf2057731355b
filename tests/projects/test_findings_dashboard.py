"""The return-rate dashboard agrees with the records, per role: an adviser sees their cluster,
a funder officer the projects of its grants, a coordinator their municipality's rows, another
cluster nothing of cluster A; the xlsx has the same numbers; the public figures are aggregates
only; and the API runs the same number of queries for 2 and 8 deliveries."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest

from tests.conftest import World
from tests.projects.findings_fixtures import fworld, needs_world  # noqa: F401
from tests.projects.test_findings_report import BERGEN_SAYS, seed_findings
from tests.querycount import count_queries

URL = "/api/findings/return-rates"
# Cluster A as seeded (seed_findings): 2 published outcomes, 7 deliveries; read (or answered)
# 5, answered 4 (will use: 2 yes, 1 partly), overdue 2 (Øygarden unread at 20 days, the
# asking service escalated at 50); days to acknowledgement 7, 2, 7, 2, 2 → median 2.
CLUSTER_A = {
    "outcomes": 2,
    "deliveries": 7,
    "acknowledged": 5,
    "answered": 4,
    "will_use_yes": 2,
    "will_use_partly": 1,
    "overdue": 2,
    "median_days": 2.0,
    "answered_percent": 57,
}
OYGARDEN = {
    "outcomes": 2,
    "deliveries": 2,
    "acknowledged": 1,
    "answered": 1,
    "will_use_yes": 1,
    "will_use_partly": 0,
    "overdue": 1,
    "median_days": 2.0,
    "answered_percent": 50,
}


def by_name(groups: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {g["name"]: g["figures"] for g in groups}


async def test_adviser_sees_their_cluster_in_agreement_with_the_records(
    client: Any,
    fworld: World,  # noqa: F811
) -> None:
    w = fworld
    await seed_findings(w)
    response = await client.get(URL, headers=w.headers["adviser_a"])
    assert response.status_code == 200, response.text
    d = response.json()
    assert d["total"] == CLUSTER_A
    assert [g["id"] for g in d["clusters"]] == [w.ids["cluster_a"]]
    assert by_name(d["projects"]) == {"Fråværsteam i skulen": CLUSTER_A}
    municipalities = by_name(d["municipalities"])
    assert sorted(municipalities) == ["Askøy", "Bergen", "Øygarden"]
    assert municipalities["Øygarden"] == OYGARDEN
    assert municipalities["Bergen"]["answered"] == 2
    assert municipalities["Askøy"]["acknowledged"] == 1
    filtered = await client.get(
        f"{URL}?municipality_id={w.ids['oygarden']}", headers=w.headers["adviser_a"]
    )
    assert filtered.json()["total"] == OYGARDEN


async def test_scope_per_role(client: Any, fworld: World) -> None:  # noqa: F811
    from projects.findings.tables import Delivery, Outcome
    from projects.tables import Project

    w = fworld
    await seed_findings(w)
    row = await Project.insert(
        Project(cluster=w.ids["cluster_a"], group=w.ids["group_f"], title="Uten tilskudd")
    ).returning(Project.id)
    other = row[0]["id"]
    o = await Outcome.insert(
        Outcome(
            project=other, cluster=w.ids["cluster_a"], kind="tool", title="V", status="published"
        )
    ).returning(Outcome.id)
    await Delivery.insert(
        Delivery(
            key="x",
            outcome=o[0]["id"],
            project=other,
            cluster=w.ids["cluster_a"],
            kind="participant",
            municipality=w.ids["bergen"],
        )
    )

    async def get(who: str) -> dict[str, Any]:
        response = await client.get(URL, headers=w.headers[who])
        assert response.status_code == 200, response.text
        return dict(response.json())

    adviser = await get("adviser_a")
    assert sorted(by_name(adviser["projects"])) == ["Fråværsteam i skulen", "Uten tilskudd"]
    assert adviser["total"]["deliveries"] == 8
    funder = await get("officer_f")  # p_f is funded, the other project is not
    assert by_name(funder["projects"]) == {"Fråværsteam i skulen": CLUSTER_A}
    coordinator = await get("coordinator_oygarden")
    assert coordinator["total"] == OYGARDEN
    assert [g["name"] for g in coordinator["municipalities"]] == ["Øygarden"]
    other_cluster = await get("adviser_b")
    assert [g["name"] for g in other_cluster["projects"]] == ["Nordlys"]
    assert other_cluster["total"]["deliveries"] == 1
    assert (await get("coordinator_trondheim"))["total"]["deliveries"] == 0
    nobody = await get("nobody")
    assert (nobody["total"]["deliveries"], nobody["projects"]) == (0, [])
    admin = await get("admin")
    assert admin["total"]["deliveries"] == 9
    assert admin["total"]["outcomes"] == 4


async def test_xlsx_and_page_have_the_same_numbers(client: Any, fworld: World) -> None:  # noqa: F811
    from openpyxl import load_workbook

    from tests.platform.test_views import login

    w = fworld
    await seed_findings(w)
    await login(client, w, "adviser_a")
    response = await client.get("/tilbakeforing.xlsx")
    assert response.status_code == 200, response.text
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Klynger", "Prosjekter", "Kommuner"]
    rows = list(book["Prosjekter"].iter_rows(values_only=True))
    assert rows[0][:3] == ("Prosjekt", "Publiserte resultater", "Leveranser")
    assert rows[1] == ("Fråværsteam i skulen", 2, 7, 5, 4, 2, 1, 2.0, 2)
    kommuner = {r[0]: r for r in book["Kommuner"].iter_rows(min_row=2, values_only=True)}
    assert kommuner["Øygarden"] == ("Øygarden", 2, 2, 1, 1, 1, 0, 2.0, 1)
    page = await client.get(f"/tilbakeforing?project_id={w.ids['p_f']}")
    assert page.status_code == 200, page.text
    assert "<td>4 (57 %)</td>" in page.text
    assert f'href="/tilbakeforing.xlsx?project_id={w.ids["p_f"]}"' in page.text


async def test_public_figures_are_aggregates_only(client: Any, fworld: World) -> None:  # noqa: F811
    w = fworld
    await seed_findings(w)
    response = await client.get("/api/public/findings/return-rates")
    assert response.status_code == 200, response.text
    clusters = response.json()["clusters"]
    assert {g["id"]: g["figures"]["deliveries"] for g in clusters} == {
        w.ids["cluster_a"]: 7,
        w.ids["cluster_b"]: 1,
    }
    assert next(g for g in clusters if g["id"] == w.ids["cluster_a"])["figures"] == CLUSTER_A
    assert all(sorted(g) == ["figures", "id", "name"] for g in clusters)
    page = await client.get("/kunnskap/tilbakeforing")
    assert page.status_code == 200, page.text
    for secret in (BERGEN_SAYS, "Fråværsteam i skulen", "Øygarden", "Bergen"):
        assert secret not in response.text
        assert secret not in page.text


async def _deliveries(w: World, n: int) -> None:
    from projects.findings.tables import Delivery, Outcome

    o = await Outcome.insert(
        Outcome(
            project=w.ids["p_f"],
            cluster=w.ids["cluster_a"],
            kind="finding",
            title="F",
            status="published",
        )
    ).returning(Outcome.id)
    munis = [w.ids["bergen"], w.ids["askoy"], w.ids["oygarden"], None]
    await Delivery.insert(
        *[
            Delivery(
                key=f"q{i}",
                outcome=o[0]["id"],
                project=w.ids["p_f"],
                cluster=w.ids["cluster_a"],
                kind="added",
                municipality=munis[i % 4],
                created_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=i),
                read_at=dt.datetime.now(dt.UTC) if i % 2 else None,
            )
            for i in range(n)
        ]
    )


@pytest.mark.parametrize("n", [2, 8])
async def test_return_rates_queries_do_not_grow_with_deliveries(
    client: Any,
    fworld: World,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    n: int,
) -> None:
    w = fworld
    await _deliveries(w, n)
    with count_queries(monkeypatch) as log:
        response = await client.get(URL, headers=w.headers["adviser_a"])
    assert response.status_code == 200, response.text
    assert response.json()["total"]["deliveries"] == n
    # principal (account, roles), session, and the figures with their names aggregated in one
    # statement: the same for 2 and 8 deliveries
    assert log.count == 4, log.statements
