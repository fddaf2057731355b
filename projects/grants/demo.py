"""Demo grants for `klynge demo`: the demo funder's two calls (calls_demo) and applications from
the three demo projects in every state — a draft that fails the R&D share, a submitted one, one
sent back for changes, and on the earlier (closed) call one granted with an overdue progress
report, one declined and one withdrawn. Open-call applications go through the use cases;
the closed call's are recorded as they stood when it was open (a call that is closed accepts no
new application), then decided through the decision use case."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

from klynge.auth.principal import Principal
from klynge.auth.roles import Role
from projects.grants import applications, decisions, reviews
from projects.grants import applications_schemas as s
from projects.grants.calls_demo import seed_demo_calls
from projects.grants.loading import link_funder
from projects.grants.money import parse_nok
from projects.grants.reviews_schemas import ChangesRequest, Decision
from projects.grants.tables import Application, BudgetLine, FinancingLine
from projects.workspace import api as workspace

# (category, amount, description, fte) per year; R&D 14 % (the draft) and 25 % (the others).
FAILING = [
    ("new_position", "600 000", "Ny stilling som ettervernskoordinator", 100),
    ("rnd", "120 000", "Følgeforskning", None),
    ("operations", "137 000", "Samlinger og materiell", None),
]
PASSING = [
    ("new_position", "600 000", "Ny stilling i fråværsteamet", 100),
    ("rnd", "250 000", "Følgeforsking og PDSA-analysar", None),
    ("travel", "50 000", "Samlingar", None),
    ("indirect", "100 000", "Indirekte kostnader", None),
]


def _budget(lines: list[tuple[str, str, str, int | None]], year: int) -> s.BudgetIn:
    return msgspec.convert(
        {
            "lines": [
                {"year": year, "category": c, "amount": a, "description": d, "fte_percent": f}
                for c, a, d, f in lines
            ]
        },
        s.BudgetIn,
    )


def _full_financing(lines: list[tuple[str, str, str, int | None]]) -> s.FinancingIn:
    total = sum(parse_nok(a) for _, a, _, _ in lines)
    return msgspec.convert(
        {"lines": [{"source": "this_funder", "amount": total // 100}]}, s.FinancingIn
    )


async def _open_application(
    adviser: Principal, project_id: int, call_id: int, lines: list[Any], year: int
) -> int:
    app_id = await applications.start_application(
        adviser, s.ApplicationCreate(project_id=project_id, call_id=call_id)
    )
    await applications.replace_budget(adviser, app_id, _budget(lines, year))
    await applications.replace_financing(adviser, app_id, _full_financing(lines))
    return app_id


async def _recorded(
    project: workspace.ProjectOverview,
    call_id: int,
    funder_id: int,
    status: str,
    submitted: dt.date,
    own_share: int,
) -> int:
    """An application to the closed call as it stood then (30 % own contribution)."""
    lines = [("new_position", 700_000_00), ("rnd", 200_000_00), ("operations", 100_000_00)]
    total = sum(a for _, a in lines)
    own = total * own_share // 100
    row = await Application.insert(
        Application(
            call=call_id,
            project=project.id,
            cluster=project.cluster_id,
            title=project.title,
            written_standard=project.summary_language,
            status=status,
            requested_ore=total - own,
            submitted_at=dt.datetime.combine(submitted, dt.time(12), dt.UTC),
        )
    ).returning(Application.id)
    app_id = int(row[0]["id"])
    if status != "withdrawn":
        await link_funder(project.id, funder_id)
    await BudgetLine.insert(
        *[
            BudgetLine(
                application=app_id, year=submitted.year, category=c, amount_ore=a, position=i
            )
            for i, (c, a) in enumerate(lines)
        ]
    )
    await FinancingLine.insert(
        FinancingLine(application=app_id, source="this_funder", amount_ore=total - own),
        FinancingLine(application=app_id, source="own", amount_ore=own),
    )
    return app_id


async def seed_demo_grants(
    officer: Principal, adviser: Principal, project_ids: list[int]
) -> list[int]:
    """`project_ids`: the demo projects in preparation, running and completed. Returns the
    applications' ids (draft, submitted, changes requested, granted, declined, withdrawn)."""
    open_call, closed_call = await seed_demo_calls(officer)
    funder = next(iter(sorted(officer.org_ids(Role.FUNDER_OFFICER))))
    preparation, running, completed = [await workspace.project_summary(pid) for pid in project_ids]
    draft = await _open_application(adviser, preparation.id, open_call, FAILING, 2027)
    submitted = await _open_application(adviser, running.id, open_call, PASSING, 2026)
    await applications.submit_application(adviser, submitted)
    sent_back = await _open_application(adviser, completed.id, open_call, PASSING, 2026)
    await applications.submit_application(adviser, sent_back)
    await reviews.request_changes(
        officer,
        sent_back,
        ChangesRequest(comment="Beskriv korleis resultata blir tekne i bruk etter prosjektet."),
    )
    granted = await _recorded(running, closed_call, funder, "submitted", dt.date(2026, 3, 1), 30)
    await decisions.decide(
        officer,
        granted,
        Decision(
            decision="granted",
            amount_ore=700_000_00,
            starts_on=dt.date(2026, 4, 1),
            ends_on=dt.date(2027, 3, 31),
            extra_conditions="Framdriftsrapporten skal vise FoU-andelen som er brukt.",
        ),
    )
    declined = await _recorded(completed, closed_call, funder, "submitted", dt.date(2026, 5, 2), 30)
    await decisions.decide(
        officer,
        declined,
        Decision(decision="declined", reason="Søknaden ligg utanfor tematikken i utlysinga."),
    )
    withdrawn = await _recorded(
        preparation, closed_call, funder, "withdrawn", dt.date(2026, 5, 20), 30
    )
    return [draft, submitted, sent_back, granted, declined, withdrawn]
