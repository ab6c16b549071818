"""👍/👎 under an answer: stored with the answer's audit record, as POST /v1/feedback does."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from ..._background import AnswerScheduler
from ..._commands import Rating, feedback_data, parse_feedback
from ..._identity import ChatUser
from ..._pipeline import BotPipeline
from .._format import FEEDBACK_ACTION
from .._post import post_reply

__all__ = ["record_feedback", "register"]

_ACTION = re.compile(rf"^{FEEDBACK_ACTION}_(up|down)$")


def register(app: AsyncApp, pipeline: BotPipeline, answers: AnswerScheduler) -> None:
    async def on_click(
        ack: AsyncAck, body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient
    ) -> None:
        await ack()
        answers.start(record_feedback(pipeline, body, action, client))

    app.action(_ACTION)(on_click)


async def record_feedback(
    pipeline: BotPipeline, body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient
) -> None:
    value = str(action.get("value", ""))
    if value.isdigit():
        # A button posted before the votes had one format for every platform carries the
        # bare audit id; its action id says the rating.
        rating: Rating = "up" if str(action.get("action_id", "")).endswith("_up") else "down"
        value = feedback_data(int(value[:18]), rating)
    vote = parse_feedback(value)
    user = body.get("user", {}).get("id")
    channel = body.get("channel", {}).get("id")
    if vote is None or not isinstance(user, str) or not isinstance(channel, str):
        return
    reply = await pipeline.rate(ChatUser("slack", user), vote)
    thread_ts = body.get("message", {}).get("thread_ts")
    await post_reply(client, reply, channel=channel, user=user, thread_ts=thread_ts)
