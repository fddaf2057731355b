"""Role grants: give an account a role in a cluster or organisation (shared with accounts)."""

from __future__ import annotations

from typing import Any

from klynge import audit
from klynge.auth.principal import Principal
from klynge.auth.tables import Account, RoleAssignment
from klynge.errors import FieldError, Invalid
from klynge.i18n import N_


async def grant(actor: Principal | None, account_id: int, role: str, **org: int | None) -> int:
    """The id of the account's grant of `role` for `org` (cluster=..., municipality=...),
    created and audited unless it exists."""
    if not await Account.exists().where(Account.id == account_id):
        raise Invalid(N_("Unknown user."), [FieldError("account_id", N_("Unknown user."))])
    existing = RoleAssignment.select(RoleAssignment.id).where(
        RoleAssignment.account == account_id, RoleAssignment.role == role
    )
    for key, value in org.items():
        column = getattr(RoleAssignment, key)
        existing = existing.where(column == value if value is not None else column.is_null())
    found = await existing.first()
    if found:
        return int(found["id"])
    # Any: Piccolo's Table.__init__ takes columns as **kwargs beside typed parameters.
    values: dict[str, Any] = {"account": account_id, "role": role, **org}
    row = (await RoleAssignment.insert(RoleAssignment(**values)).returning(RoleAssignment.id))[0]
    await audit.record(
        actor,
        "role.grant",
        "account",
        account_id,
        cluster_id=org.get("cluster"),
        after={"role": role, **org},
    )
    return int(row["id"])
