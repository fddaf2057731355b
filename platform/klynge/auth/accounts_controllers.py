"""API: accounts and role grants (platform admins)."""

from __future__ import annotations

from litestar import Controller, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.status_codes import HTTP_200_OK

from klynge.auth import accounts
from klynge.auth.guards import requires_admin
from klynge.auth.principal import Principal


class AccountController(Controller):
    path = "/api/accounts"
    tags = ["accounts"]
    guards = [requires_admin]

    @get("/", operation_id="ListAccounts")
    async def list_accounts(self, q: FromQuery[str] = "") -> list[accounts.AccountOut]:
        return await accounts.list_accounts(q)

    @post("/", operation_id="CreateAccount")
    async def create_account(
        self, actor: NamedDependency[Principal], data: JSONBody[accounts.AccountCreate]
    ) -> accounts.AccountOut:
        return await accounts.create_account(actor, data)

    @get("/{account_id:int}", operation_id="GetAccount")
    async def get_account(self, account_id: FromPath[int]) -> accounts.AccountOut:
        return await accounts.get_account(account_id)

    @patch("/{account_id:int}", operation_id="UpdateAccount")
    async def update_account(
        self,
        actor: NamedDependency[Principal],
        account_id: FromPath[int],
        data: JSONBody[accounts.AccountUpdate],
    ) -> accounts.AccountOut:
        return await accounts.update_account(actor, account_id, data)

    @post("/{account_id:int}/roles", operation_id="GrantRole", status_code=HTTP_200_OK)
    async def grant(
        self,
        actor: NamedDependency[Principal],
        account_id: FromPath[int],
        data: JSONBody[accounts.GrantIn],
    ) -> accounts.AccountOut:
        return await accounts.grant_role(actor, account_id, data)

    @delete(
        "/{account_id:int}/roles/{grant_id:int}", operation_id="RevokeRole", status_code=HTTP_200_OK
    )
    async def revoke(
        self, actor: NamedDependency[Principal], account_id: FromPath[int], grant_id: FromPath[int]
    ) -> accounts.AccountOut:
        return await accounts.revoke_role(actor, account_id, grant_id)
