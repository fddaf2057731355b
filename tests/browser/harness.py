"""The browser tests' toolkit: the live server, per-user browser contexts, the app's HTML pages
from its route table with demo ids for their parameters, and the municipality upload."""

from __future__ import annotations

import functools
import os
import re
import socket
import sqlite3
import subprocess
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.smtp import Inbox

BIN = Path(sys.executable).parent
KLYNGE = BIN / "klynge"
LIVE_SECRET = "browser-test-secret-key-0123456789-abcdefghijklmnop"
STARTUP_TIMEOUT = 30.0

# Prefixes that are not HTML pages of the platform core.
NON_HTML_PREFIXES = ("/api", "/schema", "/static", "/.well-known", "/healthz")
DOWNLOAD_SUFFIXES = (".xlsx", ".docx", ".pdf", ".csv", ".ris", ".bib")
# Documents the app links to that are not pages of its own: an e-mail's HTML part as the
# recipient sees it, served under a CSP sandbox (no scripts, so axe cannot run in it and waits
# forever; the mail's own page, /admin/utboks/{mail_id}, is walked).
NOT_PAGES = ("/admin/utboks/{mail_id:int}/html",)
PARAM_RE = re.compile(r"\{(\w+)(?::(\w+))?\}")


@dataclass(frozen=True)
class DemoUser:
    email: str
    name: str
    role: str


def demo_users() -> list[DemoUser]:
    from klynge import demo

    return [DemoUser(u.email, u.name, u.role) for u in demo.USERS]


def demo_password() -> str:
    from klynge import demo

    return demo.DEMO_PASSWORD


USERS = demo_users()
DEMO_PASSWORD = demo_password()
ADMIN = "admin@demo.klynge.no"
ADVISER = "fou@demo.klynge.no"
COORDINATOR = "koordinator@demo.klynge.no"
# Members of the demo cluster who see cluster pages differently: its adviser, and a service
# leader in a member municipality (ansatt and bruker are members too, with the same view).
CLUSTER_MEMBERS = [ADVISER, "leder@demo.klynge.no"]
# The researcher whose group the group pages, the inbox and the proposal are about.
RESEARCHER = "forsker@demo.klynge.no"
# The officer of the demo funder: manages its calls, reviews and decides applications.
FUNDER_OFFICER = "finansiering@demo.klynge.no"


# --- the live server -----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def live_env(db_path: Path, port: int, smtp_port: int | None = None) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("KLYNGE_") and k not in ("DATABASE_URL", "REDIS_URL")
    }
    env.update(
        DATABASE_URL=f"sqlite:///{db_path}",
        PICCOLO_CONF="klynge.piccolo_conf",
        KLYNGE_DEMO="1",
        KLYNGE_SECRET_KEY=LIVE_SECRET,
        KLYNGE_PORT=str(port),
        KLYNGE_HOST="127.0.0.1",
        KLYNGE_PUBLIC_URL=f"http://127.0.0.1:{port}",
        KLYNGE_LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    if os.environ.get("KLYNGE_EMBED_CACHE"):  # the session's embedding cache (tests/conftest)
        env["KLYNGE_EMBED_CACHE"] = os.environ["KLYNGE_EMBED_CACHE"]
    if smtp_port is not None:  # the live server's mail goes to the tests' own SMTP server
        env["KLYNGE_SMTP_URL"] = f"smtp://127.0.0.1:{smtp_port}"
    return env


@dataclass
class LiveServer:
    base_url: str
    db_path: Path
    log_path: Path
    process: subprocess.Popen[bytes]
    inbox: Inbox = field(default_factory=Inbox)  # every mail the server sent
    extra_ids: dict[str, str] = field(default_factory=dict)

    def url(self, path: str) -> str:
        return self.base_url + path

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        """Read the server's demo database (read-only)."""
        conn = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True, timeout=5)
        conn.row_factory = sqlite3.Row
        try:
            return list(conn.execute(sql, params))
        finally:
            conn.close()

    def scalar(self, sql: str, params: tuple[Any, ...] = ()) -> Any:
        rows = self.query(sql, params)
        return rows[0][0] if rows else None

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as resp:  # noqa: S310 (our own server)
            return bool(resp.status == 200)
    except (urllib.error.URLError, OSError):
        return False


# --- the browser and one context per user ---------------------------------------------------


CONTEXT_OPTIONS: dict[str, Any] = {
    "locale": "nb-NO",
    "viewport": {"width": 1280, "height": 900},
    "reduced_motion": "reduce",
}


async def new_context(browser: Any, live_server: LiveServer) -> Any:
    context = await browser.new_context(base_url=live_server.base_url, **CONTEXT_OPTIONS)
    context.set_default_timeout(10_000)
    return context


async def api_login(context: Any, live_server: LiveServer, email: str) -> None:
    """Give a context the UI session cookies of a demo user (through the token API, which
    hands out the same token pair the login form puts in its cookies)."""
    from klynge.auth.middleware import ACCESS_COOKIE, REFRESH_COOKIE

    resp = await context.request.post(
        "/api/auth/token", data={"email": email, "password": DEMO_PASSWORD}
    )
    assert resp.ok, f"login as {email} failed: {resp.status} {await resp.text()}"
    body = await resp.json()
    await context.add_cookies(
        [
            {
                "name": name,
                "value": body[key],
                "url": live_server.base_url,
                "httpOnly": True,
                "sameSite": "Lax",
            }
            for name, key in ((ACCESS_COOKIE, "access_token"), (REFRESH_COOKIE, "refresh_token"))
        ]
    )


class Contexts:
    """Browser contexts created on first use and kept for the session: None = anonymous."""

    def __init__(self, browser: Any, live_server: LiveServer) -> None:
        self.browser = browser
        self.live_server = live_server
        self._contexts: dict[str | None, Any] = {}

    async def get(self, email: str | None) -> Any:
        if email not in self._contexts:
            context = await new_context(self.browser, self.live_server)
            if email is not None:
                await api_login(context, self.live_server, email)
            self._contexts[email] = context
        return self._contexts[email]

    async def close(self) -> None:
        for context in self._contexts.values():
            await context.close()


# --- the app's HTML pages, from its route table ---------------------------------------------


@dataclass(frozen=True)
class Page:
    path: str  # as in the route table, with {param:type}
    guards: tuple[str, ...]
    public: bool

    @property
    def params(self) -> list[str]:
        return [m.group(1) for m in PARAM_RE.finditer(self.path)]


@functools.cache
def html_pages() -> list[Page]:
    """Every GET route of the app that serves an HTML page (the route table decides)."""
    from klynge.app import create_app
    from klynge.routes import route_table
    from klynge.settings import load_settings

    app = create_app(load_settings())
    seen: dict[str, Page] = {}
    for row in route_table(app):
        if "GET" not in row.methods or row.path.startswith(NON_HTML_PREFIXES):
            continue
        if row.path.endswith(DOWNLOAD_SUFFIXES):  # a file to download, not a page
            continue
        if row.path in NOT_PAGES:
            continue
        seen.setdefault(row.path, Page(row.path, row.guards, row.public))
    return sorted(seen.values(), key=lambda p: p.path)  # a list the callers must not change


def _roles_in(guard: str) -> list[str]:
    inside = guard[guard.find("(") + 1 : guard.rfind(")")] if "(" in guard else ""
    return [r.strip() for r in inside.split(",") if r.strip()]


def visitors(page: Page) -> tuple[list[str | None], list[str]]:
    """Who may see a page (None = anonymous), from its guards; plus notes on unknown guards."""
    everyone = [u.email for u in USERS]
    if "job_id" in page.params:
        # A job is visible to whoever started it: the import is started by the admin.
        return [ADMIN], []
    if "proposal_id" in page.params:
        # A proposal is seen by its cluster's adviser and its group's researchers.
        return [ADMIN, ADVISER, RESEARCHER], []
    if "project_id" in page.params:
        # The running demo project: its cluster's adviser (and admins) see every page of it; the
        # project page itself is also seen by the cluster's coordinator, and (it is public) by
        # anonymous visitors and another group's researcher as its public summary.
        if page.path == "/prosjekter/{project_id:int}":
            return [None, ADMIN, ADVISER, COORDINATOR, RESEARCHER], []
        if page.path.endswith("/bli-med"):
            # Joining: someone of a member municipality of the project's cluster (the demo
            # coordinator's municipality is not a member).
            return [ADMIN, "leder@demo.klynge.no"], []
        return [ADMIN, ADVISER], []
    if "call_id" in page.params and page.path.endswith("/rediger"):
        # Only the call's funder (its officer) edits the call.
        return [ADMIN, FUNDER_OFFICER], []
    if "application_id" in page.params:
        # The application of the running project to the demo call (submitted and granted): its
        # team (the cluster's adviser) and the call's funder see it; the review panel is the
        # funder's.
        if page.path.endswith("/vurdering"):
            return [ADMIN, FUNDER_OFFICER], []
        return [ADMIN, ADVISER, FUNDER_OFFICER], []
    if "grant_id" in page.params:
        # The grant and its first report: the project team and the funder.
        return [ADMIN, ADVISER, FUNDER_OFFICER], []
    if "delivery_id" in page.params:
        # The first demo delivery (to Askøy): its addressee (the leader of Askøy's school, a
        # relevant service) and those who follow the project (the adviser).
        return [ADMIN, ADVISER, "rektor@demo.klynge.no"], []
    if "outcome_id" in page.params and page.path.endswith("/rediger"):
        # The project leader and the adviser edit an outcome.
        return [ADMIN, ADVISER], []
    if page.path == "/epost/avmeld":
        # Opened from an e-mail's signed link only (tests/platform/test_mail_pages.py).
        return [], ["/epost/avmeld: needs a signed token from an e-mail; not walked"]
    if "group_id" in page.params and page.path.endswith("/rediger"):
        # Only the group's own researchers edit its profile.
        return [ADMIN, RESEARCHER], []
    if page.public or not page.guards:
        # Public pages are seen both anonymously and with the logged-in layout.
        return [None, ADVISER], []
    allowed: list[str] = list(everyone)
    notes: list[str] = []
    for guard in page.guards:
        name = guard.split("(")[0]
        if name == "requires_authenticated":
            continue
        # Admins pass every guard (klynge.auth.guards).
        if name == "requires_admin":
            wanted = [ADMIN]
        elif name == "requires_role":
            roles = _roles_in(guard)
            wanted = [ADMIN, *(u.email for u in USERS if u.role in roles)]
        elif name == "requires_cluster_adviser":
            wanted = [ADMIN, ADVISER]
        elif name in ("requires_cluster_member", "requires_need_reader"):
            # A need's matches: its cluster's members (researchers only see a need once their
            # group is matched with it).
            wanted = [ADMIN, *CLUSTER_MEMBERS]
        elif name == "requires_municipality_coordinator":
            wanted = [ADMIN, COORDINATOR]
        else:
            wanted = [ADMIN]
            notes.append(f"{page.path}: unknown guard {guard}; visited as {ADMIN} only")
        allowed = [e for e in allowed if e in wanted]
    return list(allowed), notes


def param_values(server: LiveServer) -> dict[str, str]:
    """Real ids from the demo database for the path parameters we know how to fill."""
    from klynge.demo import CLUSTER_NAME, PENDING

    q = server.scalar
    values: dict[str, Any] = {
        "cluster_id": q("SELECT id FROM cluster WHERE name = ?", (CLUSTER_NAME,)),
        "municipality_id": q(
            "SELECT id FROM municipality WHERE number = ? AND valid_to IS NULL", (PENDING,)
        ),
        "membership_id": q("SELECT id FROM cluster_membership WHERE status = 'requested'"),
        "account_id": q("SELECT id FROM account WHERE email = ?", (ADVISER,)),
        "user_id": q("SELECT id FROM account WHERE email = ?", (ADVISER,)),
        "service_id": q("SELECT min(id) FROM service"),
        "research_group_id": q("SELECT min(id) FROM research_group"),
        # The demo researcher's own group, so its profile edit form renders for them.
        "group_id": q(
            "SELECT research_group FROM role_assignment JOIN account ON account.id = "
            "role_assignment.account WHERE account.email = ? AND role = 'researcher'",
            (RESEARCHER,),
        ),
        "funder_id": q("SELECT min(id) FROM funder"),
        # Grants: the demo has none until a test makes one (extra_ids); then the first ones.
        "call_id": q("SELECT min(id) FROM grant_call WHERE status = 'published'"),
        "application_id": q("SELECT min(id) FROM grant_application WHERE status = 'granted'"),
        "grant_id": q("SELECT min(id) FROM grant_agreement"),
        "report_id": q(
            'SELECT min(id) FROM grant_report WHERE "grant" = (SELECT min(id) FROM grant_agreement)'
        ),
        "event_id": q("SELECT min(id) FROM audit_event"),
        "audit_id": q("SELECT min(id) FROM audit_event"),
        # A need every cluster member may see (not a draft, not merged away), and the closed
        # round published on the portal, so its results, scores and public list all render.
        "need_id": q(
            "SELECT id FROM need WHERE status NOT IN ('draft', 'merged', 'withdrawn') "
            "ORDER BY status IN ('matched', 'answered'), id LIMIT 1"
        ),
        "round_id": q(
            "SELECT id FROM priority_round ORDER BY status = 'closed' DESC, "
            "publish_public DESC, id LIMIT 1"
        ),
        # Literature: the check published on the portal (so its public page renders too), and
        # the first import, reference and measure.
        "check_id": q(
            "SELECT id FROM literature_check ORDER BY public DESC, status = 'completed' DESC, id "
            "LIMIT 1"
        ),
        "import_id": q("SELECT min(id) FROM literature_import"),
        "reference_id": q("SELECT min(id) FROM literature_reference WHERE merged_into IS NULL"),
        "slug": q("SELECT slug FROM literature_measure ORDER BY id LIMIT 1"),
        # Projects: the running demo project (PDSA cycles, run chart, plan, sessions), its
        # first co-design session and plan item.
        "project_id": q("SELECT min(id) FROM project WHERE status = 'running'"),
        "session_id": q(
            "SELECT min(id) FROM codesign_session WHERE project = "
            "(SELECT min(id) FROM project WHERE status = 'running')"
        ),
        "item_id": q(
            "SELECT min(id) FROM project_plan_item WHERE project = "
            "(SELECT min(id) FROM project WHERE status = 'running')"
        ),
        # Findings: the completed demo project's published finding and its first delivery.
        "outcome_id": q("SELECT min(id) FROM project_outcome WHERE status = 'published'"),
        "delivery_id": q("SELECT min(id) FROM findings_delivery"),
        "file_id": q("SELECT min(id) FROM project_outcome_file"),
        # Mail: the demo's notifications went out through the tests' SMTP server.
        "mail_id": q("SELECT min(id) FROM mail_outbox"),
    }
    values.update(server.extra_ids)
    return {k: str(v) for k, v in values.items() if v is not None}


def fill(path: str, values: dict[str, str]) -> tuple[str | None, list[str]]:
    missing = [m.group(1) for m in PARAM_RE.finditer(path) if m.group(1) not in values]
    if missing:
        return None, missing
    return PARAM_RE.sub(lambda m: values[m.group(1)], path), []


def fill_params(server: LiveServer, path: str) -> tuple[str | None, list[str]]:
    """`path` with its parameters filled, or None and the parameters no demo id could fill.

    Unknown `<thing>_id` parameters fall back to the smallest id of a table named `<thing>`, so
    new pages with simple ids get covered without changing this file."""
    values = param_values(server)
    tables = {r[0] for r in server.query("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for name in (m.group(1) for m in PARAM_RE.finditer(path)):
        if name in values or not name.endswith("_id"):
            continue
        table = name.removesuffix("_id")
        if table in tables:
            found = server.scalar(f'SELECT min(id) FROM "{table}"')  # noqa: S608 (table from sqlite_master)
            if found is not None:
                values[name] = str(found)
    return fill(path, values)


# --- the municipality import through the upload form ----------------------------------------

GOOD_CSV = (
    "kommunenummer;navn;innbyggere;målform\n4611;Etne;4200;nøytral\n4612;Sveio;5900;nynorsk\n"
)
BAD_CSV = "kommunenummer;navn\n12345;Feilby\n4600;Vestland\n"
UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


class UploadFormMissing(Exception):
    pass


def upload_page_candidates() -> list[str]:
    """Admin pages without parameters, the likeliest home of the import form first."""
    # The literature app's import page takes reference files and the needs' import page needs
    # files, not municipality files.
    paths = [
        p.path
        for p in html_pages()
        if not p.params
        and ADMIN in visitors(p)[0]
        and not p.path.startswith(("/litteratur", "/behov"))
    ]

    def rank(path: str) -> int:
        if "import" in path:
            return 0
        if re.search(r"organi[sz]a", path):
            return 1
        if "kommun" in path or "municipal" in path:
            return 2
        return 3 if path.startswith("/admin") else 4

    return sorted(paths, key=rank)


async def start_import(page: Any, server: LiveServer, filename: str, content: str) -> str:
    """Upload a municipality file through the UI's form; returns the job id (page is on the
    job page afterwards)."""
    for path in upload_page_candidates():
        response = await page.goto(server.url(path))
        if response and response.ok and await page.locator("input[type=file]").count():
            break
    else:
        raise UploadFormMissing(
            "no admin page has a file upload form (input[type=file]) for the municipality "
            f"import; looked at {upload_page_candidates()}"
        )
    before = server.scalar("SELECT count(*) FROM job")
    form = page.locator("form:has(input[type=file])").first
    await form.locator("input[type=file]").first.set_input_files(
        {"name": filename, "mimeType": "text/csv", "buffer": content.encode("utf-8")}
    )
    old_url = page.url
    submit = form.locator("button[type=submit], input[type=submit], button:not([type])").first
    await submit.focus()
    await page.keyboard.press("Enter")
    try:
        await page.wait_for_url(lambda url: url != old_url, timeout=10_000)
    except Exception:
        raise UploadFormMissing(
            f"submitting the upload form on {old_url} did not lead to a job page "
            f"(still at {page.url})"
        ) from None
    await page.wait_for_load_state("load")
    found = UUID_RE.search(page.url)
    if found:
        return found.group(0)
    after = server.scalar("SELECT count(*) FROM job")
    if after <= before:
        raise UploadFormMissing(f"the upload form created no job (now at {page.url})")
    return str(server.scalar("SELECT id FROM job ORDER BY created_at DESC LIMIT 1"))


# --- a summary at the end of the run --------------------------------------------------------

SUMMARY: list[str] = []


@dataclass
class ImportResult:
    job_id: str | None
    error: str = ""
