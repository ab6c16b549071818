"""One request, end to end: guard → retrieve → answer → guard the answer → audit.

Every channel (CLI, HTTP API, bots, bulk jobs) goes through `Assistant`, so the
invariants hold in one place: nothing reaches the model before the guard allowed it,
and every outcome — allowed, masked, blocked, failed — leaves an audit record.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator, Sequence
from typing import Literal

from langchain_core.messages import BaseMessage
from pydantic import BaseModel, Field

from guardrails import Action, Guard, ScanResult, explain_ja
from ingest import Hit, KnowledgeBase

from .audit import AuditEntry, AuditStatus, AuditStore
from .errors import InputError, LLMError
from .llm import ChatModel
from .prompting import load_prompt

EXTRACTIVE_NOTICE = "※ 生成モデルが設定されていないため、関連する資料の該当箇所をそのまま引用しています（抽出モード）。"
CHECK_NOTICE = "※ 生成AIの出力です。内容は必ず原典で確認してから業務に利用してください。"
NO_RESULTS = "該当する資料が見つかりませんでした。"
_EXCERPT_CHARS = 400


class RequestContext(BaseModel):
    """Who asks, from where, and why; recorded in the audit log."""

    user: str = Field(min_length=1, max_length=256)
    department: str = Field(default="", max_length=256)
    role: str = "staff"
    channel: str = Field(default="cli", max_length=32)
    purpose: str = Field(default="", max_length=500)


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
    guard_action: Literal["allow", "mask", "block"]
    findings: dict[str, int] = Field(default_factory=dict)
    model: str = ""
    audit_id: int | None = None
    error_code: str = ""


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


def context_block(citations: Sequence[Citation], hits: Sequence[Hit]) -> str:
    return "\n\n".join(
        f"[{c.number}] {c.label}\n{h.text}" for c, h in zip(citations, hits, strict=True)
    )


def new_entry(ctx: RequestContext, task: str, prompt: str) -> AuditEntry:
    """An audit entry that records a failure until the request proves otherwise; the
    prompt is not stored until the guard has produced its redacted form."""
    return AuditEntry(
        request_id=uuid.uuid4().hex,
        user=ctx.user,
        department=ctx.department,
        channel=ctx.channel,
        task=task,
        purpose=ctx.purpose,
        status=AuditStatus.FAILED,
        prompt=f"<未検査: {len(prompt)}文字>",
    )


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
    ) -> None:
        self.guard = guard
        self.knowledge_base = knowledge_base
        self.audit = audit
        self.chat_model = chat_model
        self.max_prompt_chars = max_prompt_chars
        self.retrieval_k = retrieval_k

    def check_length(self, text: str) -> None:
        if not text.strip():
            raise InputError("質問が空です。", code="empty_prompt")
        if len(text) > self.max_prompt_chars:
            raise InputError(
                f"入力が長すぎます（{len(text):,}文字）。{self.max_prompt_chars:,}文字以内にしてください。",
                code="prompt_too_long",
            )

    def ask(self, question: str, ctx: RequestContext) -> Answer:
        started = time.perf_counter()
        entry = new_entry(ctx, "ask", question)
        request_id = entry.request_id
        try:
            self.check_length(question)
        except InputError as exc:
            return self._finish(entry, started, _refusal(request_id, str(exc), exc.code))

        verdict = self.guard.scan(question)
        entry.prompt = verdict.redacted
        entry.findings = verdict.entity_counts()
        if verdict.action is Action.BLOCK:
            entry.status = AuditStatus.BLOCKED
            entry.error_code = verdict.error or "personal_data"
            answer = Answer(
                request_id=request_id,
                status="blocked",
                mode="none",
                text=explain_ja(question, verdict),
                guard_action="block",
                findings=entry.findings,
                error_code=entry.error_code,
            )
            return self._finish(entry, started, answer)

        # From here on only the guard-approved text exists for the rest of the pipeline.
        safe_question = verdict.redacted if verdict.action is Action.MASK else question
        entry.status = AuditStatus.MASKED if verdict.action is Action.MASK else AuditStatus.ALLOWED
        hits = self.knowledge_base.search(safe_question, k=self.retrieval_k)
        citations = citations_from(hits)
        entry.sources = [c.label for c in citations]
        if not hits:
            answer = Answer(
                request_id=request_id,
                status="no_results",
                mode="none",
                text=NO_RESULTS,
                guard_action=verdict.action.value,
                findings=entry.findings,
            )
            return self._finish(entry, started, answer)

        if self.chat_model is None:
            entry.mode = "extractive"
            body = "\n\n".join(f"[{c.number}] {c.label}\n「{c.excerpt}」" for c in citations)
            answer = Answer(
                request_id=request_id,
                status="answered",
                mode="extractive",
                text=f"{EXTRACTIVE_NOTICE}\n\n{body}",
                citations=citations,
                guard_action=verdict.action.value,
                findings=entry.findings,
            )
            return self._finish(entry, started, answer)

        prompt = load_prompt("ask")
        entry.prompt_ref = prompt.ref
        entry.model = self.chat_model.model_name
        entry.mode = "generated"
        messages: list[BaseMessage] = prompt.template.format_messages(
            context=self.guard_output(context_block(citations, hits)), question=safe_question
        )
        try:
            generation = self.chat_model.generate(messages)
        except LLMError as exc:
            entry.status = AuditStatus.FAILED
            entry.error_code = exc.code
            return self._finish(entry, started, _refusal(request_id, str(exc), exc.code))
        entry.tokens_in = generation.prompt_tokens
        entry.tokens_out = generation.completion_tokens
        text = self.guard_output(generation.text)
        answer = Answer(
            request_id=request_id,
            status="answered",
            mode="generated",
            text=f"{text}\n\n{CHECK_NOTICE}",
            citations=citations,
            guard_action=verdict.action.value,
            findings=entry.findings,
            model=generation.model,
        )
        return self._finish(entry, started, answer)

    def guard_output(self, text: str) -> str:
        """`text` with any personal data replaced by type labels. Used on model output
        and on retrieved passages, which an index built in `report` mode may contain."""
        result: ScanResult = self.guard.scan(text)
        if result.action is Action.ALLOW:
            return text
        return result.redacted

    def _finish(self, entry: AuditEntry, started: float, answer: Answer) -> Answer:
        entry.latency_ms = int((time.perf_counter() - started) * 1000)
        entry.answer = answer.text if answer.status != "blocked" else ""
        if not entry.error_code:
            entry.error_code = answer.error_code
        record = self.audit.append(entry)
        return answer.model_copy(update={"audit_id": record.id})


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
        for v in verdicts:
            for kind, n in v.entity_counts().items():
                entry.findings[kind] = entry.findings.get(kind, 0) + n
        blocked = [
            (text, v)
            for (_, text), v in zip(messages, verdicts, strict=True)
            if v.action is Action.BLOCK
        ]
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
        safe = [
            (role, v.redacted if v.action is Action.MASK else text)
            for (role, text), v in zip(messages, verdicts, strict=True)
        ]
        return PreparedChat(entry=entry, started=started, messages=safe)

    def _model_messages(self, prepared: PreparedChat) -> list[BaseMessage]:
        from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

        kinds = {"system": SystemMessage, "user": HumanMessage, "assistant": AIMessage}
        return [kinds[role](content=text) for role, text in prepared.messages]

    def complete(self, prepared: PreparedChat) -> Answer:
        entry = prepared.entry
        model = self._require_model(prepared)
        if isinstance(model, Answer):
            return model
        try:
            generation = model.generate(self._model_messages(prepared))
        except LLMError as exc:
            entry.status = AuditStatus.FAILED
            entry.error_code = exc.code
            return self._a._finish(
                entry, prepared.started, _refusal(entry.request_id, str(exc), exc.code)
            )
        entry.tokens_in = generation.prompt_tokens
        entry.tokens_out = generation.completion_tokens
        answer = Answer(
            request_id=entry.request_id,
            status="answered",
            mode="generated",
            text=self._a.guard_output(generation.text),
            guard_action="mask" if entry.status is AuditStatus.MASKED else "allow",
            findings=entry.findings,
            model=generation.model,
        )
        return self._a._finish(entry, prepared.started, answer)

    def stream(self, prepared: PreparedChat) -> Iterator[str]:
        """Yields guarded text as the model produces it, one sentence at a time: a
        sentence is scanned before any of it leaves, so no personal data streams out."""
        entry = prepared.entry
        model = self._require_model(prepared)
        if isinstance(model, Answer):
            yield model.text
            return
        parts: list[str] = []
        pending = ""
        try:
            for piece in model.stream(self._model_messages(prepared)):
                pending += piece
                cut = _last_boundary(pending)
                if cut:
                    safe = self._a.guard_output(pending[:cut])
                    parts.append(safe)
                    pending = pending[cut:]
                    yield safe
            if pending:
                safe = self._a.guard_output(pending)
                parts.append(safe)
                yield safe
        except LLMError as exc:
            entry.status = AuditStatus.FAILED
            entry.error_code = exc.code
            parts.append(str(exc))
            yield f"\n{exc}"
        finally:
            text = "".join(parts)
            entry.tokens_out = len(text)  # a lower bound; streaming servers rarely send usage
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
        message = "生成モデルが設定されていません（YAKUBA_LLM_BASE_URL と YAKUBA_LLM_MODEL）。"
        return self._a._finish(
            entry, prepared.started, _refusal(entry.request_id, message, entry.error_code)
        )


_BOUNDARIES = "。．！？!?\n"


def _last_boundary(text: str) -> int:
    """Index just after the last sentence end in `text`, or 0."""
    positions = [text.rfind(ch) for ch in _BOUNDARIES]
    best = max(positions)
    return best + 1 if best >= 0 else 0
