"""`/yakuba <作業> <本文>`: 要約, 翻訳, やさしい日本語, 下書き, 校正. Acknowledged at once
with a short note; the result comes to the asker alone (ephemeral, via `respond`)."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond

from ..._background import AnswerScheduler
from ..._commands import USAGE, parse_task
from ..._identity import ChatUser
from ..._pipeline import BotPipeline
from .._format import slack_messages

__all__ = ["COMMAND", "acknowledge", "register", "run_task"]

COMMAND = "/yakuba"


def register(app: AsyncApp, pipeline: BotPipeline, answers: AnswerScheduler) -> None:
    async def on_command(ack: AsyncAck, command: dict[str, Any], respond: AsyncRespond) -> None:
        await acknowledge(ack, command)
        answers.start(run_task(pipeline, command, respond))

    app.command(COMMAND)(on_command)


async def acknowledge(ack: AsyncAck, command: dict[str, Any]) -> None:
    parsed = parse_task(str(command.get("text", "")))
    if parsed is None:
        await ack(text=USAGE)
        return
    await ack(
        text=f"「{parsed.kind}」を受け付けました。結果はこちらにお送りします（あなたにだけ表示されます）。"
    )


async def run_task(pipeline: BotPipeline, command: dict[str, Any], respond: AsyncRespond) -> None:
    parsed = parse_task(str(command.get("text", "")))
    if parsed is None:
        return
    chat = ChatUser("slack", str(command["user_id"]))
    reply = await pipeline.task(chat, parsed)
    for message in slack_messages(reply):
        await respond(response_type="ephemeral", replace_original=False, **message)
