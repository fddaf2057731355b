"""API: tokens (log in, refresh, log out), the caller's own profile, the public JWKS."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_204_NO_CONTENT

from klynge.auth import accounts, service
from klynge.auth.guards import PUBLIC, requires_authenticated
from klynge.auth.middleware import client_address
from klynge.auth.principal import Principal
from klynge.errors import DomainError, Unauthorized
from klynge.i18n import N_
from klynge.settings import Settings

# RFC 6749 §5.1: responses that carry tokens must not be cached.
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


class TokenRequest(msgspec.Struct, forbid_unknown_fields=True):
    email: Annotated[str, msgspec.Meta(min_length=1, max_length=254)]
    password: Annotated[str, msgspec.Meta(min_length=1, max_length=1024)]


class RefreshRequest(msgspec.Struct, forbid_unknown_fields=True):
    refresh_token: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]


class TokenResponse(msgspec.Struct):
    access_token: str
    expires_in: int
    refresh_token: str
    refresh_expires_in: int
    token_type: str = "bearer"  # noqa: S105 (a token type, not a secret)


class Me(msgspec.Struct):
    id: int
    name: str
    email: str
    language: str
    is_admin: bool
    roles: list[accounts.GrantOut]
    cluster_ids: list[int]


def _tokens(pair: service.TokenPair) -> TokenResponse:
    return TokenResponse(
        pair.access_token, pair.expires_in, pair.refresh_token, pair.refresh_expires_in
    )


class AuthController(Controller):
    path = "/api/auth"
    tags = ["auth"]

    @post(
        "/token",
        opt=PUBLIC,
        operation_id="CreateToken",
        status_code=HTTP_200_OK,
        response_headers=NO_STORE,
        summary="Log in with e-mail and password",
    )
    async def token(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[TokenRequest],
        settings: NamedDependency[Settings],
    ) -> TokenResponse:
        try:
            pair = await service.login(
                data.email,
                data.password,
                client_address(request.scope, settings),
                settings,
                request.app.state.codec,
            )
        except service.LoginLocked as exc:
            raise LockedError(exc) from None
        except service.LoginFailed:
            raise Unauthorized(N_("Wrong e-mail address or password.")) from None
        return _tokens(pair)

    @post(
        "/refresh",
        opt=PUBLIC,
        operation_id="RefreshToken",
        status_code=HTTP_200_OK,
        response_headers=NO_STORE,
        summary="Swap a refresh token for a new token pair (the old one is spent)",
    )
    async def refresh(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[RefreshRequest],
        settings: NamedDependency[Settings],
    ) -> TokenResponse:
        try:
            pair = await service.refresh(data.refresh_token, settings, request.app.state.codec)
        except service.RefreshFailed:
            raise Unauthorized(N_("The refresh token is not valid or was used already.")) from None
        return _tokens(pair)

    @post(
        "/logout",
        opt=PUBLIC,
        operation_id="RevokeToken",
        status_code=HTTP_204_NO_CONTENT,
        summary="End the session of a refresh token: its access and refresh tokens stop working",
    )
    async def logout(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[RefreshRequest],
        settings: NamedDependency[Settings],
    ) -> None:
        # Also the caller's own session when it sends its access token.
        token = request.scope.get("auth")
        await service.logout(data.refresh_token, settings, sid=getattr(token, "sid", None))

    @get(
        "/me",
        guards=[requires_authenticated],
        operation_id="GetMe",
        summary="The caller's account, roles and clusters",
    )
    async def me(self, actor: NamedDependency[Principal]) -> Me:
        return Me(
            id=actor.account_id,
            name=actor.name,
            email=actor.email,
            language=actor.language,
            is_admin=actor.is_admin,
            roles=await accounts.grants_of(actor.account_id),
            cluster_ids=sorted(actor.cluster_ids),
        )


class LockedError(DomainError):
    def __init__(self, locked: service.LoginLocked) -> None:
        message, params = locked.message
        super().__init__(
            message,
            429,
            "too-many-attempts",
            headers={"Retry-After": str(locked.retry_after)},
            params=params,
        )


@get(
    "/.well-known/jwks.json",
    opt=PUBLIC,
    operation_id="GetJwks",
    tags=["auth"],
    summary="Public keys that verify RS256 access tokens (empty for HS256)",
)
async def jwks(request: Request[Any, Any, Any]) -> Response[dict[str, Any]]:
    return Response(request.app.state.codec.jwks())
