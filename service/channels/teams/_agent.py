"""The Teams agent: a message in a personal chat, or an @mention in a channel or group
chat, goes to the pipeline — a question, or a task command (`/要約 …`, parsed as on every
platform); the reply comes back as an Adaptive Card. A 👍/👎 click on a card comes back as
a message whose `value` holds the vote.

Teams has no message visible to one person in a channel. A block's explanation (partly
hidden excerpts of the asker's own text) therefore appears in full only in a personal
chat; in a channel the reply only says that the message was stopped and where to ask."""

from __future__ import annotations

from microsoft_agents.hosting.core import ActivityHandler, MessageFactory, TurnContext

from .._commands import parse_feedback
from .._identity import ChatUser
from .._pipeline import BotPipeline, Reply
from ._card import FEEDBACK_KEY, teams_activities

__all__ = ["CHANNEL_BLOCK_NOTICE", "YakubaTeamsAgent"]

CHANNEL = "teams"
CHANNEL_BLOCK_NOTICE = (
    "このメッセージは送信できませんでした（個人情報・機密情報の可能性、または利用条件）。"
    "理由は表示しません。Yakuba との個人チャットで、内容を見直してからお試しください。"
)
EMPTY_QUESTION = "ご質問の内容を書いてから、もう一度送ってください。"


class YakubaTeamsAgent(ActivityHandler):
    def __init__(self, pipeline: BotPipeline) -> None:
        self.pipeline = pipeline

    async def on_message_activity(self, turn_context: TurnContext) -> None:  # type: ignore[override]
        activity = turn_context.activity
        sender = activity.from_property
        if sender is None or activity.conversation is None:
            return
        # The Entra object id is stable across chats and tenants' Teams clients.
        chat = ChatUser(CHANNEL, sender.aad_object_id or sender.id)
        personal = activity.conversation.conversation_type in (None, "personal")
        value = activity.value if isinstance(activity.value, dict) else {}
        vote = parse_feedback(value.get(FEEDBACK_KEY))
        if vote is not None:
            # The thanks reveals nothing: it may show in a channel too.
            reply = await self.pipeline.rate(chat, vote)
            await turn_context.send_activity(MessageFactory.text(reply.text))
            return
        text = (activity.remove_recipient_mention() or "").strip()
        if not text:
            reply = Reply(EMPTY_QUESTION, private=True)
        else:
            reply = await self.pipeline.message(chat, text, thread=activity.conversation.id)
        if reply.private and not personal:
            await turn_context.send_activity(MessageFactory.text(CHANNEL_BLOCK_NOTICE))
            return
        for message in teams_activities(reply):
            await turn_context.send_activity(message)
