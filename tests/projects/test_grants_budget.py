"""The budget rules (pure, with properties) and the budget as xlsx: the template with the
current lines and a category dropdown, the round trip, and uploads that change nothing unless
the whole file is valid (errors addressed to cells; a wrong file or sheet said so)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from projects.grants.budget_rules import (
    BudgetRow,
    FinancingRow,
    allowed_years,
    check_line,
    totals,
)
from projects.grants.conditions import CATEGORIES, SOURCES
from projects.grants.money import format_nok, parse_nok
from tests.projects.grants_applications_fixtures import BUDGET_14, TODAY, ga, start

__all__ = ["ga"]
YEARS = allowed_years(dt.date(2026, 1, 1), dt.date(2027, 12, 31), dt.date(2026, 5, 1))


def test_years_are_the_period_plus_minus_one() -> None:
    assert list(YEARS) == [2025, 2026, 2027, 2028]
    assert allowed_years(None, None, dt.date(2026, 5, 1))[0] == 2025


def test_a_line_checks_year_category_fte_and_amount() -> None:
    row, problems = check_line(2026, "new_position", "Koordinator", 50, "450 000", YEARS)
    assert problems == []
    assert row == BudgetRow(2026, "new_position", "Koordinator", 50, 45_000_000)
    _, problems = check_line(2030, "rnd", "", None, "1 000", YEARS)
    assert [p.field for p in problems] == ["year"]
    _, problems = check_line(2026, "travel", "", 30, "1 000", YEARS)
    assert [p.field for p in problems] == ["fte_percent"]
    _, problems = check_line(2026, "existing_position", "", 0, "1 000", YEARS)
    assert [p.field for p in problems] == ["fte_percent"]
    _, problems = check_line(2026, "cakes", "", None, "-5", YEARS)
    assert [p.field for p in problems] == ["category", "amount"]


lines = st.lists(
    st.builds(
        BudgetRow,
        st.sampled_from(list(YEARS)),
        st.sampled_from(CATEGORIES),
        st.just(""),
        st.none(),
        st.integers(0, 10**11),
    ),
    max_size=30,
)
money = st.lists(
    st.builds(FinancingRow, st.sampled_from(SOURCES), st.just(""), st.integers(0, 10**11)),
    max_size=10,
)


@given(lines, money)
def test_totals_add_up_every_way(budget: list[BudgetRow], financing: list[FinancingRow]) -> None:
    t = totals(budget, financing)
    assert t.total_ore == sum(b.amount_ore for b in budget)
    assert sum(t.by_year.values()) == t.total_ore
    assert sum(t.by_category.values()) == t.total_ore
    assert sum(t.grid.values()) == t.total_ore
    assert t.requested_ore == sum(f.amount_ore for f in financing if f.source == "this_funder")
    assert t.gap_ore == t.total_ore - t.financing_ore


@given(st.integers(0, 10**13))
def test_displayed_nok_parses_back_to_the_same_ore(ore: int) -> None:
    assert parse_nok(format_nok(ore)) == ore


# --- the xlsx template through the API ---------------------------------------------------------


def url(app_id: int) -> str:
    return f"/api/applications/{app_id}/budget.xlsx"


async def _with_budget(client: Any, w: Any) -> int:
    app_id = (await start(client, w))["id"]
    response = await client.put(
        f"/api/applications/{app_id}/budget", json={"lines": BUDGET_14}, headers=w.headers["leader"]
    )
    assert response.status_code == 200
    return int(app_id)


async def _upload(client: Any, w: Any, app_id: int, content: bytes, name: str = "b.xlsx") -> Any:
    files = {"file": (name, content, "application/octet-stream")}
    return await client.post(url(app_id), files=files, headers=w.headers["leader"])


async def _budget(client: Any, w: Any, app_id: int) -> list[dict[str, Any]]:
    response = await client.get(f"/api/applications/{app_id}", headers=w.headers["leader"])
    return list(response.json()["budget"])


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


async def test_the_template_holds_the_lines_and_a_category_dropdown(client, ga) -> None:
    app_id = await _with_budget(client, ga)
    response = await client.get(url(app_id), headers=ga.headers["leader"])
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook["Budsjett"]
    assert [c.value for c in sheet[1]][:2] == ["År", "Kategori"]
    assert sheet["A2"].value == TODAY.year
    assert sheet["B2"].value == "Nye stillinger"
    assert sheet["D2"].value == 50
    assert sheet["E2"].value == 600000
    kinds = {v.type for v in sheet.data_validations.dataValidation}
    assert "list" in kinds
    assert workbook["Lister"].sheet_state == "hidden"


async def test_round_trip_replaces_the_budget(client, ga) -> None:
    app_id = await _with_budget(client, ga)
    content = (await client.get(url(app_id), headers=ga.headers["leader"])).content
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook["Budsjett"]
    sheet["E3"] = "300 000"
    sheet.append([TODAY.year + 1, "Reiser", "Samlinger", None, 12500.5])
    response = await _upload(client, ga, app_id, _save(workbook))
    assert response.status_code == 200, response.text
    budget = response.json()["budget"]
    assert [b["amount_ore"] for b in budget] == [60_000_000, 30_000_000, 26_000_000, 1_250_050]
    assert {b["category"] for b in budget} == {"new_position", "rnd", "travel", "operations"}


async def test_a_bad_cell_is_addressed_and_nothing_changes(client, ga) -> None:
    app_id = await _with_budget(client, ga)
    before = await _budget(client, ga, app_id)
    content = (await client.get(url(app_id), headers=ga.headers["leader"])).content
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook["Budsjett"]
    sheet["E3"] = "mange penger"
    sheet["B4"] = "Kaker"
    sheet["E2"] = 1
    response = await _upload(client, ga, app_id, _save(workbook))
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [(e["field"], e["row"]) for e in errors] == [("Budsjett!E3", 3), ("Budsjett!B4", 4)]
    assert await _budget(client, ga, app_id) == before


async def test_a_wrong_file_or_sheet_is_said_so(client, ga) -> None:
    app_id = await _with_budget(client, ga)
    before = await _budget(client, ga, app_id)
    not_xlsx = await _upload(client, ga, app_id, b"year;amount\n2026;1\n", "b.csv")
    assert not_xlsx.status_code == 422
    assert "Excel" in not_xlsx.json()["detail"]
    workbook = Workbook()
    workbook.active.title = "Ark1"
    workbook.active.append(["År", "Kategori", "Beløp"])
    wrong_sheet = await _upload(client, ga, app_id, _save(workbook))
    assert wrong_sheet.status_code == 422
    assert "Budsjett" in wrong_sheet.json()["detail"]
    workbook.active.title = "Budsjett"
    workbook.active.delete_rows(1)
    workbook.active.append(["Navn", "Sum"])
    wrong_headers = await _upload(client, ga, app_id, _save(workbook))
    assert wrong_headers.status_code == 422
    assert await _budget(client, ga, app_id) == before


async def test_only_the_team_uploads(client, ga) -> None:
    app_id = await _with_budget(client, ga)
    content = (await client.get(url(app_id), headers=ga.headers["leader"])).content
    files = {"file": ("b.xlsx", content, "application/octet-stream")}
    other = await client.post(url(app_id), files=files, headers=ga.headers["adviser_b"])
    assert other.status_code == 404


async def test_the_upload_form_names_the_cells_on_the_page(client, ga) -> None:
    from tests.platform.test_views import HTML, csrf_token, login, text_of

    app_id = await _with_budget(client, ga)
    content = (await client.get(url(app_id), headers=ga.headers["leader"])).content
    workbook = load_workbook(io.BytesIO(content))
    workbook["Budsjett"]["E3"] = "mange penger"
    await login(client, ga, "leader")
    page = f"/soknader/{app_id}"
    token = await csrf_token(client, page)
    response = await client.post(
        f"{page}/budsjett.xlsx",
        data={"_csrf_token": token},
        files={"file": ("b.xlsx", _save(workbook), "application/octet-stream")},
        headers=HTML,
        follow_redirects=False,
    )
    assert response.status_code == 422
    assert "E3: Skriv beløpet i kroner" in text_of(response)
