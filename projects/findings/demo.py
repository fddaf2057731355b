"""Demo findings for `klynge demo`: the completed demo project's outcomes — a public finding,
published, whose deliveries stand in every state (answered, read but unanswered, overdue with
its reminder, escalated to the adviser, and fresh), and a recommendation still in draft.
Everything goes through the use cases (create, publish, read, answer, the reminder job); only
the delivery dates are moved back in time, as if the outcome had been published weeks ago."""

from __future__ import annotations

import datetime as dt

from klynge import directory
from klynge.auth.principal import Principal
from klynge.auth.roles import Role
from klynge.auth.service import load_principal
from projects.findings import deliveries, findings_jobs, outcomes, publishing
from projects.findings.deliveries_schemas import AnswerIn
from projects.findings.outcomes_schemas import OutcomeCreate
from projects.findings.tables import Delivery, DeliveryService
from projects.workspace import api as workspace

FINDING = OutcomeCreate(
    kind="finding",
    title="Ein fast kontaktperson halverte fråfallet frå ventelista til BUP",
    summary=(
        "Ungdom som fekk ein fast kontaktperson i kommunen medan dei venta på BUP, møtte oftare "
        "opp til første time og fall sjeldnare frå. Kontaktpersonen ringde kvar veke og "
        "hjelpte med praktiske hindringar."
    ),
    summary_language="nn",
    summary_en=(
        "Young people who had a named contact person in the municipality while waiting for "
        "child and adolescent mental health services more often came to their first "
        "appointment and dropped out less often."
    ),
    practice=(
        "Gje kvar ungdom på venteliste ein namngitt kontaktperson i helsestasjon for ungdom "
        "eller skulehelsetenesta, med ein vekentleg samtale til første time i BUP."
    ),
    evidence_type="other_primary",
    evidence_note="Kvasieksperimentell samanlikning med året før, 212 tilvisingar.",
    is_public=True,
)
RECOMMENDATION = OutcomeCreate(
    kind="recommendation",
    title="Tilråding: lågterskelsamtalar i ventetida",
    summary=(
        "Kommunane bør tilby opptil fem lågterskelsamtalar medan ungdom ventar på BUP, "
        "organisert saman med skulehelsetenesta."
    ),
    summary_language="nn",
    practice="Avtal ein fast rutine mellom BUP og kommunen for kven som tilbyr samtalane.",
)
ANSWER = AnswerIn(
    relevant="yes",
    will_use="yes",
    change="Vi innfører fast kontaktperson for alle på venteliste frå hausten.",
)


async def _addressee(row: dict[str, object]) -> Principal | None:
    """Someone the delivery is addressed to: the cluster's adviser, the service's leader, or
    the municipality's coordinator or a leader of one of its relevant services."""
    if row["kind"] == "cluster":
        people = [{"id": a} for a in await directory.cluster_advisers(int(str(row["cluster"])))]
    else:
        services = [int(str(row["service"]))] if row["service"] else []
        services += [
            r["service"]
            for r in await DeliveryService.select(DeliveryService.service).where(
                DeliveryService.delivery == row["id"]
            )
        ]
        people = await directory.org_people(service_ids=services, roles=(Role.SERVICE_LEADER,))
        if row["municipality"]:
            people = (
                await directory.org_people(
                    municipality_ids=[int(str(row["municipality"]))], roles=(Role.COORDINATOR,)
                )
                + people
            )
    return await load_principal(int(people[0]["id"])) if people else None


async def _backdate(delivery_id: int, days: int) -> None:
    when = dt.datetime.now(dt.UTC) - dt.timedelta(days=days)
    await Delivery.update({Delivery.created_at: when}).where(Delivery.id == delivery_id)


async def _one_more_member(cluster_id: int, taken: set[int]) -> list[int]:
    """A member municipality that is no recipient yet (the adviser adds it: kind "added")."""
    members = [m for m, _ in await directory.member_municipalities(cluster_id)]
    return [m for m in members if m not in taken][:1]


async def _states(rows: list[dict[str, object]]) -> None:
    """Answered (the cluster's, by the adviser) and read (by a service leader) by someone it
    is addressed to; then overdue and escalated."""
    people = {int(str(r["id"])): await _addressee(r) for r in rows}
    left = [r for r in rows if r["kind"] != "added"]
    answerable = sorted(
        (r for r in left if people[int(str(r["id"]))]), key=lambda r: r["kind"] != "cluster"
    )
    if answerable:
        first = int(str(answerable[0]["id"]))
        await deliveries.answer(people[first], first, ANSWER)  # type: ignore[arg-type]
        left = [r for r in left if int(str(r["id"])) != first]
    readable = [r for r in left if people[int(str(r["id"]))]]
    if readable:
        second = int(str(readable[0]["id"]))
        await deliveries.mark_read(people[second], second)  # type: ignore[arg-type]
        await _backdate(second, 5)
        left = [r for r in left if int(str(r["id"])) != second]
    for row, days in zip(left, (20, 50), strict=False):  # overdue, then escalated
        await _backdate(int(str(row["id"])), days)


async def seed_demo_findings(adviser: Principal, project_id: int) -> list[int]:
    """The completed demo project's outcomes; returns their ids (the published finding first).
    The adviser adds one more member municipality as a recipient."""
    summary = await workspace.project_summary(project_id)
    leader = await load_principal(summary.leader.id) if summary.leader else None
    author = leader or adviser
    finding = await outcomes.create_outcome(author, project_id, FINDING)
    draft = await outcomes.create_outcome(author, project_id, RECOMMENDATION)
    await publishing.publish(author, finding.id)
    rows = await Delivery.select().where(Delivery.outcome == finding.id).order_by(Delivery.id)
    taken = {int(r["municipality"]) for r in rows if r["municipality"]}
    extra = await _one_more_member(summary.cluster_id, taken)
    if extra:
        await publishing.add_recipients(adviser, finding.id, extra)
    rows = await Delivery.select().where(Delivery.outcome == finding.id).order_by(Delivery.id)
    await _states(rows)
    await findings_jobs.remind()
    return [finding.id, draft.id]
