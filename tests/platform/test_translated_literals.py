"""Messages that used to be written in bokmål in the code are msgids now, shown in the reader's
language: 401 answers, password rules, the spreadsheet toolkit's whole-file errors, the reason
the platform writes for a cluster's motor municipality, and job summaries. Plus a guard: no
`raise` in the core, projects/ or literature/ carries Norwegian text of its own, nor does a
message the literature app writes for the user (a file's problems, an import job's progress
and summary, PRISMA consistency); tests/literature/test_translated_messages.py checks those in
en/nn/nb."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import World
from tests.platform.conftest import assert_problem

ROOT = Path(__file__).resolve().parents[2]
EN = {"accept-language": "en-GB,en;q=0.9"}
NN = {"accept-language": "nn-NO"}


async def _speaks(world: World, key: str, language: str) -> None:
    from klynge.auth.tables import Account

    await Account.update({Account.language: language}).where(Account.id == world.accounts[key])


@pytest.mark.parametrize(
    ("headers", "detail"),
    [
        ({}, "Du må logge inn."),
        (EN, "You must log in."),
        ({**EN, "authorization": "Basic abc"}, "Use «Authorization: Bearer <token>»."),
        ({**NN, "authorization": "Basic abc"}, "Bruk «Authorization: Bearer <token>»."),
    ],
)
async def test_401_answers_in_the_visitors_language(
    client: Any, headers: dict[str, str], detail: str
) -> None:
    body = assert_problem(await client.get("/api/auth/me", headers=headers), 401)
    assert body["detail"] == detail


async def test_bad_token_and_bad_login_in_english(client: Any, world: World) -> None:
    response = await client.get("/api/auth/me", headers={**EN, "authorization": "Bearer a.b.c"})
    assert assert_problem(response, 401)["detail"].startswith("The token is not valid: ")
    response = await client.post(
        "/api/auth/token",
        json={"email": "adviser_a@test.klynge.no", "password": "feil-passord-123"},
        headers=EN,
    )
    assert assert_problem(response, 401)["detail"] == "Wrong e-mail address or password."


@pytest.mark.parametrize(
    ("language", "short", "same"),
    [
        (
            "en",
            "The password must have at least 10 characters.",
            "The password cannot be the same as the e-mail address.",
        ),
        (
            "nb",
            "Passordet må ha minst 10 tegn.",
            "Passordet kan ikke være det samme som e-postadressen.",
        ),
        (
            "nn",
            "Passordet må ha minst 10 teikn.",
            "Passordet kan ikkje vere det same som e-postadressa.",
        ),
    ],
)
async def test_password_rules_in_the_callers_language(
    client: Any, world: World, language: str, short: str, same: str
) -> None:
    await _speaks(world, "admin", language)
    for password, message in (("kort", short), ("ny@test.klynge.no", same)):
        response = await client.post(
            "/api/accounts",
            headers=world.headers["admin"],
            json={"name": "Ny Bruker", "email": "ny@test.klynge.no", "password": password},
        )
        body = assert_problem(response, 422)
        assert body["detail"] == message
        assert body["errors"] == [{"field": "password", "message": message}]


@pytest.mark.parametrize(
    ("language", "empty", "too_many"),
    [
        ("en", "The file is empty.", "The file has more than 1 rows of data."),
        ("nb", "Filen er tom.", "Filen har flere enn 1 rader med data."),
        ("nn", "Fila er tom.", "Fila har fleire enn 1 rader med data."),
    ],
)
def test_spreadsheet_errors_in_the_current_language(
    language: str, empty: str, too_many: str
) -> None:
    from klynge import excel, i18n

    token = i18n.set_language(language)
    try:
        with pytest.raises(excel.FileFormatError) as caught:
            excel.read_csv(excel.decode_csv(b"", excel.Limits()), excel.Limits())
        assert str(caught.value) == empty
        with pytest.raises(excel.FileFormatError) as caught:
            excel.read_csv("a;b\n1;2\n3;4\n", excel.Limits(max_rows=1))
        assert str(caught.value).startswith(too_many)
    finally:
        i18n._current.reset(token)


async def test_the_motor_municipality_reason_in_the_readers_language(
    client: Any, world: World
) -> None:
    from klynge.orgs.tables import ClusterMembership

    response = await client.post(
        "/api/clusters",
        headers=world.headers["admin"],
        json={"name": "Klynge Nord", "motor_municipality_id": world.ids["alver"]},
    )
    assert response.status_code == 201, response.text
    cluster_id = response.json()["id"]
    # A row written before the reason was a msgid says it in bokmål: shown translated too.
    await ClusterMembership.update({ClusterMembership.decision_reason: "Motorkommune"}).where(
        ClusterMembership.cluster == world.ids["cluster_a"]
    )
    for cluster in (cluster_id, world.ids["cluster_a"]):
        for language, reason in (("en", "Motor municipality"), ("nb", "Motorkommune")):
            await _speaks(world, "admin", language)
            listed = await client.get(
                f"/api/clusters/{cluster}/memberships?status=member",
                headers=world.headers["admin"],
            )
            assert listed.status_code == 200, listed.text
            reasons = {m["decision_reason"] for m in listed.json()}
            assert reason in reasons, (cluster, language, reasons)


# --- a guard against new Norwegian literals in raised messages -------------------------------

NORWEGIAN = re.compile(
    r"[æøåÆØÅ]|\b(?:[Ff]ilen|ikke|prøv|Du må|Ugyldig|behov har|Referanse|referanser|poster|lest"
    r"|mangler|ble)\b"
)
GUARDED = ("platform/klynge", "projects", "literature")
# Calls whose string arguments reach the user: a file's problem, a job's progress and outcome.
MESSAGE_CALLS = {"Problem", "problem", "progress", "finish", "fail_import", "JobFailed", "append"}
# Literals that name Norwegian things on purpose (a form field's Norwegian name in a msgid).
ALLOWED = {"målform"}


def _called(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _raised_literals(path: Path) -> list[tuple[int, str]]:
    """String constants in what a `raise` raises, and in the arguments of the calls that
    write a message for the user (MESSAGE_CALLS)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        calls: list[ast.Call] = []
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            calls.append(node.exc)
        elif isinstance(node, ast.Call) and _called(node) in MESSAGE_CALLS:
            calls.append(node)
        for call in calls:
            for arg in [*call.args, *(k.value for k in call.keywords)]:
                for part in ast.walk(arg):
                    if isinstance(part, ast.Constant) and isinstance(part.value, str):
                        found.append((node.lineno, part.value))
    return found


def test_no_raise_in_the_core_projects_or_literature_carries_norwegian_text() -> None:
    offenders = []
    for folder in GUARDED:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "demo" in path.name or path.stem.startswith("scale"):
                continue  # demo and national-scale content: generated Norwegian data, not UI
            for line, text in _raised_literals(path):
                if text in ALLOWED or re.search(r"bokmål(,| or) nynorsk", text):
                    continue  # a msgid naming the written standards
                if NORWEGIAN.search(text):
                    offenders.append(f"{path.relative_to(ROOT)}:{line}: {text[:70]}")
    assert not offenders, "write an English msgid (N_) and translate it:\n" + "\n".join(offenders)
