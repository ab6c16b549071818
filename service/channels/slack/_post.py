"""Posting a `Reply` through Slack's Web API (the base URL is YAKUBA_SLACK_API_URL):
public answers in the thread, everything private as an ephemeral message to the asker."""

from __future__ import annotations

import structlog
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from .._pipeline import Reply
from ._format import notice_text, slack_messages

__all__ = ["post_reply"]

log = structlog.get_logger(__name__)


async def post_reply(
    client: AsyncWebClient, reply: Reply, *, channel: str, user: str, thread_ts: str | None
) -> None:
    try:
        if reply.private:
            for message in slack_messages(reply):
                await client.chat_postEphemeral(
                    channel=channel, user=user, thread_ts=thread_ts, **message
                )
            return
        for message in slack_messages(reply):
            await client.chat_postMessage(
                channel=channel,
                thread_ts=thread_ts,
                unfurl_links=False,
                unfurl_media=False,
                **message,
            )
        if reply.notices:
            await client.chat_postEphemeral(
                channel=channel, user=user, thread_ts=thread_ts, text=notice_text(reply.notices)
            )
    except SlackApiError as exc:
        # The error code only: the message text and the token stay out of the logs.
        log.warning("slack_post_failed", error=exc.response.get("error", "unknown"))
