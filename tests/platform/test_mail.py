"""Notification e-mail through a real local SMTP server (aiosmtpd): the outbox, the sender job
with retries, languages, links, preferences and the daily digest."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from collections.abc import Iterator
from email.message import EmailMessage
from typing import Any

import pytest

from tests.conftest import World
from tests.smtp import SmtpServer, free_port

TITLE = {"title": "Møte med skolen"}
TEXT = "Do the follow-up action «%(title)s»"
HTML = {"accept": "text/html,application/xhtml+xml"}


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with SmtpServer(free_port()) as server:
        yield server


@pytest.fixture
def smtp_env(smtp: SmtpServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[SmtpServer]:
    """The process settings (which the jobs read) point at the local server."""
    from klynge.settings import get_settings

    monkeypatch.setenv("KLYNGE_SMTP_URL", f"smtp://127.0.0.1:{smtp.port}")
    get_settings.cache_clear()
    yield smtp
    get_settings.cache_clear()


def parts(message: EmailMessage) -> tuple[str, str]:
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None
    assert html is not None
    return text.get_content(), html.get_content()


async def notify(world: World, **recipient: int) -> None:
    from klynge.db import transaction
    from klynge.notifications import notify as store

    async with transaction():
        await store(
            "projects.action",
            TEXT,
            params=TITLE,
            link="/prosjekter/7",
            cluster_id=world.ids["cluster_a"],
            **recipient,
        )


async def outbox() -> list[dict[str, Any]]:
    from klynge.mail.tables import MailOutbox

    return list(await MailOutbox.select().order_by(MailOutbox.id))


async def set_account(world: World, key: str, **values: str) -> None:
    from klynge.auth.tables import Account

    await Account.update({getattr(Account, k): v for k, v in values.items()}).where(
        Account.id == world.accounts[key]
    )


def email_of(key: str) -> str:
    return f"{key}@test.klynge.no"


async def test_notify_mails_each_reader_in_their_language_through_the_send_job(
    world: World, smtp_env: SmtpServer
) -> None:
    from klynge.jobs import runner
    from klynge.jobs.tables import Job

    await set_account(world, "leader_askoy", language="nn")
    await notify(world, service_id=world.ids["askoy_barnevern"])
    await notify(world, municipality_id=world.ids["askoy"])
    rows = await outbox()
    assert [r["to_address"] for r in rows] == [
        email_of("leader_askoy"),
        email_of("coordinator_askoy"),
    ]
    assert [r["status"] for r in rows] == ["queued", "queued"]
    assert [r["language"] for r in rows] == ["nn", "nb"]
    jobs = await Job.select(Job.id).where(Job.name == "send_mail", Job.status == "queued")
    assert len(jobs) == 1  # one sender run waits for both mails
    assert await runner.execute(jobs[0]["id"]) == "done"

    assert sorted(r[0] for r in smtp_env.inbox.recipients) == sorted(
        [email_of("leader_askoy"), email_of("coordinator_askoy")]
    )
    nynorsk = smtp_env.inbox.to(email_of("leader_askoy"))
    assert nynorsk["Subject"] == "Klynge: Gjer oppfølgingspunktet «Møte med skolen»"
    assert nynorsk["Content-Language"] == "nn"
    text, html = parts(nynorsk)
    assert "Gjer oppfølgingspunktet «Møte med skolen»" in text
    assert "Sjå det i Klynge: http://127.0.0.1:8000/prosjekter/7" in text
    assert 'href="http://127.0.0.1:8000/prosjekter/7"' in html
    assert "Opne Klynge" not in html  # not the digest
    unsubscribe = re.search(r"http://127\.0\.0\.1:8000/epost/avmeld\?token=\S+", text)
    assert unsubscribe is not None
    assert f'href="{unsubscribe.group(0)}"' in html
    assert nynorsk["List-Unsubscribe"] == f"<{unsubscribe.group(0)}>"
    bokmal = smtp_env.inbox.to(email_of("coordinator_askoy"))
    assert bokmal["Subject"] == "Klynge: Gjør oppfølgingspunktet «Møte med skolen»"
    assert "Se det i Klynge: http://127.0.0.1:8000/prosjekter/7" in parts(bokmal)[0]
    rows = await outbox()
    assert [(r["status"], r["attempts"], r["last_error"]) for r in rows] == [("sent", 1, "")] * 2


async def test_only_the_people_a_notification_reaches_get_mail(world: World) -> None:
    await set_account(world, "coordinator_askoy", is_active=False)  # type: ignore[arg-type]
    await notify(world, municipality_id=world.ids["askoy"])
    await notify(world, account_id=world.accounts["adviser_a"])
    assert [r["to_address"] for r in await outbox()] == [email_of("adviser_a")]


async def test_a_server_that_is_down_leaves_the_mail_queued_for_a_retry(world: World) -> None:
    from klynge.mail.config import MailSettings
    from klynge.mail.sending import send_due

    settings = MailSettings(host="127.0.0.1", port=free_port())  # nobody listens yet
    await notify(world, account_id=world.accounts["adviser_a"])
    before = dt.datetime.now(dt.UTC)
    assert await send_due(settings) == {"queued": 1}
    [row] = await outbox()
    assert row["status"] == "queued"
    assert row["attempts"] == 1
    assert row["next_attempt_at"] > before + dt.timedelta(minutes=4)
    assert "SMTPConnect" in row["last_error"]
    with SmtpServer(settings.port) as server:
        assert await send_due(settings) == {}  # not due yet: nothing is tried
        later = row["next_attempt_at"] + dt.timedelta(seconds=1)
        assert await send_due(settings, now=later) == {"sent": 1}
        [row] = await outbox()
        assert (row["status"], row["attempts"], row["last_error"]) == ("sent", 2, "")
        assert server.inbox.recipients == [[email_of("adviser_a")]]


async def test_preferences_off_and_daily_and_the_digest_runs_once_per_account_and_day(
    world: World, smtp_env: SmtpServer
) -> None:
    from klynge.mail.digest import send_digests
    from klynge.mail.sending import send_due
    from klynge.settings import get_settings

    await set_account(world, "leader_askoy", mail_frequency="off")
    await set_account(world, "coordinator_askoy", mail_frequency="daily", language="nn")
    await notify(world, service_id=world.ids["askoy_barnevern"])
    await notify(world, municipality_id=world.ids["askoy"])
    await notify(world, municipality_id=world.ids["askoy"])
    assert await outbox() == []  # off: nothing; daily: waits for the digest
    counts = await asyncio.gather(send_digests(), send_digests())  # two workers, one tick
    assert sorted(counts) == [0, 1]
    assert await send_digests() == 0  # later the same day
    [row] = await outbox()
    assert (row["to_address"], row["kind"]) == (email_of("coordinator_askoy"), "digest")
    assert await send_due(get_settings().mail) == {"sent": 1}
    message = smtp_env.inbox.to(email_of("coordinator_askoy"))
    assert message["Subject"] == "Klynge: 2 nye varsel"
    text, html = parts(message)
    assert text.count("Gjer oppfølgingspunktet «Møte med skolen»") == 2
    assert "sidan førre samandrag (2 varsel)" in html
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    assert await send_digests(day=tomorrow) == 0  # nothing new since this digest


def test_smtp_urls() -> None:
    from klynge.settings import ConfigError, load_settings

    def mail(**env: str) -> Any:
        return load_settings({"KLYNGE_SECRET_KEY": "k" * 40, **env}).mail

    tls = mail(KLYNGE_SMTP_URL="smtps://ola%40kommune.no:p%40ss%3Aord@smtp.kommune.no")
    assert (tls.host, tls.port, tls.implicit_tls) == ("smtp.kommune.no", 465, True)
    assert (tls.username, tls.password) == ("ola@kommune.no", "p@ss:ord")
    assert "ss:ord" not in repr(tls)
    plain = mail(KLYNGE_SMTP_URL="smtp://127.0.0.1:1025", KLYNGE_MAIL_FROM="Klynge <k@x.no>")
    assert (plain.host, plain.port, plain.implicit_tls, plain.username) == (
        "127.0.0.1",
        1025,
        False,
        None,
    )
    assert plain.sender == "Klynge <k@x.no>"
    assert mail().enabled is False
    assert mail().sender == "Klynge <noreply@klynge.localhost>"
    for url, reason in (
        ("http://u:hemmelig@host", "must start with smtp:// or smtps://"),
        ("smtp://u:hemmelig@host:99999", "invalid port"),
        ("smtps://u:hemmelig@:465", "has no host"),
    ):
        with pytest.raises(ConfigError, match=reason) as caught:
            mail(KLYNGE_SMTP_URL=url)
        assert "hemmelig" not in str(caught.value)
        assert "\n" not in str(caught.value)
    with pytest.raises(ConfigError, match="KLYNGE_MAIL_FROM"):
        mail(KLYNGE_MAIL_FROM="not an address")


def test_unsubscribe_tokens_and_the_retry_schedule() -> None:
    from klynge.mail import rules

    token = rules.unsubscribe_token("s" * 40, 42)
    assert rules.read_unsubscribe_token("s" * 40, token) == 42
    assert rules.read_unsubscribe_token("t" * 40, token) is None
    assert rules.read_unsubscribe_token("s" * 40, "43" + token[2:]) is None
    assert rules.read_unsubscribe_token("s" * 40, "42.") is None
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    assert rules.next_attempt(1, now) == now + dt.timedelta(minutes=5)
    assert rules.next_attempt(rules.MAX_ATTEMPTS - 1, now) == now + dt.timedelta(minutes=720)
    assert rules.next_attempt(rules.MAX_ATTEMPTS, now) is None
    assert rules.is_permanent(550) is True
    assert rules.is_permanent(451) is False
    assert rules.clean_error("535 bad\n password hemmelig", ("hemmelig",)) == "535 bad password ***"


@pytest.mark.redis
@pytest.mark.filterwarnings("ignore:Call to deprecated close:DeprecationWarning")
async def test_the_digest_goes_out_once_with_two_arq_workers(world: World) -> None:
    from klynge.jobs import runner
    from klynge.jobs.worker import create_worker
    from klynge.mail.digest import DIGEST_JOB
    from tests.conftest import REDIS_URL

    await set_account(world, "coordinator_askoy", mail_frequency="daily")
    await notify(world, municipality_id=world.ids["askoy"])
    # Two runs of the cron tick, on this test run's own queue (KLYNGE_JOB_QUEUE).
    dispatcher = runner.Dispatcher(REDIS_URL)
    try:
        first = await runner.submit(DIGEST_JOB, dispatcher=dispatcher)
        second = await runner.submit(DIGEST_JOB, dispatcher=dispatcher)
    finally:
        await dispatcher.close()

    async def burst() -> None:
        worker = create_worker(REDIS_URL, burst=True, handle_signals=False, poll_delay=0.01)
        try:
            await worker.main()
        finally:
            await worker.close()

    await asyncio.gather(burst(), burst())
    from klynge.db import json_value
    from klynge.jobs.tables import Job

    done = await Job.select(Job.status, Job.result).where(Job.id.is_in([first, second]))
    assert [r["status"] for r in done] == ["done", "done"]
    assert sorted(json_value(r["result"])["digests"] for r in done) == [0, 1]
    rows = await outbox()
    assert [(r["to_address"], r["kind"]) for r in rows] == [
        (email_of("coordinator_askoy"), "digest")
    ]


async def test_one_sender_run_sends_a_burst_larger_than_a_batch(
    world: World, smtp_env: SmtpServer
) -> None:
    from klynge.jobs import runner
    from klynge.jobs.tables import Job
    from klynge.mail import rules

    bursts = rules.BATCH // 2 + 3  # two mails each (service leader and coordinator)
    for _ in range(bursts):
        await notify(world, service_id=world.ids["askoy_barnevern"])
        await notify(world, municipality_id=world.ids["askoy"])
    assert len(await outbox()) == 2 * bursts > rules.BATCH
    jobs = await Job.select(Job.id).where(Job.name == "send_mail", Job.status == "queued")
    assert await runner.execute(jobs[0]["id"]) == "done"
    assert len(smtp_env.inbox.messages) == 2 * bursts
    assert {r["status"] for r in await outbox()} == {"sent"}
