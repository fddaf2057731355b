"""Payments of a grant: requests from the project team and disbursements by the funder, and
the grant's granted / requested / paid sums."""

from __future__ import annotations

from typing import Any

from klynge import audit
from klynge.auth.principal import Principal
from klynge.db import transaction
from projects.grants.reports_access import (
    load_grant_access,
    require_grant_funder,
    require_team,
)
from projects.grants.reports_schemas import PaymentCreate, PaymentOut
from projects.grants.tables import Payment


def totals(payments: list[PaymentOut]) -> tuple[int, int]:
    """(requested, paid) in øre."""
    requested = sum(p.amount_ore for p in payments if p.kind == "request")
    paid = sum(p.amount_ore for p in payments if p.kind == "disbursement")
    return requested, paid


def _out(row: dict[str, Any]) -> PaymentOut:
    return PaymentOut(
        row["id"], row["kind"], row["amount_ore"], row["on_date"], row["note"], row["created_at"]
    )


async def payments_of(grant_id: int) -> list[PaymentOut]:
    rows = await (
        Payment.select()
        .where(Payment.grant == grant_id)
        .order_by(Payment.on_date)
        .order_by(Payment.id)
    )
    return [_out(r) for r in rows]


async def list_payments(actor: Principal, grant_id: int) -> list[PaymentOut]:
    await load_grant_access(actor, grant_id)
    return await payments_of(grant_id)


async def add_payment(actor: Principal, grant_id: int, data: PaymentCreate) -> PaymentOut:
    """The team asks for money; the funder records what it paid out."""
    access = await load_grant_access(actor, grant_id)
    if data.kind == "request":
        require_team(access)
    else:
        require_grant_funder(access)
    async with transaction():
        row = await Payment.insert(
            Payment(
                grant=grant_id,
                kind=data.kind,
                amount_ore=data.amount_ore,
                on_date=data.on_date,
                note=data.note.strip(),
                created_by=actor.account_id,
            )
        ).returning(*Payment.all_columns())
        await audit.record(
            actor, f"grant_payment.{data.kind}", "grant_payment", row[0]["id"],
            cluster_id=access.cluster_id,
            after={"grant_id": grant_id, "amount_ore": data.amount_ore, "on_date": data.on_date},
        )  # fmt: skip
    return _out(row[0])
