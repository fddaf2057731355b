"""The literature app's file errors, import job messages and PRISMA consistency messages are
msgids, shown in the reader's language: an import in the language of whoever started it."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import World
from tests.literature.conftest import RIS, import_file

DATA = Path(__file__).parent / "data"


async def _speaks(world: World, key: str, language: str) -> None:
    from klynge.auth.tables import Account

    await Account.update({Account.language: language}).where(Account.id == world.accounts[key])


async def _job(client: Any, headers: dict[str, str], job_id: str) -> dict[str, Any]:
    for _ in range(400):
        job = (await client.get(f"/api/jobs/{job_id}", headers=headers)).json()
        if job["status"] in ("done", "failed"):
            return dict(job)
        await asyncio.sleep(0.02)
    raise AssertionError(f"job {job_id} did not finish")


@pytest.fixture
def speaking() -> Iterator[Any]:
    """Set the current language for pure code; reset afterwards."""
    from klynge import i18n

    tokens = []

    def speak(language: str) -> None:
        tokens.append(i18n.set_language(language))

    yield speak
    for token in reversed(tokens):
        i18n._current.reset(token)


CUT = {
    "en": (
        "The RIS file is cut off: the reference starting on line 23 lacks the closing «ER  - ». "
        "Nothing was read; upload the whole file again.",
        "The file was not imported: ",
    ),
    "nn": (
        "RIS-fila er avkorta: referansen som startar på linje 23 manglar avslutninga «ER  - ». "
        "Ingenting vart lese inn; last opp heile fila på nytt.",
        "Fila vart ikkje importert: ",
    ),
    "nb": (
        "RIS-filen er avkuttet: referansen som starter på linje 23 mangler avslutningen "
        "«ER  - ». Ingenting ble lest inn; last opp hele filen på nytt.",
        "Filen ble ikke importert: ",
    ),
}


@pytest.mark.parametrize("language", ["en", "nn", "nb"])
async def test_a_broken_ris_file_is_reported_in_the_starters_language(
    client: Any, needs_world: World, language: str
) -> None:
    await _speaks(needs_world, "adviser_a", language)
    adviser = needs_world.headers["adviser_a"]
    whole = (DATA / "search_export.ris").read_bytes()
    out = await import_file(client, adviser, whole[: whole.index(b"AB  - Children")])
    reason, prefix = CUT[language]
    assert out["status"] == "failed"
    assert out["problems"] == [{"record": 0, "reason": reason}]
    job = await _job(client, adviser, out["job_id"])
    assert job["status"] == "failed"
    assert job["message"] == prefix + reason


@pytest.mark.parametrize(
    ("language", "problem", "summary"),
    [
        (
            "en",
            "Reference 2 has no title and was not read.",
            "3 read, 2 new, 0 duplicates, 0 possible duplicates, 1 problems.",
        ),
        (
            "nn",
            "Referanse 2 manglar tittel og vart ikkje lesen inn.",
            "3 lesne, 2 nye, 0 duplikat, 0 moglege duplikat, 1 problem.",
        ),
    ],
)
async def test_a_record_without_title_and_the_summary_in_the_starters_language(
    client: Any, needs_world: World, language: str, problem: str, summary: str
) -> None:
    await _speaks(needs_world, "adviser_a", language)
    adviser = needs_world.headers["adviser_a"]
    untitled = RIS.replace("TI  - School absence and child welfare: a register study\n", "")
    out = await import_file(client, adviser, untitled)
    assert out["status"] == "done"
    assert out["problems"] == [{"record": 2, "reason": problem}]
    job = await _job(client, adviser, out["job_id"])
    assert job["message"] == summary
    # Someone else reading the stored report sees what the starter saw (written once).
    await _speaks(needs_world, "adviser_a", "nb")
    again = await client.get(f"/api/literature/imports/{out['id']}", headers=adviser)
    assert again.json()["problems"] == [{"record": 2, "reason": problem}]


@pytest.mark.parametrize(
    ("language", "zipped", "no_title"),
    [
        (
            "en",
            "The file is a compressed file (zip or Excel), not a MEDLINE file.",
            "Found no title column. The first row must have a column named «Title» or «Tittel».",
        ),
        (
            "nn",
            "Fila er ei komprimert fil (zip eller Excel), ikkje ei MEDLINE-fil.",
            "Fann ingen tittelkolonne. Første rad må ha ein kolonne som heiter «Title» eller "
            "«Tittel».",
        ),
    ],
)
def test_format_errors_in_the_current_language(
    speaking: Any, language: str, zipped: str, no_title: str
) -> None:
    from literature.formats import FormatError, medline, table

    speaking(language)
    with pytest.raises(FormatError) as caught:
        medline.parse(b"PK\x03\x04 rest of a zip")
    assert str(caught.value) == zipped
    with pytest.raises(FormatError) as caught:
        table.parse(b"Forfatter;Aar\nNordmann;2020\n", "liste.csv")
    assert str(caught.value) == no_title


def test_a_spreadsheet_limit_keeps_its_msgid_through_the_literature_error(
    speaking: Any,
) -> None:
    from literature.formats import FormatError, table

    with pytest.raises(FormatError) as caught:
        table.parse(b"", "liste.csv")
    speaking("en")
    assert str(caught.value) == "The file is empty."
    speaking("nn")
    assert str(caught.value) == "Fila er tom."


def test_prisma_consistency_problems_in_the_current_language(speaking: Any) -> None:
    from literature.prisma import PrismaCounts, consistency_problems

    bad = PrismaCounts(identified_total=10, duplicates_removed=1, records_screened=5)
    speaking("en")
    assert consistency_problems(bad) == [
        "Identified (10) minus duplicates (1) is 9, but there are 5 unique records "
        "(5 screened + 0 not screened).",
        "Screened (5) is not excluded (0) + sought for retrieval (0) + awaiting (0) = 0.",
    ]
    speaking("nn")
    assert consistency_problems(bad)[0] == (
        "Identifisert (10) minus duplikat (1) er 9, men det er 5 unike postar "
        "(5 screena + 0 ikkje screena)."
    )
