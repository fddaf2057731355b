"""Reasons the code writes into a need's history ("Submitted", "Part of the priority round
«X»") show in the reader's language, also rows stored in bokmål before; reasons people write
show as written."""

from __future__ import annotations

import html
from typing import Any

import pytest

from klynge.i18n import set_language
from priorities import need_reasons as nr
from tests.platform.test_views import HTML, login
from tests.priorities.conftest import need_body


@pytest.mark.parametrize(
    ("stored", "en", "nn"),
    [
        ("Submitted", "Submitted", "Innsendt"),
        ("Sendt inn", "Submitted", "Innsendt"),
        (
            "Med i prioriteringsrunden «Vår 2027»",
            "Part of the priority round «Vår 2027»",
            "Med i prioriteringsrunden «Vår 2027»",
        ),
        ("Litteratursjekk 4: delvis besvart", "Literature check 4: partly answered",
         "Litteratursjekk 4: delvis svara"),
        ("Behovet er dekket av et annet.", "Behovet er dekket av et annet.",
         "Behovet er dekket av et annet."),
    ],
)  # fmt: skip
def test_a_code_written_reason_reads_in_the_readers_language(stored: str, en: str, nn: str) -> None:
    shown = {}
    for lang in ("en", "nn"):
        token = set_language(lang)
        shown[lang] = nr.show(stored)
        token.var.reset(token)
    assert shown == {"en": en, "nn": nn}


def test_every_code_written_reason_is_recognised_when_stored() -> None:
    for msgid in nr.KNOWN:
        params = {"name": "Høst «2027»", "id": "12"}
        stored = nr.reason(msgid, **params) if "%(" in msgid else msgid
        assert nr.parse(stored) == (msgid, {k: v for k, v in params.items() if f"%({k})" in msgid})


async def test_the_history_on_the_need_page_reads_in_english(client: Any, needs_world: Any) -> None:
    from klynge.auth.tables import Account

    w = needs_world
    coordinator = w.headers["coordinator_askoy"]
    made = await client.post("/api/needs", json=need_body(w, submit=False), headers=coordinator)
    assert made.status_code == 201, made.text
    need_id = made.json()["id"]
    sent = await client.post(f"/api/needs/{need_id}/submit", headers=coordinator)
    assert sent.status_code == 200, sent.text
    body = {"cluster_id": w.ids["cluster_a"], "name": "Høst 2027", "need_ids": [need_id],
            "raters": [{"account_id": w.accounts["leader_askoy"], "group": "leaders"}]}  # fmt: skip
    opened = await client.post("/api/rounds", json=body, headers=w.headers["adviser_a"])
    assert opened.status_code == 201, opened.text
    await Account.update({Account.language: "en"}).where(
        Account.id == w.accounts["coordinator_askoy"]
    )
    await login(client, w, "coordinator_askoy")
    page = html.unescape((await client.get(f"/behov/{need_id}", headers=HTML)).text)
    assert '<html lang="en">' in page
    assert "<td>Submitted</td>" in page
    assert "<td>Part of the priority round «Høst 2027»</td>" in page
    assert "– Part of the priority round «Høst 2027»</p>" in page
    for bokmal in ("Sendt inn", "Opprettet", "Med i prioriteringsrunden"):
        assert bokmal not in page
