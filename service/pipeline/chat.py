"""Guarded pass-through chat (the `yakuba` model of the OpenAI-compatible API).

The conversation goes through the pipeline's own steps: each message is a unit of the
input guard and all messages together are its assembled text (`Pipeline.screen`), the
intent is written before the model call, the output passes the same sliding window and
whole-answer guard. Nothing here scans or audits by itself.
"""

from __future__ import annotations

import time
from collections.abc import AsyncGenerator, Sequence

import anyio
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from pydantic import BaseModel, Field

from guardrails import StreamRestorer

from ..audit import AuditEntry, AuditStatus
from ..errors import InputError, LLMError
from ..llm import ChatModel, Generation, TokenUsage
from .contracts import NO_MODEL_MESSAGE, Answer, GuardAction, RequestContext
from .core import Pipeline, answered, count_tokens, new_entry, refusal
from .fields import InputField, check_field
from .output_guard import OutputWindow
from .placeholders import (
    PlaceholderRequest,
    PlaceholderSession,
    RequestPreview,
    preview_request,
)


class PreparedChat(BaseModel):
    """A guard-approved conversation, ready for the model; built by `ChatPipeline.prepare`."""

    model_config = {"arbitrary_types_allowed": True}

    entry: AuditEntry
    started: float
    messages: list[tuple[str, str]]
    max_tokens: int | None = None
    notices: list[str] = Field(default_factory=list)
    on_record: bool = False
    failure: str = ""  # the model's error message, when it failed mid-stream
    placeholders: PlaceholderSession | None = None  # values to restore in the reply


_KINDS = {"system": SystemMessage, "user": HumanMessage, "assistant": AIMessage}


class ChatPipeline:
    def __init__(self, pipeline: Pipeline) -> None:
        self._p = pipeline

    def prepare(
        self,
        messages: Sequence[tuple[str, str]],
        ctx: RequestContext,
        *,
        placeholders: PlaceholderRequest | None = None,
    ) -> PreparedChat | Answer:
        """Every message and the whole conversation through the input guard; a blocked
        or failed request comes back as an `Answer` (audited). `placeholders`: the
        request's extension asked for them (task `chat` of the policy)."""
        fields = self._fields(messages)
        joined = "".join(text for _, text in messages)
        try:
            self._p.check_length(joined)
        except InputError as exc:
            return self._p.refuse(new_entry(ctx, "chat", joined), time.perf_counter(), exc)
        screened = self._p.screen(ctx, "chat", fields, placeholders=placeholders)
        if isinstance(screened, Answer):
            return screened
        safe = [
            (role, screened.safe[f.name]) for (role, _), f in zip(messages, fields, strict=True)
        ]
        screened.entry.prompt = "\n".join(f"{role}: {text}" for role, text in safe)
        # A chat client shows only the message text: of the notices, the purpose's
        # warning travels inside it (the guard's findings are in the audit record).
        decision = self._p.purpose_policy.check(ctx.purpose)
        return PreparedChat(
            entry=screened.entry,
            started=screened.started,
            messages=safe,
            notices=[decision.message] if decision is not None else [],
            placeholders=screened.placeholders,
        )

    def preview(
        self, messages: Sequence[tuple[str, str]], ctx: RequestContext, *, thread: str | None
    ) -> RequestPreview:
        """What `prepare(…, placeholders=…)` would send, message by message, for the caller
        to confirm; the model is not called and nothing is stored (InputError for a
        message or conversation over its limit)."""
        fields = self._fields(messages)
        for f in fields:
            check_field(f)
        self._p.check_length("".join(text for _, text in messages))
        mappings = self._p.placeholder_mappings
        mapping = mappings.get(ctx.user, thread) if thread is not None else None
        return preview_request(self._p.guard, "chat", fields, ctx.purpose, mapping)

    def _fields(self, messages: Sequence[tuple[str, str]]) -> list[InputField]:
        return [
            InputField(
                f"m{i}", f"{i}番目のメッセージ（{role}）", text, self._p.max_prompt_chars, False
            )
            for i, (role, text) in enumerate(messages, start=1)
        ]

    def _model_messages(self, prepared: PreparedChat) -> list[BaseMessage]:
        return [_KINDS[role](content=text) for role, text in prepared.messages]

    def _on_record(self, prepared: PreparedChat) -> None:
        if not prepared.on_record:
            self._p.audit.begin(prepared.entry)
            prepared.on_record = True

    async def acomplete(self, prepared: PreparedChat) -> Answer:
        """The model's guarded reply, audited; see `Pipeline.acomplete`."""
        model = self._require_model(prepared)
        if isinstance(model, Answer):
            return model
        self._on_record(prepared)
        return await answered(
            model.agenerate(self._model_messages(prepared), max_tokens=prepared.max_tokens),
            lambda generation: self._completed(prepared, generation),
            lambda exc: self._failed(prepared, exc),
        )

    def _completed(self, prepared: PreparedChat, generation: Generation) -> Answer:
        entry = prepared.entry
        count_tokens(entry, generation)
        guarded = self._p.guard_output(generation.text)
        session = prepared.placeholders
        shown = session.restore(guarded) if session is not None else guarded
        notices = [*prepared.notices, *self._placeholder_notices(prepared)]
        answer = Answer(
            request_id=entry.request_id,
            status="answered",
            mode="generated",
            text=with_notices(shown, notices),
            guard_action=_guard_action(prepared),
            findings=entry.findings,
            model=generation.model,
            notices=notices,
            placeholders=session.summary() if session is not None else None,
        )
        return self._finish(prepared, answer, stored=with_notices(guarded, notices))

    def _placeholder_notices(self, prepared: PreparedChat) -> list[str]:
        session = prepared.placeholders
        if session is None:
            return []
        session.finish()
        return session.notices()

    def _failed(self, prepared: PreparedChat, exc: LLMError) -> Answer:
        entry = prepared.entry
        self._placeholder_notices(prepared)
        entry.status = AuditStatus.FAILED
        entry.error_code = exc.code
        return self._finish(prepared, refusal(entry.request_id, str(exc), exc.code))

    def _finish(
        self, prepared: PreparedChat, answer: Answer, *, stored: str | None = None
    ) -> Answer:
        return self._p._finish(
            prepared.entry, prepared.started, answer, settles=prepared.on_record, stored=stored
        )

    async def astream(self, prepared: PreparedChat) -> AsyncGenerator[str, None]:
        """Yields guarded text as the model produces it, through the output guard's
        sliding window (output_guard); the whole reply is scanned again before it is
        stored. The caller must `aclose()` the stream if it stops early."""
        model = self._require_model(prepared)
        if isinstance(model, Answer):
            yield model.text
            return
        self._on_record(prepared)
        out = OutputWindow(self._p.guard)
        session = prepared.placeholders
        restorer = session.streamer() if session is not None else None
        usage = TokenUsage()
        pieces = model.astream(
            self._model_messages(prepared), usage, max_tokens=prepared.max_tokens
        )
        ended = False
        try:
            try:
                async for piece in pieces:
                    if safe := out.add(piece):
                        yield restorer.feed(safe) if restorer is not None else safe
                tail = self._stream_tail(prepared, out, restorer)
            except LLMError as exc:
                tail = [self._stream_failed(prepared, exc)]
            ended = True
            for text in tail:
                yield text
        finally:
            self._stream_finish(prepared, out, usage, ended=ended)
            with anyio.CancelScope(shield=True):  # frees the model's slot, see Pipeline
                await pieces.aclose()

    def _stream_tail(
        self, prepared: PreparedChat, out: OutputWindow, restorer: StreamRestorer | None
    ) -> list[str]:
        safe = out.flush()
        tail = [restorer.feed(safe) + restorer.close() if restorer is not None else safe]
        notices = list(prepared.notices)
        if prepared.placeholders is not None:
            prepared.placeholders.finish(restorer)
            notices += prepared.placeholders.notices()
        if notices:
            tail.append(with_notices("", notices))
        return [t for t in tail if t]

    def _stream_failed(self, prepared: PreparedChat, exc: LLMError) -> str:
        prepared.entry.status = AuditStatus.FAILED
        prepared.entry.error_code = exc.code
        prepared.failure = str(exc)
        return f"\n{exc}"

    def _stream_finish(
        self, prepared: PreparedChat, out: OutputWindow, usage: TokenUsage, *, ended: bool
    ) -> None:
        """The audit record of a chat stream, also when the client went away mid-stream
        (`ended` False): what was sent is on record, marked `stream_interrupted`. A
        finished reply is stored as the whole-answer scan has it."""
        entry = prepared.entry
        if not ended and not entry.error_code:
            entry.error_code = "stream_interrupted"
        failed = entry.status is AuditStatus.FAILED
        if ended and not failed:
            text = with_notices(out.whole(self._p.guard_output), prepared.notices)
        else:
            text = out.text + prepared.failure
        entry.tokens_in = usage.prompt_tokens
        # Not every server reports usage when streaming; the length is a lower bound.
        entry.tokens_out = usage.completion_tokens or len(out.raw)
        answer = Answer(
            request_id=entry.request_id,
            status="failed" if failed else "answered",
            mode="generated",
            text=text,
            guard_action=_guard_action(prepared),
            findings=entry.findings,
            error_code=entry.error_code,
        )
        if prepared.placeholders is not None:
            prepared.placeholders.finish()
        self._finish(prepared, answer)

    def _require_model(self, prepared: PreparedChat) -> ChatModel | Answer:
        model = self._p.chat_model
        if model is not None:
            prepared.entry.model = model.model_name
            prepared.entry.mode = "generated"
            return model
        entry = prepared.entry
        entry.status = AuditStatus.FAILED
        entry.error_code = "llm_not_configured"
        return self._finish(prepared, refusal(entry.request_id, NO_MODEL_MESSAGE, entry.error_code))


def _guard_action(prepared: PreparedChat) -> GuardAction:
    if prepared.placeholders is not None and prepared.placeholders.used:
        return "placeholder"
    return "mask" if prepared.entry.status is AuditStatus.MASKED else "allow"


def with_notices(text: str, notices: Sequence[str]) -> str:
    """A chat client shows only the message text, so a warning travels inside it."""
    return text + "".join(f"\n\n※ {n}" for n in notices)
