"""`POST /teams/messages`: the Bot Framework messaging endpoint for Teams. The request's
token is validated first (against the configured keys, by the SDK's validator); refused
tokens are audited like other rejected bot callbacks."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import structlog
from fastapi import APIRouter, Request, Response
from jwt import PyJWTError
from microsoft_agents.hosting.core import (
    ClaimsIdentity,
    HttpAdapterBase,
    MessageFactory,
    TurnContext,
)

from ...auth.jwks import KeySet
from ...errors import ConfigurationError
from .._guards import CallbackGate, SeenIds
from .._pipeline import BotPipeline
from ._agent import YakubaTeamsAgent
from ._auth import BotTokens, LocalKeyValidator, auth_configuration

__all__ = ["teams_router"]

log = structlog.get_logger(__name__)

CHANNEL = "teams"
HANDLED_ACTIVITIES_TTL_S = 3_600.0
TURN_FAILED = (
    "申し訳ありません。処理中にエラーが発生しました。しばらくしてからもう一度お試しください。"
)


class _Request:
    """The SDK's view of an HTTP request (HttpRequestProtocol), over a body already read."""

    def __init__(self, request: Request, body: bytes, identity: ClaimsIdentity) -> None:
        self._request = request
        self._body = body
        self._identity = identity

    @property
    def method(self) -> str:
        return self._request.method

    @property
    def headers(self) -> Mapping[str, str]:
        return self._request.headers

    async def json(self) -> dict[str, Any]:
        data = json.loads(self._body)
        if not isinstance(data, dict):
            raise ValueError("not an activity")
        return data

    def get_claims_identity(self) -> ClaimsIdentity:
        return self._identity

    def get_path_param(self, name: str) -> str:
        return str(self._request.path_params.get(name, ""))


class _Adapter(HttpAdapterBase):
    pass


async def _turn_failed(context: TurnContext, error: Exception) -> None:
    # The SDK's default shows the exception to the user; the user gets Japanese, the log
    # the error's type only.
    log.warning("teams_turn_failed", error=type(error).__name__)
    await context.send_activity(MessageFactory.text(TURN_FAILED))


def _activity_key(activity: dict[str, Any]) -> str:
    conversation = activity.get("conversation")
    conversation_id = conversation.get("id") if isinstance(conversation, dict) else None
    return f"{conversation_id}:{activity.get('id')}"


def teams_router(
    pipeline: BotPipeline, gate: CallbackGate, *, tokens: BotTokens | None = None
) -> APIRouter:
    settings = pipeline.runtime.settings
    if (settings.teams_jwks_file is None) == (settings.teams_jwks_url is None):
        raise ConfigurationError(
            "Teams のボットには YAKUBA_TEAMS_JWKS_FILE か YAKUBA_TEAMS_JWKS_URL の"
            "どちらか一方が必要です（Teams のトークンを確かめる鍵。docs/bots.md）。"
        )
    keys = KeySet(
        file=settings.teams_jwks_file,
        url=settings.teams_jwks_url,
        refresh_s=settings.auth_jwks_refresh_s,
    )
    validator = LocalKeyValidator(auth_configuration(settings), keys)
    adapter = _Adapter(channel_service_client_factory=tokens or BotTokens(settings))
    adapter.on_turn_error = _turn_failed
    agent = YakubaTeamsAgent(pipeline)
    handled = SeenIds(HANDLED_ACTIVITIES_TTL_S)
    router = APIRouter(tags=["bots"])

    @router.post("/teams/messages", include_in_schema=False)
    async def teams_messages(request: Request) -> Response:
        async with gate.answers.callback():
            return await _acknowledge(request)

    async def _acknowledge(request: Request) -> Response:
        body = await gate.body(request, CHANNEL)
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise gate.reject(request, CHANNEL, "bot_signature_invalid")
        try:
            identity = await validator.validate_token(token.strip())
        except (PyJWTError, ValueError):
            raise gate.reject(request, CHANNEL, "bot_signature_invalid") from None
        sdk_request = _Request(request, body, identity)
        try:
            activity = await sdk_request.json()
        except ValueError:
            return Response(status_code=400)
        if activity.get("type") == "message":
            # Acknowledged at once and answered when ready (the Bot Framework waits only
            # 15 s and resends what it thinks was lost: a resend is answered once).
            if handled.first_time(_activity_key(activity)):
                gate.answers.start(adapter.process_request(sdk_request, agent))
            return Response(status_code=202)
        result = await adapter.process_request(sdk_request, agent)
        content = b"" if result.body is None else json.dumps(result.body).encode()
        return Response(content=content, status_code=int(result.status_code))

    return router
