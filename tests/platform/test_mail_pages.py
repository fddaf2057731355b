"""The mail pages: unsubscribing by the link in a mail, the user's mail preference, and the
admin's outbox (where a demo without a mail server shows what would have been sent)."""

from __future__ import annotations

import html
import re
from typing import Any

from tests.conftest import World
from tests.platform.test_mail import email_of, notify, outbox
from tests.platform.test_views import HTML, csrf_token, login, submit


async def frequency(world: World, key: str) -> str:
    from klynge.auth.tables import Account

    row = (
        await Account.select(Account.mail_frequency)
        .where(Account.id == world.accounts[key])
        .first()
    )
    assert row is not None
    return str(row["mail_frequency"])


async def test_the_unsubscribe_link_works_and_a_forged_one_does_not(
    client: Any, world: World
) -> None:
    await notify(world, account_id=world.accounts["adviser_a"])
    [row] = await outbox()
    found = re.search(r"http://127\.0\.0\.1:8000(/epost/avmeld\?token=\S+)", row["text_body"])
    assert found is not None
    page = found.group(1)
    token = page.split("token=", 1)[1]
    confirm = await client.get(page, headers=HTML)
    assert confirm.status_code == 200
    assert "Vil du slutte å få e-post om varsler?" in html.unescape(confirm.text)
    assert await frequency(world, "adviser_a") == "immediate"  # a GET changes nothing
    done = await submit(client, page, "/epost/avmeld", {"token": token})
    assert done.status_code == 200
    assert "Du får ikke mer e-post" in html.unescape(done.text)
    assert await frequency(world, "adviser_a") == "off"
    await notify(world, account_id=world.accounts["adviser_a"])
    assert len(await outbox()) == 1  # no new mail

    other = world.accounts["adviser_b"]
    forged = f"{other}.{token.split('.', 1)[1]}"  # someone else's id with this signature
    refused = await client.get(f"/epost/avmeld?token={forged}", headers=HTML)
    assert refused.status_code == 400
    assert "Lenken virker ikke" in html.unescape(refused.text)
    csrf = await csrf_token(client, page)
    posted = await client.post(
        "/epost/avmeld", data={"token": forged, "_csrf_token": csrf}, headers=HTML
    )
    assert posted.status_code == 400
    assert await frequency(world, "adviser_b") == "immediate"


async def test_a_user_chooses_how_often_they_get_mail(client: Any, world: World) -> None:
    await login(client, world, "leader_askoy")
    page = await client.get("/min-profil", headers=HTML)
    assert page.status_code == 200
    assert 'value="immediate" checked' in page.text
    saved = await submit(client, "/min-profil", "/min-profil", {"frequency": "daily"})
    assert saved.status_code == 303
    assert saved.headers["location"] == "/min-profil?notice=core.mail-preference-saved"
    assert await frequency(world, "leader_askoy") == "daily"
    wrong = await submit(client, "/min-profil", "/min-profil", {"frequency": "weekly"})
    assert wrong.status_code == 422
    assert "Velg hvor ofte du vil ha e-post." in html.unescape(wrong.text)
    assert await frequency(world, "leader_askoy") == "daily"


async def test_without_a_mail_server_mails_are_kept_and_shown_to_the_admin(
    client: Any, world: World
) -> None:
    from klynge.mail.config import MailSettings
    from klynge.mail.sending import send_due

    await notify(world, account_id=world.accounts["adviser_a"])
    assert await send_due(MailSettings()) == {"kept": 1}
    [row] = await outbox()
    assert (row["status"], row["attempts"]) == ("kept", 0)
    listing = await client.get("/admin/utboks", headers={**HTML, **world.headers["admin"]})
    assert listing.status_code == 200
    text = html.unescape(listing.text)
    assert "Klynge: Gjør oppfølgingspunktet «Møte med skolen»" in text
    assert email_of("adviser_a") in text
    assert "Holdt tilbake (ingen e-posttjener)" in text
    one = await client.get(f"/admin/utboks/{row['id']}", headers={**HTML, **world.headers["admin"]})
    assert one.status_code == 200
    assert "Se det i Klynge: http://127.0.0.1:8000/prosjekter/7" in html.unescape(one.text)
    part = await client.get(f"/admin/utboks/{row['id']}/html", headers=world.headers["admin"])
    assert part.status_code == 200
    assert part.text == row["html_body"]
    assert "sandbox" in part.headers["content-security-policy"]
    for path in ("/admin/utboks", f"/admin/utboks/{row['id']}"):
        refused = await client.get(path, headers={**HTML, **world.headers["adviser_a"]})
        assert refused.status_code == 403
