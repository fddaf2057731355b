"""Demo PDSA data for a running project: two cycles (the first adapted into the second) and an
outcome measure whose weekly values show a shift after the change (for `klynge demo`)."""

from __future__ import annotations

import datetime as dt

from projects.workspace.tables import Measure, MeasureValue, PdsaCycle

# Share of pupils with more than 10 % absence, weekly: 12 weeks before, 12 weeks after.
ABSENCE = [
    14.2, 13.1, 15.0, 14.6, 13.8, 15.3, 14.1, 13.5, 14.9, 14.0, 13.2, 14.7,
    12.9, 12.1, 11.8, 11.2, 10.9, 11.5, 10.4, 10.8, 9.9, 10.2, 10.6, 9.7,
]  # fmt: skip
FIRST_WEEK = dt.date(2026, 1, 5)


async def seed_pdsa(project_id: int) -> None:
    """Idempotent: does nothing when the project already has cycles."""
    if await PdsaCycle.exists().where(PdsaCycle.project == project_id):
        return
    start = FIRST_WEEK + dt.timedelta(weeks=12)
    first = await PdsaCycle.insert(
        PdsaCycle(
            project=project_id,
            number=1,
            title="Telefon hjem første fraværsdag",
            change_idea="Kontaktlæreren ringer hjem første dag en elev er borte uten melding.",
            prediction="Andelen elever med over 10 % fravær går ned fra om lag 14 til 12 %.",
            done_what="Tre skoler ringte hjem i seks uker; 84 samtaler ble logget.",
            started_on=start,
            ended_on=start + dt.timedelta(weeks=6),
            study="Fraværet gikk ned til om lag 11 %, mer enn forventet; samtalene tok tid.",
            learned="Tidlig kontakt virker, men lærerne trenger en fast tid til å ringe.",
            decision="adapt",
            next_test="Samme kontakt, men med en fast ringetime og SMS når ingen svarer.",
        )
    ).returning(PdsaCycle.id)
    await PdsaCycle.insert(
        PdsaCycle(
            project=project_id,
            number=2,
            title="Fast ringetime og SMS",
            change_idea="Samme kontakt, men med en fast ringetime og SMS når ingen svarer.",
            prediction="Fraværet holder seg under 11 % uten at lærerne bruker mer tid.",
            done_what="Alle fem skolene bruker ringetimen.",
            started_on=start + dt.timedelta(weeks=6),
        )
    )
    measure = await Measure.insert(
        Measure(
            project=project_id,
            cycle=first[0]["id"],
            name="Elever med over 10 % fravær",
            kind="outcome",
            unit="%",
            better="down",
            baseline=14.2,
        )
    ).returning(Measure.id)
    await MeasureValue.insert(
        *[
            MeasureValue(
                measure=measure[0]["id"],
                measured_on=FIRST_WEEK + dt.timedelta(weeks=i),
                value=value,
            )
            for i, value in enumerate(ABSENCE)
        ]
    )
