"""@mentions in channels and direct messages: answered in their thread.

Events are acknowledged at once (well within Slack's 3 seconds); the answer is worked out
in the background and posted when ready."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from ..._background import AnswerScheduler
from ..._identity import ChatUser
from ..._pipeline import BotPipeline, Reply
from .._post import post_reply

__all__ = ["answer_direct_message", "answer_mention", "register"]

_MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")
EMPTY_QUESTION = "ご質問の内容を書いてから、もう一度送ってください。"


def register(app: AsyncApp, pipeline: BotPipeline, answers: AnswerScheduler) -> None:
    async def on_mention(ack: AsyncAck, event: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        answers.start(answer_mention(pipeline, event, client))

    async def on_message(ack: AsyncAck, event: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        answers.start(answer_direct_message(pipeline, event, client))

    app.event("app_mention")(on_mention)
    app.event("message")(on_message)


async def answer_mention(
    pipeline: BotPipeline, event: dict[str, Any], client: AsyncWebClient
) -> None:
    thread_ts = event.get("thread_ts") or event["ts"]
    key = f"{event['channel']}:{thread_ts}"
    await _answer(pipeline, event, client, thread_ts=thread_ts, key=key)


async def answer_direct_message(
    pipeline: BotPipeline, event: dict[str, Any], client: AsyncWebClient
) -> None:
    # Only people's own messages in a DM: no edits, joins or bots (the bot's own answers).
    if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
        return
    thread_ts = event.get("thread_ts")
    key = f"{event['channel']}:{thread_ts}" if thread_ts else event["channel"]
    await _answer(pipeline, event, client, thread_ts=thread_ts, key=key)


async def _answer(
    pipeline: BotPipeline,
    event: dict[str, Any],
    client: AsyncWebClient,
    *,
    thread_ts: str | None,
    key: str,
) -> None:
    user = event.get("user")
    if not isinstance(user, str):
        return
    question = _MENTION.sub("", str(event.get("text", ""))).strip()
    chat = ChatUser("slack", user)
    if not question:
        reply = Reply(EMPTY_QUESTION, private=True)
    else:
        reply = await pipeline.ask(chat, question, thread=key)
    await post_reply(client, reply, channel=event["channel"], user=user, thread_ts=thread_ts)
