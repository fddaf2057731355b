"""Projects core: who sees which projects (the SQL list equals the pure rule), the list with
filters, paging and xlsx, the project page and its public summary, editing the overview
(registrations, publishing through the privacy guard), the DOCX description, the need page's
section and project creation from a proposal."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from projects.workspace.description_md import Description, description_markdown, md_escape
from projects.workspace.overview_rules import (
    clean_keywords,
    clean_registrations,
    registration_errors,
)
from tests.conftest import World
from tests.priorities.conftest import needs_world, synthetic_fnr

__all__ = ["needs_world"]
from tests.platform.test_views import HTML, login, submit

# --- pure rules ---------------------------------------------------------------------------------


def test_registrations_are_checked() -> None:
    assert registration_errors({"clinicaltrials": "NCT01234567", "cristin": "2654321"}) == []
    assert registration_errors({"clinicaltrials": "", "cristin": "", "nva": ""}) == []
    bad = registration_errors({"clinicaltrials": "NCT123", "cristin": "12a", "nva": "a b"})
    assert [e.field for e in bad] == [
        "registrations.clinicaltrials",
        "registrations.cristin",
        "registrations.nva",
    ]
    assert clean_registrations({"clinicaltrials": " nct01234567 ", "nva": ""}) == {
        "clinicaltrials": "NCT01234567"
    }


def test_keywords_are_trimmed_and_unique() -> None:
    assert clean_keywords([" skole ", "Skole", "", "barne  vern"]) == ["skole", "barne vern"]


@given(st.text(max_size=80))
def test_escaped_text_has_no_markdown_syntax_left(text: str) -> None:
    escaped = md_escape(text)
    for char in "*_#[]|`<>":
        assert char not in escaped.replace("\\" + char, "")


def test_description_markdown_translates_headings() -> None:
    d = Description(title="Fravær *og* skole", status="Planlagt", group="Skole og samarbeid")
    md = description_markdown(d, lambda m: {"Popular summary": "Populærvitskapleg"}.get(m, m))
    assert md.startswith("# Fravær \\*og\\* skole")
    assert "## Populærvitskapleg" in md
    assert "Not given\\." in md


# --- a small world of projects ------------------------------------------------------------------


async def _account(app: Any, w: World, key: str, role: str | None = None, **org: int) -> int:
    from klynge.auth.passwords import hash_password
    from klynge.auth.tables import Account, RoleAssignment

    row = await Account.insert(
        Account(name=key, email=f"{key}@test.klynge.no", password_hash=hash_password(w.password))
    ).returning(Account.id)
    w.accounts[key] = row[0]["id"]
    if role:
        await RoleAssignment.insert(RoleAssignment(account=row[0]["id"], role=role, **org))
    w.headers[key] = {"Authorization": f"Bearer {app.state.codec.issue(row[0]['id'])}"}
    return row[0]["id"]


async def _project(w: World, key: str, cluster: str, group: str, **values: Any) -> int:
    from projects.tables import Project

    row = await Project.insert(
        Project(
            cluster=w.ids[cluster], group=w.ids[group], title=values.pop("title", key), **values
        )
    ).returning(Project.id)
    w.ids[key] = row[0]["id"]
    return row[0]["id"]


@pytest.fixture
async def pw(app: Any, needs_world: World) -> World:
    """Cluster A: p_school (group school, Askøy takes part, its barnevern service too, leader
    researcher_school, public), p_sea (group sea, running); cluster B: p_north (group north)."""
    from klynge.orgs.tables import ResearchGroup
    from projects.workspace.tables import Participant

    w = needs_world
    for key, name in (("school", "Skole og samarbeid"), ("sea", "Havforskning"), ("north", "Nord")):
        row = await ResearchGroup.insert(
            ResearchGroup(name=name, institution="UiB", org_number="974760673", sector="uoh")
        ).returning(ResearchGroup.id)
        w.ids[f"group_{key}"] = row[0]["id"]
    await _account(app, w, "researcher_school", "researcher", research_group=w.ids["group_school"])
    await _account(app, w, "researcher_sea", "researcher", research_group=w.ids["group_sea"])
    await _account(app, w, "researcher_north", "researcher", research_group=w.ids["group_north"])
    await _account(app, w, "youth", None)
    await _project(
        w,
        "p_school",
        "cluster_a",
        "group_school",
        title="Fravær i skolen",
        leader=w.accounts["researcher_school"],
        status="planned",
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2027, 12, 31),
        service_areas=["skole", "barnevern"],
        municipality_ids=[w.ids["bergen"]],
        keywords=["skolefravær"],
        summary_popular="Vi prøver ut tettere samarbeid.",
        summary_en="We test closer cooperation.",
        is_public=True,
    )
    await _project(w, "p_sea", "cluster_a", "group_sea", title="Fjordprosjekt", status="running")
    await _project(w, "p_north", "cluster_b", "group_north", title="Nordlys", status="planned")
    await Participant.insert(
        Participant(project=w.ids["p_school"], kind="municipality", municipality=w.ids["askoy"]),
        Participant(project=w.ids["p_school"], kind="service", service=w.ids["askoy_barnevern"]),
        Participant(
            project=w.ids["p_sea"], kind="user_representative", account=w.accounts["youth"]
        ),
        # Left the project: no longer counts.
        Participant(
            project=w.ids["p_north"], kind="research_group", group=w.ids["group_sea"], status="left"
        ),
    )
    return w


ROLES = (
    "admin",
    "adviser_a",
    "adviser_b",
    "coordinator_askoy",
    "coordinator_alver",
    "coordinator_trondheim",
    "leader_askoy",
    "nobody",
    "researcher_school",
    "researcher_sea",
    "researcher_north",
    "youth",
)


async def _ids(client: Any, w: World, key: str, query: str = "") -> set[int]:
    response = await client.get(f"/api/projects{query}", headers=w.headers[key])
    assert response.status_code == 200, response.text
    return {p["id"] for p in response.json()}


async def test_the_sql_list_equals_the_pure_rule_for_every_role(client: Any, pw: World) -> None:
    from klynge.auth.service import load_principal
    from projects.workspace.access import decide
    from projects.workspace.loading import load_facts

    facts = [await load_facts(pw.ids[k]) for k in ("p_school", "p_sea", "p_north")]
    seen_by: dict[str, set[int]] = {}
    for key in ROLES:
        actor = await load_principal(pw.accounts[key])
        admitted = {f.project_id for f in facts if f and decide(actor, f).see}
        listed = await _ids(client, pw, key)
        assert listed == admitted, key
        seen_by[key] = listed
    # The expected shape, spelled out.
    school, sea, north = pw.ids["p_school"], pw.ids["p_sea"], pw.ids["p_north"]
    assert seen_by["admin"] == {school, sea, north}
    assert seen_by["adviser_a"] == {school, sea}
    assert seen_by["adviser_b"] == {north}
    assert seen_by["coordinator_askoy"] == {school, sea}
    assert seen_by["coordinator_trondheim"] == {north}
    assert seen_by["leader_askoy"] == {school}  # through the participating service
    assert seen_by["researcher_school"] == {school}
    assert seen_by["researcher_sea"] == {sea}  # p_north's row says "left"
    assert seen_by["youth"] == {sea}  # a named participant
    assert seen_by["nobody"] == set()


async def test_list_filters_search_and_paging(client: Any, pw: World) -> None:
    school, sea = pw.ids["p_school"], pw.ids["p_sea"]
    assert await _ids(client, pw, "adviser_a", "?status=running") == {sea}
    assert await _ids(client, pw, "adviser_a", "?q=FRAVÆR") == {school}
    assert await _ids(client, pw, "adviser_a", "?q=fjord") == {sea}
    assert await _ids(client, pw, "adviser_a", "?service_area=barnevern") == {school}
    assert await _ids(client, pw, "adviser_a", f"?municipality_id={pw.ids['askoy']}") == {school}
    assert await _ids(client, pw, "adviser_a", f"?municipality_id={pw.ids['bergen']}") == {school}
    assert await _ids(client, pw, "adviser_a", f"?group_id={pw.ids['group_sea']}") == {sea}
    assert await _ids(client, pw, "adviser_a", f"?cluster_id={pw.ids['cluster_b']}") == set()
    assert await _ids(client, pw, "adviser_a", "?limit=1&offset=1") == {school}
    bad = await client.get("/api/projects?status=dreaming", headers=pw.headers["adviser_a"])
    assert bad.status_code == 400
    bad = await client.get("/api/projects?service_area=space", headers=pw.headers["adviser_a"])
    assert bad.status_code == 400
    assert (await client.get("/api/projects")).status_code == 401
    item = (await client.get("/api/projects?q=fjord", headers=pw.headers["adviser_a"])).json()[0]
    assert item["status_label"] == "Ongoing"
    assert item["group_name"] == "Havforskning"


async def test_list_page_and_xlsx(client: Any, pw: World) -> None:
    from openpyxl import load_workbook

    await login(client, pw, "adviser_a")
    page = await client.get("/prosjekter?status=planned", headers=HTML)
    assert page.status_code == 200
    assert "Fravær i skolen" in page.text
    assert "Fjordprosjekt" not in page.text
    assert "Planlagt" in page.text
    assert "Nordlys" not in page.text
    assert 'href="/prosjekter.xlsx?status=planned"' in page.text
    sheet = await client.get("/prosjekter.xlsx?status=planned", headers=HTML)
    assert sheet.status_code == 200
    rows = list(load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("Tittel", "Status", "Forskergruppe")
    assert [r[0] for r in rows[1:]] == ["Fravær i skolen"]
    assert rows[1][3] == "Askøy, Bergen" or set(rows[1][3].split(", ")) == {"Askøy", "Bergen"}


async def test_project_page_and_its_public_summary(client: Any, pw: World) -> None:
    school, sea = pw.ids["p_school"], pw.ids["p_sea"]
    await login(client, pw, "coordinator_askoy")
    page = await client.get(f"/prosjekter/{school}", headers=HTML)
    assert page.status_code == 200, page.text
    for text in ("Fravær i skolen", "Skole og samarbeid", "researcher_school", "1. jan. 2026"):
        assert text in page.text
    assert 'href="#oversikt"' in page.text
    assert "Skole" in page.text
    # Not on the team: no edit button.
    assert f"/prosjekter/{school}/rediger" not in page.text
    client.cookies.clear()
    public = await client.get(f"/prosjekter/{school}", headers=HTML)
    assert public.status_code == 200
    assert "We test closer cooperation." in public.text
    assert "researcher_school" not in public.text  # no leader on the public page
    assert (await client.get(f"/prosjekter/{sea}", headers=HTML)).status_code == 404
    api = await client.get(f"/api/projects/{school}")
    assert api.json()["view"] == "public"
    assert "leader" not in api.json()
    assert (await client.get(f"/api/projects/{sea}")).status_code == 404
    # Another cluster: the public summary of a public project, 404 for the rest.
    other = pw.headers["adviser_b"]
    assert (await client.get(f"/api/projects/{school}", headers=other)).json()["view"] == "public"
    assert (await client.get(f"/api/projects/{sea}", headers=other)).status_code == 404
    full = (await client.get(f"/api/projects/{school}", headers=pw.headers["adviser_a"])).json()
    assert full["view"] == "full"
    assert full["leader"]["name"] == "researcher_school"
    assert full["may_manage"] is True


async def test_other_cluster_gets_404_on_every_route(client: Any, pw: World) -> None:
    sea = pw.ids["p_sea"]
    other = pw.headers["adviser_b"]
    assert (await client.get(f"/api/projects/{sea}", headers=other)).status_code == 404
    patched = await client.patch(f"/api/projects/{sea}", json={"title": "X"}, headers=other)
    assert patched.status_code == 404
    docx = await client.get(f"/api/projects/{sea}/description.docx", headers=other)
    assert docx.status_code == 404
    await login(client, pw, "adviser_b")
    for path in (
        f"/prosjekter/{sea}",
        f"/prosjekter/{sea}/rediger",
        f"/prosjekter/{sea}/beskrivelse.docx",
    ):
        assert (await client.get(path, headers=HTML)).status_code == 404, path


async def test_patch_overview_validates_audits_and_guards_publishing(
    client: Any, pw: World
) -> None:
    from klynge.audit import AuditEvent

    sea = pw.ids["p_sea"]
    url = f"/api/projects/{sea}"
    team = pw.headers["researcher_sea"]
    bad = await client.patch(url, json={"registrations": {"clinicaltrials": "NCT1"}}, headers=team)
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "registrations.clinicaltrials"
    ok = await client.patch(
        url,
        json={
            "summary_popular": "Vi tester nye rutinar.",
            "summary_language": "nn",
            "keywords": ["fjord", "Fjord", "skule"],
            "registrations": {"clinicaltrials": "nct01234567", "cristin": "123"},
            "service_areas": ["skole"],
        },
        headers=team,
    )
    assert ok.status_code == 200, ok.text
    assert ok.json()["keywords"] == ["fjord", "skule"]
    assert ok.json()["registrations"] == {"cristin": "123", "clinicaltrials": "NCT01234567"}
    # Publishing is the leader's or adviser's; a coordinator is not on the team at all.
    refused = await client.patch(url, json={"is_public": True}, headers=team)
    assert refused.status_code == 403
    coordinator = await client.patch(
        url, json={"title": "Y"}, headers=pw.headers["coordinator_askoy"]
    )
    assert coordinator.status_code == 403
    adviser = pw.headers["adviser_a"]
    await client.patch(url, json={"summary_en": "Call me on 912 34 567."}, headers=team)
    warned = await client.patch(url, json={"is_public": True}, headers=adviser)
    assert warned.status_code == 409
    assert warned.json()["errors"][0]["field"] == "summary_en"
    confirmed = await client.patch(
        url, json={"is_public": True, "confirm_warnings": True}, headers=adviser
    )
    assert confirmed.status_code == 200
    assert confirmed.json()["is_public"] is True
    refused = await client.patch(url, json={"summary_en": "Ring 912 34 567"}, headers=team)
    assert refused.status_code == 409  # text of a public project: only a manager confirms
    national_id = await client.patch(
        url, json={"summary_en": f"id {synthetic_fnr()}"}, headers=team
    )
    assert national_id.status_code == 422
    events = await AuditEvent.select().where(AuditEvent.object_type == "project")
    assert len(events) == 3  # the edit, the warned text (not yet public), publishing
    assert any(e["after"] and "is_public" in str(e["after"]) for e in events)


async def test_edit_form_saves_and_shows_errors_beside_fields(client: Any, pw: World) -> None:
    school = pw.ids["p_school"]
    await login(client, pw, "researcher_school")
    form = await client.get(f"/prosjekter/{school}/rediger", headers=HTML)
    assert form.status_code == 200
    assert 'id="project-is_public"' in form.text  # the leader may publish
    page = f"/prosjekter/{school}/rediger"
    data = {
        "title": "Fravær i skolen",
        "summary_popular": "Nytt samandrag.",
        "summary_language": "nn",
        "keywords": "fravær\nskule",
        "service_areas": ["skole"],
        "registrations-clinicaltrials": "NCT99",
        "is_public_shown": "1",
        "is_public": "1",
    }
    failed = await submit(client, page, page, data)
    assert failed.status_code == 422
    assert 'id="project-registrations-clinicaltrials-error"' in failed.text
    data["registrations-clinicaltrials"] = "NCT01234567"
    saved = await submit(client, page, page, data)
    assert saved.status_code == 303, saved.text
    assert saved.headers["location"].startswith(f"/prosjekter/{school}?notice=")
    shown = await client.get(f"/prosjekter/{school}", headers=HTML)
    assert "Nytt samandrag." in shown.text
    assert 'lang="nn"' in shown.text
    assert "https://clinicaltrials.gov/study/NCT01234567" in shown.text


async def test_description_docx_in_the_callers_written_standard(client: Any, pw: World) -> None:
    school = pw.ids["p_school"]
    response = await client.get(
        f"/api/projects/{school}/description.docx", headers=pw.headers["adviser_a"]
    )
    assert response.status_code == 200, response.text
    xml = zipfile.ZipFile(io.BytesIO(response.content)).read("word/document.xml").decode()
    assert "Fravær i skolen" in xml
    assert "Populærvitenskapelig sammendrag" in xml
    assert "Barnevernet i Askøy" in xml  # a participant
    await login(client, pw, "adviser_a")
    page = await client.get(f"/prosjekter/{school}/beskrivelse.docx", headers=HTML)
    assert page.status_code == 200
    # Public-only readers get no description.
    refused = await client.get(
        f"/api/projects/{school}/description.docx", headers=pw.headers["adviser_b"]
    )
    assert refused.status_code == 404


async def _prioritised_need(client: Any, w: World) -> int:
    from klynge.auth.service import load_principal
    from priorities import needs
    from priorities import schemas as ps
    from tests.priorities.conftest import need_body

    response = await client.post(
        "/api/needs/", json=need_body(w), headers=w.headers["leader_askoy"]
    )
    assert response.status_code == 201, response.text
    need_id = int(response.json()["id"])
    adviser = await load_principal(w.accounts["adviser_a"])
    assert adviser is not None
    await needs.set_status(adviser, need_id, ps.NeedStatus.UNDER_ASSESSMENT, "Vurderes")
    await needs.set_status(adviser, need_id, ps.NeedStatus.PRIORITISED, "Prioritert", rank=1)
    return need_id


async def test_create_project_sets_leader_period_and_service_areas_and_the_need_shows_it(
    client: Any, pw: World
) -> None:
    from klynge.auth.service import load_principal
    from projects.workspace.api import create_project, project_summary

    need_id = await _prioritised_need(client, pw)
    adviser = await load_principal(pw.accounts["adviser_a"])
    assert adviser is not None
    proposal = {
        "id": None,
        "cluster": pw.ids["cluster_a"],
        "group": pw.ids["group_school"],
        "title": "Samarbeid om fravær",
        "need_ids": [need_id],
        "codesign": {"municipality_ids": [pw.ids["bergen"]]},
        "created_by": pw.accounts["researcher_school"],
        "start": dt.date(2026, 3, 1),
        "end": dt.date(2028, 2, 28),
    }
    project_id = await create_project(adviser, proposal)
    summary = await project_summary(project_id)
    assert summary.status == "planned"
    assert summary.leader is not None
    assert summary.leader.id == pw.accounts["researcher_school"]
    assert (summary.starts_on, summary.ends_on) == (dt.date(2026, 3, 1), dt.date(2028, 2, 28))
    assert summary.service_areas == ["barnevern"]  # the asking service's type
    assert {m.id for m in summary.municipalities} == {pw.ids["bergen"], pw.ids["askoy"]}
    # The need's page shows the project with its status and a link, for those who see it.
    await login(client, pw, "adviser_a")
    need_page = await client.get(f"/behov/{need_id}", headers=HTML)
    assert need_page.status_code == 200
    assert f'href="/prosjekter/{project_id}"' in need_page.text
    assert "Samarbeid om fravær" in need_page.text
    assert "Planlagt" in need_page.text
    # The asking service takes part from the start, so its leader sees the project too.
    await login(client, pw, "leader_askoy")
    need_page = await client.get(f"/behov/{need_id}", headers=HTML)
    assert "Samarbeid om fravær" in need_page.text
    assert f'href="/prosjekter/{project_id}"' in need_page.text


async def test_english_and_nynorsk_pages(client: Any, pw: World) -> None:
    from klynge.auth.tables import Account

    school = pw.ids["p_school"]
    await Account.update({Account.language: "nn"}).where(Account.id == pw.accounts["adviser_a"])
    await login(client, pw, "adviser_a")
    page = await client.get(f"/prosjekter/{school}", headers=HTML)
    assert "Populærvitskapleg samandrag" in page.text
    docx = await client.get(f"/prosjekter/{school}/beskrivelse.docx", headers=HTML)
    xml = zipfile.ZipFile(io.BytesIO(docx.content)).read("word/document.xml").decode()
    assert "Populærvitskapleg samandrag" in xml
    await Account.update({Account.language: "en"}).where(Account.id == pw.accounts["adviser_a"])
    await login(client, pw, "adviser_a")
    listing = await client.get("/prosjekter", headers=HTML)
    assert "Projects, newest first (2 in all)" in listing.text


# Measured (SQLite and PostgreSQL alike) for a coordinator: the principal and session (5), then
# for the API the page (participation is a sub-select) and its municipalities (participants,
# names); the HTML page adds the count and the filter choices (projects, names), and the
# header's task count (its own constant pass, measured by task_pass).
QUERIES = {"api": 8, "api_filtered": 8, "html": 11}


async def _many(w: World, n: int) -> None:
    from projects.tables import Project
    from projects.workspace.tables import Participant

    rows = await Project.insert(
        *[
            Project(
                cluster=w.ids["cluster_a"],
                group=w.ids["group_sea"],
                title=f"Ekstra {i:02}",
                municipality_ids=[w.ids["bergen"]],
            )
            for i in range(n)
        ]
    ).returning(Project.id)
    await Participant.insert(
        *[
            Participant(project=r["id"], kind="municipality", municipality=w.ids["askoy"])
            for r in rows
        ]
    )


@pytest.mark.parametrize("n", [3, 12])
async def test_list_queries_do_not_grow_with_the_rows(
    monkeypatch: pytest.MonkeyPatch, client: Any, pw: World, n: int
) -> None:
    from tests.querycount import count_queries, task_pass

    await _many(pw, n)

    async def count(path: str, **kw: Any) -> int:
        with count_queries(monkeypatch) as log:
            response = await client.get(path, **kw)
        assert response.status_code == 200, response.text
        return log.count

    headers = pw.headers["coordinator_askoy"]
    counts = {
        "api": await count("/api/projects", headers=headers),
        "api_filtered": await count(
            f"/api/projects?municipality_id={pw.ids['askoy']}", headers=headers
        ),
    }
    await login(client, pw, "coordinator_askoy")
    counts["html"] = await count("/prosjekter", headers=HTML)
    badge = await task_pass(monkeypatch, pw.accounts["coordinator_askoy"])  # header task count
    assert counts == {**QUERIES, "html": QUERIES["html"] + badge}
