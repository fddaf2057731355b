"""Grants and their reports in the browser: /tilskudd (the list), /tilskudd/{id} (agreement,
report schedule with overdue flags, payments) and the report page with its forms (the report,
the attestation, submitting, the funder's review)."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, URLEncodedBody
from litestar.response import Redirect, Template

from klynge.auth.guards import requires_authenticated
from klynge.auth.principal import Principal
from klynge.errors import DomainError, FieldError, Invalid
from klynge.i18n import N_
from klynge.views.common import (
    Form,
    form_failed,
    form_values,
    notice_text,
    parse,
    render,
    see_other,
    text,
)
from projects.grants import payments, report_actions, reports
from projects.grants import reports_schemas as s
from projects.grants.money import format_nok, parse_nok
from projects.grants.reports_notices import LABELS

AMOUNT = N_("Write the amount in kroner, for example 250 000.")
MESSAGES: dict[str, Any] = {
    "amount_ore": AMOUNT,
    "rnd_spent_ore": AMOUNT,
    "on_date": N_("Write the date as YYYY-MM-DD."),
    "kind": N_("Choose a request or a disbursement."),
    "no_existing_positions": N_("Choose whether existing positions are financed."),
    "decision": N_("Choose approve or return."),
}
GUARDS = [requires_authenticated]


def _ore(data: dict[str, Any], name: str, field: str | None = None) -> int | None:
    value = text(data, name)
    if not value:
        return None
    try:
        return parse_nok(value)
    except ValueError:
        raise Invalid(MESSAGES["amount_ore"], [FieldError(field or name, AMOUNT)]) from None


def _context(**extra: Any) -> dict[str, Any]:
    return {"nok": format_nok, "labels": LABELS, **extra}


@get("/tilskudd", guards=GUARDS, include_in_schema=False, name="grants_list")
async def grants_page(actor: NamedDependency[Principal]) -> Template:
    items = await reports.list_grants(actor)
    return render("projects/grants/reports_grants.html", **_context(items=items))


async def _grant_page(
    actor: Principal, grant_id: int, *, failed: Form | None = None, notice: str = "",
    status: int = 200,
) -> Template:  # fmt: skip
    grant = await reports.grant_detail(actor, grant_id)
    return render(
        "projects/grants/reports_grant.html",
        status=status,
        **_context(grant=grant, failed=failed, form=failed or Form("payment"), notice=notice),
    )


@get("/tilskudd/{grant_id:int}", guards=GUARDS, include_in_schema=False, name="grant_page")
async def grant_page(
    request: Request[Any, Any, Any], actor: NamedDependency[Principal], grant_id: FromPath[int]
) -> Template:
    notice = notice_text(request.query_params.get("notice"))
    return await _grant_page(actor, grant_id, notice=notice)


@post(
    "/tilskudd/{grant_id:int}/utbetalinger", guards=GUARDS, include_in_schema=False,
    name="grant_payment_add",
)  # fmt: skip
async def payment_add(
    actor: NamedDependency[Principal], grant_id: FromPath[int], data: URLEncodedBody[dict[str, Any]]
) -> Template | Redirect:
    form = Form("payment", ("kind", "amount", "on_date", "note"), values=form_values(data))
    try:
        body = {name: text(data, name) for name in ("kind", "on_date", "note")}
        body["amount_ore"] = _ore(data, "amount") or ""
        await payments.add_payment(actor, grant_id, parse(s.PaymentCreate, body, MESSAGES))
    except DomainError as exc:
        if not form_failed(exc):
            raise
        if any(e.field == "amount_ore" for e in exc.errors):
            exc.errors = [
                FieldError("amount", e.message) if e.field == "amount_ore" else e
                for e in exc.errors
            ]
        return await _grant_page(actor, grant_id, failed=form.fail(exc), status=exc.status)
    return see_other(
        f"/tilskudd/{grant_id}",
        notice="projects.grants-reports-payment-saved",
        fragment="utbetalinger",
    )


def _report_url(grant_id: int, report_id: int) -> str:
    return f"/tilskudd/{grant_id}/rapporter/{report_id}"


async def _report_page(
    actor: Principal, grant_id: int, report_id: int, *, failed: Form | None = None,
    notice: str = "", status: int = 200,
) -> Template:  # fmt: skip
    report = await reports.get_report(actor, grant_id, report_id)
    grant = await reports.grant_detail(actor, grant_id)
    values = {
        "progress": report.progress, "rnd_activity": report.rnd_activity,
        "deviations": report.deviations,
        "rnd_spent": format_nok(report.rnd_spent_ore, unit=False) if report.rnd_spent_ore else "",
    } | {
        f"spent-{line.id}": format_nok(line.spent_ore, unit=False) if line.spent_ore else ""
        for line in report.spending
    }  # fmt: skip
    form = failed if failed and failed.id == "report" else Form("report", values=values)
    return render(
        "projects/grants/reports_report.html",
        status=status,
        **_context(
            report=report,
            grant=grant,
            failed=failed,
            form=form,
            other=Form("other"),
            notice=notice,
            here=_report_url(grant_id, report_id),
        ),
    )


@get(
    "/tilskudd/{grant_id:int}/rapporter/{report_id:int}", guards=GUARDS,
    include_in_schema=False, name="grant_report_page",
)  # fmt: skip
async def report_page(
    request: Request[Any, Any, Any], actor: NamedDependency[Principal],
    grant_id: FromPath[int], report_id: FromPath[int],
) -> Template:  # fmt: skip
    notice = notice_text(request.query_params.get("notice"))
    return await _report_page(actor, grant_id, report_id, notice=notice)


async def _act(
    actor: Principal, grant_id: int, report_id: int, form: Form,
    call: Awaitable[Any] | None, build: Any, notice: str,
) -> Template | Redirect:  # fmt: skip
    try:
        await (call if call is not None else build())
    except DomainError as exc:
        if not form_failed(exc):
            raise
        return await _report_page(
            actor, grant_id, report_id, failed=form.fail(exc), status=exc.status
        )
    return see_other(_report_url(grant_id, report_id), notice=f"projects.{notice}")


def _spending(data: dict[str, Any]) -> list[dict[str, int]]:
    out = []
    for key in data:
        if key.startswith("spent-") and key[6:].isdigit():
            amount = _ore(data, key)
            if amount is not None:
                out.append({"budget_line_id": int(key[6:]), "amount_ore": amount})
    return out


@post(
    "/tilskudd/{grant_id:int}/rapporter/{report_id:int}", guards=GUARDS,
    include_in_schema=False, name="grant_report_save",
)  # fmt: skip
async def report_save(
    actor: NamedDependency[Principal], grant_id: FromPath[int], report_id: FromPath[int],
    data: URLEncodedBody[dict[str, Any]],
) -> Template | Redirect:  # fmt: skip
    form = Form(
        "report", ("progress", "rnd_activity", "deviations", "rnd_spent"), values=form_values(data)
    )

    async def build() -> Any:
        body: dict[str, Any] = {
            n: text(data, n, strip=False) for n in ("progress", "rnd_activity", "deviations")
        }
        body["spending"] = _spending(data)
        body["rnd_spent_ore"] = _ore(data, "rnd_spent") or 0
        update = parse(s.ReportUpdate, body, MESSAGES)
        return await report_actions.update_report(actor, grant_id, report_id, update)

    return await _act(actor, grant_id, report_id, form, None, build, "grants-reports-saved")


@post(
    "/tilskudd/{grant_id:int}/rapporter/{report_id:int}/attestasjon", guards=GUARDS,
    include_in_schema=False, name="grant_report_attest",
)  # fmt: skip
async def report_attest(
    actor: NamedDependency[Principal], grant_id: FromPath[int], report_id: FromPath[int],
    data: URLEncodedBody[dict[str, Any]],
) -> Template | Redirect:  # fmt: skip
    form = Form("attestation", ("no_existing_positions",), values=form_values(data))

    async def build() -> Any:
        body = parse(
            s.Attestation, {"no_existing_positions": text(data, "no_existing_positions")}, MESSAGES
        )
        return await report_actions.attest(actor, grant_id, report_id, body)

    return await _act(actor, grant_id, report_id, form, None, build, "grants-reports-attested")


@post(
    "/tilskudd/{grant_id:int}/rapporter/{report_id:int}/send", guards=GUARDS,
    include_in_schema=False, name="grant_report_submit",
)  # fmt: skip
async def report_submit(
    actor: NamedDependency[Principal], grant_id: FromPath[int], report_id: FromPath[int]
) -> Template | Redirect:
    call = report_actions.submit_report(actor, grant_id, report_id)
    return await _act(
        actor, grant_id, report_id, Form("submit"), call, None, "grants-reports-submitted"
    )


@post(
    "/tilskudd/{grant_id:int}/rapporter/{report_id:int}/vurdering", guards=GUARDS,
    include_in_schema=False, name="grant_report_review",
)  # fmt: skip
async def report_review(
    actor: NamedDependency[Principal], grant_id: FromPath[int], report_id: FromPath[int],
    data: URLEncodedBody[dict[str, Any]],
) -> Template | Redirect:  # fmt: skip
    form = Form("review", ("decision", "comment"), values=form_values(data))

    async def build() -> Any:
        body = parse(
            s.ReportReview,
            {"decision": text(data, "decision"), "comment": text(data, "comment")},
            MESSAGES,
        )
        return await report_actions.review_report(actor, grant_id, report_id, body)

    return await _act(actor, grant_id, report_id, form, None, build, "grants-reports-reviewed")


HANDLERS: list[Any] = [
    grants_page, grant_page, payment_add, report_page, report_save, report_attest,
    report_submit, report_review,
]  # fmt: skip
