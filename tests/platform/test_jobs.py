"""Jobs: the municipality import end to end, the runner with a ctx, and arq on a real Redis."""

from __future__ import annotations

import asyncio
import io
import uuid
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import openpyxl
import pytest

from klynge.jobs import runner
from klynge.jobs.tables import Job
from klynge.orgs.tables import Municipality
from tests.platform.conftest import assert_problem, running, wait_for_job

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx(rows: list[list[Any]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


GOOD_ROWS = [
    ["Kommunenummer", "Navn", "Fylke", "Innbyggere", "Målform"],
    ["4602", "Kinn", "Vestland", 17000, "nynorsk"],
    ["0301", "Oslo", "Oslo", 709000, "bokmål"],
    ["5001", "Trondheim – ny rad", "", 212000, ""],  # 5001 exists in the world: refused
]


async def upload(
    client: Any, headers: dict[str, str], name: str, content: bytes, mime: str = XLSX
) -> Any:
    return await client.post(
        "/api/municipalities/import", headers=headers, files={"data": (name, content, mime)}
    )


# --- the import over HTTP --------------------------------------------------------------------


async def test_import_xlsx_end_to_end(client, world) -> None:
    content = xlsx(GOOD_ROWS[:3])
    response = await upload(client, world.headers["admin"], "kommuner.xlsx", content)
    assert response.status_code == 202, response.text
    location = response.headers["location"]
    job_id = response.json()["id"]
    assert location == f"/api/jobs/{job_id}"
    assert response.json()["status"] in ("queued", "running", "done")
    job = await wait_for_job(client, location, world.headers["admin"])
    assert job["status"] == "done", job
    assert job["progress"] == 100
    assert job["result"]["imported"] == 2
    assert sorted(job["result"]["municipalities"]) == ["0301", "4602"]
    rows = {
        r["number"]: r
        for r in await Municipality.select().where(Municipality.number.is_in(["0301", "4602"]))
    }
    assert rows["4602"]["name"] == "Kinn"
    assert rows["4602"]["county"] == "Vestland"
    assert rows["4602"]["language"] == "nynorsk"
    assert rows["0301"]["population"] == 709000
    # The uploaded file is not kept once the job is over.
    stored = await Job.select(Job.payload).where(Job.id == uuid.UUID(job_id)).first()
    assert stored["payload"] is None
    # Another user cannot read the job; its owner can.
    for key in ("adviser_a", "coordinator_askoy", "nobody"):
        assert_problem(await client.get(location, headers=world.headers[key]), 404)


async def test_import_of_an_existing_number_fails_and_writes_nothing(client, world) -> None:
    response = await upload(client, world.headers["admin"], "kommuner.xlsx", xlsx(GOOD_ROWS))
    assert response.status_code == 202, response.text
    job = await wait_for_job(client, response.headers["location"], world.headers["admin"])
    assert job["status"] == "failed", job
    assert job["result"]["errors"] == [
        {"row": 4, "column": "kommunenummer", "reason": job["result"]["errors"][0]["reason"]}
    ]
    assert "5001" in job["result"]["errors"][0]["reason"]
    assert await Municipality.count() == 4  # the world's four; Kinn and Oslo not written


async def test_import_csv_with_bad_rows_fails_with_every_error(client, world) -> None:
    content = (
        "kommunenummer;navn;innbyggere;målform\n"
        "4602;Kinn;17000;nynorsk\n"
        "46O2;Feil nummer;100;nynorsk\n"
        "0301;;709000;bokmål\n"
        "1103;Stavanger;mange;bokmål\n"
        "1108;Sandnes;81000;klingon\n"
        "4602;Kinn igjen;17000;nynorsk\n"
    ).encode()
    response = await upload(client, world.headers["admin"], "kommuner.csv", content, "text/csv")
    assert response.status_code == 202, response.text
    job = await wait_for_job(client, response.headers["location"], world.headers["admin"])
    assert job["status"] == "failed", job
    errors = job["result"]["errors"]
    assert {(e["row"], e["column"]) for e in errors} == {
        (3, "kommunenummer"),
        (4, "navn"),
        (5, "innbyggere"),
        (6, "målform"),
        (7, "kommunenummer"),
    }
    assert all(isinstance(e["reason"], str) and e["reason"] for e in errors)
    assert "5 feil" in job["message"]
    assert await Municipality.count() == 4  # nothing written, not even the good row


async def test_unreadable_file_fails_the_job_with_a_message(client, world) -> None:
    response = await upload(client, world.headers["admin"], "kommuner.xlsx", b"not a zip file")
    assert response.status_code == 202, response.text
    job = await wait_for_job(client, response.headers["location"], world.headers["admin"])
    assert job["status"] == "failed"
    assert job["message"]
    assert "Traceback" not in job["message"]


async def test_too_large_upload_is_413(db, app_with) -> None:
    from tests.conftest import build_world

    app = app_with(KLYNGE_MAX_UPLOAD_BYTES="2048")
    world = await build_world(app)
    header = "kommunenummer;navn\n"
    async with running(app) as client:
        just_over = (header + "4602;Kinn\n" * 300).encode()  # ~3 KB, within the body margin
        assert_problem(
            await upload(client, world.headers["admin"], "k.csv", just_over, "text/csv"), 413
        )
        far_over = (header + "4602;Kinn\n" * 20_000).encode()  # ~200 KB
        response = await upload(client, world.headers["admin"], "k.csv", far_over, "text/csv")
        assert response.status_code == 413
        fits = (header + "4602;Kinn\n").encode()
        ok = await upload(client, world.headers["admin"], "k.csv", fits, "text/csv")
        assert ok.status_code == 202, ok.text
    assert await Job.count() == 1


@pytest.mark.parametrize(
    "name", ["kommuner.txt", "kommuner.xls", "kommuner", "kommuner.xlsx.exe", "../x.json"]
)
async def test_wrong_extension_is_415(client, world, name: str) -> None:
    response = await upload(client, world.headers["admin"], name, b"4602;Kinn\n", "text/plain")
    assert_problem(response, 415)
    assert await Job.count() == 0


async def test_empty_file_is_422(client, world) -> None:
    response = await upload(client, world.headers["admin"], "k.csv", b"", "text/csv")
    assert response.status_code == 422, response.text
    assert await Job.count() == 0


@pytest.mark.parametrize("key", ["adviser_a", "coordinator_askoy", "leader_askoy", "nobody"])
async def test_import_is_for_admins_only(client, world, key: str) -> None:
    content = xlsx(GOOD_ROWS[:2])
    assert_problem(await upload(client, world.headers[key], "k.xlsx", content), 403)
    assert await Job.count() == 0


async def test_import_without_login_is_401(client, world) -> None:
    assert_problem(await upload(client, {}, "k.xlsx", xlsx(GOOD_ROWS[:2])), 401)


async def test_job_visibility_follows_owner_and_cluster(client, world) -> None:
    job_id = await runner._create(
        "test.succeeds",
        created_by=world.accounts["coordinator_askoy"],
        cluster_id=world.ids["cluster_a"],
    )
    url = f"/api/jobs/{job_id}"
    for key in ("coordinator_askoy", "adviser_a", "admin"):
        response = await client.get(url, headers=world.headers[key])
        assert response.status_code == 200, (key, response.text)
        assert response.json()["status"] == "queued"
    # Another cluster's adviser, a colleague in the same cluster, an outsider: as if absent.
    for key in ("adviser_b", "leader_askoy", "coordinator_trondheim", "nobody"):
        body = assert_problem(await client.get(url, headers=world.headers[key]), 404)
        assert str(job_id) not in body["detail"]
    assert_problem(await client.get(url), 401)


async def test_unknown_job_ids_are_404(client, world) -> None:
    for job_id in (str(uuid.uuid4()), "not-a-uuid", "1"):
        assert_problem(await client.get(f"/api/jobs/{job_id}", headers=world.headers["admin"]), 404)


# --- the runner, with a ctx ------------------------------------------------------------------

CALLS: list[str] = []


@runner.job("test.succeeds")
async def _succeeds(ctx: runner.JobContext) -> dict[str, Any]:
    CALLS.append(str(ctx.job_id))
    await ctx.progress(40, "halvveis")
    return {"echo": ctx.params.get("value"), "payload": len(ctx.payload or b"")}


@runner.job("test.slow")
async def _slow(ctx: runner.JobContext) -> dict[str, Any]:
    CALLS.append(str(ctx.job_id))
    await asyncio.sleep(0.2)
    return {}


@runner.job("test.refuses")
async def _refuses(ctx: runner.JobContext) -> None:
    raise runner.JobFailed("Fila mangler kolonnen «navn».", {"errors": [{"row": 1}]})


@runner.job("test.crashes")
async def _crashes(ctx: runner.JobContext) -> None:
    raise RuntimeError("secret internal detail /etc/passwd")


async def status_of(job_id: uuid.UUID) -> dict[str, Any]:
    row = await Job.select().where(Job.id == job_id).first()
    assert row is not None
    return row  # type: ignore[no-any-return]


async def test_runner_success(db) -> None:
    job_id = await runner._create("test.succeeds", {"value": 7}, payload=b"12345")
    assert (await status_of(job_id))["status"] == "queued"
    assert await runner.execute(job_id) == "done"
    row = await status_of(job_id)
    assert row["status"] == "done"
    assert row["progress"] == 100
    assert row["attempts"] == 1
    assert row["payload"] is None
    assert row["finished_at"] is not None
    from klynge.jobs.service import job_out

    assert job_out(row).result == {"echo": 7, "payload": 5}


async def test_runner_job_failed_keeps_its_message(db) -> None:
    job_id = await runner._create("test.refuses")
    assert await runner.execute(job_id) == "failed"
    row = await status_of(job_id)
    assert row["status"] == "failed"
    assert row["message"] == "Fila mangler kolonnen «navn»."
    from klynge.jobs.service import job_out

    assert job_out(row).result == {"errors": [{"row": 1}]}


async def test_runner_crash_gets_a_generic_message(db) -> None:
    job_id = await runner._create("test.crashes")
    assert await runner.execute(job_id) == "failed"
    row = await status_of(job_id)
    assert row["status"] == "failed"
    assert row["message"] == "Jobben stoppet på grunn av en uventet feil."
    assert "secret" not in str(row["result"])


async def test_runner_is_idempotent(db) -> None:
    job_id = await runner._create("test.succeeds", {"value": 1})
    CALLS.clear()
    assert await runner.execute(job_id) == "done"
    first = await status_of(job_id)
    assert await runner.execute(str(job_id)) == "done"
    again = await status_of(job_id)
    assert [str(job_id)] == CALLS
    assert again["attempts"] == 1
    assert again["finished_at"] == first["finished_at"]
    failed = await runner._create("test.refuses")
    await runner.execute(failed)
    assert await runner.execute(failed) == "failed"
    assert (await status_of(failed))["attempts"] == 1


async def test_runner_unknown_or_missing_job(db) -> None:
    assert await runner.execute(uuid.uuid4()) == "missing"
    with pytest.raises(KeyError):
        await runner._create("test.not-registered")
    job_id = await runner._create("test.succeeds")
    await Job.update({Job.name: "test.was-renamed"}).where(Job.id == job_id)
    assert await runner.execute(job_id) == "failed"
    assert "test.was-renamed" in (await status_of(job_id))["message"]


class RecordingDispatcher(runner.Dispatcher):
    """Records what is dispatched and whether its status row was committed by then."""

    def __init__(self) -> None:
        super().__init__(None)
        self.seen: list[tuple[uuid.UUID, str | None]] = []

    async def dispatch(self, job_id: uuid.UUID) -> None:
        row = await Job.select(Job.status).where(Job.id == job_id).first()
        self.seen.append((job_id, None if row is None else row["status"]))


async def test_submit_after_commit_dispatches_committed_rows_only(db) -> None:
    dispatcher = RecordingDispatcher()
    async with runner.submit_after_commit(dispatcher) as submit:
        first = await submit("test.succeeds", {"value": 1}, created_by=None)
        second = await submit("test.succeeds", {"value": 2}, payload=b"x")
        assert dispatcher.seen == []
    assert dispatcher.seen == [(first, "queued"), (second, "queued")]


async def test_submit_after_commit_dispatches_nothing_on_rollback(db) -> None:
    dispatcher = RecordingDispatcher()
    submitted: list[uuid.UUID] = []

    async def failing_use_case() -> None:
        async with runner.submit_after_commit(dispatcher) as submit:
            submitted.append(await submit("test.succeeds", {"value": 3}))
            raise RuntimeError("use case failed")

    with pytest.raises(RuntimeError, match="use case failed"):
        await failing_use_case()
    assert len(submitted) == 1
    assert dispatcher.seen == []
    assert await Job.select().where(Job.id == submitted[0]).first() is None


async def test_submit_one_job(db) -> None:
    dispatcher = RecordingDispatcher()
    job_id = await runner.submit("test.succeeds", {"value": 4}, dispatcher=dispatcher)
    assert dispatcher.seen == [(job_id, "queued")]
    with pytest.raises(KeyError):
        await runner.submit("test.not-registered", dispatcher=dispatcher)
    assert dispatcher.seen == [(job_id, "queued")]


async def test_registering_a_name_twice_is_refused() -> None:
    async def other(ctx: runner.JobContext) -> None:
        return None

    with pytest.raises(RuntimeError):
        runner.job("test.succeeds")(other)


# --- arq on the local Redis ------------------------------------------------------------------


def _test_redis_url() -> str:
    """REDIS_URL with a dedicated database index, so FLUSHDB touches nothing else."""
    from tests.conftest import REDIS_URL

    parts = urlsplit(REDIS_URL)
    return urlunsplit(parts._replace(path="/15"))


@pytest.fixture
async def redis_url(db) -> AsyncIterator[str]:
    from redis.asyncio import Redis

    url = _test_redis_url()
    assert url.endswith("/15")
    client = Redis.from_url(url)
    await client.flushdb()
    try:
        yield url
    finally:
        await client.flushdb()
        await client.aclose()


# arq's Worker.close() calls redis-py's deprecated close(); that is arq's to change, not ours.
ARQ_CLOSE = pytest.mark.filterwarnings("ignore:Call to deprecated close:DeprecationWarning")


async def run_burst_worker(url: str) -> Any:
    from klynge.jobs.worker import create_worker

    worker = create_worker(url, burst=True, handle_signals=False, poll_delay=0.01)
    try:
        await worker.main()
    finally:
        await worker.close()
    return worker


@pytest.mark.redis
@ARQ_CLOSE
async def test_redis_job_runs_on_a_burst_worker(redis_url: str) -> None:
    dispatcher = runner.Dispatcher(redis_url)
    try:
        job_id = await runner._create("test.succeeds", {"value": "via redis"}, payload=b"abc")
        await dispatcher.dispatch(job_id)
        assert (await status_of(job_id))["status"] == "queued"  # nothing ran in-process
    finally:
        await dispatcher.close()
    worker = await run_burst_worker(redis_url)
    assert worker.jobs_complete == 1
    row = await status_of(job_id)
    assert row["status"] == "done"
    from klynge.jobs.service import job_out

    assert job_out(row).result == {"echo": "via redis", "payload": 3}


@pytest.mark.redis
@ARQ_CLOSE
async def test_redis_failing_job_reaches_failed(redis_url: str) -> None:
    dispatcher = runner.Dispatcher(redis_url)
    try:
        failing = await runner._create("test.refuses")
        crashing = await runner._create("test.crashes")
        await dispatcher.dispatch(failing)
        await dispatcher.dispatch(crashing)
    finally:
        await dispatcher.close()
    await run_burst_worker(redis_url)
    assert (await status_of(failing))["status"] == "failed"
    assert (await status_of(failing))["message"] == "Fila mangler kolonnen «navn»."
    assert (await status_of(crashing))["status"] == "failed"
    assert (await status_of(crashing))["message"] == "Jobben stoppet på grunn av en uventet feil."


@pytest.mark.redis
@ARQ_CLOSE
async def test_redis_same_job_enqueued_twice_runs_once(redis_url: str) -> None:
    dispatcher = runner.Dispatcher(redis_url)
    try:
        job_id = await runner._create("test.succeeds", {"value": 2})
        await dispatcher.dispatch(job_id)
        await dispatcher.dispatch(job_id)
        pool = await dispatcher._arq_pool()
        assert len(await pool.queued_jobs(queue_name=dispatcher.queue_name)) == 1
    finally:
        await dispatcher.close()
    CALLS.clear()
    worker = await run_burst_worker(redis_url)
    assert worker.jobs_complete == 1
    assert [str(job_id)] == CALLS
    row = await status_of(job_id)
    assert row["status"] == "done"
    assert row["attempts"] == 1


@pytest.mark.redis
@ARQ_CLOSE
async def test_redis_import_job_through_the_worker(redis_url: str) -> None:
    from klynge.orgs.importing import JOB_NAME

    content = xlsx(GOOD_ROWS[:3])
    dispatcher = runner.Dispatcher(redis_url)
    try:
        job_id = await runner._create(JOB_NAME, {"filename": "k.xlsx"}, payload=content)
        await dispatcher.dispatch(job_id)
    finally:
        await dispatcher.close()
    await run_burst_worker(redis_url)
    row = await status_of(job_id)
    assert row["status"] == "done", row["message"]
    assert await Municipality.count() == 2


@pytest.mark.redis
@ARQ_CLOSE
async def test_redis_import_over_http_waits_for_a_worker(redis_url: str, app_with) -> None:
    from tests.conftest import build_world

    app = app_with(REDIS_URL=redis_url)
    world = await build_world(app)
    async with running(app) as client:
        response = await upload(client, world.headers["admin"], "k.xlsx", xlsx(GOOD_ROWS[:3]))
        assert response.status_code == 202, response.text
        location = response.headers["location"]
        queued = await client.get(location, headers=world.headers["admin"])
        assert queued.json()["status"] == "queued"  # with REDIS_URL nothing runs in the app
        await run_burst_worker(redis_url)
        job = await wait_for_job(client, location, world.headers["admin"])
    assert job["status"] == "done", job
    assert job["result"]["imported"] == 2


async def test_concurrent_execute_runs_the_job_once(db) -> None:
    # arq may deliver a job twice; two runners racing must not both do the work.
    job_id = await runner._create("test.slow")
    CALLS.clear()
    results = await asyncio.gather(*(runner.execute(job_id) for _ in range(3)))
    assert [str(job_id)] == CALLS, results
    row = await status_of(job_id)
    assert row["status"] == "done"
    assert row["attempts"] == 1


async def test_concurrent_import_runs_write_once(db) -> None:
    from klynge.orgs.importing import JOB_NAME

    job_id = await runner._create(JOB_NAME, {"filename": "k.xlsx"}, payload=xlsx(GOOD_ROWS[:3]))
    await asyncio.gather(runner.execute(job_id), runner.execute(job_id))
    row = await status_of(job_id)
    assert row["status"] == "done", row["message"]
    assert await Municipality.count() == 2


async def test_a_job_speaks_the_language_of_whoever_started_it(client, world) -> None:
    """The runner records the starter's language and runs the job in it (messages, errors)."""
    from klynge import i18n
    from klynge.jobs import runner

    seen: list[str] = []

    @runner.job("test_language_probe")
    async def probe(ctx: runner.JobContext) -> dict[str, str]:
        seen.append(i18n.current_language())
        return {"said": i18n.gettext("Page not found")}

    for language in ("nn", "en"):
        token = i18n.set_language(language)
        try:
            async with runner.transaction():
                job_id = await runner._create("test_language_probe")
        finally:
            i18n._current.reset(token)
        assert await runner.execute(job_id) == "done"
    assert seen == ["nn", "en"]
