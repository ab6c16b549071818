"""The Bolt app: Slack's signature check (Bolt's own request verification with the signing
secret), the Web API client on YAKUBA_SLACK_API_URL, a memory of handled events, the
listeners."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient

from ...settings import Settings
from .._background import AnswerScheduler
from .._guards import SeenIds
from .._pipeline import BotPipeline
from .listeners import register

__all__ = ["build_bolt_app"]

# Slack retries an event 3 times within about 5 minutes.
HANDLED_EVENTS_TTL_S = 3_600.0


def build_bolt_app(pipeline: BotPipeline, settings: Settings, answers: AnswerScheduler) -> AsyncApp:
    assert settings.slack_signing_secret is not None and settings.slack_bot_token is not None
    client = AsyncWebClient(
        token=settings.slack_bot_token.get_secret_value(),
        base_url=_with_slash(settings.slack_api_url),
        timeout=30,
    )
    app = AsyncApp(
        name="yakuba",
        signing_secret=settings.slack_signing_secret.get_secret_value(),
        client=client,
        # The listeners acknowledge and hand the answer to `answers` themselves: Bolt then
        # returns the acknowledgement as soon as the listener does (without it, Bolt runs
        # the listener in a task and polls for the acknowledgement every 10 ms).
        process_before_response=True,
        logger=logging.getLogger("service.channels.slack.bolt"),
    )
    app.middleware(_once_per_event(SeenIds(HANDLED_EVENTS_TTL_S)))
    register(app, pipeline, answers)
    return app


def _once_per_event(seen: SeenIds) -> Callable[..., Awaitable[BoltResponse | None]]:
    """Runs after Bolt verified the signature: an event Slack sends again (a retry,
    `X-Slack-Retry-Num`, of an event already handled) is acknowledged and dropped, so
    every question is answered exactly once."""

    async def middleware(
        body: dict[str, Any], next: Callable[[], Awaitable[Any]]
    ) -> BoltResponse | None:
        event_id = body.get("event_id")
        if isinstance(event_id, str) and not seen.first_time(event_id):
            return BoltResponse(status=200, body="")
        result: BoltResponse | None = await next()
        return result

    return middleware


def _with_slash(url: str) -> str:
    # The SDK appends method names to the base URL as they are.
    return url if url.endswith("/") else url + "/"
