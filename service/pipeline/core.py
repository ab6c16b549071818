"""`Pipeline`: the one path every channel takes to the model and to the audit store.

    identify (the channel's RequestContext)
    → input guard   each unit, then all units as the model reads them (input_guard)
    → retrieve      passages screened with their titles and headings (retrieval, passages)
    → prompt        the task's template over screened text only (prompting)
    → intent        the audit record written BEFORE the text leaves (AuditStore.begin)
    → model
    → output guard  a sliding window when streaming, then the whole answer (output_guard)
    → record        the intent completed as the chained audit record

Every outcome — answered, masked, blocked, failed, interrupted — leaves one audit record,
and everything in an `Answer` (text, citations, labels, notices) is screened text. The
chat pass-through (`chat.ChatPipeline`) and the tasks (`tasks.Tasks`) call the steps
here; none of them scans, prompts or audits on its own.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncGenerator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import anyio
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage

from guardrails import Guard, PlaceholderMappings
from ingest import KnowledgeBase

from ..audit import AuditEntry, AuditStatus, AuditStore
from ..errors import InputError, LLMError
from ..llm import ChatModel, Generation, TokenUsage
from ..offload import run_sized
from ..purpose import PurposePolicy
from .contracts import (
    CHECK_NOTICE,
    DEGRADED_NOTICE,
    EXTRACTIVE_NOTICE,
    NO_MODEL_MESSAGE,
    NO_RESULTS,
    Answer,
    Citation,
    GuardAction,
    RequestContext,
)
from .fields import InputField, check_field
from .input_guard import InputGuard, Refused, Screened
from .output_guard import OutputWindow, guard_output
from .passages import PassageScreen
from .placeholders import PlaceholderRequest, PlaceholderSession
from .prompting import PromptLibrary, load_prompts
from .retrieval import context_block, declined, quoted, retrieve, unanswered_text
from .threads import Thread, Turn


def _unscanned(text: str) -> str:
    return f"<未検査: {len(text)}文字>" if text else ""


def new_entry(ctx: RequestContext, task: str, prompt: str) -> AuditEntry:
    """An audit entry that records a failure until the request proves otherwise; neither
    the prompt nor the purpose is stored until the guard has produced its redacted form."""
    return AuditEntry(
        request_id=uuid.uuid4().hex,
        user=ctx.user,
        department=ctx.department,
        role=ctx.role,
        channel=ctx.channel,
        chat_user=ctx.chat_user,
        task=task,
        purpose=_unscanned(ctx.purpose),
        status=AuditStatus.FAILED,
        prompt=_unscanned(prompt) or "<未検査: 0文字>",
    )


@dataclass
class Plan:
    """A guard-approved prompt, ready for the model."""

    entry: AuditEntry
    started: float
    messages: list[BaseMessage]
    guard_action: GuardAction
    notices: list[str]
    suffix: str  # appended after the guarded model text: label and staff-check notice
    citations: list[Citation] = field(default_factory=list)
    thread: Thread | None = None
    question: str = ""  # the safe question, remembered in the thread
    on_record: bool = False  # the intent is written (AuditStore.begin)
    placeholders: PlaceholderSession | None = None  # values to restore in the answer


class Pipeline:
    def __init__(
        self,
        *,
        guard: Guard,
        knowledge_base: KnowledgeBase,
        audit: AuditStore,
        chat_model: ChatModel | None,
        max_prompt_chars: int = 8_000,
        retrieval_k: int = 5,
        min_relevance: float = 0.0,
        prompts: PromptLibrary | None = None,
        purpose_policy: PurposePolicy | None = None,
        passages: PassageScreen | None = None,
    ) -> None:
        self.guard = guard
        self.purpose_policy = purpose_policy or PurposePolicy()
        self.input_guard = InputGuard(guard, self.purpose_policy)
        self.passages = passages or PassageScreen(guard)
        # Threads' placeholder mappings: in this process's memory only, bounded, expiring.
        self.placeholder_mappings = PlaceholderMappings()
        self.knowledge_base = knowledge_base
        self.audit = audit
        self.chat_model = chat_model
        self.max_prompt_chars = max_prompt_chars
        self.retrieval_k = retrieval_k
        # Passages less similar to the question than this are not evidence; with none
        # left the answer is 「該当する資料が見つかりませんでした」, never an invention.
        self.min_relevance = min_relevance
        self.prompts = prompts or load_prompts()
        # Called with each finished request's audit entry (e.g. quotas count its tokens).
        self.on_finish: list[Callable[[AuditEntry], None]] = []

    def check_length(self, text: str) -> None:
        check_field(InputField("prompt", "入力", text, self.max_prompt_chars))

    # -- ask ----------------------------------------------------------------------------
    def ask(self, question: str, ctx: RequestContext, *, thread: Thread | None = None) -> Answer:
        plan = self.plan_ask(question, ctx, thread=thread)
        return plan if isinstance(plan, Answer) else self.complete(plan)

    async def aask(
        self, question: str, ctx: RequestContext, *, thread: Thread | None = None
    ) -> Answer:
        """`ask` for the event loop: long texts are guarded off the loop, the model awaited."""
        chars = len(question) + len(ctx.purpose) + sum(len(t.question) for t in _turns(thread))
        plan = await run_sized(chars, self.plan_ask, question, ctx, thread=thread)
        return plan if isinstance(plan, Answer) else await self.acomplete(plan)

    def plan_ask(
        self, question: str, ctx: RequestContext, *, thread: Thread | None = None
    ) -> Plan | Answer:
        """Everything before the model call; a finished (audited) `Answer` when the
        request ends early: refused, nothing found, or answered extractively."""
        history = _turns(thread)
        screened = self.screen(
            ctx,
            "ask",
            [InputField("question", "質問", question, self.max_prompt_chars)],
            # The thread's earlier questions go to the model with this one.
            context=[t.question for t in history],
        )
        if isinstance(screened, Answer):
            return screened
        safe_question = screened.safe["question"]
        # A follow-up such as 「その期限は？」 retrieves poorly alone; the previous
        # question carries its subject.
        query = f"{history[-1].question}\n{safe_question}" if history else safe_question
        return self.grounded(
            screened,
            "ask",
            query,
            {"question": safe_question},
            notice=CHECK_NOTICE,
            history=history,
            thread=thread,
            question=safe_question,
        )

    # -- the shared steps --------------------------------------------------------------
    def screen(
        self,
        ctx: RequestContext,
        task: str,
        fields: Sequence[InputField],
        *,
        context: Sequence[str] = (),
        placeholders: PlaceholderRequest | None = None,
    ) -> Screened | Answer:
        """Length limits, then the input guard, then the restricted purposes. Every
        refusal is audited and returned as an `Answer`. `placeholders`: the request
        asked for residents' data to go to the model as placeholders (placeholders)."""
        started = time.perf_counter()
        entry = new_entry(ctx, task, "".join(f.text for f in fields))
        try:
            for f in fields:
                check_field(f)
        except InputError as exc:
            return self.refuse(entry, started, exc)
        return self.screen_entry(
            entry, started, ctx, fields, context=context, placeholders=placeholders
        )

    def refuse(self, entry: AuditEntry, started: float, exc: InputError) -> Answer:
        """An unacceptable request (too long, empty, unreadable upload), audited as failed."""
        return self._finish(entry, started, refusal(entry.request_id, str(exc), exc.code))

    def screen_entry(
        self,
        entry: AuditEntry,
        started: float,
        ctx: RequestContext,
        fields: Sequence[InputField],
        *,
        context: Sequence[str] = (),
        placeholders: PlaceholderRequest | None = None,
    ) -> Screened | Answer:
        """`screen` for an entry the caller created earlier (to audit an upload that
        could not even be read); lengths are the caller's business here."""
        session = None
        if placeholders is not None:
            session = PlaceholderSession(*placeholders.mapping(self.placeholder_mappings, ctx.user))
        verdict = self.input_guard.screen(
            entry, started, ctx, fields, context=context, placeholders=session
        )
        if isinstance(verdict, Screened):
            return verdict
        if session is not None:
            session.finish()
        answer = Answer(
            request_id=entry.request_id,
            status="blocked",
            mode="none",
            text=verdict.message,
            guard_action=verdict.guard_action,
            findings=entry.findings,
            error_code=entry.error_code,
        )
        return self._finish(entry, started, answer)

    def grounded(
        self,
        screened: Screened,
        task: str,
        query: str,
        variables: dict[str, str],
        *,
        notice: str,
        history: Sequence[Turn] = (),
        thread: Thread | None = None,
        question: str = "",
    ) -> Plan | Answer:
        """Retrieval with numbered citations; without a model, the extractive answer."""
        entry, started = screened.entry, screened.started
        found = retrieve(
            self.knowledge_base,
            self.passages,
            query,
            k=self.retrieval_k,
            min_relevance=self.min_relevance,
        )
        citations = found.citations
        entry.sources = [c.label for c in citations]
        unanswered = unanswered_text(found.verdict, citations)
        if unanswered is not None:
            # Nothing answers the question: say so, and at most show the closest
            # passages as such; the model is not asked to answer from near-misses.
            shown = citations if unanswered != NO_RESULTS else []
            entry.sources = [c.label for c in shown]
            if shown:
                entry.mode = "extractive"
            answer = self._answer(
                screened,
                status="no_results",
                mode="extractive" if shown else "none",
                text=unanswered,
                citations=shown,
            )
            return self._finish(entry, started, answer)
        if self.chat_model is None:
            entry.mode = "extractive"
            answer = self._answer(
                screened,
                status="answered",
                mode="extractive",
                text=f"{EXTRACTIVE_NOTICE}\n\n{quoted(citations)}",
                citations=citations,
            )
            return self._finish(entry, started, answer)
        return self.plan_generation(
            screened,
            task,
            {**variables, "context": context_block(citations, found.passages)},
            suffix=f"\n\n{notice}",
            citations=citations,
            history=history,
            thread=thread,
            question=question,
        )

    def plan_generation(
        self,
        screened: Screened,
        task: str,
        variables: dict[str, str],
        *,
        suffix: str,
        citations: Sequence[Citation] = (),
        history: Sequence[Turn] = (),
        thread: Thread | None = None,
        question: str = "",
    ) -> Plan | Answer:
        """The prompt for the configured model; without one, an audited failure."""
        entry, started = screened.entry, screened.started
        prompt = self.prompts[task]
        entry.prompt_ref = prompt.ref
        if self.chat_model is None:
            entry.status = AuditStatus.FAILED
            entry.error_code = "llm_not_configured"
            answer = self._answer(
                screened, status="failed", text=NO_MODEL_MESSAGE, error_code=entry.error_code
            )
            return self._finish(entry, started, answer)
        entry.model = self.chat_model.model_name
        entry.mode = "generated"
        messages = prompt.format_messages(**variables)
        if history:
            replay: list[BaseMessage] = []
            for turn in history:
                replay += [HumanMessage(content=turn.question), AIMessage(content=turn.answer)]
            messages = [messages[0], *replay, *messages[1:]]
        return Plan(
            entry=entry,
            started=started,
            messages=messages,
            guard_action=screened.guard_action,
            notices=screened.notices,
            suffix=suffix,
            citations=list(citations),
            thread=thread,
            question=question,
            placeholders=screened.placeholders,
        )

    def put_on_record(self, plan: Plan) -> None:
        """The audit intent, written before the prompt leaves (AuditError: it does not)."""
        if not plan.on_record:
            self.audit.begin(plan.entry)
            plan.on_record = True

    def complete(self, plan: Plan) -> Answer:
        model = self._model()
        self.put_on_record(plan)
        try:
            generation = model.generate(plan.messages)
        except LLMError as exc:
            return self._fail(plan, exc)
        return self._completed(plan, generation)

    async def acomplete(self, plan: Plan) -> Answer:
        """`complete` for the event loop: the model call is awaited."""
        model = self._model()
        self.put_on_record(plan)
        return await answered(
            model.agenerate(plan.messages),
            lambda generation: self._completed(plan, generation),
            lambda exc: self._fail(plan, exc),
        )

    def _completed(self, plan: Plan, generation: Generation) -> Answer:
        count_tokens(plan.entry, generation)
        text = self.guard_output(generation.text)
        if plan.thread is not None:
            plan.thread.add(plan.question, text)
        # The output guard screened the answer as the model wrote it (placeholders);
        # the values come back for the reply only, never for the record.
        shown = plan.placeholders.restore(text) if plan.placeholders is not None else text
        answer = self._plan_answer(plan, shown + plan.suffix, model=generation.model)
        return self._finish(
            plan.entry, plan.started, answer, settles=plan.on_record, stored=text + plan.suffix
        )

    async def astream(self, plan: Plan) -> AsyncGenerator[str | Answer, None]:
        """Guarded text as the model produces it, then the finished `Answer` (audited).

        Text leaves through the output guard's sliding window (output_guard), so a
        value split over sentences or lines is masked before any of it is sent; the
        whole answer is scanned again before it is stored. A model failure before the
        first piece yields only the failed `Answer`, so the caller can still answer with
        an error. The caller must `aclose()` the stream if it stops early.
        """
        model = self._model()
        self.put_on_record(plan)
        usage = TokenUsage()
        pieces = model.astream(plan.messages, usage)
        out = OutputWindow(self.guard)
        restorer = plan.placeholders.streamer() if plan.placeholders is not None else None
        ended = False
        try:
            failure: LLMError | None = None
            try:
                async for piece in pieces:
                    if safe := out.add(piece):
                        yield restorer.feed(safe) if restorer is not None else safe
                if safe := out.flush():
                    yield restorer.feed(safe) if restorer is not None else safe
            except LLMError as exc:
                failure = exc
            ended = True
            if restorer is not None and (rest := restorer.close()):
                yield rest
            stored = out.whole(self.guard_output) if failure is None else out.text
            for item in self._stream_end(plan, stored, usage, failure, model.model_name):
                yield item
        finally:
            if not ended:
                self._stream_interrupted(plan, out.text, model.model_name)
            # Shielded: a client that went away cancels this task, and the model's
            # stream must still be closed to free its concurrency slot.
            with anyio.CancelScope(shield=True):
                await pieces.aclose()

    def _stream_end(
        self,
        plan: Plan,
        text: str,
        usage: TokenUsage,
        failure: LLMError | None,
        model_name: str,
    ) -> list[str | Answer]:
        """What a stream sends after the model's text; audited before it is sent."""
        entry = plan.entry
        entry.tokens_in = usage.prompt_tokens
        entry.tokens_out = usage.completion_tokens or len(text)
        if failure is not None:
            return [self._fail(plan, failure, partial=text)]
        if plan.thread is not None:
            plan.thread.add(plan.question, text)
        shown = plan.placeholders.restore(text) if plan.placeholders is not None else text
        answer = self._plan_answer(plan, shown + plan.suffix, model_name)
        stored = text + plan.suffix
        return [
            plan.suffix,
            self._finish(entry, plan.started, answer, settles=plan.on_record, stored=stored),
        ]

    def _stream_interrupted(self, plan: Plan, text: str, model_name: str) -> None:
        """The client went away mid-stream: what was sent is still on record."""
        plan.entry.error_code = "stream_interrupted"
        answer = self._plan_answer(plan, text, model_name)
        self._finish(plan.entry, plan.started, answer, settles=plan.on_record)

    def guard_output(self, text: str) -> str:
        """`text` with any personal data replaced by type labels."""
        return guard_output(self.guard, text)

    # -- helpers -------------------------------------------------------------------------
    def _model(self) -> ChatModel:
        if self.chat_model is None:  # plan_generation never builds a plan without one
            raise LLMError(NO_MODEL_MESSAGE, code="llm_not_configured")
        return self.chat_model

    def _answer(
        self,
        screened: Screened,
        *,
        status: Literal["answered", "no_results", "failed"],
        text: str,
        mode: Literal["generated", "extractive", "none"] = "none",
        citations: Sequence[Citation] = (),
        error_code: str = "",
    ) -> Answer:
        return Answer(
            request_id=screened.entry.request_id,
            status=status,
            mode=mode,
            text=text,
            citations=list(citations),
            guard_action=screened.guard_action,
            findings=screened.entry.findings,
            error_code=error_code,
            notices=screened.notices,
        )

    def _plan_answer(self, plan: Plan, text: str, model: str) -> Answer:
        session = plan.placeholders
        if session is not None:
            session.finish()
        return Answer(
            request_id=plan.entry.request_id,
            # The model found no answer in the passages it was given (the prompt's rule):
            # a no-result answer like retrieval's own, counted as such by the FAQ jobs,
            # the bots and the metrics.
            status="no_results" if declined(text) else "answered",
            mode="generated",
            text=text,
            citations=plan.citations,
            guard_action=plan.guard_action,
            findings=plan.entry.findings,
            model=model,
            notices=[*plan.notices, *(session.notices() if session is not None else ())],
            placeholders=session.summary() if session is not None else None,
        )

    def _fail(self, plan: Plan, exc: LLMError, partial: str = "") -> Answer:
        entry = plan.entry
        if plan.placeholders is not None:
            plan.placeholders.finish()
        if plan.citations and not partial:
            return self._degraded(plan, exc)
        entry.status = AuditStatus.FAILED
        entry.error_code = exc.code
        text = f"{partial}\n\n{exc}" if partial else str(exc)
        answer = Answer(
            request_id=entry.request_id,
            status="failed",
            mode="none",
            text=text,
            guard_action=plan.guard_action,
            findings=entry.findings,
            error_code=exc.code,
            notices=plan.notices,
        )
        return self._finish(entry, plan.started, answer, settles=plan.on_record)

    def _degraded(self, plan: Plan, exc: LLMError) -> Answer:
        """The model failed (down, busy, timed out) before a word of its answer, but the
        passages it was to answer from were found and screened: they are quoted instead
        (extractive), under a notice that says why. Audited as an extractive answer that
        keeps the model's error code, so the outage shows in the log and the metrics."""
        entry = plan.entry
        entry.mode = "extractive"
        entry.error_code = exc.code
        answer = Answer(
            request_id=entry.request_id,
            status="answered",
            mode="extractive",
            text=f"{DEGRADED_NOTICE}\n（{exc}）\n\n{quoted(plan.citations)}",
            citations=plan.citations,
            guard_action=plan.guard_action,
            findings=entry.findings,
            error_code=exc.code,
            notices=plan.notices,
        )
        return self._finish(entry, plan.started, answer, settles=plan.on_record)

    def _finish(
        self,
        entry: AuditEntry,
        started: float,
        answer: Answer,
        *,
        settles: bool = False,
        stored: str | None = None,
    ) -> Answer:
        """The chained audit record (completing the intent when one was written).
        `stored`: the answer as the record keeps it when the caller's text differs (the
        values of placeholders restored: those never reach the record)."""
        entry.latency_ms = int((time.perf_counter() - started) * 1000)
        text = answer.text if stored is None else stored
        entry.answer = text if answer.status != "blocked" else ""
        if not entry.error_code:
            entry.error_code = answer.error_code
        audit_id = self.audit.append_id(entry, settles_intent=settles)
        for listener in self.on_finish:
            listener(entry)
        return answer.model_copy(
            update={"audit_id": audit_id, "task": entry.task, "prompt_ref": entry.prompt_ref}
        )


def _turns(thread: Thread | None) -> list[Turn]:
    return thread.turns if thread is not None else []


def count_tokens(entry: AuditEntry, generation: Generation) -> None:
    entry.tokens_in = generation.prompt_tokens
    entry.tokens_out = generation.completion_tokens


async def answered(
    call: Awaitable[Generation],
    done: Callable[[Generation], Answer],
    failed: Callable[[LLMError], Answer],
) -> Answer:
    """The answer made of the model's reply, or of its failure (both audited by the caller's
    `done` / `failed`); a long reply is guarded off the event loop (service.offload)."""
    try:
        generation = await call
    except LLMError as exc:
        return failed(exc)
    return await run_sized(len(generation.text), done, generation)


def refusal(request_id: str, message: str, code: str) -> Answer:
    """A failed `Answer` for a request that never reached the model."""
    return Answer(
        request_id=request_id,
        status="failed",
        mode="none",
        text=message,
        guard_action="block",
        error_code=code,
    )


# `Refused` is re-exported for channels that build their own messages from a refusal.
__all__ = ["Pipeline", "Plan", "Refused", "Screened", "new_entry", "answered", "refusal"]
