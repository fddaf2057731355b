"""Every HTML page of the platform core, as every demo user who may see it: it loads, breaks
no CSP rule, throws no script error and has zero axe-core WCAG 2.1 A/AA violations.

The page list comes from the app's route table, so new pages are covered without editing this
file; the pages the platform must have are asserted by name as well.
"""

from __future__ import annotations

import asyncio
import os
import re
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.browser import axe
from tests.browser.handoff_checks import asker_email, told
from tests.browser.harness import (
    ADMIN,
    ADVISER,
    SUMMARY,
    USERS,
    Contexts,
    ImportResult,
    LiveServer,
    fill_params,
    html_pages,
    visitors,
)

pytestmark = pytest.mark.browser

# (what, a regex on the route path) — the pages the platform core must serve.
REQUIRED_PAGES = [
    ("front page /", r"^/$"),
    ("login /login", r"^/login$"),
    ("my organisations /mine-organisasjoner", r"^/mine-organisasjoner$"),
    ("cluster page /klynger/{id}", r"^/klynger/\{\w+(:int)?\}$"),
    (
        "join request page (the coordinator's municipality page /kommuner/{id})",
        r"^/kommuner/\{\w+(:int)?\}$|(medlemskap|membership|bli-med|soknad|søknad|join)",
    ),
    ("admin users", r"^/admin/(users|brukere|kontoer|accounts)"),
    ("admin organisations", r"^/admin/(organisations|organisasjoner)"),
    ("audit log", r"^/(admin/)?(audit|logg|revisjon|hendelser|aktivitet)"),
    ("job page /…/{job_id}", r"/(jobs|jobber|jobb)/\{\w+(:\w+)?\}"),
    ("accessibility statement /tilgjengelighet", r"^/tilgjengelighet$"),
    ("privacy page /personvern", r"^/personvern$"),
    ("knowledge needs /behov", r"^/behov$"),
    ("submit a need /behov/ny", r"^/behov/ny$"),
    ("a need /behov/{need_id}", r"^/behov/\{need_id(:int)?\}$"),
    ("rounds /runder", r"^/runder$"),
    ("round setup /runder/ny", r"^/runder/ny$"),
    ("a round /runder/{round_id}", r"^/runder/\{round_id(:int)?\}$"),
    ("scoring /runder/{round_id}/skaar", r"^/runder/\{round_id(:int)?\}/skaar$"),
    ("public priority list /prioriteringer/{round_id}", r"^/prioriteringer/\{round_id(:int)?\}$"),
    ("literature search /litteratur", r"^/litteratur$"),
    ("literature imports /litteratur/importer", r"^/litteratur/importer$"),
    ("an import /litteratur/importer/{import_id}", r"^/litteratur/importer/\{import_id(:int)?\}$"),
    (
        "a reference /litteratur/referanser/{id}",
        r"^/litteratur/referanser/\{reference_id(:int)?\}$",
    ),
    ("possible duplicates /litteratur/duplikater", r"^/litteratur/duplikater$"),
    (
        "start a check /behov/{need_id}/litteratursjekk/ny",
        r"^/behov/\{need_id(:int)?\}/litteratursjekk/ny$",
    ),
    ("a literature check /litteratursjekker/{id}", r"^/litteratursjekker/\{check_id(:int)?\}$"),
    ("knowledge bank /tiltak", r"^/tiltak$"),
    ("add a measure /tiltak/ny", r"^/tiltak/ny$"),
    ("a measure /tiltak/{slug}", r"^/tiltak/\{slug(:str)?\}$"),
    ("public portal /kunnskap", r"^/kunnskap$"),
    ("an answered need /kunnskap/behov/{check_id}", r"^/kunnskap/behov/\{check_id(:int)?\}$"),
    ("research groups /forskergrupper", r"^/forskergrupper$"),
    ("register a research group /forskergrupper/ny", r"^/forskergrupper/ny$"),
    ("a research group /forskergrupper/{group_id}", r"^/forskergrupper/\{group_id(:int)?\}$"),
    (
        "edit a group's profile /forskergrupper/{group_id}/rediger",
        r"^/forskergrupper/\{group_id(:int)?\}/rediger$",
    ),
    (
        "a group's publications /forskergrupper/{group_id}/publikasjoner",
        r"^/forskergrupper/\{group_id(:int)?\}/publikasjoner$",
    ),
    ("a need's matches /behov/{need_id}/matcher", r"^/behov/\{need_id(:int)?\}/matcher$"),
    (
        "a round's assignment /runder/{round_id}/fordeling",
        r"^/runder/\{round_id(:int)?\}/fordeling$",
    ),
    ("an assignment run /fordelinger/{id}", r"^/fordelinger/\{assignment_id(:int)?\}$"),
    ("the researchers' inbox /forsker/innboks", r"^/forsker/innboks$"),
    ("proposals /forslag", r"^/forslag$"),
    ("propose a project /forslag/ny", r"^/forslag/ny$"),
    ("a proposal /forslag/{proposal_id}", r"^/forslag/\{proposal_id(:int)?\}$"),
    ("notifications /varsler", r"^/varsler$"),
    ("projects /prosjekter", r"^/prosjekter$"),
    ("a project /prosjekter/{project_id}", r"^/prosjekter/\{project_id(:int)?\}$"),
    (
        "edit a project /prosjekter/{project_id}/rediger",
        r"^/prosjekter/\{project_id(:int)?\}/rediger$",
    ),
    ("PDSA cycles /prosjekter/{project_id}/pdsa", r"^/prosjekter/\{project_id(:int)?\}/pdsa$"),
    ("my actions /mine-handlinger", r"^/mine-handlinger$"),
    ("my tasks /oppgaver", r"^/oppgaver$"),
    ("an outcome /resultater/{outcome_id}", r"^/resultater/\{outcome_id(:int)?\}$"),
    ("my deliveries /leveranser", r"^/leveranser$"),
    ("a delivery /leveranser/{delivery_id}", r"^/leveranser/\{delivery_id(:int)?\}$"),
    ("the findings report /prosjekter/{id}/funnrapport", r"/funnrapport$"),
    ("the return-rate dashboard /tilbakeforing", r"^/tilbakeforing$"),
    ("the public return figures /kunnskap/tilbakeforing", r"^/kunnskap/tilbakeforing$"),
    ("the outbox /admin/utboks", r"^/admin/utboks$"),
]


def test_required_pages_exist() -> None:
    paths = [p.path for p in html_pages()]
    missing = [
        what for what, pattern in REQUIRED_PAGES if not any(re.search(pattern, p) for p in paths)
    ]
    assert not missing, (
        "required HTML pages missing from the route table: "
        + "; ".join(missing)
        + f"\nHTML routes now: {paths or 'none'}"
    )


@dataclass
class Visit:
    who: str | None
    url: str
    status: int | None = None
    final_url: str = ""
    lang: str = ""
    content_type: str = ""
    seconds: float = 0.0
    violations: list[dict[str, Any]] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    error: str = ""

    @property
    def label(self) -> str:
        return f"{self.url} as {self.who or 'anonymous'}"


class Watcher:
    """Collects what a page does wrong on its own: CSP violations, script errors and
    subresources (CSS, scripts, images, polls) that fail to load."""

    def __init__(self, page: Any) -> None:
        self.messages: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self._add(f"script error: {exc}"))
        page.on("response", self._response)

    def _add(self, message: str) -> None:
        if message not in self.messages:
            self.messages.append(message)

    def _console(self, msg: Any) -> None:
        text = msg.text
        if msg.type == "error" and (
            "Content Security Policy" in text or "Refused to" in text or "Uncaught" in text
        ):
            self._add(text[:240])

    def _response(self, response: Any) -> None:
        if response.status >= 400 and response.request.resource_type != "document":
            self._add(f"{response.request.resource_type} {response.url} answered {response.status}")

    def take(self) -> list[str]:
        taken, self.messages = self.messages, []
        return taken


async def check_page(
    page: Any,
    watcher: Watcher,
    who: str | None,
    url: str,
    skip_axe: set[str] | frozenset[str] = frozenset(),
) -> Visit:
    """Load a page and check it; a redirect to a page this user has checked already (such as
    /login → / when logged in) is not checked twice."""
    visit = Visit(who, url)
    watcher.take()
    started = time.monotonic()
    try:
        response = await page.goto(url, wait_until="load")
        visit.status = response.status if response else None
        visit.final_url = page.url
        visit.content_type = (await response.header_value("content-type") or "") if response else ""
        if not visit.content_type.startswith("text/html"):
            watcher.take()
            return visit  # JSON a page's script polls, not a page
        visit.lang = await page.evaluate("() => document.documentElement.lang")
        visit.console = watcher.take()  # before axe, which causes console noise of its own
        if visit.final_url not in skip_axe:
            visit.violations = await axe.run(page)
    except Exception as exc:
        visit.error = f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
        visit.console = watcher.take()
    watcher.take()
    visit.seconds = time.monotonic() - started
    return visit


def is_html(visit: Visit) -> bool:
    return visit.content_type.startswith("text/html")


def problems(visit: Visit, *, expect_status: int = 200) -> list[str]:
    out = []
    if visit.error:
        out.append(f"{visit.label}: {visit.error}")
    if visit.status != expect_status:
        out.append(
            f"{visit.label}: HTTP {visit.status} ({visit.content_type}), expected {expect_status}"
        )
    if not is_html(visit):
        if visit.status == expect_status == 200:
            return out  # a GET route that answers JSON (what a page's script polls)
        out.append(f"{visit.label}: answered {visit.content_type or 'nothing'}, not an HTML page")
        return out
    final = urlsplit(visit.final_url).path
    if (
        visit.who
        and final.startswith("/login")
        and not urlsplit(visit.url).path.startswith("/login")
    ):
        out.append(f"{visit.label}: sent to the login page although logged in")
    if not visit.error and not visit.lang:
        out.append(f"{visit.label}: <html> has no lang attribute")
    for message in visit.console:
        out.append(f"{visit.label}: browser console: {message}")
    if visit.violations:
        out.append(axe.report(visit.label, visit.violations))
    return out


# Pages checked at the same time: the browser, axe and the server share a small machine.
PARALLEL = max(2, min(4, os.cpu_count() or 2))


async def visit_all(contexts: Contexts, plan: dict[str | None, list[str]]) -> list[Visit]:
    """One tab per user; the users' tabs run side by side, PARALLEL at a time."""
    gate = asyncio.Semaphore(PARALLEL)

    async def one_user(who: str | None, urls: list[str]) -> list[Visit]:
        async with gate:
            page = await (await contexts.get(who)).new_page()
            watcher = Watcher(page)
            checked: set[str] = set()
            visits = []
            try:
                for url in urls:
                    visit = await check_page(page, watcher, who, url, skip_axe=checked)
                    checked.add(visit.final_url)
                    visits.append(visit)
                return visits
            finally:
                await page.close()

    batches = await asyncio.gather(*(one_user(who, urls) for who, urls in plan.items()))
    return [v for batch in batches for v in batch]


@pytest.fixture(scope="session")
async def literature_data(contexts: Contexts, live_server: LiveServer) -> None:
    """The demo has no literature yet: as the demo adviser, through the JSON API, start a check
    of a demo need, import a small RIS file into it, screen a review in, link it from a
    measure and publish the verdict, so every literature page has something to show."""
    from tests.browser.harness import DEMO_PASSWORD, param_values
    from tests.literature.conftest import RIS

    request = (await contexts.get(None)).request
    token = await request.post(
        "/api/auth/token", data={"email": ADVISER, "password": DEMO_PASSWORD}
    )
    assert token.ok, await token.text()
    headers = {"Authorization": f"Bearer {(await token.json())['access_token']}"}
    need_id = param_values(live_server)["need_id"]
    check = await request.post(
        f"/api/needs/{need_id}/literature-checks",
        data={"question": "Virker foreldretrening mot atferdsvansker hos barn?"},
        headers=headers,
    )
    assert check.ok, await check.text()
    check_id = (await check.json())["id"]
    started = await request.post(
        "/api/literature/imports",
        multipart={
            "file": {"name": "cochrane.ris", "mimeType": "text/plain", "buffer": RIS.encode()},
            "format": "ris",
            "source": "Cochrane Library",
            "query": "parent training",
            "searched_on": "2026-10-02",
            "check_id": str(check_id),
        },
        headers=headers,
    )
    assert started.ok, await started.text()
    import_id = (await started.json())["id"]
    for _ in range(300):
        current = await (
            await request.get(f"/api/literature/imports/{import_id}", headers=headers)
        ).json()
        if current["status"] in ("done", "failed"):
            break
        await asyncio.sleep(0.1)
    assert current["status"] == "done", current
    candidates = await (
        await request.get(f"/api/literature-checks/{check_id}/candidates", headers=headers)
    ).json()
    review = next(
        c["reference"]["id"] for c in candidates if c["reference"]["title"].startswith("Parent")
    )
    for stage in ("title", "fulltext"):
        decided = await request.post(
            f"/api/literature-checks/{check_id}/decisions",
            data={"reference_id": review, "decision": "include", "stage": stage},
            headers=headers,
        )
        assert decided.ok, await decided.text()
    measure = await request.post(
        "/api/measures/",
        data={
            "name": "Parent Management Training – Oregon (PMTO)",
            "scale": "ungsinn",
            "level": "4",
            "target_group": "Foreldre til barn med atferdsvansker",
            "age_from": 3,
            "age_to": 12,
            "service_types": ["barnevern", "bup"],
            "links": [{"title": "Ungsinn", "url": "https://ungsinn.no/"}],
            "reference_ids": [review],
        },
        headers=headers,
    )
    assert measure.ok, await measure.text()
    verdict = await request.post(
        f"/api/literature-checks/{check_id}/verdict",
        data={
            "verdict": "answered",
            "certainty": "moderate",
            "reviews": [{"reference_id": review, "certainty": "moderate"}],
            "summary": "Foreldretrening reduserer atferdsvansker.",
            "public": True,
        },
        headers=headers,
    )
    assert verdict.ok, await verdict.text()
    # Hand-off: the service that asked the need is told of the verdict.
    title = str(live_server.scalar("SELECT title FROM need WHERE id = ?", (need_id,)))
    asker = asker_email(live_server, int(need_id))
    await told(contexts, live_server, asker, title, f"/litteratursjekker/{check_id}")
    live_server.extra_ids.update(
        check_id=str(check_id), import_id=str(import_id), reference_id=str(review)
    )


async def _wait(request: Any, url: str, headers: dict[str, str]) -> dict[str, Any]:
    current: dict[str, Any] = {}
    for _ in range(300):
        current = await (await request.get(url, headers=headers)).json()
        if current["status"] in ("done", "failed"):
            return current
        await asyncio.sleep(0.1)
    return current


@pytest.fixture(scope="session")
async def projects_data(contexts: Contexts, live_server: LiveServer) -> None:
    """The demo has no matches yet: the demo researcher fills in their group's profile, the
    adviser runs matching for the demo cluster, the researcher proposes a project for a
    matched need, and the adviser runs the assignment of the closed round, so every projects
    page has something to show."""
    from tests.browser.harness import DEMO_PASSWORD, RESEARCHER, param_values

    request = (await contexts.get(None)).request

    async def headers_of(email: str) -> dict[str, str]:
        token = await request.post(
            "/api/auth/token", data={"email": email, "password": DEMO_PASSWORD}
        )
        assert token.ok, await token.text()
        return {"Authorization": f"Bearer {(await token.json())['access_token']}"}

    adviser, researcher = await headers_of(ADVISER), await headers_of(RESEARCHER)
    values = param_values(live_server)
    group_id = values["group_id"]
    profile = await request.put(
        f"/api/research-groups/{group_id}/profile",
        data={
            "expertise": "Barnevern, samhandling, skole, psykisk helse og tiltak for utsatte "
            "barn og unge; foreldrestøtte og skolefravær.",
            "keywords": ["barnevern", "skolefravær", "foreldrestøtte", "psykisk helse"],
            "methods": ["qualitative", "participatory", "implementation"],
            "service_types": ["barnevern", "skole", "helsestasjon"],
            "capacity": 3,
            "members": [{"name": "Fredrik Forsker", "orcid": "0000-0002-1825-0097"}],
        },
        headers=researcher,
    )
    assert profile.ok, await profile.text()
    cluster_id = values["cluster_id"]
    started = await request.post(f"/api/clusters/{cluster_id}/matching", headers=adviser)
    assert started.ok, await started.text()
    job = await _wait(request, (await started.json())["url"], adviser)
    assert job.get("status") == "done", job
    inbox = await (await request.get("/api/researcher/inbox", headers=researcher)).json()
    assert inbox, "matching gave the demo researcher's group no needs"
    first = inbox[0]
    # Hand-off: the matched group's researcher is told of the need.
    title = str(live_server.scalar("SELECT title FROM need WHERE id = ?", (first["need"],)))
    await told(contexts, live_server, RESEARCHER, title, "/forsker/innboks")
    proposal = await request.post(
        "/api/proposals/",
        data={
            "group_id": first["group"],
            "need_ids": [first["need"]],
            "title": "Sammen om tidlig innsats",
            "aims": "Bedre samarbeid mellom tjenestene.",
            "research_questions": "Hva virker for hvem?",
            "design": "Deltakende forskning med kommunene.",
            "methods": ["participatory"],
            "codesign": {"user_representatives": "Ungdomsrådet", "how": "Verksteder"},
            "ethics": ["sikt", "dpia"],
            "budget_nok": 1500000,
        },
        headers=researcher,
    )
    assert proposal.ok, await proposal.text()
    assignment = await request.post(
        f"/api/rounds/{values['round_id']}/assignment", data={"k": 2}, headers=adviser
    )
    assert assignment.ok, await assignment.text()
    assignment_id = (await assignment.json())["id"]
    await _wait(request, f"/api/assignments/{assignment_id}", adviser)
    live_server.extra_ids.update(
        proposal_id=str((await proposal.json())["id"]), assignment_id=str(assignment_id)
    )


@pytest.fixture(scope="session")
async def grants_data(contexts: Contexts, live_server: LiveServer) -> None:
    """The demo has no grants yet: through the JSON API the demo funder officer publishes a
    call, the adviser applies to it from the running demo project and submits, and the officer
    grants it (which schedules its reports), so every grants page has something to show."""
    import datetime as dt

    from tests.browser.harness import DEMO_PASSWORD, FUNDER_OFFICER, param_values

    request = (await contexts.get(None)).request

    async def headers_of(email: str) -> dict[str, str]:
        token = await request.post(
            "/api/auth/token", data={"email": email, "password": DEMO_PASSWORD}
        )
        assert token.ok, await token.text()
        return {"Authorization": f"Bearer {(await token.json())['access_token']}"}

    officer, adviser = await headers_of(FUNDER_OFFICER), await headers_of(ADVISER)
    today = dt.date.today()
    project_id = int(param_values(live_server)["project_id"])
    starts = live_server.scalar("SELECT starts_on FROM project WHERE id = ?", (project_id,))
    year = int(str(starts)[:4]) if starts else today.year
    call = await request.post(
        "/api/calls",
        data={
            "funder_id": live_server.scalar("SELECT min(id) FROM funder"),
            "title": "Kommunal FoU 2027",
            "opens_on": today.isoformat(),
            "closes_on": (today + dt.timedelta(days=60)).isoformat(),
            "budget": "5000000",
            "criteria": ["Relevans", "Gjennomføring"],
            "conditions": [{"kind": "min_rnd_share", "params": {"percent": 20}, "hard": True}],
            "is_public": True,
        },
        headers=officer,
    )
    assert call.ok, await call.text()
    call_id = (await call.json())["id"]
    published = await request.post(f"/api/calls/{call_id}/publish", headers=officer)
    assert published.ok, await published.text()
    started = await request.post(
        "/api/applications/", data={"project_id": project_id, "call_id": call_id}, headers=adviser
    )
    assert started.ok, await started.text()
    application_id = (await started.json())["id"]
    lines = [
        {"year": year, "category": "rnd", "amount": "300000", "description": "Følgeforskning"},
        {"year": year, "category": "operations", "amount": "200000", "description": "Drift"},
    ]
    for part, body in (
        ("budget", {"lines": lines}),
        ("financing", {"lines": [{"source": "this_funder", "amount": "500000"}]}),
    ):
        saved = await request.put(
            f"/api/applications/{application_id}/{part}", data=body, headers=adviser
        )
        assert saved.ok, await saved.text()
    submitted = await request.post(f"/api/applications/{application_id}/submit", headers=adviser)
    assert submitted.ok, await submitted.text()
    decided = await request.post(
        f"/api/applications/{application_id}/decision",
        data={
            "decision": "granted",
            "amount_ore": 50_000_000,
            "starts_on": today.isoformat(),
            "ends_on": (today + dt.timedelta(days=364)).isoformat(),
        },
        headers=officer,
    )
    assert decided.ok, await decided.text()
    grant_id = (await decided.json())["grant_id"]
    report_id = live_server.scalar(
        'SELECT min(id) FROM grant_report WHERE "grant" = ?', (grant_id,)
    )
    live_server.extra_ids.update(
        call_id=str(call_id),
        application_id=str(application_id),
        grant_id=str(grant_id),
        report_id=str(report_id),
    )


async def test_every_page_is_accessible(
    contexts: Contexts,
    live_server: LiveServer,
    import_result: ImportResult,
    literature_data: None,
    projects_data: None,
    grants_data: None,
) -> None:
    pages = html_pages()
    assert pages, "the route table has no HTML pages at all"
    plan: dict[str | None, list[str]] = {}
    route_of: dict[str, str] = {}
    not_visited: list[str] = []
    notes: list[str] = []
    for page in pages:
        path, missing = fill_params(live_server, page.path)
        if path is None:
            not_visited.append(f"{page.path} (no demo value for {', '.join(missing)})")
            continue
        who_may, guard_notes = visitors(page)
        notes.extend(guard_notes)
        if not who_may:
            not_visited.append(f"{page.path} (no demo user passes guards {page.guards})")
        for who in who_may:
            plan.setdefault(who, []).append(live_server.url(path))
        route_of[live_server.url(path)] = page.path

    visits = await visit_all(contexts, plan)

    lines = [f"{len(visits)} page visits over {len(pages)} HTML routes:"]
    for visit in visits:
        flag = "ok" if not problems(visit) else "FAIL"
        if flag == "ok" and not is_html(visit):
            flag = "n/a"  # not HTML (the JSON a page polls)
        lines.append(
            f"  {flag:4} {visit.status} {urlsplit(visit.url).path} as {visit.who or 'anonymous'}"
            f" ({visit.seconds:.1f} s)"
            + (f" ({len(visit.violations)} axe violations)" if visit.violations else "")
        )
    lines.append("NOT visited: " + ("; ".join(not_visited) or "none"))
    lines.extend(notes)
    SUMMARY.extend(lines)
    print("\n".join(lines))

    failures = [p for visit in visits for p in problems(visit)]
    checked = {route_of[v.url] for v in visits if is_html(v) and not problems(v)}
    unchecked = [
        what
        for what, pattern in REQUIRED_PAGES
        if not any(re.search(pattern, route) for route in checked)
    ]
    if unchecked:
        failures.append(
            "required pages not checked successfully: "
            + "; ".join(unchecked)
            + (f" (import: {import_result.error})" if import_result.error else "")
        )
    if any((v.status or 0) >= 500 for v in visits):
        failures.append(f"server log (last lines):\n{live_server.log_tail()}")
    assert not failures, f"{len(failures)} problem(s) on the pages:\n" + "\n".join(failures)


def _admin_only_page() -> str | None:
    for page in html_pages():
        if not page.params and visitors(page)[0] == [ADMIN]:
            return page.path
    return None


async def test_error_pages(contexts: Contexts, live_server: LiveServer) -> None:
    missing = live_server.url(f"/finnes-ikke-{uuid.uuid4().hex[:8]}")
    forbidden = _admin_only_page()
    assert forbidden, "no admin-only HTML page to test the 403 page with"
    non_admin = next(u.email for u in USERS if u.role == "user_representative")
    plan: dict[str | None, list[str]] = {None: [missing], ADVISER: [missing]}
    plan.setdefault(non_admin, []).append(live_server.url(forbidden))
    visits = await visit_all(contexts, plan)
    failures = []
    for visit in visits:
        expected = 404 if visit.url == missing else 403
        failures += problems(visit, expect_status=expected)
    assert not failures, "error pages:\n" + "\n".join(failures)
    for visit in visits:
        SUMMARY.append(f"  ok   {visit.status} {urlsplit(visit.url).path} as {visit.who or 'anon'}")
