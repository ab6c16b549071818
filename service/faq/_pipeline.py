"""The one seam between bulk FAQ jobs and the guarded pipeline.

Every call from service.faq into the pipeline (guard → retrieval → FAQ prompt → model →
output guard → audit) goes through this module, so the pipeline can be rebuilt without
touching the jobs: today a row is `Runtime.tasks.faq` (service.pipeline.tasks, which runs
the pipeline), on channel `batch`, with the job and row in the audit record's purpose.
"""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import BaseModel, Field

from guardrails import ENTITY_LABELS_JA, GUARD_ERROR, GUARD_TIMEOUT, explain_ja
from ingest import IndexBusyError

from ..pipeline.contracts import CHECK_NOTICE, Answer, Citation, RequestContext
from ..pipeline.task_specs import FaqInput
from ..runtime import Runtime
from ._models import RowStatus

# Failures worth another try after a pause: the model's overload, rate limits and server
# errors, and a guard scan that ran out of its time budget on a busy machine or failed
# (a service shutting down refuses scans).
RETRYABLE = frozenset(
    {
        "llm_rate_limited",
        "llm_server_error",
        "llm_timeout",
        "llm_unreachable",
        "llm_busy",
        GUARD_TIMEOUT,
        GUARD_ERROR,
    }
)
# Guard outcomes that say nothing about the text: the scan did not finish.
UNCHECKED = frozenset({GUARD_TIMEOUT, GUARD_ERROR})
GUARD_ERROR_TEXT = (
    "個人情報の検査を完了できなかったため、生成AIに送信しませんでした"
    "（個人情報が見つかったわけではありません）。"
    "質問は伏せ字にして保存しています。続く場合は管理者に連絡してください。"
)
_STATUS = {
    "answered": RowStatus.OK,
    "no_results": RowStatus.NO_SOURCE,
    "blocked": RowStatus.BLOCKED,
    "failed": RowStatus.FAILED,
}


class Source(BaseModel):
    number: int
    title: str
    locator: str
    source: str

    @property
    def label(self) -> str:
        return f"[{self.number}] {self.title} {self.locator}".rstrip()


class RowInput(BaseModel):
    """One question as the job holds it."""

    job_id: str
    line: int
    question: str
    category: str = ""
    notes: str = ""
    audience: str = ""


class RowOutcome(BaseModel):
    status: RowStatus
    answer: str
    sources: list[Source] = Field(default_factory=list)
    findings: dict[str, int] = Field(default_factory=dict)
    mode: str = ""
    model: str = ""
    prompt_ref: str = ""
    error_code: str = ""
    audit_id: int | None = None
    generated_at: datetime
    # For a blocked row: the texts as they may be stored (the guard's aggressive mask).
    masked: dict[str, str] = Field(default_factory=dict)

    @property
    def retryable(self) -> bool:
        return self.status is RowStatus.FAILED and self.error_code in RETRYABLE


class IndexUnavailableError(Exception):
    """The embedded index is held by another process (a running `yakuba serve`)."""


class FaqPipeline:
    def __init__(self, runtime: Runtime) -> None:
        self._runtime = runtime

    @property
    def model_name(self) -> str:
        model = self._runtime.chat_model
        return model.model_name if model is not None else ""

    @property
    def model_concurrency(self) -> int:
        return self._runtime.settings.llm_max_concurrency

    def open_index(self) -> None:
        """Opens the knowledge base (and its embedder) now; IndexUnavailableError when
        another process holds the embedded index."""
        try:
            self._runtime.knowledge_base.search("開庁時間", k=1)
        except IndexBusyError as exc:
            raise IndexUnavailableError(str(exc)) from exc

    def screen_purpose(self, purpose: str) -> str | None:
        """The job's declared purpose as it may be stored, or None when the guard blocks it."""
        if not purpose.strip():
            return ""
        result = self._runtime.guard.scan(purpose)
        return None if result.blocked else result.redacted

    def answer(self, row: RowInput, who: RequestContext, purpose: str = "") -> RowOutcome:
        """One row through the whole guarded pipeline: exactly one audit record."""
        tag = f"FAQ一括作成（ジョブ {row.job_id}、{row.line}行目）"
        ctx = who.model_copy(
            update={"channel": "batch", "purpose": f"{purpose} {tag}".strip()[:500]}
        )
        answer = self._runtime.tasks.faq(
            FaqInput(question=row.question, instructions=_instructions(row)), ctx
        )
        return self._outcome(row, answer)

    def masked_if_personal(self, row: RowInput) -> dict[str, str] | None:
        """For a row that will not be processed (its job was cancelled): its texts in the
        guard's aggressive mask when the guard would block it, else None. Nothing is sent
        and nothing audited: the row never became a request."""
        texts = (row.question, row.category, row.notes, row.audience)
        if not any(self._runtime.guard.scan(t).blocked for t in texts if t):
            return None
        return self._masked(row)

    def check_edit(self, text: str) -> str | None:
        """Why an editor's answer may not be stored (personal data), or None."""
        result = self._runtime.guard.scan(text)
        return explain_ja(text, result) if result.blocked else None

    def _outcome(self, row: RowInput, answer: Answer) -> RowOutcome:
        status = _STATUS[answer.status]
        if answer.mode == "extractive" and answer.error_code in RETRYABLE:
            # The pipeline quoted the passages because the model was busy or down: for a
            # batch, a pause and another try gives the draft the team asked for.
            status = RowStatus.FAILED
        elif status is RowStatus.BLOCKED and answer.error_code in UNCHECKED:
            # Refused because the scan did not finish (too slow, or it failed), not
            # because of what it found: the row is not known to be personal data, and a
            # later try decides it (a closing service refuses scans too).
            status = RowStatus.FAILED
        text = answer.text
        masked: dict[str, str] = {}
        if status is RowStatus.BLOCKED:
            # The explanation quotes the words that decided it; only the types are kept.
            text = _blocked_text(answer)
            masked = self._masked(row)
        elif answer.error_code == GUARD_ERROR:
            # The guard never cleared these texts, so they are kept as a blocked row's
            # are; the message says it was the check, not the question, that failed.
            text = GUARD_ERROR_TEXT
            masked = self._masked(row)
        elif status is RowStatus.OK:
            text = _without_check_notice(text)
        return RowOutcome(
            status=status,
            answer=text,
            sources=[_source(c) for c in answer.citations] if status is RowStatus.OK else [],
            findings=dict(answer.findings),
            mode=answer.mode,
            model=answer.model,
            prompt_ref=answer.prompt_ref,
            error_code=answer.error_code,
            audit_id=answer.audit_id,
            generated_at=datetime.now(UTC),
            masked=masked,
        )

    def _masked(self, row: RowInput) -> dict[str, str]:
        return {
            name: self._strict_mask(value)
            for name, value in (
                ("question", row.question),
                ("category", row.category),
                ("notes", row.notes),
                ("audience", row.audience),
            )
        }

    def _strict_mask(self, text: str) -> str:
        if not text:
            return ""
        guard = self._runtime.guard
        return guard.strict_mask(text, guard.scan(text))


def _instructions(row: RowInput) -> str:
    parts = [
        f"{label}: {value}"
        for label, value in (("分類", row.category), ("対象", row.audience), ("備考", row.notes))
        if value
    ]
    return "\n".join(parts)


def _source(c: Citation) -> Source:
    return Source(number=c.number, title=c.title, locator=c.locator, source=c.source)


def _without_check_notice(text: str) -> str:
    # The notice tells a staff member on screen to check the answer; in a job the review
    # step is that check, and the notice would otherwise end every exported answer.
    return text.removesuffix(CHECK_NOTICE).rstrip()


def _blocked_text(answer: Answer) -> str:
    if answer.error_code == "restricted_purpose":
        return answer.text
    kinds = "、".join(ENTITY_LABELS_JA.get(k, k) for k in sorted(answer.findings)) or "個人情報"
    return (
        f"個人情報・機密情報（{kinds}）が含まれる可能性があるため、生成AIに送信しませんでした。"
        "住民の氏名・連絡先などを除いた一般的な質問に書き直してください。"
    )
