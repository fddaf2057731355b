"""The UI's catalogues: every message of the core's and every app's templates and code has
bokmål and nynorsk text with the same placeholders, and pages follow the user's language."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import pytest
from babel.messages.catalog import Message

from klynge import i18n
from klynge.i18n import extract

HTML = {"accept": "text/html"}
TOKEN = re.compile(r'name="_csrf_token" value="([^"]+)"')
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
# Words that only exist in one of the two written standards.
BOKMAL_ONLY = re.compile(
    r"\b(ikke|hva|hvem|hvis|hvordan|hvorfor|hvor|noen|noe|bruker|brukere|tjeneste|tjenester|"
    r"hele|mye|jeg|hjelpemidler|gjør|forskning|velg)\b",
    re.IGNORECASE,
)
NYNORSK_ONLY = re.compile(
    r"\b(ikkje|kva|kven|korleis|kvifor|kvar|nokon|noko|nokre|brukar|brukarar|teneste|tenester|"
    r"heile|mykje|eg|berre|frå|vel|forsking|eit)\b",
    re.IGNORECASE,
)


@cache
def domain_messages() -> dict[str, tuple[Message, ...]]:
    """Messages of the core's and each app's templates and Python code, and the labels
    translated at run time, per catalogue."""
    return {d.name: tuple(m for m in extract.extract(d) if m.id) for d in extract.domains()}


def _ids() -> set[str]:
    return {t for ms in domain_messages().values() for m in ms for t in extract.forms(m.id)}


def _catalogues(language: str) -> list[Any]:
    return [extract.load(d, language) for d in extract.domains()]


def _texts(language: str) -> list[str]:
    return [
        t
        for catalog in _catalogues(language)
        for m in catalog
        if m.id
        for t in extract.forms(m.string)
        if t
    ]


def test_every_app_has_its_own_catalogue() -> None:
    assert [d.name for d in extract.domains()] == ["core", "priorities", "literature", "projects"]
    messages = domain_messages()
    assert "Skip to main content" in {m.id for m in messages["core"]}
    assert "Knowledge needs" in {m.id for m in messages["priorities"]}  # a menu entry
    assert "Download as" in {m.id for m in messages["literature"]}
    assert "The profile was saved." in {m.id for m in messages["projects"]}  # a notice


def test_extraction_finds_templates_views_and_labels() -> None:
    ids = _ids()
    assert "Skip to main content" in ids  # base.html
    assert "We could not find the page" in ids  # error.html
    assert "Wrong e-mail address or password." in ids  # views/public.py
    assert "The request was declined." in ids  # N_() in views/common.py
    assert "R&D adviser" in ids  # ROLE_LABELS
    assert "Child welfare (barnevern)" in ids  # SERVICE_TYPE_LABELS
    assert "%(num)s users" in ids  # ngettext in a template
    assert "Report a knowledge need" in ids  # priorities/templates
    assert "The need was saved as a draft." in ids  # N_() in priorities/notices.py
    assert "The screening decision was saved." in ids  # literature
    assert "Research groups" in ids  # a projects menu entry


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_every_message_has_a_translation(language: str) -> None:
    missing = {d.name: extract.untranslated(d, language) for d in extract.domains()}
    assert not any(missing.values()), (
        f"{language}: run `python -m klynge.i18n.extract` and translate {missing}"
    )


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_placeholders_match_and_no_stray_percent(language: str) -> None:
    for message in (m for catalog in _catalogues(language) for m in catalog):
        if not message.id:
            continue
        # A plural's forms must each carry the placeholders of the plural msgid.
        msgid = extract.forms(message.id)[-1]
        for msgstr in [t for t in extract.forms(message.string) if t]:
            assert sorted(PLACEHOLDER.findall(msgid)) == sorted(PLACEHOLDER.findall(msgstr)), msgid
        # Jinja's newstyle gettext always applies "%": a lone percent sign would crash a page.
        for text in extract.forms(message.id) + extract.forms(message.string):
            assert "%" not in PLACEHOLDER.sub("", text).replace("%%", ""), text


def test_nynorsk_is_nynorsk_and_bokmal_is_bokmal() -> None:
    nynorsk, bokmal = _texts("nn"), _texts("nb")
    assert [s for s in nynorsk if BOKMAL_ONLY.search(s)] == []
    assert [s for s in bokmal if NYNORSK_ONLY.search(s)] == []
    # The two are different languages, not one copied into the other.
    assert len(set(nynorsk) - set(bokmal)) > len(nynorsk) // 3


def test_compiled_catalogues_translate() -> None:
    token = i18n.set_language("nn")
    try:
        assert i18n.gettext("My organisations") == "Organisasjonane mine"
        i18n.set_language("nb")
        assert i18n.gettext("My organisations") == "Mine organisasjoner"
        i18n.set_language("en")
        assert i18n.gettext("My organisations") == "My organisations"  # falls back to the msgid
    finally:
        i18n._current.reset(token)


# --- pages -----------------------------------------------------------------------------------


async def _token(client: Any, page: str) -> str:
    response = await client.get(page, headers=HTML)
    found = TOKEN.search(response.text)
    assert found
    return found.group(1)


async def _login(client: Any, world: Any, key: str) -> None:
    client.cookies.clear()
    token = await _token(client, "/login")
    response = await client.post(
        "/login",
        data={"email": f"{key}@test.klynge.no", "password": world.password, "_csrf_token": token},
        headers=HTML,
        follow_redirects=False,
    )
    assert response.status_code == 303


async def _switch(client: Any, language: str, next_path: str = "/") -> Any:
    token = await _token(client, next_path)
    return await client.post(
        "/language",
        data={"language": language, "next": next_path, "_csrf_token": token},
        headers=HTML,
        follow_redirects=False,
    )


async def test_nynorsk_municipality_gets_nynorsk_then_english_after_switching(
    client, world
) -> None:
    from klynge.auth.tables import Account

    await _login(client, world, "coordinator_alver")  # Alver's language decision is nynorsk
    page = (await client.get("/", headers=HTML)).text
    assert '<html lang="nn">' in page
    assert "Organisasjonane mine" in page
    assert "Hopp til hovudinnhaldet" in page
    assert "Kommunen min" in page

    response = await _switch(client, "en")
    assert response.status_code == 303
    assert response.headers["location"] == "/"
    page = (await client.get("/", headers=HTML)).text
    assert '<html lang="en">' in page
    assert "My organisations" in page
    assert "Skip to main content" in page
    row = (
        await Account.select(Account.language)
        .where(Account.id == world.accounts["coordinator_alver"])
        .first()
    )
    assert row == {"language": "en"}
    # The choice belongs to the user, not to the browser: it survives a new login.
    await _login(client, world, "coordinator_alver")
    assert '<html lang="en">' in (await client.get("/", headers=HTML)).text


async def test_bokmal_municipality_and_no_municipality_get_bokmal(client, world) -> None:
    for key in ("coordinator_trondheim", "admin"):
        await _login(client, world, key)
        page = (await client.get("/mine-organisasjoner", headers=HTML)).text
        assert '<html lang="nb">' in page
        assert "Mine organisasjoner" in page


async def test_anonymous_choice_is_kept_in_a_cookie(client) -> None:
    response = await _switch(client, "nn", "/personvern")
    assert response.status_code == 303
    assert response.headers["location"] == "/personvern"
    cookie = next(
        c for c in response.headers.get_list("set-cookie") if c.startswith("klynge_lang=")
    )
    assert cookie.startswith("klynge_lang=nn;")
    page = (await client.get("/personvern", headers=HTML)).text
    assert '<html lang="nn">' in page
    assert "Dette lagrar vi om deg som brukar" in page


async def test_browser_language_is_the_default_for_anonymous_users(client) -> None:
    page = await client.get("/", headers={**HTML, "accept-language": "en-GB,en;q=0.8"})
    assert '<html lang="en">' in page.text
    page = await client.get("/", headers={**HTML, "accept-language": "nn-NO"})
    assert '<html lang="nn">' in page.text


async def test_unknown_language_is_refused(client) -> None:
    response = await _switch(client, "de")
    assert response.status_code == 422
    assert "Ukjent språk." in response.text
