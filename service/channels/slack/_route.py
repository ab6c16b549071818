"""`POST /slack/events`: events, the slash command and button clicks, all through Bolt."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from slack_bolt.adapter.starlette.async_handler import (
    to_async_bolt_request,
    to_starlette_response,
)

from .._guards import CallbackGate
from .._pipeline import BotPipeline
from ._app import build_bolt_app

__all__ = ["slack_router"]

CHANNEL = "slack"


def slack_router(pipeline: BotPipeline, gate: CallbackGate) -> APIRouter:
    bolt = build_bolt_app(pipeline, pipeline.runtime.settings, gate.answers)
    router = APIRouter(tags=["bots"])

    @router.post("/slack/events", include_in_schema=False)
    async def slack_events(request: Request) -> Response:
        async with gate.answers.callback():
            return await _acknowledge(request)

    async def _acknowledge(request: Request) -> Response:
        body = await gate.body(request, CHANNEL)
        try:
            bolt_request = to_async_bolt_request(request, body)
        except UnicodeDecodeError:  # not Slack's: Slack sends UTF-8
            raise gate.reject(request, CHANNEL, "bot_signature_invalid") from None
        response = await bolt.async_dispatch(bolt_request)
        if response.status == 401:  # Bolt refused the signature or its timestamp
            raise gate.reject(request, CHANNEL, "bot_signature_invalid")
        return to_starlette_response(response)

    return router
