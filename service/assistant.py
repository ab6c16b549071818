"""One request, end to end: guard → retrieve → answer → guard the answer → audit.

Every channel (CLI, HTTP API, bots, bulk jobs) goes through `Assistant`, so the
invariants hold in one place: nothing reaches the model before the guard allowed it,
and every outcome — allowed, masked, blocked, failed — leaves an audit record.

The pipeline is built from three steps that `ask`, the tasks (service.tasks) and the
streaming endpoints share:

    screen()           length limits → guard.scan of every user-supplied field and the
                       declared purpose → restricted purposes; a refusal is final
    grounded() /       retrieval with numbered citations (ask, faq) and the extractive
    plan_generation()  fallback, or the prompt for the configured model
    complete() /       the model call, the guard on its output, and the audit record;
    acomplete() /      the HTTP routes await the model on the event loop (acomplete,
    astream()          astream: text released a sentence at a time, each guarded)
"""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncGenerator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import anyio
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from pydantic import BaseModel, Field

from guardrails import Action, Guard, ScanResult, explain_ja
from ingest import Hit, KnowledgeBase, Verdict

from .audit import AuditEntry, AuditStatus, AuditStore
from .errors import InputError, LLMError
from .llm import ChatModel, Generation, TokenUsage
from .offload import run_sized
from .passage_screen import PassageScreen
from .prompting import PromptLibrary, load_prompts
from .purpose import PurposePolicy
from .threads import Thread, Turn

EXTRACTIVE_NOTICE = "※ 生成モデルが設定されていないため、関連する資料の該当箇所をそのまま引用しています（抽出モード）。"
CHECK_NOTICE = "※ 生成AIの出力です。内容は必ず原典で確認してから業務に利用してください。"
TASK_CHECK_NOTICE = (
    "※ 生成AIの出力です。内容・表現・事実関係は必ず職員が確認してから業務に利用してください。"
)
NO_MODEL_MESSAGE = "生成モデルが設定されていません（YAKUBA_LLM_BASE_URL と YAKUBA_LLM_MODEL）。"
NO_RESULTS = "該当する資料が見つかりませんでした。"
PURPOSE_LABEL = "業務内容"
_EXCERPT_CHARS = 400

GuardAction = Literal["allow", "mask", "block"]


class RequestContext(BaseModel):
    """Who asks, from where, and why; recorded in the audit log."""

    user: str = Field(min_length=1, max_length=256)
    department: str = Field(default="", max_length=256)
    role: str = "staff"
    channel: str = Field(default="cli", max_length=32)
    purpose: str = Field(default="", max_length=500)
    chat_user: str = Field(default="", max_length=256, description="a bot's chat account")


class Citation(BaseModel):
    number: int
    source: str
    title: str
    locator: str
    heading: str = ""
    excerpt: str
    score: float

    @property
    def label(self) -> str:
        caption = f"（{self.heading}）" if self.heading else ""
        return f"{self.title} {self.locator}{caption}"


class Answer(BaseModel):
    request_id: str
    status: Literal["answered", "no_results", "blocked", "failed"]
    mode: Literal["generated", "extractive", "none"]
    text: str
    citations: list[Citation] = Field(default_factory=list)
    guard_action: GuardAction
    findings: dict[str, int] = Field(default_factory=dict)
    model: str = ""
    audit_id: int | None = None
    error_code: str = ""
    task: str = ""
    prompt_ref: str = ""
    notices: list[str] = Field(
        default_factory=list,
        description="what staff should know: masked values, a restricted purpose's warning",
    )


def citations_from(hits: Sequence[Hit]) -> list[Citation]:
    return [
        Citation(
            number=i,
            source=h.source,
            title=h.title,
            locator=h.locator,
            heading=h.heading,
            excerpt=h.text[:_EXCERPT_CHARS],
            score=h.score,
        )
        for i, h in enumerate(hits, start=1)
    ]


CLOSEST_HEADING = (
    "該当する資料が見つかりませんでした。ご質問に直接答えていない可能性がありますが、"
    "最も近い資料の該当箇所を示します。"
)


def unanswered_text(verdict: Verdict, citations: Sequence[Citation]) -> str | None:
    """The honest answer when retrieval found nothing that answers the question (the
    knowledge base's verdict, ingest.Verdict): None when the passages answer it;
    「該当する資料が見つかりませんでした」 when nothing is close (or no passage is left);
    otherwise the closest passages under a heading that says they may not answer it."""
    if not citations or verdict is Verdict.NONE:
        return NO_RESULTS
    if verdict is Verdict.ANSWERED:
        return None
    body = "\n\n".join(f"[{c.number}] {c.label}\n「{c.excerpt}」" for c in citations)
    return f"{CLOSEST_HEADING}\n\n{body}"


def context_block(citations: Sequence[Citation], texts: Sequence[str]) -> str:
    return "\n\n".join(
        f"[{c.number}] {c.label}\n{t}" for c, t in zip(citations, texts, strict=True)
    )


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


@dataclass(frozen=True)
class InputField:
    """One user-supplied text of a request; `name` is its template variable."""

    name: str
    label: str  # Japanese, for messages and the audit log
    text: str
    limit: int
    required: bool = True


@dataclass
class Screened:
    """A request the guard let through: the texts that may go on, in their safe form."""

    entry: AuditEntry
    started: float
    safe: dict[str, str]
    guard_action: GuardAction
    notices: list[str]


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


class Assistant:
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
        # Retrieved passages are guarded too (an index built in `report` mode may hold
        # personal data); their verdicts are cached.
        self.passages = passages or PassageScreen(guard)
        self.knowledge_base = knowledge_base
        self.audit = audit
        self.chat_model = chat_model
        self.max_prompt_chars = max_prompt_chars
        self.retrieval_k = retrieval_k
        # Passages less similar to the question than this are not evidence; with none
        # left the answer is 「該当する資料が見つかりませんでした」, never an invention.
        self.min_relevance = min_relevance
        self.prompts = prompts or load_prompts()
        self.purpose_policy = purpose_policy or PurposePolicy()
        # Called with each finished request's audit entry (e.g. quotas count its tokens).
        self.on_finish: list[Callable[[AuditEntry], None]] = []

    def check_length(self, text: str) -> None:
        _check_field(InputField("prompt", "入力", text, self.max_prompt_chars))

    # -- ask ----------------------------------------------------------------------------
    def ask(self, question: str, ctx: RequestContext, *, thread: Thread | None = None) -> Answer:
        plan = self.plan_ask(question, ctx, thread=thread)
        return plan if isinstance(plan, Answer) else self.complete(plan)

    def plan_ask(
        self, question: str, ctx: RequestContext, *, thread: Thread | None = None
    ) -> Plan | Answer:
        """Everything before the model call; a finished (audited) `Answer` when the
        request ends early: refused, nothing found, or answered extractively."""
        screened = self.screen(
            ctx, "ask", [InputField("question", "質問", question, self.max_prompt_chars)]
        )
        if isinstance(screened, Answer):
            return screened
        safe_question = screened.safe["question"]
        history = thread.turns if thread else []
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
        self, ctx: RequestContext, task: str, fields: Sequence[InputField]
    ) -> Screened | Answer:
        """Length limits, then the guard on every field and the purpose, then the
        restricted purposes. Every refusal is audited and returned as an `Answer`."""
        started = time.perf_counter()
        entry = new_entry(ctx, task, "".join(f.text for f in fields))
        try:
            for f in fields:
                _check_field(f)
        except InputError as exc:
            return self.refuse(entry, started, exc)
        return self.screen_entry(entry, started, ctx, fields)

    def refuse(self, entry: AuditEntry, started: float, exc: InputError) -> Answer:
        """An unacceptable request (too long, empty, unreadable upload), audited as failed."""
        return self._finish(entry, started, _refusal(entry.request_id, str(exc), exc.code))

    def screen_entry(
        self,
        entry: AuditEntry,
        started: float,
        ctx: RequestContext,
        fields: Sequence[InputField],
    ) -> Screened | Answer:
        """`screen` for an entry the caller created earlier (to audit an upload that
        could not even be read); lengths are the caller's business here."""
        scanned = [(f.label, f.text, self.guard.scan(f.text)) for f in fields if f.text]
        if ctx.purpose.strip():
            scanned.append((PURPOSE_LABEL, ctx.purpose, self.guard.scan(ctx.purpose)))
        verdicts = {label: v for label, _, v in scanned}
        field_results = [(f, verdicts.get(f.label)) for f in fields]

        redacted = [(f.label, v.redacted) for f, v in field_results if v is not None]
        entry.prompt = (
            redacted[0][1]
            if len(redacted) == 1
            else "\n".join(f"【{label}】\n{text}" for label, text in redacted)
        )
        if purpose := verdicts.get(PURPOSE_LABEL):
            entry.purpose = purpose.redacted
        for _, _, v in scanned:
            for kind, n in v.entity_counts().items():
                entry.findings[kind] = entry.findings.get(kind, 0) + n

        labelled = len(scanned) > 1
        blocked = [(label, text, v) for label, text, v in scanned if v.action is Action.BLOCK]
        if blocked:
            entry.status = AuditStatus.BLOCKED
            entry.error_code = next((v.error for *_, v in blocked if v.error), None) or (
                "personal_data"
            )
            message = "\n\n".join(
                _labelled(label, explain_ja(text, v), labelled) for label, text, v in blocked
            )
            answer = Answer(
                request_id=entry.request_id,
                status="blocked",
                mode="none",
                text=message,
                guard_action="block",
                findings=entry.findings,
                error_code=entry.error_code,
            )
            return self._finish(entry, started, answer)

        masked = any(v.action is Action.MASK for *_, v in scanned)
        entry.status = AuditStatus.MASKED if masked else AuditStatus.ALLOWED
        guard_action: GuardAction = "mask" if masked else "allow"
        notices = [
            _labelled(label, explain_ja(text, v), labelled)
            for label, text, v in scanned
            if v.findings
        ]
        decision = self.purpose_policy.check(ctx.purpose)
        if decision is not None and decision.refused:
            entry.status = AuditStatus.BLOCKED
            entry.error_code = "restricted_purpose"
            answer = Answer(
                request_id=entry.request_id,
                status="blocked",
                mode="none",
                text=decision.message,
                guard_action=guard_action,
                findings=entry.findings,
                error_code=entry.error_code,
            )
            return self._finish(entry, started, answer)
        if decision is not None:
            notices.append(decision.message)
        safe = {
            f.name: (v.redacted if v is not None and v.action is Action.MASK else f.text)
            for f, v in field_results
        }
        return Screened(entry, started, safe, guard_action, notices)

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
        retrieval = self.knowledge_base.retrieve(query, k=self.retrieval_k)
        hits = [
            h for h in retrieval.hits if h.relevance is None or h.relevance >= self.min_relevance
        ]
        citations = citations_from(hits)
        entry.sources = [c.label for c in citations]
        unanswered = unanswered_text(retrieval.answerability.verdict, citations)
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
            body = "\n\n".join(f"[{c.number}] {c.label}\n「{c.excerpt}」" for c in citations)
            answer = self._answer(
                screened,
                status="answered",
                mode="extractive",
                text=f"{EXTRACTIVE_NOTICE}\n\n{body}",
                citations=citations,
            )
            return self._finish(entry, started, answer)
        context = context_block(citations, [self.passages.screen(h.text) for h in hits])
        return self.plan_generation(
            screened,
            task,
            {**variables, "context": context},
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
        )

    def complete(self, plan: Plan) -> Answer:
        model = self._model()
        try:
            generation = model.generate(plan.messages)
        except LLMError as exc:
            return self._fail(plan, exc)
        return self._completed(plan, generation)

    async def acomplete(self, plan: Plan) -> Answer:
        """`complete` for the event loop: the model call is awaited."""
        return await _answered(
            self._model().agenerate(plan.messages),
            lambda generation: self._completed(plan, generation),
            lambda exc: self._fail(plan, exc),
        )

    def _completed(self, plan: Plan, generation: Generation) -> Answer:
        _count_tokens(plan.entry, generation)
        text = self.guard_output(generation.text)
        if plan.thread is not None:
            plan.thread.add(plan.question, text)
        answer = self._plan_answer(plan, text + plan.suffix, model=generation.model)
        return self._finish(plan.entry, plan.started, answer)

    async def astream(self, plan: Plan) -> AsyncGenerator[str | Answer, None]:
        """Guarded text as the model produces it, then the finished `Answer` (audited).

        Text leaves one sentence at a time: a sentence is scanned before any of it is
        sent, so no personal data streams out. A model failure before the first piece
        yields only the failed `Answer`, so the caller can still answer with an error.
        The caller must `aclose()` the stream if it stops early.
        """
        model = self._model()
        usage = TokenUsage()
        pieces = model.astream(plan.messages, usage)
        out = SentenceRelease(self.guard_output)
        ended = False
        try:
            failure: LLMError | None = None
            try:
                async for piece in pieces:
                    if safe := out.add(piece):
                        yield safe
                if safe := out.flush():
                    yield safe
            except LLMError as exc:
                failure = exc
            ended = True
            for item in self._stream_end(plan, out.text, usage, failure, model.model_name):
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
        answer = self._plan_answer(plan, text + plan.suffix, model_name)
        return [plan.suffix, self._finish(entry, plan.started, answer)]

    def _stream_interrupted(self, plan: Plan, text: str, model_name: str) -> None:
        """The client went away mid-stream: what was sent is still on record."""
        plan.entry.error_code = "stream_interrupted"
        self._finish(plan.entry, plan.started, self._plan_answer(plan, text, model_name))

    def guard_output(self, text: str) -> str:
        """`text` with any personal data replaced by type labels. Used on model output
        and on retrieved passages, which an index built in `report` mode may contain."""
        result: ScanResult = self.guard.scan(text)
        if result.action is Action.ALLOW:
            return text
        return result.redacted

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
        return Answer(
            request_id=plan.entry.request_id,
            status="answered",
            mode="generated",
            text=text,
            citations=plan.citations,
            guard_action=plan.guard_action,
            findings=plan.entry.findings,
            model=model,
            notices=plan.notices,
        )

    def _fail(self, plan: Plan, exc: LLMError, partial: str = "") -> Answer:
        entry = plan.entry
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
        return self._finish(entry, plan.started, answer)

    def _finish(self, entry: AuditEntry, started: float, answer: Answer) -> Answer:
        entry.latency_ms = int((time.perf_counter() - started) * 1000)
        entry.answer = answer.text if answer.status != "blocked" else ""
        if not entry.error_code:
            entry.error_code = answer.error_code
        record = self.audit.append(entry)
        for listener in self.on_finish:
            listener(entry)
        return answer.model_copy(
            update={"audit_id": record.id, "task": entry.task, "prompt_ref": entry.prompt_ref}
        )


def _count_tokens(entry: AuditEntry, generation: Generation) -> None:
    entry.tokens_in = generation.prompt_tokens
    entry.tokens_out = generation.completion_tokens


async def _answered(
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


def _check_field(f: InputField) -> None:
    if f.required and not f.text.strip():
        raise InputError(f"{f.label}が空です。", code="empty_prompt")
    if len(f.text) > f.limit:
        raise InputError(
            f"{f.label}が長すぎます（{len(f.text):,}文字）。{f.limit:,}文字以内にしてください。",
            code="prompt_too_long",
        )


def _labelled(label: str, message: str, labelled: bool) -> str:
    return f"【{label}】\n{message}" if labelled else message


def _refusal(request_id: str, message: str, code: str) -> Answer:
    return Answer(
        request_id=request_id,
        status="failed",
        mode="none",
        text=message,
        guard_action="block",
        error_code=code,
    )


class PreparedChat(BaseModel):
    """A guard-approved conversation, ready for the model; built by `Assistant.prepare_chat`."""

    model_config = {"arbitrary_types_allowed": True}

    entry: AuditEntry
    started: float
    messages: list[tuple[str, str]]
    max_tokens: int | None = None
    notices: list[str] = Field(default_factory=list)


_ROLES = {"system": "system", "user": "human", "assistant": "ai"}


class ChatAssistant:
    """Guarded pass-through chat (the `yakuba` model of the OpenAI-compatible API)."""

    def __init__(self, assistant: Assistant) -> None:
        self._a = assistant

    def prepare(
        self, messages: Sequence[tuple[str, str]], ctx: RequestContext
    ) -> PreparedChat | Answer:
        """Scan every message; a blocked or failed request comes back as an `Answer`."""
        started = time.perf_counter()
        joined = "".join(text for _, text in messages)
        entry = new_entry(ctx, "chat", joined)
        request_id = entry.request_id
        try:
            self._a.check_length(joined)
        except InputError as exc:
            return self._a._finish(entry, started, _refusal(request_id, str(exc), exc.code))
        verdicts = [self._a.guard.scan(text) for _, text in messages]
        entry.prompt = "\n".join(
            f"{role}: {v.redacted}" for (role, _), v in zip(messages, verdicts, strict=True)
        )
        scanned = list(zip((text for _, text in messages), verdicts, strict=True))
        if ctx.purpose.strip():
            # The declared purpose is user text too: guarded, and stored only redacted.
            purpose = self._a.guard.scan(ctx.purpose)
            entry.purpose = purpose.redacted
            scanned.append((ctx.purpose, purpose))
        for _, v in scanned:
            for kind, n in v.entity_counts().items():
                entry.findings[kind] = entry.findings.get(kind, 0) + n
        blocked = [(text, v) for text, v in scanned if v.action is Action.BLOCK]
        if blocked:
            entry.status = AuditStatus.BLOCKED
            entry.error_code = (
                next((v.error for _, v in blocked if v.error), None) or "personal_data"
            )
            answer = Answer(
                request_id=request_id,
                status="blocked",
                mode="none",
                text="\n\n".join(explain_ja(text, v) for text, v in blocked),
                guard_action="block",
                findings=entry.findings,
                error_code=entry.error_code,
            )
            return self._a._finish(entry, started, answer)
        masked = any(v.action is Action.MASK for v in verdicts)
        entry.status = AuditStatus.MASKED if masked else AuditStatus.ALLOWED
        decision = self._a.purpose_policy.check(ctx.purpose)
        if decision is not None and decision.refused:
            entry.status = AuditStatus.BLOCKED
            entry.error_code = "restricted_purpose"
            answer = Answer(
                request_id=request_id,
                status="blocked",
                mode="none",
                text=decision.message,
                guard_action="mask" if masked else "allow",
                findings=entry.findings,
                error_code=entry.error_code,
            )
            return self._a._finish(entry, started, answer)
        safe = [
            (role, v.redacted if v.action is Action.MASK else text)
            for (role, text), v in zip(messages, verdicts, strict=True)
        ]
        return PreparedChat(
            entry=entry,
            started=started,
            messages=safe,
            notices=[decision.message] if decision is not None else [],
        )

    def _model_messages(self, prepared: PreparedChat) -> list[BaseMessage]:
        kinds = {"system": SystemMessage, "user": HumanMessage, "assistant": AIMessage}
        return [kinds[role](content=text) for role, text in prepared.messages]

    async def acomplete(self, prepared: PreparedChat) -> Answer:
        """The model's guarded reply, audited; see `Assistant.acomplete`."""
        model = self._require_model(prepared)
        if isinstance(model, Answer):
            return model
        return await _answered(
            model.agenerate(self._model_messages(prepared), max_tokens=prepared.max_tokens),
            lambda generation: self._completed(prepared, generation),
            lambda exc: self._failed(prepared, exc),
        )

    def _completed(self, prepared: PreparedChat, generation: Generation) -> Answer:
        entry = prepared.entry
        _count_tokens(entry, generation)
        answer = Answer(
            request_id=entry.request_id,
            status="answered",
            mode="generated",
            text=_with_notices(self._a.guard_output(generation.text), prepared.notices),
            guard_action="mask" if entry.status is AuditStatus.MASKED else "allow",
            findings=entry.findings,
            model=generation.model,
            notices=prepared.notices,
        )
        return self._a._finish(entry, prepared.started, answer)

    def _failed(self, prepared: PreparedChat, exc: LLMError) -> Answer:
        entry = prepared.entry
        entry.status = AuditStatus.FAILED
        entry.error_code = exc.code
        return self._a._finish(
            entry, prepared.started, _refusal(entry.request_id, str(exc), exc.code)
        )

    async def astream(self, prepared: PreparedChat) -> AsyncGenerator[str, None]:
        """Yields guarded text as the model produces it, one sentence at a time: a
        sentence is scanned before any of it leaves, so no personal data streams out.
        The caller must `aclose()` the stream if it stops early."""
        model = self._require_model(prepared)
        if isinstance(model, Answer):
            yield model.text
            return
        out = SentenceRelease(self._a.guard_output)
        usage = TokenUsage()
        pieces = model.astream(
            self._model_messages(prepared), usage, max_tokens=prepared.max_tokens
        )
        ended = False
        try:
            try:
                async for piece in pieces:
                    if safe := out.add(piece):
                        yield safe
                tail = self._stream_tail(prepared, out)
            except LLMError as exc:
                tail = [self._stream_failed(prepared, out, exc)]
            ended = True
            for text in tail:
                yield text
        finally:
            self._stream_finish(prepared, out, usage, ended=ended)
            with anyio.CancelScope(shield=True):  # frees the model's slot, see Assistant
                await pieces.aclose()

    def _stream_tail(self, prepared: PreparedChat, out: SentenceRelease) -> list[str]:
        tail = [safe] if (safe := out.flush()) else []
        if prepared.notices:
            notices = _with_notices("", prepared.notices)
            out.parts.append(notices)
            tail.append(notices)
        return tail

    def _stream_failed(self, prepared: PreparedChat, out: SentenceRelease, exc: LLMError) -> str:
        prepared.entry.status = AuditStatus.FAILED
        prepared.entry.error_code = exc.code
        out.parts.append(str(exc))
        return f"\n{exc}"

    def _stream_finish(
        self, prepared: PreparedChat, out: SentenceRelease, usage: TokenUsage, *, ended: bool
    ) -> None:
        """The audit record of a chat stream, also when the client went away mid-stream
        (`ended` False): what was sent is on record, marked `stream_interrupted`."""
        entry = prepared.entry
        if not ended and not entry.error_code:
            entry.error_code = "stream_interrupted"
        text = out.text
        entry.tokens_in = usage.prompt_tokens
        # Not every server reports usage when streaming; the length is a lower bound.
        entry.tokens_out = usage.completion_tokens or len(text)
        answer = Answer(
            request_id=entry.request_id,
            status="failed" if entry.status is AuditStatus.FAILED else "answered",
            mode="generated",
            text=text,
            guard_action="mask" if entry.status is AuditStatus.MASKED else "allow",
            findings=entry.findings,
            error_code=entry.error_code,
        )
        self._a._finish(entry, prepared.started, answer)

    def _require_model(self, prepared: PreparedChat) -> ChatModel | Answer:
        model = self._a.chat_model
        if model is not None:
            prepared.entry.model = model.model_name
            prepared.entry.mode = "generated"
            return model
        entry = prepared.entry
        entry.status = AuditStatus.FAILED
        entry.error_code = "llm_not_configured"
        return self._a._finish(
            entry, prepared.started, _refusal(entry.request_id, NO_MODEL_MESSAGE, entry.error_code)
        )


_BOUNDARIES = "。．！？!?\n"


def _with_notices(text: str, notices: Sequence[str]) -> str:
    """A chat client shows only the message text, so a warning travels inside it."""
    return text + "".join(f"\n\n※ {n}" for n in notices)


def _last_boundary(text: str) -> int:
    """Index just after the last sentence end in `text`, or 0."""
    positions = [text.rfind(ch) for ch in _BOUNDARIES]
    best = max(positions)
    return best + 1 if best >= 0 else 0


class SentenceRelease:
    """Model text let out a sentence at a time, each sentence guarded before any of it
    leaves (`guard_output` masks what the guard finds); `parts` is what was let out."""

    def __init__(self, guard_output: Callable[[str], str]) -> None:
        self._guard_output = guard_output
        self._pending = ""
        self.parts: list[str] = []

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def add(self, piece: str) -> str:
        """The guarded text that `piece` completes ("" while a sentence is unfinished)."""
        self._pending += piece
        return self._release(_last_boundary(self._pending))

    def flush(self) -> str:
        """The guarded rest, at the end of the model's text."""
        return self._release(len(self._pending))

    def _release(self, cut: int) -> str:
        if not cut:
            return ""
        safe = self._guard_output(self._pending[:cut])
        self._pending = self._pending[cut:]
        self.parts.append(safe)
        return safe
