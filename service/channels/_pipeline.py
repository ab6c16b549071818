"""The bots' only way into the guarded pipeline: every adapter (Slack, LINE WORKS, the
webhook) calls this module and nothing else of the assistant, so screening, retrieval,
the model call, the guard on the answer and the audit record happen exactly as for the
HTTP API — one pipeline, no copy.

Per message: the chat user is mapped to a staff member (unknown → the polite refusal,
audited), the staff member's role must allow the work, the quotas count the request as
on the API, and the request context carries the channel and the chat account into the
audit record. What comes back is a `Reply`: public (the answer, for the thread) or
private (a guard block with its explanation, a refusal, a failure — for the asker only).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import anyio.to_thread
import structlog
from pydantic import BaseModel

from ..auth import AccessControl, AuthError, Permission, Principal
from ..auth.errors import SignInFailure
from ..auth.roles import Role
from ..errors import YakubaError
from ..feedback import record_feedback
from ..pipeline.contracts import Answer, RequestContext
from ..pipeline.core import Plan
from ..pipeline.placeholders import PlaceholderRequest
from ..pipeline.task_specs import DraftInput, ProofreadInput, SummarizeInput, TranslateInput
from ..runtime import Runtime
from ._commands import USAGE, FeedbackVote, TaskCommand, UsageRequest, parse_chat_command
from ._identity import ChatDirectory, ChatUser

__all__ = ["BotPipeline", "Reply"]

log = structlog.get_logger(__name__)

SCREENING_THREADS = 1
FEEDBACK_THANKS = "評価を記録しました。ありがとうございます。今後の改善に活用します。"
FEEDBACK_NOT_YOURS = "評価できるのは、ご自身の質問への回答だけです。"


@dataclass(frozen=True)
class Reply:
    """What the bot shows. `private`: only the asker may see it (Slack: ephemeral)."""

    text: str
    private: bool
    answer: Answer | None = None  # the pipeline's answer (citations, audit id), if any
    notices: list[str] = field(default_factory=list)  # for the asker only

    @property
    def audit_id(self) -> int | None:
        return self.answer.audit_id if self.answer else None

    @property
    def rated_audit_id(self) -> int | None:
        """The audit id 👍/👎 buttons under this reply carry; None: no buttons (a block,
        a failure, a refusal is nothing to rate)."""
        answer = self.answer
        if answer is None or answer.status not in ("answered", "no_results"):
            return None
        return answer.audit_id


class BotPipeline:
    def __init__(self, runtime: Runtime, access: AccessControl) -> None:
        self.runtime = runtime
        self.access = access
        settings = runtime.settings
        self.directory = ChatDirectory(
            settings.bot_directory_file,
            default_role=Role(settings.auth_default_role),
            registered=runtime.chat_users,
        )
        self.unknown_user_message = settings.bot_unknown_user_message
        # Guard and retrieval are CPU work holding the interpreter: every further thread
        # doing it takes turns from the event loop, which must keep acknowledging
        # callbacks (bench/bots.py); one at a time still screens 20 questions in well
        # under the model's time.
        self._screening = anyio.CapacityLimiter(SCREENING_THREADS)

    # -- the work --------------------------------------------------------------------
    async def ask(self, chat: ChatUser, question: str, *, thread: str, purpose: str = "") -> Reply:
        """A grounded answer with citations; `thread` (the platform's thread or room)
        keys the staff member's earlier guarded turns, which go to the model as context.
        A declared `purpose` is guarded and checked against the restricted purposes."""

        def prepare() -> Plan | Answer | Reply:
            admitted = self._admit(chat, Permission.ASK)
            if isinstance(admitted, Reply):
                return admitted
            ctx = self._context(admitted, chat, purpose)
            history = self.runtime.conversations.get(ctx.user, f"{chat.platform}:{thread}")
            return self.runtime.assistant.plan_ask(question, ctx, thread=history)

        # The quota count (a database write), the guard and retrieval run off the event
        # loop whatever the question's length (unlike the API's run_sized): the loop must
        # stay free to acknowledge the next callbacks within the platforms' limits.
        prepared = await anyio.to_thread.run_sync(prepare, limiter=self._screening)
        if isinstance(prepared, Reply):
            return prepared
        if isinstance(prepared, Answer):
            return _reply(prepared)
        return _reply(await self.runtime.assistant.acomplete(prepared))

    async def task(self, chat: ChatUser, command: TaskCommand, *, purpose: str = "") -> Reply:
        """要約, 翻訳, やさしい日本語, 下書き or 校正; the result is for the asker."""

        def run() -> Reply:
            admitted = self._admit(chat, Permission.TASKS)
            if isinstance(admitted, Reply):
                return admitted
            call = _task_call(self.runtime, command, self._context(admitted, chat, purpose))
            return _reply(call())

        # The tasks call the model synchronously: off the event loop.
        return await anyio.to_thread.run_sync(run)

    async def message(self, chat: ChatUser, text: str, *, thread: str) -> Reply:
        """A chat message as staff type it: a task command (`/要約 …`, parsed as for every
        platform by service.channels._commands), a command's usage, or a question."""
        command = parse_chat_command(text)
        if command is None:
            return await self.ask(chat, text, thread=thread)
        if isinstance(command, UsageRequest):
            return Reply(USAGE, private=False)  # how to use the bot: nothing to hide
        return await self.task(chat, command)

    async def rate(self, chat: ChatUser, vote: FeedbackVote) -> Reply:
        """👍/👎 from a button; the thanks (or why not) is for the clicker only."""
        text = await anyio.to_thread.run_sync(self.feedback, chat, vote.audit_id, vote.rating)
        return Reply(text, private=True)

    def feedback(self, chat: ChatUser, audit_id: int, rating: Literal["up", "down"]) -> str:
        """👍/👎 into the same store as POST /v1/feedback; the message for the clicker."""
        admitted = self._admit(chat, Permission.FEEDBACK, metered=False)
        if isinstance(admitted, Reply):
            return admitted.text
        try:
            record_feedback(
                audit=self.runtime.audit,
                guard=self.runtime.guard,
                audit_id=audit_id,
                rating=rating,
                comment="",
                ctx=self._context(admitted, chat),
            )
        except YakubaError:
            return FEEDBACK_NOT_YOURS
        return FEEDBACK_THANKS

    # -- who may ---------------------------------------------------------------------
    def _admit(
        self, chat: ChatUser, permission: Permission, *, metered: bool = True
    ) -> Principal | Reply:
        principal = self.directory.principal(chat)
        if principal is None:
            self.access.sign_ins.record(
                self.runtime.audit,
                SignInFailure("bot_unknown_user", channel=chat.platform, claimed_user=chat.id),
                message="登録されていないチャット利用者からのメッセージに、利用できない旨を返しました。",
                client=chat.platform,
                channel=chat.platform,
            )
            return Reply(self.unknown_user_message, private=True)
        try:
            self.access.authorize(principal, permission)
            if metered:
                self.access.attach(self.runtime.assistant)  # tokens count against quotas
                self.access.admit(principal)
        except AuthError as exc:
            log.info("bot_request_refused", channel=chat.platform, code=exc.code)
            return Reply(str(exc), private=True)
        return principal

    @staticmethod
    def _context(principal: Principal, chat: ChatUser, purpose: str = "") -> RequestContext:
        update = {"chat_user": chat.id[:256], "purpose": purpose[:500]}
        return principal.context().model_copy(update=update)


def _reply(answer: Answer) -> Reply:
    # A block explains what was found (partly hidden excerpts of the asker's own text) and
    # a failure is the asker's business: neither belongs in a shared channel. Nor does an
    # answer whose placeholders were restored: the values are for the asker only.
    private = (
        answer.status in ("blocked", "failed")
        or answer.error_code == "restricted_purpose"
        or answer.placeholders is not None
    )
    return Reply(answer.text, private=private, answer=answer, notices=list(answer.notices))


def _task_call(runtime: Runtime, command: TaskCommand, ctx: RequestContext) -> Callable[[], Answer]:
    text = command.text
    inputs: dict[str, Callable[[], tuple[str, BaseModel]]] = {
        "要約": lambda: ("summarize", SummarizeInput(text=text)),
        "翻訳": lambda: ("translate", TranslateInput(text=text, target=command.language)),
        "やさしい日本語": lambda: ("translate", TranslateInput(text=text, target="easy_ja")),
        "下書き": lambda: ("draft", DraftInput(kind=command.draft_kind, instructions=text)),
        "校正": lambda: ("proofread", ProofreadInput(text=text)),
    }
    name, inp = inputs[command.kind]()
    # 仮名 in the command is the asker's request; a bot has no preview to confirm, so
    # the reply (private) says what was replaced.
    asked = PlaceholderRequest() if command.placeholders else None
    return lambda: runtime.tasks.run(name, inp, ctx, placeholders=asked)
