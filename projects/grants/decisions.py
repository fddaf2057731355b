"""The funder's decision on a submitted application: granted (a grant agreement with its report
schedule) or declined (with a reason); the applicants, the cluster's advisers and the
participating municipalities are told."""

from __future__ import annotations

import datetime as dt
from typing import Any

from klynge import audit, notifications
from klynge.auth.principal import Principal
from klynge.db import json_value, transaction
from klynge.errors import Conflict, FieldError, Invalid
from klynge.i18n import N_
from projects.grants import schedule_rules
from projects.grants.access import ApplicationAccess
from projects.grants.money import format_nok
from projects.grants.reviews import NOT_SUBMITTED, funder_access, notify_applicants
from projects.grants.reviews_schemas import Decision, DecisionOut
from projects.grants.tables import Application, GrantAgreement, GrantReport

CHECK = N_("Check the decision.")


def check_decision(data: Decision) -> list[FieldError]:
    """What a decision lacks: granted needs an amount and a period; declined a reason."""
    errors: list[FieldError] = []
    if data.decision == "declined":
        if not data.reason.strip():
            errors.append(FieldError("reason", N_("Write the reason for declining.")))
        return errors
    if not data.amount_ore:
        errors.append(FieldError("amount_ore", N_("Write the amount granted.")))
    if data.starts_on is None:
        errors.append(FieldError("starts_on", N_("Write the start date.")))
    if data.ends_on is None:
        errors.append(FieldError("ends_on", N_("Write the end date.")))
    if data.starts_on and data.ends_on and data.ends_on <= data.starts_on:
        errors.append(FieldError("ends_on", N_("The end date must come after the start date.")))
    return errors


async def _grant(
    actor: Principal, application_id: int, data: Decision, schedule: dict[str, Any]
) -> tuple[int, int]:
    assert data.amount_ore
    assert data.starts_on
    assert data.ends_on
    row = await GrantAgreement.insert(
        GrantAgreement(
            application=application_id,
            amount_ore=data.amount_ore,
            starts_on=data.starts_on,
            ends_on=data.ends_on,
            extra_conditions=data.extra_conditions.strip(),
            created_by=actor.account_id,
        )
    ).returning(GrantAgreement.id)
    grant_id = int(row[0]["id"])
    slots = schedule_rules.schedule(data.starts_on, data.ends_on, schedule)
    if slots:
        await GrantReport.insert(
            *[
                GrantReport(
                    grant=grant_id,
                    kind=s.kind,
                    period_start=s.period_start,
                    period_end=s.period_end,
                    due=s.due,
                )
                for s in slots
            ]
        )
    return grant_id, len(slots)


def _text(title: str, data: Decision) -> tuple[str, dict[str, str]]:
    """The notification's msgid and its params."""
    if data.decision == "granted":
        return N_(
            "The application «%(title)s» is granted %(amount)s for the period %(start)s–%(end)s."
        ), {
            "title": title,
            "amount": format_nok(data.amount_ore or 0),
            "start": f"{data.starts_on:%d.%m.%Y}",
            "end": f"{data.ends_on:%d.%m.%Y}",
        }
    return N_("The application «%(title)s» is declined. Reason: %(reason)s"), {
        "title": title,
        "reason": data.reason.strip(),
    }


async def _notify(access: ApplicationAccess, title: str, data: Decision, link: str) -> None:
    text, params = _text(title, data)
    await notify_applicants(access, "grant_decision", text, params, link)
    for municipality_id in sorted(access.project.facts.municipality_ids):
        await notifications.notify(
            "grant_decision",
            text,
            params=params,
            link=link,
            cluster_id=access.facts.cluster_id,
            municipality_id=municipality_id,
        )


async def decide(actor: Principal, application_id: int, data: Decision) -> DecisionOut:
    access = await funder_access(actor, application_id)
    errors = check_decision(data)
    if errors:
        raise Invalid(CHECK, errors)
    async with transaction():
        moved = await (
            Application.update(
                {
                    Application.status: data.decision,
                    Application.decision_reason: data.reason.strip(),
                    Application.decided_at: dt.datetime.now(dt.UTC),
                    Application.decided_by: actor.account_id,
                    Application.updated_at: dt.datetime.now(dt.UTC),
                }
            )
            .where((Application.id == application_id) & (Application.status == "submitted"))
            .returning(Application.title)
        )
        if not moved:
            raise Conflict(NOT_SUBMITTED)
        title = moved[0]["title"]
        grant_id, reports = None, 0
        if data.decision == "granted":
            schedule = await _schedule(application_id)
            grant_id, reports = await _grant(actor, application_id, data, schedule)
        await audit.record(
            actor, f"grant_application.{data.decision}", "grant_application", application_id,
            cluster_id=access.facts.cluster_id, before={"status": "submitted"},
            after={"status": data.decision, "amount_ore": data.amount_ore, "grant_id": grant_id,
                   "reason": data.reason.strip()},
        )  # fmt: skip
        link = f"/tilskudd/{grant_id}" if grant_id else f"/soknader/{application_id}"
        await _notify(access, title, data, link)
    return DecisionOut(application_id, data.decision, grant_id, reports)


async def _schedule(application_id: int) -> dict[str, Any]:
    row = await (
        Application.select(Application.call.report_schedule.as_alias("schedule"))
        .where(Application.id == application_id)
        .first()
    )
    return dict(json_value(row["schedule"] if row else None, {}))
