"""Teams' tokens both ways, with nothing fetched from the internet at run time.

Incoming: the Agents SDK's own `JwtTokenValidator` checks each request's token (signature,
audience = our App ID, issuer and tenant rules, expiry), but its keys come from the
configured JWKS file or internal mirror (service.auth.jwks.KeySet) instead of Microsoft's
key endpoints, which closed networks cannot reach.

Outgoing: replies need the bot's own token (OAuth client credentials with the App ID and
password) from a configurable token endpoint; it is cached until shortly before expiry.
"""

from __future__ import annotations

import time
from typing import Any

import anyio
import httpx
import jwt
from microsoft_agents.hosting.core import (
    AgentAuthConfiguration,
    AuthenticationConstants,
    ChannelServiceClientFactoryBase,
    ClaimsIdentity,
    JwtTokenValidator,
    TurnContext,
)
from microsoft_agents.hosting.core.connector.client import UserTokenClient
from microsoft_agents.hosting.core.connector.teams import TeamsConnectorClient

from ...auth import AuthError
from ...auth.jwks import KeySet
from ...settings import Settings

__all__ = ["BotTokens", "LocalKeyValidator", "auth_configuration"]

_RENEW_BEFORE_S = 300


class _LocalKeys:
    """Stands in for the SDK's JWKS client cache: every key comes from `keys`."""

    def __init__(self, keys: KeySet) -> None:
        self._keys = keys

    async def get_signing_key(self, jwks_uri: str, header: dict[str, Any]) -> jwt.PyJWK:
        try:
            return self._keys.key_for(header.get("kid"), str(header.get("alg", "")))
        except AuthError as exc:  # the SDK turns ValueError into its 401
            raise ValueError(str(exc)) from None


class LocalKeyValidator(JwtTokenValidator):
    def __init__(self, configuration: AgentAuthConfiguration, keys: KeySet) -> None:
        super().__init__(configuration)
        self._jwk_client_manager = _LocalKeys(keys)  # type: ignore[assignment]


def auth_configuration(settings: Settings) -> AgentAuthConfiguration:
    assert settings.teams_app_password is not None
    return AgentAuthConfiguration(
        client_id=settings.teams_app_id,
        client_secret=settings.teams_app_password.get_secret_value(),
        anonymous_allowed=False,
    )


class BotTokens(ChannelServiceClientFactoryBase):
    """Connector clients for replies, authenticated with the bot's client-credentials token."""

    def __init__(self, settings: Settings, *, http: httpx.AsyncClient | None = None) -> None:
        assert settings.teams_app_password is not None
        self._form = {
            "grant_type": "client_credentials",
            "client_id": str(settings.teams_app_id),
            "client_secret": settings.teams_app_password.get_secret_value(),
            "scope": settings.teams_token_scope,
        }
        self._url = settings.teams_token_url
        self._http = http or httpx.AsyncClient(timeout=30)
        self._token: tuple[str, float] | None = None
        self._lock = anyio.Lock()

    async def create_connector_client(
        self,
        context: TurnContext | None,
        claims_identity: ClaimsIdentity,
        service_url: str,
        audience: str,
        scopes: list[str] | None = None,
        use_anonymous: bool = False,
    ) -> TeamsConnectorClient:
        return TeamsConnectorClient(endpoint=service_url, token=await self.token())

    async def create_user_token_client(
        self, context: TurnContext, claims_identity: ClaimsIdentity, use_anonymous: bool = False
    ) -> UserTokenClient:
        # The SDK makes one for every turn; Yakuba never signs users in to other services,
        # so it holds no token and is never called.
        return UserTokenClient(
            app_id=str(claims_identity.get_app_id() or ""),
            endpoint=AuthenticationConstants.AGENTS_SDK_OAUTH_URL,
            token="",
        )

    async def token(self) -> str:
        async with self._lock:
            if self._token is not None and time.monotonic() < self._token[1]:
                return self._token[0]
            response = await self._http.post(self._url, data=self._form)
            response.raise_for_status()
            body = response.json()
            lifetime = int(body.get("expires_in", 0) or 0)
            self._token = (str(body["access_token"]), time.monotonic() + lifetime - _RENEW_BEFORE_S)
            return self._token[0]
