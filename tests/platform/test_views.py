"""The web shell through real HTTP: login, CSRF, pages per role, the join-request flow, the admin
forms, the municipality import job and the error pages."""

from __future__ import annotations

import asyncio
import html
import re
from typing import Any

import pytest

from klynge.auth.guards import PUBLIC
from klynge.views import VIEW_HANDLERS
from klynge.views.common import safe_next

HTML = {"accept": "text/html,application/xhtml+xml"}
TOKEN = re.compile(r'name="_csrf_token" value="([^"]+)"')


# --- helpers ---------------------------------------------------------------------------------


async def csrf_token(client: Any, page: str = "/login") -> str:
    """The token from a form on `page` (the GET also sets the klynge_csrf cookie)."""
    response = await client.get(page, headers=HTML)
    assert response.status_code == 200, response.text
    found = TOKEN.search(response.text)
    assert found, f"no CSRF token on {page}"
    return found.group(1)


async def login(client: Any, world: Any, key: str) -> None:
    client.cookies.clear()
    token = await csrf_token(client)
    response = await client.post(
        "/login",
        data={"email": f"{key}@test.klynge.no", "password": world.password, "_csrf_token": token},
        headers=HTML,
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


async def submit(client: Any, page: str, action: str, data: dict[str, Any]) -> Any:
    """Post a form on `page` to `action` the way a browser does: with the page's CSRF token."""
    token = await csrf_token(client, page)
    return await client.post(
        action, data={**data, "_csrf_token": token}, headers=HTML, follow_redirects=False
    )


def text_of(response: Any) -> str:
    return html.unescape(response.text)


def ids(world: Any) -> dict[str, int]:
    return {**world.ids, **{f"account_{k}": v for k, v in world.accounts.items()}}


def membership(world: Any, cluster: str, municipality: str) -> int:
    return world.ids[f"membership_{cluster}_{world.ids[municipality]}"]


def synthetic_national_id() -> str:
    """A Tenor-style synthetic test person (month + 80, born 1860): valid checksums, nobody real."""
    k1_weights, k2_weights = (3, 7, 6, 1, 8, 9, 4, 5, 2), (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
    for individual in range(500, 750):
        base = f"158360{individual:03d}"
        k1 = -sum(w * int(d) for w, d in zip(k1_weights, base, strict=True)) % 11
        if k1 == 10:
            continue
        k2 = -sum(w * int(d) for w, d in zip(k2_weights, base + str(k1), strict=True)) % 11
        if k2 != 10:
            return f"{base}{k1}{k2}"
    raise AssertionError("no synthetic number found")


# --- routes ----------------------------------------------------------------------------------


def test_every_view_is_hidden_from_the_schema_and_guarded_or_public() -> None:
    assert VIEW_HANDLERS
    for handler in VIEW_HANDLERS:
        assert handler.include_in_schema is False, handler
        public = handler.opt.get("public") == PUBLIC["public"]
        assert bool(handler.guards) != public, f"{handler}: a guard or opt=PUBLIC"


# --- login, logout, CSRF -----------------------------------------------------------------------


async def test_login_form_sets_httponly_lax_cookie_and_home_shows_name(client, world) -> None:
    token = await csrf_token(client)
    response = await client.post(
        "/login",
        data={
            "email": "Adviser_A@test.klynge.no",
            "password": world.password,
            "_csrf_token": token,
            "next": "/mine-organisasjoner",
        },
        headers=HTML,
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/mine-organisasjoner"
    cookies = [c for c in response.headers.get_list("set-cookie") if c.startswith("klynge_access=")]
    assert len(cookies) == 1
    flags = cookies[0].lower()
    assert "httponly" in flags
    assert "samesite=lax" in flags
    home = await client.get("/", headers=HTML)
    assert home.status_code == 200
    assert "Adviser A" in home.text
    assert "/logout" in home.text


async def test_wrong_password_shows_the_error_beside_the_field(client, world) -> None:
    token = await csrf_token(client)
    response = await client.post(
        "/login",
        data={
            "email": "adviser_a@test.klynge.no",
            "password": "feil-passord",
            "_csrf_token": token,
        },
        headers=HTML,
        follow_redirects=False,
    )
    assert response.status_code == 400
    page = text_of(response)
    assert "Feil e-postadresse eller passord." in page
    assert 'id="login-password-error"' in page
    assert 'aria-describedby="login-password-error"' in page
    assert 'aria-invalid="true"' in page
    assert 'href="#login-password"' in page  # the error summary links to the field
    assert 'value="adviser_a@test.klynge.no"' in page  # what was typed stays
    assert "klynge_access=" not in " ".join(response.headers.get_list("set-cookie"))


async def test_empty_login_form_names_both_fields(client, world) -> None:
    response = await submit(client, "/login", "/login", {"email": "", "password": ""})
    assert response.status_code == 400
    assert 'id="login-email-error"' in response.text
    assert 'id="login-password-error"' in response.text


async def test_locked_login_answers_429(db) -> None:
    from litestar.testing import AsyncTestClient

    from klynge.app import create_app
    from tests.conftest import build_world, make_settings

    app = create_app(make_settings(KLYNGE_LOGIN_SLOWDOWN_AFTER="1", KLYNGE_LOGIN_LOCK_AFTER="2"))
    async with AsyncTestClient(app=app, base_url="http://testserver.local") as client:
        world = await build_world(app)
        statuses = []
        # No account is locked as such: the address is, at its ceiling of 2 x 4 failures.
        for _ in range(9):
            response = await submit(
                client,
                "/login",
                "/login",
                {"email": "adviser_a@test.klynge.no", "password": "feil-passord-123"},
            )
            statuses.append(response.status_code)
        assert statuses == [400] * 8 + [429], statuses
        assert "Retry-After" in response.headers
        assert "For mange mislykkede forsøk" in text_of(response)
        # Even the right password is refused while locked.
        response = await submit(
            client,
            "/login",
            "/login",
            {"email": "adviser_a@test.klynge.no", "password": world.password},
        )
        assert response.status_code == 429


async def test_post_without_csrf_token_is_refused(client, world) -> None:
    await client.get("/login", headers=HTML)  # the CSRF cookie alone is not enough
    response = await client.post(
        "/login",
        data={"email": "adviser_a@test.klynge.no", "password": world.password},
        headers=HTML,
        follow_redirects=False,
    )
    assert response.status_code == 403
    assert "klynge_access=" not in " ".join(response.headers.get_list("set-cookie"))
    response = await client.post(
        "/language", data={"language": "en"}, headers=HTML, follow_redirects=False
    )
    assert response.status_code == 403
    assert "Traceback" not in response.text
    response = await submit(client, "/", "/language", {"language": "en"})
    assert response.status_code == 303


async def test_logged_in_form_without_token_is_refused(client, world) -> None:
    await login(client, world, "adviser_a")
    mid = membership(world, "cluster_a", "alver")
    response = await client.post(
        f"/klynger/{world.ids['cluster_a']}/soknader/{mid}",
        data={"decision": "approve"},
        headers=HTML,
        follow_redirects=False,
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/",
        "https://evil.example/",
        "http:/evil.example",
        "/\\evil.example",
        "/\t/evil.example",
        "javascript:alert(1)",
        "evil.example",
        "",
    ],
)
async def test_open_redirect_in_next_is_refused(client, world, target: str) -> None:
    token = await csrf_token(client)
    response = await client.post(
        "/login",
        data={
            "email": "adviser_a@test.klynge.no",
            "password": world.password,
            "_csrf_token": token,
            "next": target,
        },
        headers=HTML,
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/oppgaver"  # the start page, never the target


def test_safe_next_keeps_local_paths() -> None:
    assert safe_next("/klynger/3?x=1#soknader") == "/klynger/3?x=1#soknader"
    assert safe_next("//evil.example") == "/"
    assert safe_next("/ok", default="/x") == "/ok"


async def test_login_page_carries_next_and_keeps_it_safe(client, world) -> None:
    response = await client.get("/login?next=/mine-organisasjoner", headers=HTML)
    assert 'name="next" value="/mine-organisasjoner"' in response.text
    response = await client.get("/login?next=//evil.example", headers=HTML)
    assert 'name="next" value="/oppgaver"' in response.text  # the start page


async def test_logout_revokes_the_session(client, world) -> None:
    await login(client, world, "adviser_a")
    refresh = client.cookies.get("klynge_refresh")
    assert refresh
    response = await submit(client, "/", "/logout", {})
    assert response.status_code == 303
    assert response.headers["location"].startswith("/")
    cleared = [c for c in response.headers.get_list("set-cookie") if c.startswith("klynge_")]
    assert any(c.startswith("klynge_access=") and "max-age=0" in c.lower() for c in cleared)
    home = await client.get("/", headers=HTML)
    assert "Adviser A" not in home.text
    # The refresh token's family is revoked: it cannot bring the session back.
    client.cookies.set("klynge_refresh", refresh)
    home = await client.get("/", headers=HTML)
    assert "Adviser A" not in home.text


# --- pages and who may see them ------------------------------------------------------------------

PUBLIC_PAGES = ["/", "/login", "/tilgjengelighet", "/personvern"]

# (path, a user who may see it, a user who may not)
PROTECTED_PAGES = [
    ("/mine-organisasjoner", "leader_askoy", None),
    ("/klynger/{cluster_a}", "adviser_a", "adviser_b"),
    ("/klynger/{cluster_a}", "coordinator_askoy", "coordinator_trondheim"),
    ("/klynger/{cluster_b}", "admin", "adviser_a"),
    ("/kommuner/{alver}", "coordinator_alver", "coordinator_askoy"),
    ("/kommuner/{trondheim}", "admin", "adviser_b"),
    ("/admin/users", "admin", "adviser_a"),
    ("/admin/users/{account_nobody}", "admin", "coordinator_askoy"),
    ("/admin/organisations", "admin", "leader_askoy"),
    ("/logg", "adviser_a", "coordinator_askoy"),
    ("/logg", "admin", "nobody"),
]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
async def test_public_pages_answer_everyone(client, world, path: str) -> None:
    response = await client.get(path, headers=HTML)
    assert response.status_code == 200
    assert '<html lang="nb">' in response.text
    assert 'href="#main"' in response.text  # skip link
    assert 'href="/tilgjengelighet"' in response.text
    assert 'href="/personvern"' in response.text


@pytest.mark.parametrize(("path", "allowed", "refused"), PROTECTED_PAGES)
async def test_protected_pages(client, world, path: str, allowed: str, refused: str | None) -> None:
    url = path.format(**ids(world))
    anonymous = await client.get(url, headers=HTML, follow_redirects=False)
    assert anonymous.status_code == 302
    assert anonymous.headers["location"] == f"/login?next={url}"
    await login(client, world, allowed)
    response = await client.get(url, headers=HTML)
    assert response.status_code == 200, response.text
    assert "<h1>" in response.text
    if refused is not None:
        await login(client, world, refused)
        response = await client.get(url, headers=HTML)
        assert response.status_code == 403
        assert "Du har ikke tilgang til denne siden" in text_of(response)


async def test_another_clusters_overview_is_refused_for_adviser_b(client, world) -> None:
    await login(client, world, "adviser_b")
    response = await client.get(f"/klynger/{world.ids['cluster_a']}", headers=HTML)
    assert response.status_code == 403
    assert "Klynge Vest" not in response.text
    own = await client.get(f"/klynger/{world.ids['cluster_b']}", headers=HTML)
    assert own.status_code == 200
    assert "Klynge Midt" in own.text


async def test_navigation_follows_roles(client, world) -> None:
    await login(client, world, "admin")
    page = (await client.get("/", headers=HTML)).text
    assert 'href="/admin/users"' in page
    assert 'href="/logg"' in page
    await login(client, world, "adviser_a")
    page = (await client.get("/", headers=HTML)).text
    assert f'href="/klynger/{world.ids["cluster_a"]}"' in page
    assert 'href="/admin/users"' not in page
    await login(client, world, "coordinator_alver")
    page = (await client.get("/", headers=HTML)).text
    assert f'href="/kommuner/{world.ids["alver"]}"' in page
    assert 'href="/logg"' not in page


async def test_dashboard_lists_roles_and_pending_requests(client, world) -> None:
    await login(client, world, "adviser_a")
    page = text_of(await client.get("/", headers=HTML))
    assert "FoU-rådgiver" in page
    assert "Klynge Vest" in page
    assert 'id="soknader"' in page
    assert "Alver" in page


async def test_my_organisations_lists_every_role(client, world) -> None:
    await login(client, world, "leader_askoy")
    page = text_of(await client.get("/mine-organisasjoner", headers=HTML))
    assert "Tjenesteleder" in page
    assert "Barnevernet i Askøy" in page
    assert f'href="/klynger/{world.ids["cluster_a"]}"' in page  # Askøy is a member of A


# --- join requests ----------------------------------------------------------------------------


async def test_join_request_and_approval_through_the_forms(client, world) -> None:
    trondheim, cluster_a = world.ids["trondheim"], world.ids["cluster_a"]
    await login(client, world, "coordinator_trondheim")
    page = f"/kommuner/{trondheim}"
    form = await client.get(page, headers=HTML)
    assert f'<option value="{cluster_a}">Klynge Vest</option>' in form.text
    response = await submit(
        client,
        page,
        f"{page}/soknader",
        {"cluster_id": str(cluster_a), "note": "Vi ønsker å delta i arbeidet med BUP-tiltak."},
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"{page}?notice=core.requested#soknader"
    after = text_of(await client.get(response.headers["location"], headers=HTML))
    assert "Søknaden er sendt" in after
    assert "Venter på vedtak" in after

    await login(client, world, "adviser_a")
    overview = f"/klynger/{cluster_a}"
    pending = text_of(await client.get(overview, headers=HTML))
    assert "Trondheim" in pending
    assert "Vi ønsker å delta" in pending
    found = re.search(rf'action="/klynger/{cluster_a}/soknader/(\d+)"', pending)
    assert found
    # Alver's request comes first; find Trondheim's form by its button.
    actions = re.findall(
        rf'action="/klynger/{cluster_a}/soknader/(\d+)".*?Godkjenn (\w+)', pending, re.S
    )
    membership_id = next(mid for mid, name in actions if name == "Trondheim")
    response = await submit(
        client,
        overview,
        f"{overview}/soknader/{membership_id}",
        {"decision": "approve", "reason": "Velkommen!"},
    )
    assert response.status_code == 303
    approved = text_of(await client.get(response.headers["location"], headers=HTML))
    assert "Søknaden er godkjent" in approved
    members = approved.split('id="medlemmer"')[1].split('id="soknader"')[0]
    assert "Trondheim" in members


async def test_decline_without_a_reason_shows_a_field_error(client, world) -> None:
    await login(client, world, "adviser_a")
    cluster_a, mid = world.ids["cluster_a"], membership(world, "cluster_a", "alver")
    overview = f"/klynger/{cluster_a}"
    response = await submit(
        client, overview, f"{overview}/soknader/{mid}", {"decision": "decline", "reason": "  "}
    )
    assert response.status_code == 422
    page = text_of(response)
    assert "Et avslag må begrunnes." in page
    assert f'id="decide-{mid}-reason-error"' in page
    assert f'aria-describedby="decide-{mid}-reason-hint decide-{mid}-reason-error"' in page
    assert f'href="#decide-{mid}-reason"' in page
    assert 'class="error-summary"' in page
    assert "<title>Feil:" in page
    # With a reason the decline goes through.
    response = await submit(
        client,
        overview,
        f"{overview}/soknader/{mid}",
        {"decision": "decline", "reason": "Klyngen tar ikke opp nye medlemmer i år."},
    )
    assert response.status_code == 303
    page = text_of(await client.get(response.headers["location"], headers=HTML))
    assert "Søknaden er avslått." in page
    assert "Avslått" in page


async def test_adviser_cannot_decide_another_clusters_request(client, world) -> None:
    await login(client, world, "adviser_b")
    cluster_b, mid = world.ids["cluster_b"], membership(world, "cluster_a", "alver")
    response = await submit(
        client,
        f"/klynger/{cluster_b}",
        f"/klynger/{cluster_b}/soknader/{mid}",
        {"decision": "approve"},
    )
    assert response.status_code == 404


async def test_national_id_in_a_note_is_refused_beside_the_field(client, world) -> None:
    await login(client, world, "coordinator_trondheim")
    page = f"/kommuner/{world.ids['trondheim']}"
    response = await submit(
        client,
        page,
        f"{page}/soknader",
        {
            "cluster_id": str(world.ids["cluster_a"]),
            "note": f"Gjelder barnet {synthetic_national_id()}",
        },
    )
    assert response.status_code == 422
    text = text_of(response)
    assert 'id="join-note-error"' in text
    assert "fødselsnummer eller D-nummer" in text
    assert 'aria-describedby="join-note-hint join-note-error"' in text
    # The rest of the note comes back for editing, the number itself does not.
    assert "Gjelder barnet [fjernet]</textarea>" in text
    assert synthetic_national_id() not in text


async def test_request_without_a_cluster_names_the_field(client, world) -> None:
    await login(client, world, "coordinator_trondheim")
    page = f"/kommuner/{world.ids['trondheim']}"
    response = await submit(client, page, f"{page}/soknader", {"cluster_id": "", "note": ""})
    assert response.status_code == 422
    assert 'id="join-cluster_id-error"' in response.text


async def test_coordinator_withdraws_and_leaves(client, world) -> None:
    await login(client, world, "coordinator_alver")
    page = f"/kommuner/{world.ids['alver']}"
    mid = membership(world, "cluster_a", "alver")
    response = await submit(client, page, f"{page}/soknader/{mid}/trekk", {"reason": ""})
    assert response.status_code == 303
    text = text_of(await client.get(response.headers["location"], headers=HTML))
    assert "Søknaden er trekt." in text  # Alver writes nynorsk

    await login(client, world, "coordinator_askoy")
    page = f"/kommuner/{world.ids['askoy']}"
    mid = membership(world, "cluster_a", "askoy")
    response = await submit(
        client, page, f"{page}/medlemskap/{mid}/forlat", {"reason": "Nytt samarbeid."}
    )
    assert response.status_code == 303
    text = text_of(await client.get(response.headers["location"], headers=HTML))
    assert "Kommunen har gått ut av klyngen." in text
    assert "Gått ut av klyngen" in text


async def test_motor_municipality_cannot_leave(client, world) -> None:
    await login(client, world, "adviser_a")
    cluster_a = world.ids["cluster_a"]
    mid = membership(world, "cluster_a", "bergen")
    response = await submit(
        client,
        f"/klynger/{cluster_a}",
        f"/klynger/{cluster_a}/medlemskap/{mid}/avslutt",
        {"reason": ""},
    )
    assert response.status_code == 409
    assert "Motorkommunen kan ikke forlate" in text_of(response)


# --- admin ------------------------------------------------------------------------------------


async def test_admin_creates_a_user_through_the_form(client, world) -> None:
    await login(client, world, "admin")
    response = await submit(
        client,
        "/admin/users",
        "/admin/users",
        {"name": "", "email": "ikke-en-adresse", "password": "kort", "language": ""},
    )
    assert response.status_code == 422
    page = text_of(response)
    assert 'id="create-name-error"' in page
    assert 'aria-invalid="true"' in page
    assert 'value="ikke-en-adresse"' in page
    assert 'value="kort"' not in page  # a password is never sent back
    response = await submit(
        client,
        "/admin/users",
        "/admin/users",
        {"name": "Kari Nordmann", "email": "ikke-en-adresse", "password": "langt-nok-passord"},
    )
    assert response.status_code == 422
    assert 'id="create-email-error"' in response.text
    response = await submit(
        client,
        "/admin/users",
        "/admin/users",
        {"name": "Kari Nordmann", "email": "kari@bergen.kommune.no", "password": "kort"},
    )
    assert response.status_code == 422
    assert "Passordet må ha minst 10 tegn." in text_of(response)
    response = await submit(
        client,
        "/admin/users",
        "/admin/users",
        {
            "name": "Kari Nordmann",
            "email": "Kari@Bergen.kommune.no",
            "password": "langt-nok-passord",
            "language": "nn",
        },
    )
    assert response.status_code == 303
    location = response.headers["location"]
    assert re.fullmatch(r"/admin/users/\d+\?notice=core.user-created", location)
    page = text_of(await client.get(location, headers=HTML))
    assert "Kari Nordmann" in page
    assert "kari@bergen.kommune.no" in page
    # The same address again is a conflict on the e-mail field.
    response = await submit(
        client,
        "/admin/users",
        "/admin/users",
        {"name": "Kari", "email": "kari@bergen.kommune.no", "password": "langt-nok-passord"},
    )
    assert response.status_code == 409
    assert 'id="create-email-error"' in response.text
    # The new user can log in.
    client.cookies.clear()
    token = await csrf_token(client)
    response = await client.post(
        "/login",
        data={
            "email": "kari@bergen.kommune.no",
            "password": "langt-nok-passord",
            "_csrf_token": token,
        },
        headers=HTML,
        follow_redirects=False,
    )
    assert response.status_code == 303


async def test_admin_grants_revokes_and_deactivates(client, world) -> None:
    await login(client, world, "admin")
    account = world.accounts["nobody"]
    page = f"/admin/users/{account}"
    # A role whose organisation is of the wrong kind is refused beside the picker.
    response = await submit(
        client,
        page,
        f"{page}/roles",
        {"role": "adviser", "org_id": f"municipality:{world.ids['bergen']}"},
    )
    assert response.status_code == 422
    assert 'id="grant-org_id-error"' in response.text
    response = await submit(
        client,
        page,
        f"{page}/roles",
        {"role": "adviser", "org_id": f"cluster:{world.ids['cluster_a']}"},
    )
    assert response.status_code == 303
    text = text_of(await client.get(page, headers=HTML))
    assert "FoU-rådgiver" in text
    assert "Klynge Vest" in text
    grant = re.search(rf'action="/admin/users/{account}/roles/(\d+)/revoke"', text)
    assert grant
    response = await submit(client, page, f"{page}/roles/{grant.group(1)}/revoke", {})
    assert response.status_code == 303
    text = text_of(await client.get(page, headers=HTML))
    assert "Brukeren har ingen roller." in text
    response = await submit(client, page, f"{page}/status", {"active": "0"})
    assert response.status_code == 303
    text = text_of(await client.get(page, headers=HTML))
    assert "Deaktivert" in text
    # An admin cannot deactivate themself (no button, and the rule holds on a forged POST).
    own = f"/admin/users/{world.accounts['admin']}"
    assert f'action="{own}/status"' not in (await client.get(own, headers=HTML)).text
    response = await submit(client, own, f"{own}/status", {"active": "0"})
    assert response.status_code == 409


async def test_user_search(client, world) -> None:
    await login(client, world, "admin")
    page = await client.get("/admin/users?q=adviser", headers=HTML)
    assert "Adviser A" in page.text
    assert "Coordinator Alver" not in page.text
    assert "2 brukere" in page.text
    page = await client.get("/admin/users?q=nobody", headers=HTML)
    assert "1 bruker<" in page.text


async def test_admin_creates_organisations_with_validation(client, world) -> None:
    await login(client, world, "admin")
    page = "/admin/organisations"
    response = await submit(
        client,
        page,
        f"{page}/research-groups",
        {"name": "RKBU Vest", "institution": "NORCE", "org_number": "123456789", "sector": "uoh"},
    )
    assert response.status_code == 422
    assert 'id="group-org_number-error"' in response.text
    response = await submit(
        client,
        page,
        f"{page}/research-groups",
        {
            "name": "RKBU Vest",
            "institution": "NORCE",
            "org_number": "974 760 673",
            "sector": "institute",
        },
    )
    assert response.status_code == 303, response.text
    response = await submit(
        client, page, f"{page}/funders", {"name": "Forskningsrådet", "org_number": "970141669"}
    )
    assert response.status_code == 303, response.text
    response = await submit(
        client, page, f"{page}/municipalities", {"number": "12", "name": "Feil"}
    )
    assert response.status_code == 422
    assert 'id="municipality-number-error"' in response.text
    response = await submit(
        client,
        page,
        f"{page}/municipalities",
        {"number": "3201", "name": "Bærum", "population": "130000", "language": "bokmal"},
    )
    assert response.status_code == 303, response.text
    response = await submit(
        client,
        page,
        f"{page}/clusters",
        {"name": "", "motor_municipality_id": "", "description": ""},
    )
    assert response.status_code == 422
    assert 'id="cluster-name-error"' in response.text
    assert 'id="cluster-motor_municipality_id-error"' in response.text
    response = await submit(
        client,
        page,
        f"{page}/clusters",
        {
            "name": "Klynge Øst",
            "motor_municipality_id": str(world.ids["askoy"]),
            "description": "Samarbeid i øst.",
            "adviser_ids": [str(world.accounts["nobody"])],
        },
    )
    assert response.status_code == 303, response.text
    text = text_of(await client.get(page, headers=HTML))
    for name in ("RKBU Vest", "Forskningsrådet", "Bærum", "Klynge Øst"):
        assert name in text


# --- import job ------------------------------------------------------------------------------


async def _wait_for(client: Any, job_url: str) -> dict[str, Any]:
    for _ in range(200):
        response = await client.get(f"{job_url}/status", headers={"accept": "application/json"})
        assert response.status_code == 200, response.text
        job = response.json()
        if job["status"] in ("done", "failed"):
            return job
        await asyncio.sleep(0.05)
    raise AssertionError("the job did not finish")


async def _upload(
    client: Any, name: str, content: bytes, page: str = "/admin/organisations"
) -> Any:
    token = await csrf_token(client, page)
    return await client.post(
        "/admin/organisations/municipalities/import",
        data={"_csrf_token": token},
        files={"file": (name, content, "text/csv")},
        headers=HTML,
        follow_redirects=False,
    )


async def test_municipality_import_runs_as_a_job_with_a_progress_page(client, world) -> None:
    await login(client, world, "admin")
    csv = "kommunenummer;navn;målform\n3201;Bærum;bokmål\n3203;Asker;bokmål\n".encode()
    response = await _upload(client, "kommuner.csv", csv)
    assert response.status_code == 303, response.text
    job_url = response.headers["location"]
    assert re.fullmatch(r"/jobs/[0-9a-f-]{36}", job_url)
    page = await client.get(job_url, headers=HTML)
    assert page.status_code == 200
    assert "<progress" in page.text
    assert 'aria-live="polite"' in page.text
    assert f'href="{job_url}"' in page.text  # works without JavaScript
    assert '<script src="/static/js/job.js"' in page.text
    job = await _wait_for(client, job_url)
    assert job["status"] == "done", job
    assert job["result_url"] == "/admin/organisations"
    page = text_of(await client.get(job_url, headers=HTML))
    assert 'value="100"' in page
    assert "2 kommuner importert." in page
    assert 'href="/admin/organisations"' in page
    assert "Asker" in text_of(await client.get("/admin/organisations", headers=HTML))
    # Someone else cannot follow the job.
    await login(client, world, "adviser_a")
    other = await client.get(f"{job_url}/status", headers={"accept": "application/json"})
    assert other.status_code == 404


async def test_failed_import_shows_the_row_errors(client, world) -> None:
    await login(client, world, "admin")
    response = await _upload(client, "kommuner.csv", b"kommunenummer;navn\n9999;Feil\n4601;\n")
    assert response.status_code == 303
    job_url = response.headers["location"]
    job = await _wait_for(client, job_url)
    assert job["status"] == "failed"
    page = text_of(await client.get(job_url, headers=HTML))
    assert "Rett feilene" in page
    rows = re.findall(r"<tr>\s*<td>(\d+)</td>\s*<td>([^<]+)</td>\s*<td>([^<]+)</td>", page)
    assert ("2", "kommunenummer") in {(row, column) for row, column, _ in rows}
    assert ("3", "navn") in {(row, column) for row, column, _ in rows}


async def test_upload_form_refuses_a_wrong_file_type(client, world) -> None:
    await login(client, world, "admin")
    response = await _upload(client, "kommuner.pdf", b"%PDF-1.7")
    assert response.status_code == 415
    assert 'id="import-file-error"' in response.text
    assert ".xlsx eller .csv" in text_of(response)


async def test_import_needs_an_admin_and_a_token(client, world) -> None:
    await login(client, world, "adviser_a")
    response = await _upload(
        client, "kommuner.csv", "kommunenummer;navn\n3201;Bærum\n".encode(), page="/"
    )
    assert response.status_code == 403
    await login(client, world, "admin")
    response = await client.post(
        "/admin/organisations/municipalities/import",
        files={"file": ("kommuner.csv", "kommunenummer;navn\n3201;Bærum\n".encode(), "text/csv")},
        headers=HTML,
        follow_redirects=False,
    )
    assert response.status_code == 403


# --- audit, errors, headers, static ---------------------------------------------------------------


async def test_audit_page_shows_only_the_advisers_cluster(client, world) -> None:
    await login(client, world, "adviser_a")
    cluster_a = world.ids["cluster_a"]
    mid = membership(world, "cluster_a", "alver")
    await submit(
        client,
        f"/klynger/{cluster_a}",
        f"/klynger/{cluster_a}/soknader/{mid}",
        {"decision": "approve"},
    )
    page = await client.get("/logg", headers=HTML)
    assert "Medlemskap godkjent" in page.text  # the event's label, never its code
    assert "membership.approve" not in page.text
    await login(client, world, "adviser_b")
    page = await client.get("/logg", headers=HTML)
    assert page.status_code == 200
    assert "Medlemskap godkjent" not in page.text


@pytest.mark.parametrize(
    ("path", "status", "heading"),
    [
        ("/finnes-ikke", 404, "Vi fant ikke siden"),
        ("/klynger/999999", 403, "Du har ikke tilgang til denne siden"),
        ("/jobs/ikke-en-jobb", 404, "Vi fant ikke siden"),
    ],
)
async def test_friendly_error_pages(client, world, path: str, status: int, heading: str) -> None:
    await login(client, world, "adviser_a")
    response = await client.get(path, headers=HTML)
    assert response.status_code == status
    page = text_of(response)
    assert heading in page
    assert "Traceback" not in page
    assert 'File "' not in page
    assert 'href="/"' in page


async def test_security_headers_on_pages(client) -> None:
    response = await client.get("/", headers=HTML)
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"
    # No inline scripts or styles: the CSP would block them.
    assert not re.search(r"<script(?![^>]*\bsrc=)", response.text)
    assert "style=" not in response.text
    assert "<style" not in response.text


async def test_static_files_are_served(client) -> None:
    for path in (
        "/static/css/klynge.css",
        "/static/js/klynge.js",
        "/static/js/job.js",
        "/static/favicon.svg",
    ):
        response = await client.get(path)
        assert response.status_code == 200, path


async def test_no_positive_tabindex_anywhere(client, world) -> None:
    await login(client, world, "admin")
    for path in ("/", "/admin/users", "/admin/organisations", f"/klynger/{world.ids['cluster_a']}"):
        page = (await client.get(path, headers=HTML)).text
        assert not re.search(r'tabindex="[1-9]', page), path
        for field in re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', page):
            assert f'for="{field}"' in page, (path, field)


async def test_a_coordinator_adds_a_service_to_their_own_municipality(client, world) -> None:
    from klynge.orgs.tables import Service

    await login(client, world, "coordinator_trondheim")
    page = f"/kommuner/{world.ids['trondheim']}"
    missing = await submit(client, page, f"{page}/tjenester", {"name": "Barnevernet"})
    assert missing.status_code == 422
    assert 'id="service-service_type-error"' in text_of(missing)
    added = await submit(
        client, page, f"{page}/tjenester", {"service_type": "barnevern", "name": "Barnevernet"}
    )
    assert (added.status_code, added.headers["location"]) == (
        303,
        f"{page}?notice=core.service-added#tjenester",
    )
    rows = await Service.select(Service.name).where(Service.municipality == world.ids["trondheim"])
    assert [r["name"] for r in rows] == ["Barnevernet"]
    assert "Barnevernet (Barnevern)" in text_of(await client.get(page, headers=HTML))
    # Another municipality's coordinator cannot add to Trondheim.
    await login(client, world, "coordinator_askoy")
    own = f"/kommuner/{world.ids['askoy']}"
    other = await submit(client, own, f"{page}/tjenester", {"service_type": "skole", "name": "S"})
    assert other.status_code == 403
