"""The priorities pages through real HTTP: who sees what, submitting a need through the form
(with the privacy guard beside the field), scoring with and without JavaScript, results after
close, and the public priority list."""

from __future__ import annotations

import html
from typing import Any

from tests.platform.test_views import HTML, TOKEN, csrf_token, login, submit
from tests.priorities.conftest import need_body, synthetic_fnr


def text_of(response: Any) -> str:
    return html.unescape(response.text)


async def _need(client: Any, w: Any, **overrides: Any) -> int:
    response = await client.post(
        "/api/needs", json=need_body(w, **overrides), headers=w.headers["coordinator_askoy"]
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


async def _round(client: Any, w: Any, need_ids: list[int], **overrides: Any) -> int:
    body = {
        "cluster_id": w.ids["cluster_a"],
        "name": "Høst 2027",
        "need_ids": need_ids,
        "raters": [
            {"account_id": w.accounts["leader_askoy"], "group": "leaders"},
            {
                "account_id": w.accounts["coordinator_askoy"],
                "group": "staff",
                "municipality_id": w.ids["askoy"],
            },
        ],
        **overrides,
    }
    response = await client.post("/api/rounds", json=body, headers=w.headers["adviser_a"])
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


async def _get(client: Any, path: str) -> Any:
    return await client.get(path, headers=HTML, follow_redirects=False)


# --- needs -----------------------------------------------------------------------------------


async def test_need_pages_by_role(client, needs_world) -> None:
    w = needs_world
    need_id = await _need(client, w, title="Fravær i ungdomsskolen")
    await login(client, w, "coordinator_askoy")
    for path in ("/behov", "/behov/ny", f"/behov/{need_id}", f"/behov/{need_id}/endre"):
        response = await _get(client, path)
        assert response.status_code == 200, (path, response.text)
    listing = text_of(await _get(client, "/behov?q=fravær&cross_service=yes"))
    assert "Fravær i ungdomsskolen" in listing
    assert "Fravær i ungdomsskolen" not in text_of(await _get(client, "/behov?q=mobbing"))
    page = text_of(await _get(client, f"/behov/{need_id}"))
    assert "Trekk behovet" in page  # the submitter may withdraw
    assert "Historikk" in page

    # Another cluster's adviser sees nothing of it.
    await login(client, w, "adviser_b")
    assert (await _get(client, f"/behov/{need_id}")).status_code == 404
    assert (await _get(client, f"/behov/{need_id}/endre")).status_code == 404
    assert "Fravær i ungdomsskolen" not in text_of(await _get(client, "/behov"))
    # A user without a submitting role may not open the form; anonymous users log in first.
    await login(client, w, "nobody")
    assert (await _get(client, "/behov/ny")).status_code == 403
    client.cookies.clear()
    response = await _get(client, f"/behov/{need_id}")
    assert response.status_code == 302


async def test_adviser_sees_merge_form_and_leader_cannot_edit(client, needs_world) -> None:
    w = needs_world
    first = await _need(client, w, title="Skolefravær")
    second = await _need(client, w, title="Fravær i skolen")
    await login(client, w, "adviser_a")
    page = text_of(await _get(client, f"/behov/{first}"))
    assert "Slå sammen" in page
    response = await submit(
        client, f"/behov/{first}", f"/behov/{first}/sla-sammen", {"source_ids": str(second)}
    )
    assert response.status_code == 303, response.text
    merged = await client.get(f"/api/needs/{second}", headers=w.headers["adviser_a"])
    assert merged.json()["status"] == "merged"
    await login(client, w, "leader_askoy")
    response = await _get(client, f"/behov/{first}/endre")
    assert response.status_code == 303
    assert response.headers["location"].startswith(f"/behov/{first}")


async def test_submit_need_through_the_form(client, needs_world) -> None:
    w = needs_world
    await login(client, w, "coordinator_askoy")
    form = {
        "cluster_id": str(w.ids["cluster_a"]),
        "municipality_id": str(w.ids["askoy"]),
        "title": "Overganger mellom barnehage og skole",
        "question": "Hva hjelper barn med spesielle behov i overgangen? Ring 912 34 567.",
        "background": "",
        "age_from": "4",
        "age_to": "7",
        "target_group": "",
        "service_ids": [str(w.ids["askoy_barnevern"]), str(w.ids["bergen_skole"])],
        "prevention_level": "selected",
        "intended_use": "service_development",
        "language": "nn",
        "action": "submit",
    }
    response = await submit(client, "/behov/ny", "/behov/ny", form)
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    page = text_of(await _get(client, location))
    assert "Overganger mellom barnehage og skole" in page
    assert "Innsendt" in page
    assert "Sjekk teksten" in page  # the phone number gives a warning after save
    listing = await client.get("/api/needs", headers=w.headers["adviser_a"])
    need = next(n for n in listing.json()["items"] if n["title"].startswith("Overganger"))
    assert need["cross_service"] is True
    assert need["language"] == "nn"


async def test_national_id_is_refused_beside_the_question(client, needs_world) -> None:
    w = needs_world
    await login(client, w, "coordinator_askoy")
    number = synthetic_fnr()
    form = {
        "cluster_id": str(w.ids["cluster_a"]),
        "municipality_id": str(w.ids["askoy"]),
        "title": "Et behov",
        "question": f"Gjelder eleven {number} som har mye fravær?",
        "service_ids": str(w.ids["askoy_barnevern"]),
        "prevention_level": "indicated",
        "intended_use": "decision",
        "language": "nb",
        "action": "draft",
    }
    response = await submit(client, "/behov/ny", "/behov/ny", form)
    assert response.status_code == 422, response.text
    body = response.text
    assert number not in body
    assert 'id="need-question-error"' in body
    question = body[body.index('id="need-question"') - 200 : body.index('id="need-question"') + 400]
    assert 'aria-invalid="true"' in question
    assert "need-question-error" in question
    assert 'href="#need-question"' in body  # the error summary links to the field
    listing = await client.get("/api/needs", headers=w.headers["admin"])
    assert listing.json()["total"] == 0  # nothing stored


async def test_missing_fields_are_listed(client, needs_world) -> None:
    w = needs_world
    await login(client, w, "coordinator_askoy")
    response = await submit(
        client,
        "/behov/ny",
        "/behov/ny",
        {"cluster_id": str(w.ids["cluster_a"]), "municipality_id": str(w.ids["askoy"])},
    )
    assert response.status_code == 422
    for field in ("title", "question", "service_ids", "prevention_level", "intended_use"):
        assert f'href="#need-{field}"' in response.text, field


async def test_endorse_through_the_form(client, needs_world) -> None:
    from klynge.auth.passwords import hash_password
    from klynge.auth.tables import Account

    w = needs_world
    need_id = await _need(client, w)
    await Account.update({Account.password_hash: hash_password(w.password)}).where(
        Account.id == w.accounts["coordinator_bergen"]
    )
    await login(client, w, "coordinator_bergen")
    page = text_of(await _get(client, f"/behov/{need_id}"))
    assert "Vi har samme behov" in page
    response = await submit(
        client,
        f"/behov/{need_id}",
        f"/behov/{need_id}/samme-behov",
        {"municipality_id": str(w.ids["bergen"]), "note": "Også hos oss."},
    )
    assert response.status_code == 303, response.text
    page = text_of(await _get(client, f"/behov/{need_id}"))
    assert "Også hos oss." in page
    assert "2 kommuner" in page


# --- rounds ----------------------------------------------------------------------------------


async def test_round_pages_by_role(client, needs_world) -> None:
    w = needs_world
    round_id = await _round(client, w, [await _need(client, w)])
    await login(client, w, "adviser_a")
    for path in ("/runder", "/runder/ny", f"/runder/{round_id}"):
        response = await _get(client, path)
        assert response.status_code == 200, (path, response.text)
    page = text_of(await _get(client, f"/runder/{round_id}"))
    assert "Leader Askoy" in page  # progress per rater, never scores
    assert "Lukk runden" in page
    # The adviser is not on the panel: the scoring page sends them to the round.
    assert (await _get(client, f"/runder/{round_id}/skaar")).status_code == 303
    await login(client, w, "adviser_b")
    assert (await _get(client, f"/runder/{round_id}")).status_code == 404
    assert (await _get(client, f"/runder/{round_id}/skaar")).status_code == 404
    assert (await _get(client, "/runder/ny")).status_code == 200  # for their own cluster
    await login(client, w, "coordinator_askoy")
    assert (await _get(client, "/runder/ny")).status_code == 403
    assert (await _get(client, f"/prioriteringer/{round_id}")).status_code == 404


async def test_open_a_round_through_the_form(client, needs_world) -> None:
    w = needs_world
    need_id = await _need(client, w, title="Rus og skole")
    await login(client, w, "adviser_a")
    page = text_of(await _get(client, "/runder/ny"))
    assert "Rus og skole" in page
    leader = w.accounts["leader_askoy"]
    response = await submit(
        client,
        "/runder/ny",
        "/runder/ny",
        {
            "cluster_id": str(w.ids["cluster_a"]),
            "name": "Vår 2028",
            "need_ids": str(need_id),
            "raters": str(leader),
            f"group_{leader}": "leaders",
            f"municipality_{leader}": str(w.ids["askoy"]),
            "weight_nytte": "2",
            "weighting": "group",
            "pseudonymise": "1",
        },
    )
    assert response.status_code == 303, response.text
    rounds = await client.get("/api/rounds", headers=w.headers["adviser_a"])
    assert rounds.json()[0]["weights"]["nytte"] == 2.0
    # Without a panel the form shows itself again with the error beside the panel.
    response = await submit(
        client,
        "/runder/ny",
        "/runder/ny",
        {"cluster_id": str(w.ids["cluster_a"]), "name": "Tom", "need_ids": str(need_id)},
    )
    assert response.status_code == 422
    assert 'id="round-raters-error"' in response.text
    # A researcher (outside the cluster's organisations) joins the panel by e-mail address, in
    # the researchers' group, and can then score; an unknown address is named beside the field.
    from klynge.auth.tables import RoleAssignment
    from klynge.orgs.tables import ResearchGroup

    group = await ResearchGroup.insert(
        ResearchGroup(name="Skole", institution="UiB", org_number="974760673", sector="uoh")
    ).returning(ResearchGroup.id)
    await RoleAssignment.insert(
        RoleAssignment(
            account=w.accounts["nobody"], role="researcher", research_group=group[0]["id"]
        )
    )
    fields = {
        "cluster_id": str(w.ids["cluster_a"]),
        "name": "Høst 2028",
        "need_ids": str(await _need(client, w, title="Mobbing i skolen")),
        "extra_raters": "ukjent@example.org\nNOBODY@test.klynge.no",
    }
    response = await submit(client, "/runder/ny", "/runder/ny", fields)
    assert response.status_code == 422
    assert "ukjent@example.org" in text_of(response)
    fields["extra_raters"] = "NOBODY@test.klynge.no"
    response = await submit(client, "/runder/ny", "/runder/ny", fields)
    assert response.status_code == 303, response.text
    round_id = int(response.headers["location"].split("/")[2].split("?")[0])
    panel = (await client.get(f"/api/rounds/{round_id}", headers=w.headers["adviser_a"])).json()
    assert [(p["account_id"], p["group"]) for p in panel["progress"]] == [
        (w.accounts["nobody"], "researchers")
    ]
    sheet = await client.get(f"/api/rounds/{round_id}/scores", headers=w.headers["nobody"])
    assert sheet.status_code == 200, sheet.text


async def test_scoring_with_and_without_javascript(client, needs_world) -> None:
    w = needs_world
    ids = [await _need(client, w, title=t) for t in ("Fravær", "Språk")]
    round_id = await _round(client, w, ids)
    await login(client, w, "leader_askoy")
    page = await _get(client, f"/runder/{round_id}/skaar")
    assert page.status_code == 200, page.text
    body = text_of(page)
    assert "0 av 2" in body
    assert "marginal" in body
    assert "svært mye" in body
    assert "Kan ikke vurdere" in body
    assert "ikke vurdert" in body  # the knowledge gap is shown, not rated
    token = TOKEN.search(page.text).group(1)  # type: ignore[union-attr]
    # The script's route: one need at a time, JSON, with the CSRF header.
    response = await client.post(
        f"/runder/{round_id}/skaar/lagre",
        json={"scores": [{"need_id": ids[0], "nytte": 5, "alvorlighet": 4, "ressurs": 0}]},
        headers={"x-csrftoken": token, "accept": "application/json"},
    )
    assert response.status_code == 201, response.text
    assert response.json()["answered"] == 1
    refused = await client.post(
        f"/runder/{round_id}/skaar/lagre",
        json={"scores": [{"need_id": ids[0], "nytte": 1}]},
        headers={"accept": "application/json"},
    )
    assert refused.status_code == 403  # no CSRF token
    assert "1 av 2" in text_of(await _get(client, f"/runder/{round_id}/skaar"))
    # The form: every need at once; "I am finished" marks the rater finished.
    form = {
        "need_ids": [str(i) for i in ids],
        f"n{ids[0]}-nytte": "5",
        f"n{ids[0]}-alvorlighet": "4",
        f"n{ids[0]}-ressurs": "0",
        f"n{ids[1]}-nytte": "2",
        f"n{ids[1]}-alvorlighet": "3",
        f"n{ids[1]}-ressurs": "4",
        f"n{ids[1]}-comment": "Usikker på omfanget.",
        "action": "finish",
    }
    response = await submit(client, f"/runder/{round_id}/skaar", f"/runder/{round_id}/skaar", form)
    assert response.status_code == 303, response.text
    page = text_of(await _get(client, f"/runder/{round_id}/skaar"))
    assert "2 av 2" in page
    assert "Usikker på omfanget." in page
    mine = await client.get(f"/api/rounds/{round_id}/scores", headers=w.headers["leader_askoy"])
    assert mine.json()["finished"] is True
    # The adviser sees that the rater finished, not what they answered.
    await login(client, w, "adviser_a")
    progress = text_of(await _get(client, f"/runder/{round_id}"))
    assert "2 av 2" in progress
    assert "Usikker på omfanget." not in progress


async def test_results_after_close_and_public_list(client, needs_world) -> None:
    w = needs_world
    ids = [await _need(client, w, title=t) for t in ("Fravær", "Språk")]
    panel = [
        {"account_id": w.accounts["leader_askoy"], "group": "leaders"},
        {"account_id": w.accounts["coordinator_askoy"], "group": "staff"},
        {"account_id": w.accounts["coordinator_bergen"], "group": "staff"},  # never scores
    ]
    round_id = await _round(client, w, ids, publish_public=False, raters=panel)
    scores = {
        "scores": [
            {"need_id": ids[0], "nytte": 5, "alvorlighet": 5, "ressurs": 2},
            {"need_id": ids[1], "nytte": 2, "alvorlighet": 2, "ressurs": 4},
        ],
        "finished": True,
    }
    for who in ("leader_askoy", "coordinator_askoy"):
        saved = await client.put(
            f"/api/rounds/{round_id}/scores", json=scores, headers=w.headers[who]
        )
        assert saved.status_code == 200, saved.text
    await login(client, w, "adviser_a")
    # Closing asks first: the page says what will happen and who has not finished; a post
    # without the confirmation closes nothing and goes to that page.
    confirm = text_of(await _get(client, f"/runder/{round_id}/lukk"))
    assert "Panelet kan ikke lenger endre vurderingene sine" in confirm
    assert "2 av 3 deltakere i panelet har markert vurderingen som ferdig." in confirm
    assert "Coordinator Bergen" in confirm
    response = await submit(client, f"/runder/{round_id}/lukk", f"/runder/{round_id}/lukk", {})
    assert (response.status_code, response.headers["location"]) == (303, f"/runder/{round_id}/lukk")
    still = await client.get(f"/api/rounds/{round_id}", headers=w.headers["adviser_a"])
    assert still.json()["status"] == "open"
    response = await submit(
        client, f"/runder/{round_id}/lukk", f"/runder/{round_id}/lukk", {"confirm": "yes"}
    )
    assert response.status_code == 303, response.text
    page = await _get(client, f"/runder/{round_id}")
    assert page.status_code == 200
    body = text_of(page)
    assert '<svg role="img"' in body
    assert "Fravær:" in body  # the chart's text alternative names each need
    assert "Inspirert av Blankholm-kriteriene" in body
    table = body[body.index('<table class="ranking"') :]
    assert table.index("Fravær") < table.index("Språk")  # rank order
    assert "<td>1</td>" in body
    assert "<td>2</td>" in body
    assert "Leiarar" not in body
    assert "Tjenesteledere" in body
    # Every need's decision is listed; one form is shown, for the need the adviser chose.
    assert page.text.count('name="need_id"') == 0
    assert f'href="/runder/{round_id}?beslutt={ids[1]}#behov-{ids[1]}"' in page.text
    chosen = await _get(client, f"/runder/{round_id}?beslutt={ids[1]}")
    assert chosen.text.count('name="need_id"') == 1
    assert f'<input type="hidden" name="need_id" value="{ids[1]}">' in chosen.text
    # A decision that departs from the rank needs a reason, shown beside that field.
    response = await submit(
        client,
        f"/runder/{round_id}",
        f"/runder/{round_id}/beslutninger",
        {"need_id": str(ids[1]), "decision": "prioritised", "justification": "Haster."},
    )
    assert response.status_code == 303, response.text
    response = await submit(
        client,
        f"/runder/{round_id}",
        f"/runder/{round_id}/beslutninger",
        {"need_id": str(ids[0]), "decision": "not_prioritised", "justification": "Dekket."},
    )
    assert response.status_code == 422, response.text
    assert f'id="decision-{ids[0]}-departs_reason-error"' in response.text
    # The export downloads as a workbook.
    token = await csrf_token(client, f"/runder/{round_id}")
    export = await client.post(f"/runder/{round_id}/eksport", data={"_csrf_token": token})
    assert export.status_code == 201, export.text
    assert export.content[:2] == b"PK"
    # Members of the cluster see the results; the public list stays hidden (not published).
    await login(client, w, "coordinator_askoy")
    assert "<svg" in (await _get(client, f"/runder/{round_id}")).text
    client.cookies.clear()
    assert (await _get(client, f"/prioriteringer/{round_id}")).status_code == 404


async def test_public_list_when_published(client, needs_world) -> None:
    w = needs_world
    ids = [await _need(client, w, title="Fravær")]
    round_id = await _round(client, w, ids, publish_public=True)
    public = f"/prioriteringer/{round_id}"
    assert (await _get(client, public)).status_code == 404  # still open
    closed = await client.post(f"/api/rounds/{round_id}/close", headers=w.headers["adviser_a"])
    assert closed.status_code == 200, closed.text
    client.cookies.clear()
    page = await _get(client, public)
    assert page.status_code == 200, page.text
    assert "Fravær" in text_of(page)
    assert "Leader Askoy" not in page.text  # never who rated


async def test_pages_render_in_nynorsk(client, needs_world) -> None:
    w = needs_world
    need_id = await _need(client, w)
    round_id = await _round(client, w, [need_id])
    await login(client, w, "leader_askoy")
    token = await csrf_token(client, "/behov")
    switched = await client.post(
        "/language",
        data={"language": "nn", "next": "/behov", "_csrf_token": token},
        headers=HTML,
        follow_redirects=False,
    )
    assert switched.status_code == 303, switched.text
    expected = {
        "/behov": "Meld inn behov",
        f"/behov/{need_id}": "Kven deler behovet",
        "/runder": "Prioriteringsrundar",
        f"/runder/{round_id}/skaar": "Kan ikkje vurdere",
    }
    for path, words in expected.items():
        response = await _get(client, path)
        assert response.status_code == 200, (path, response.text)
        assert '<html lang="nn">' in response.text
        assert words in text_of(response), path


async def test_the_excel_import_page_shows_its_errors_beside_the_fields(
    client, needs_world
) -> None:
    w = needs_world
    await login(client, w, "coordinator_askoy")
    page = f"/behov/import?cluster_id={w.ids['cluster_a']}"
    shown = text_of(await _get(client, page))
    assert "Last ned Excel-malen" in shown
    token = await csrf_token(client, page)
    fields = {
        "_csrf_token": token,
        "cluster_id": str(w.ids["cluster_a"]),
        "municipality_id": str(w.ids["askoy"]),
    }
    # No file: the same page again with the message beside the file field (not a bare 422).
    response = await client.post(
        "/behov/import", data=fields, files={"nothing": ("", b"", "text/plain")}, headers=HTML
    )
    assert response.status_code == 422
    body = text_of(response)
    assert 'id="import-file-error"' in body
    assert "Velg den utfylte malen (en .xlsx-fil)." in body
    assert 'href="#import-file"' in body  # the error summary leads to the field
    # With a file the import runs as a job.
    response = await client.post(
        "/behov/import",
        data=fields,
        files={"file": ("behov.xlsx", b"PK\x03\x04 not really", "application/octet-stream")},
        headers=HTML,
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"].startswith("/jobs/")


async def test_a_service_leader_submits_for_their_own_service_by_default(
    client, needs_world
) -> None:
    w = needs_world
    await login(client, w, "leader_askoy")
    page = (await _get(client, "/behov/ny")).text
    chosen = f'<option value="{w.ids["askoy_barnevern"]}" selected'
    assert chosen in page
    # A coordinator works in no particular service: nothing is chosen for them.
    await login(client, w, "coordinator_askoy")
    assert (
        " selected"
        not in (await _get(client, "/behov/ny"))
        .text.split('name="service_id"')[1]
        .split("</select>")[0]
    )
