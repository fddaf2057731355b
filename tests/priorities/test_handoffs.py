"""Hand-offs of the priorities app (issue 15): a submitted need, an opened round, a closed
round and its decisions reach the right people only — in the notification list (nb and en),
and by e-mail through a real local SMTP server. A user of the other cluster and an unrelated
user get nothing."""

from __future__ import annotations

from typing import Any

import pytest

from tests.platform.test_mail import SmtpServer, smtp, smtp_env  # noqa: F401  (fixtures)
from tests.priorities.handoff_support import (
    EVERYONE,
    add_researcher,
    deliver,
    email,
    finish_scoring,
    mailed,
    notes,
    open_round,
    submit_need,
    told,
)
from tests.priorities.test_needs_api import _filled, _wait

NEW = "New knowledge need to triage: «%s»"


@pytest.fixture
async def hw(app: Any, needs_world: Any) -> Any:
    await add_researcher(app, needs_world)
    return needs_world


async def test_a_submitted_need_tells_the_cluster_advisers_only(
    smtp_env: SmtpServer,  # noqa: F811
    client: Any,
    hw: Any,
) -> None:
    w = hw
    first = await submit_need(client, w, title="Fravær i ungdomsskolen")
    # A draft tells nobody; submitting it later (API) does.
    draft = await submit_need(client, w, title="Språk i barnehagen", submit=False)
    assert (await notes(client, w, "adviser_a")) == [
        (NEW % "Fravær i ungdomsskolen", f"/behov/{first}")
    ]
    response = await client.post(
        f"/api/needs/{draft}/submit", headers=w.headers["coordinator_askoy"]
    )
    assert response.status_code in (200, 201), response.text

    everyone = await told(client, w)
    assert everyone.pop("adviser_a") == [
        (NEW % "Fravær i ungdomsskolen", f"/behov/{first}"),
        (NEW % "Språk i barnehagen", f"/behov/{draft}"),
    ]
    assert everyone == {k: [] for k in EVERYONE if k != "adviser_a"}
    assert (await notes(client, w, "adviser_a", "nb"))[0][0] == (
        "Nytt kunnskapsbehov å behandle: «Fravær i ungdomsskolen»"
    )

    await deliver()
    assert mailed(smtp_env) == [
        (email("adviser_a"), "Klynge: Nytt kunnskapsbehov å behandle: «Fravær i ungdomsskolen»"),
        (email("adviser_a"), "Klynge: Nytt kunnskapsbehov å behandle: «Språk i barnehagen»"),
    ]


async def test_an_adviser_submitting_is_not_told_of_their_own_need(client: Any, hw: Any) -> None:
    w = hw
    await submit_need(client, w, who="adviser_a")
    assert await notes(client, w, "adviser_a") == []


async def test_an_excel_import_tells_the_advisers_once_with_the_count(
    smtp_env: SmtpServer,  # noqa: F811
    client: Any,
    hw: Any,
) -> None:
    w = hw
    headers = w.headers["coordinator_askoy"]
    cluster = w.ids["cluster_a"]
    template = await client.get(f"/api/needs/template.xlsx?cluster_id={cluster}", headers=headers)
    row = [
        "Fravær i ungdomsskolen",
        "Hva virker mot høyt fravær?",
        "Bakgrunn",
        12,
        16,
        "Elever",
        "Barnevernet i Askøy",
        "Selektert",
        "Tjenesteutvikling",
        "nb",
    ]
    url = f"/api/needs/import?cluster_id={cluster}&municipality_id={w.ids['askoy']}&submit=true"
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = await client.post(
        url,
        headers=headers,
        files={"data": ("behov.xlsx", _filled([row, row, row], template.content), kind)},
    )
    assert response.status_code == 202, response.text
    job = await _wait(client, response.headers["location"], headers)
    assert job["status"] == "done", job

    everyone = await told(client, w)
    assert everyone.pop("adviser_a") == [("Askøy imported knowledge needs to triage: 3", "/behov")]
    assert everyone == {k: [] for k in EVERYONE if k != "adviser_a"}
    assert await notes(client, w, "adviser_a", "nb") == [
        ("Askøy importerte kunnskapsbehov å behandle: 3", "/behov")
    ]
    await deliver()
    assert [r for r, _ in mailed(smtp_env)] == [email("adviser_a")]


async def test_an_opened_round_tells_every_rater_only(
    smtp_env: SmtpServer,  # noqa: F811
    client: Any,
    hw: Any,
) -> None:
    w = hw
    need = await submit_need(client, w)
    panel = ["leader_askoy", "coordinator_bergen", "researcher", "nobody"]
    round_id = await open_round(client, w, [need], panel)

    everyone = await told(client, w)
    expected = [("Your turn to score the needs of round «Vår 2027»", f"/runder/{round_id}/skaar")]
    for key in panel:
        assert everyone.pop(key) == expected, key
    everyone.pop("adviser_a")  # told of the submitted need (above)
    assert everyone == {k: [] for k in EVERYONE if k not in {*panel, "adviser_a"}}
    assert (await notes(client, w, "researcher", "nb"))[0][0] == (
        "Din tur til å skåre behovene i runden «Vår 2027»"
    )

    await deliver()
    subject = "Klynge: Din tur til å skåre behovene i runden «Vår 2027»"
    assert [m for m in mailed(smtp_env) if "runden" in m[1]] == sorted(
        (email(k), subject) for k in panel
    )


async def test_a_closed_round_and_its_decisions_tell_the_askers_only(
    smtp_env: SmtpServer,  # noqa: F811
    client: Any,
    hw: Any,
) -> None:
    w = hw
    # One need from a service (Askøy's barnevern), one from a municipality without a service.
    askoy = await submit_need(client, w, title="Fravær i ungdomsskolen")
    bergen = await submit_need(
        client,
        w,
        who="coordinator_bergen",
        title="Språk i barnehagen",
        municipality_id=w.ids["bergen"],
        service_id=None,
    )
    round_id = await open_round(client, w, [askoy, bergen], ["researcher"])
    await finish_scoring(client, w, round_id, "researcher", [askoy, bergen])
    before = await told(client, w)
    response = await client.post(f"/api/rounds/{round_id}/close", headers=w.headers["adviser_a"])
    assert response.status_code == 200, response.text

    after = await told(client, w)
    new = {k: after[k][len(before[k]) :] for k in EVERYONE}
    assert new.pop("leader_askoy") == [
        ("Round «Vår 2027» is closed: «Fravær i ungdomsskolen» ranked 1 of 2", f"/behov/{askoy}")
    ]
    assert new.pop("coordinator_bergen") == [
        ("Round «Vår 2027» is closed: «Språk i barnehagen» ranked 1 of 2", f"/behov/{bergen}")
    ]
    assert new == {k: [] for k in EVERYONE if k not in {"leader_askoy", "coordinator_bergen"}}

    decide = f"/api/rounds/{round_id}/decisions"
    for need, kind in ((askoy, "prioritised"), (bergen, "not_prioritised")):
        body = {"need_id": need, "decision": kind, "justification": "Samlet vurdering."}
        response = await client.post(decide, json=body, headers=w.headers["adviser_a"])
        assert response.status_code == 200, response.text
    # The same decision again is no news.
    body = {"need_id": askoy, "decision": "prioritised", "justification": "Samlet vurdering."}
    assert (await client.post(decide, json=body, headers=w.headers["adviser_a"])).status_code == 200

    final = await told(client, w)
    new = {k: final[k][len(after[k]) :] for k in EVERYONE}
    assert new.pop("leader_askoy") == [
        ("«Fravær i ungdomsskolen» was prioritised in round «Vår 2027»", f"/behov/{askoy}")
    ]
    assert new.pop("coordinator_bergen") == [
        ("«Språk i barnehagen» was not prioritised in round «Vår 2027»", f"/behov/{bergen}")
    ]
    assert new == {k: [] for k in EVERYONE if k not in {"leader_askoy", "coordinator_bergen"}}
    assert (await notes(client, w, "leader_askoy", "nb"))[-1][0] == (
        "«Fravær i ungdomsskolen» ble prioritert i runden «Vår 2027»"
    )
    assert (await notes(client, w, "coordinator_bergen", "nb"))[-1][0] == (
        "«Språk i barnehagen» ble ikke prioritert i runden «Vår 2027»"
    )

    await deliver()
    askers = [m for m in mailed(smtp_env) if "Vår 2027" in m[1] and "Din tur" not in m[1]]
    assert sorted({r for r, _ in askers}) == [email("coordinator_bergen"), email("leader_askoy")]
    assert len(askers) == 4  # closed + decision, for each asker
