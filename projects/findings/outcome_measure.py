"""A recommendation proposed to the knowledge bank of measures (literature/measures): the
project leader proposes it with its evidence scale and level, the cluster's advisers are
notified; an adviser accepts (the measure is created through the literature part and is
public at once) or declines with a reason; the project leader is told either way."""

from __future__ import annotations

from klynge import audit, directory, notifications
from klynge.auth.principal import Principal
from klynge.db import transaction
from klynge.errors import Conflict, FieldError, Invalid
from klynge.i18n import N_
from literature import api as literature
from projects.findings.access import OutcomeAccess, require_advise, require_manage
from projects.findings.loading import load_outcome_access
from projects.findings.outcome_store import outcome_row, to_out
from projects.findings.outcomes_schemas import MeasureDecision, MeasureProposal, OutcomeOut
from projects.findings.tables import Outcome

KIND = "findings.measure"


def _level(data: MeasureProposal) -> tuple[str, str]:
    scale = literature.SCALES.get(data.scale)
    if scale is None:
        raise Invalid(
            N_("The proposal cannot be saved."),
            [FieldError("scale", N_("Choose an evidence scale from the list."))],
        )
    level = literature.normalise_level(data.scale, data.level)
    if level is None:
        raise Invalid(
            N_("The proposal cannot be saved."),
            [
                FieldError(
                    "level",
                    N_("The level does not exist on the scale (valid: %(valid)s)."),
                    params={"valid": ", ".join(scale.levels)},
                )
            ],
        )
    return data.scale, str(level)


async def propose_measure(actor: Principal, outcome_id: int, data: MeasureProposal) -> OutcomeOut:
    access = await load_outcome_access(actor, outcome_id)
    require_manage(access)
    scale, level = _level(data)
    async with transaction():
        before = await outcome_row(outcome_id)
        if before["kind"] != "recommendation":
            raise Conflict(N_("Only a recommendation can be proposed to the knowledge bank."))
        if before["measure_status"] in ("proposed", "accepted"):
            raise Conflict(N_("The recommendation has already been proposed."))
        await Outcome.update(
            {
                Outcome.measure_scale: scale,
                Outcome.measure_level: level,
                Outcome.measure_status: "proposed",
                Outcome.measure_note: "",
            }
        ).where(Outcome.id == outcome_id)
        row = await outcome_row(outcome_id)
        for adviser in await directory.cluster_advisers(access.facts.cluster_id):
            await notifications.notify(
                KIND,
                N_("A recommendation is proposed to the knowledge bank: «%(title)s»"),
                params={"title": row["title"]},
                link=f"/resultater/{outcome_id}#tiltak",
                cluster_id=access.facts.cluster_id,
                account_id=adviser,
            )
        await _audit(actor, access, "propose", before, row)
    return to_out(row)


async def decide_measure(actor: Principal, outcome_id: int, data: MeasureDecision) -> OutcomeOut:
    access = await load_outcome_access(actor, outcome_id)
    require_advise(access)
    if data.decision == "decline" and not data.reason.strip():
        raise Invalid(
            N_("The decision cannot be saved."),
            [FieldError("reason", N_("Give the reason for declining."))],
        )
    async with transaction():
        before = await outcome_row(outcome_id)
        if before["measure_status"] != "proposed":
            raise Conflict(N_("There is no proposal to decide on."))
        changes: dict[object, str] = {Outcome.measure_status: "declined"}
        changes[Outcome.measure_note] = data.reason.strip()
        if data.decision == "accept":
            measure = await literature.create_measure(actor, _measure(before, data))
            changes = {Outcome.measure_status: "accepted", Outcome.measure_slug: measure.slug}
        await Outcome.update(changes).where(Outcome.id == outcome_id)  # type: ignore[arg-type]
        row = await outcome_row(outcome_id)
        await _tell_leader(access, row, accepted=data.decision == "accept")
        await _audit(actor, access, data.decision, before, row)
    return to_out(row)


def _measure(row: dict[str, object], data: MeasureDecision) -> literature.MeasureCreate:
    """The knowledge-bank measure of an accepted recommendation (public: the adviser
    confirms text the privacy guard warns about)."""
    links = [
        literature.LinkIn(title=str(k["title"]), url=str(k["url"]))
        for k in row["links"]  # type: ignore[attr-defined]
    ]
    return literature.MeasureCreate(
        name=str(row["title"]),
        scale=literature.EvidenceScale(str(row["measure_scale"])),
        level=str(row["measure_level"]),
        description="\n\n".join(
            str(t) for t in (row["summary"], row["practice"]) if str(t).strip()
        ),
        target_group=data.target_group,
        links=links,
        confirm_warnings=data.confirm_warnings,
    )


async def _tell_leader(access: OutcomeAccess, row: dict[str, object], *, accepted: bool) -> None:
    leader = access.project.facts.leader_id
    if leader is None:
        return
    text = (
        N_("The recommendation «%(title)s» was accepted in the knowledge bank.")
        if accepted
        else N_("The recommendation «%(title)s» was declined for the knowledge bank.")
    )
    await notifications.notify(
        KIND,
        text,
        params={"title": str(row["title"])},
        link=f"/resultater/{row['id']}#tiltak",
        cluster_id=access.facts.cluster_id,
        account_id=leader,
    )


async def _audit(
    actor: Principal, access: OutcomeAccess, verb: str, before: dict[str, object],
    after: dict[str, object],
) -> None:  # fmt: skip
    await audit.record(
        actor, f"projects.outcome.measure.{verb}", "project_outcome", after["id"],
        cluster_id=access.facts.cluster_id, before=before, after=after,
    )  # fmt: skip
