"""The core's use-case errors are msgids translated when shown: bokmål by default, nynorsk and
English for callers who chose them."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.conftest import World
from tests.platform.conftest import assert_problem

TOKEN = re.compile(r'name="_csrf_token" value="([^"]+)"')
BAD_NUMBER = {"number": "4600", "name": "Ingen", "language": "neutral"}
TEXTS = {
    "nb": "4600 er et fylkesnummer, ikke et kommunenummer.",
    "nn": "4600 er eit fylkesnummer, ikkje eit kommunenummer.",
    "en": "4600 is a county number, not a municipality number.",
}


async def _speaks(world: World, key: str, language: str) -> None:
    from klynge.auth.tables import Account

    await Account.update({Account.language: language}).where(Account.id == world.accounts[key])


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
async def test_a_refused_municipality_number_in_the_callers_language(
    client: Any, world: World, language: str
) -> None:
    await _speaks(world, "admin", language)
    response = await client.post(
        "/api/municipalities", headers=world.headers["admin"], json=BAD_NUMBER
    )
    body = assert_problem(response, 422)
    assert body["detail"] == TEXTS[language]
    assert body["errors"] == [{"field": "number", "message": TEXTS[language]}]


async def test_a_conflict_with_params_in_nynorsk(client: Any, world: World) -> None:
    await _speaks(world, "admin", "nn")
    response = await client.post(
        "/api/municipalities",
        headers=world.headers["admin"],
        json={"number": "4601", "name": "Bergen", "language": "neutral"},
    )
    body = assert_problem(response, 409)
    assert body["detail"] == "Kommunenummer 4601 finst allereie."


async def test_not_found_in_english_for_an_english_user(client: Any, world: World) -> None:
    await _speaks(world, "admin", "en")
    response = await client.get("/api/municipalities/999999", headers=world.headers["admin"])
    assert assert_problem(response, 404)["detail"] == "We could not find the municipality."


async def test_anonymous_caller_gets_english_with_accept_language_en(client: Any) -> None:
    # The language switch refuses a language it does not know, in the browser's language.
    page = await client.get("/login", headers={"Accept": "text/html", "Accept-Language": "en"})
    token = TOKEN.search(page.text)
    assert token
    response = await client.post(
        "/language",
        data={"language": "xx", "next": "/", "_csrf_token": token.group(1)},
        headers={"Accept-Language": "en", "Accept": "application/json"},
    )
    assert response.status_code == 422, response.text
    assert response.json()["detail"] == "Unknown language."


async def test_a_method_not_allowed_page_is_translated(client: Any) -> None:
    """The framework's own refusals (405 here) read in the caller's language, never as
    Litestar's English phrase."""
    details = {}
    for lang in ("nb", "nn", "en"):
        response = await client.delete(
            "/login", headers={"Accept": "text/html", "Accept-Language": lang}
        )
        assert response.status_code == 405
        assert "Method Not Allowed" not in response.text
        api = await client.delete("/api/needs/", headers={"Accept-Language": lang})
        details[lang] = assert_problem(api, 405)["detail"]
    assert details["en"].startswith("This address does not take that kind of request.")
    assert details["nb"].startswith("Denne adressen tar ikke imot den typen forespørsel.")
    assert details["nn"].startswith("Denne adressa tek ikkje imot den typen førespurnad.")
