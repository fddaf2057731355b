"""The needs Excel import speaks the language of whoever started it: an import started by an
English-speaking user reports its row errors (and its summary) in English, by nynorsk users in
nynorsk; the template's own Norwegian column names stay as they are. The runner's own messages
too."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest

from klynge import i18n
from tests.priorities.test_needs_xlsx import GOOD, HEADER


def _workbook(*rows: list[Any]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Kunnskapsbehov"
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


async def _run(language: str, name: str, params: dict[str, Any], **extra: Any) -> dict[str, Any]:
    from klynge.db import json_value
    from klynge.jobs import runner
    from klynge.jobs.tables import Job

    token = i18n.set_language(language)
    try:
        job_id = await runner._create(name, params, **extra)
    finally:
        i18n._current.reset(token)
    assert await runner.execute(job_id) == "failed"
    row = await Job.select(Job.message, Job.result).where(Job.id == job_id).first()
    assert row is not None
    return {"message": row["message"], "result": json_value(row["result"], {})}


@pytest.mark.parametrize(
    ("language", "summary", "reasons"),
    [
        (
            "en",
            "The file was not imported: 2 errors. Fix them and upload the file again.",
            [
                "«Alder fra» must be a whole number from 0 to 24.",
                "Unknown service: «Tannlege». Use the names in the list.",
            ],
        ),
        (
            "nn",
            "Fila vart ikkje importert: 2 feil. Rett feila og last opp fila på nytt.",
            [
                "«Alder fra» må vere eit heilt tal frå 0 til 24.",
                "Ukjend teneste: «Tannlege». Bruk namna i lista.",
            ],
        ),
    ],
)
async def test_an_import_reports_its_row_errors_in_the_starters_language(
    needs_world: Any, language: str, summary: str, reasons: list[str]
) -> None:
    from priorities.jobs import IMPORT_NEEDS

    w = needs_world
    bad = [GOOD[0], GOOD[1], GOOD[2], "tolv", 16, GOOD[5], "Tannlege", *GOOD[7:]]
    params = {"filename": "behov.xlsx", "cluster_id": w.ids["cluster_a"],
              "municipality_id": w.ids["askoy"]}  # fmt: skip
    job = await _run(
        language,
        IMPORT_NEEDS,
        params,
        payload=_workbook(bad),
        created_by=w.accounts["coordinator_askoy"],
        cluster_id=w.ids["cluster_a"],
    )
    assert job["message"] == summary
    errors = job["result"]["errors"]
    assert [(e["row"], e["column"]) for e in errors] == [(2, "Alder fra"), (2, "Tjenester")]
    assert [e["reason"] for e in errors] == reasons


async def test_the_runners_own_messages_are_translated(db: None) -> None:
    from klynge.jobs import runner

    @runner.job("test_i18n_crash")
    async def crash(ctx: runner.JobContext) -> None:
        raise RuntimeError("boom")

    job = await _run("en", "test_i18n_crash", {})
    assert job["message"] == "The job stopped because of an unexpected error."
    job = await _run("nn", "test_i18n_crash", {})
    assert job["message"] == "Jobben stoppa på grunn av ein uventa feil."
