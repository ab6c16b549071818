"""Bulk FAQ jobs as the API and the CLI use them: check a file, submit it, follow and
review the job, export the results. Holds no state of its own beyond the store."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime
from typing import IO, Any

from pydantic import BaseModel, Field

from ..pipeline.contracts import RequestContext
from ._errors import FaqInputError, JobStateError
from ._grouping import Group, group_questions
from ._models import FaqJob, FaqRow, JobStatus, Review, RowStatus
from ._pipeline import FaqPipeline
from ._reader import Limits, Preview, inspect_questions, iter_questions
from ._runner import JobRunner
from ._store import JobStore
from ._writer import OutputFormat, write_results

MAX_CONCURRENCY = 64


class JobView(BaseModel):
    id: str
    filename: str
    status: str
    total: int
    done: int
    counts: dict[str, int]
    reviews: dict[str, int]
    cancel_requested: bool
    created_at: datetime
    updated_at: datetime
    user: str
    concurrency: int


class RowView(BaseModel):
    line: int
    id: str
    question: str
    category: str
    notes: str
    audience: str
    status: str
    answer: str
    draft: str
    sources: list[dict[str, Any]] = Field(default_factory=list)
    findings: dict[str, int] = Field(default_factory=dict)
    mode: str
    model: str
    prompt_version: str
    error_code: str
    audit_id: int | None
    generated_at: datetime | None
    review: str
    reviewed_by: str
    edited: bool

    @classmethod
    def of(cls, row: FaqRow) -> RowView:
        return cls(
            line=row.row_no,
            id=row.external_id,
            question=row.question,
            category=row.category,
            notes=row.notes,
            audience=row.audience,
            status=row.status,
            answer=row.answer,
            draft=row.draft,
            sources=row.sources,
            findings=row.findings,
            mode=row.mode,
            model=row.model,
            prompt_version=row.prompt_ref,
            error_code=row.error_code,
            audit_id=row.audit_id,
            generated_at=row.generated_at,
            review=row.review,
            reviewed_by=row.reviewed_by,
            edited=row.edited,
        )


def digest_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class FaqJobs:
    def __init__(
        self, store: JobStore, pipeline: FaqPipeline, limits: Limits | None = None
    ) -> None:
        self.store = store
        self.pipeline = pipeline
        self.runner = JobRunner(store, pipeline)
        self.limits = limits or Limits()

    # -- submitting ----------------------------------------------------------------------
    def preview(self, data: bytes, filename: str) -> Preview:
        return inspect_questions(data, filename, self.limits)

    def submit(
        self,
        data: bytes,
        filename: str,
        who: RequestContext,
        *,
        purpose: str = "",
        concurrency: int | None = None,
    ) -> FaqJob:
        """A new queued job, after the whole file passed `preview` without errors."""
        preview = self.preview(data, filename)
        if not preview.ok:
            errors = [p for p in preview.problems if p.severity == "error"]
            raise FaqInputError(
                f"ファイルに{preview.problem_count}件の問題があります。最初の問題: {errors[0].text()}",
                problems=preview.problems,
            )
        safe_purpose = self.pipeline.screen_purpose(purpose)
        if safe_purpose is None:
            raise FaqInputError(
                "利用目的に個人情報・機密情報が含まれる可能性があります。書き直してください。",
                code="purpose_blocked",
            )
        width = concurrency or self.pipeline.model_concurrency
        return self.store.create(
            user=who.user,
            department=who.department,
            role=who.role,
            purpose=safe_purpose,
            filename=filename,
            digest=digest_of(data),
            concurrency=max(1, min(width, MAX_CONCURRENCY)),
            rows=iter_questions(data, filename, self.limits),
        )

    # -- following -----------------------------------------------------------------------
    def view(self, job_id: str, *, owner: str | None = None) -> JobView:
        job = self.store.job(job_id, user=owner)
        counts = self.store.counts(job_id)
        return JobView(
            id=job.id,
            filename=job.filename,
            status=job.status,
            total=job.total,
            done=job.total - counts[RowStatus.PENDING.value],
            counts=counts,
            reviews=self.store.review_counts(job_id),
            cancel_requested=job.cancel_requested,
            created_at=job.created_at,
            updated_at=job.updated_at,
            user=job.user,
            concurrency=job.concurrency,
        )

    def jobs(self, *, owner: str | None = None) -> list[JobView]:
        return [self.view(j.id) for j in self.store.jobs(user=owner)]

    def cancel(self, job_id: str, *, owner: str | None = None) -> JobView:
        job = self.store.cancel(job_id, user=owner)
        if job.status == JobStatus.CANCELLED.value:  # was queued: no runner will scrub it
            self.runner.scrub(job_id)
        return self.view(job_id)

    def rows(
        self,
        job_id: str,
        *,
        owner: str | None = None,
        status: Sequence[str] = (),
        review: Sequence[str] = (),
        offset: int = 0,
        limit: int = 100,
    ) -> list[RowView]:
        self.store.job(job_id, user=owner)
        found = self.store.rows(job_id, status=status, review=review, offset=offset, limit=limit)
        return [RowView.of(r) for r in found]

    # -- reviewing -----------------------------------------------------------------------
    def review(
        self,
        job_id: str,
        line: int,
        *,
        reviewer: str,
        owner: str | None = None,
        answer: str | None = None,
        decision: Review | None = None,
    ) -> RowView:
        self.store.job(job_id, user=owner)
        row = self.store.row(job_id, line)
        values: dict[str, Any] = {}
        if answer is not None and answer != row.answer:
            if row.status == RowStatus.BLOCKED.value:
                raise JobStateError(
                    "個人情報を含むため送信しなかった行の回答は編集できません。",
                    code="faq_row_blocked",
                )
            problem = self.pipeline.check_edit(answer)
            if problem:
                raise FaqInputError(problem, code="answer_blocked")
            values.update(answer=answer, edited=True)
        if decision is not None:
            if decision is Review.APPROVED and row.status == RowStatus.BLOCKED.value:
                raise JobStateError("送信しなかった行は承認できません。", code="faq_row_blocked")
            if decision is Review.APPROVED and not (answer or row.answer).strip():
                raise JobStateError("回答が空の行は承認できません。", code="faq_row_empty")
            values.update(review=decision.value, reviewed_by=reviewer)
        elif values:
            values.update(review=Review.PENDING.value, reviewed_by="")  # an edit is re-reviewed
        if values:
            self.store.save(job_id, line, values)
        return RowView.of(self.store.row(job_id, line))

    def regenerate(self, job_id: str, line: int, *, owner: str | None = None) -> RowView:
        job = self.store.job(job_id, user=owner)
        if job.status in (JobStatus.QUEUED.value, JobStatus.RUNNING.value):
            raise JobStateError(
                "ジョブの実行中は再生成できません。終わってから（または中止してから）行ってください。",
                code="faq_job_running",
            )
        return RowView.of(self.runner.regenerate(job_id, line))

    def groups(self, job_id: str, *, owner: str | None = None) -> list[Group]:
        self.store.job(job_id, user=owner)
        items = [
            (r.row_no, r.question)
            for r in self.store.iter_rows(job_id)
            if r.status != RowStatus.BLOCKED.value
        ]
        return group_questions(items)

    def share_answer(
        self,
        job_id: str,
        source_line: int,
        lines: Sequence[int],
        *,
        reviewer: str,
        owner: str | None = None,
    ) -> list[RowView]:
        """The answer of `source_line` for the other rows of its group (one answer serves
        near-duplicate questions); they are marked edited and await review."""
        self.store.job(job_id, user=owner)
        source = self.store.row(job_id, source_line)
        if source.status == RowStatus.BLOCKED.value or not source.answer.strip():
            raise JobStateError("この行の回答は共有できません。", code="faq_row_empty")
        changed = []
        for line in lines:
            if line == source_line:
                continue
            target = self.store.row(job_id, line)
            if target.status == RowStatus.BLOCKED.value:
                continue
            self.store.save(
                job_id,
                line,
                {
                    "answer": source.answer,
                    "sources": source.sources,
                    "edited": True,
                    "review": Review.PENDING.value,
                    "reviewed_by": "",
                },
            )
            changed.append(RowView.of(self.store.row(job_id, line)))
        return changed

    # -- exporting -----------------------------------------------------------------------
    def export(
        self,
        job_id: str,
        out: IO[bytes],
        fmt: OutputFormat,
        *,
        approved_only: bool = False,
        owner: str | None = None,
    ) -> int:
        self.store.job(job_id, user=owner)
        review = [Review.APPROVED.value] if approved_only else []
        return write_results(self.store.iter_rows(job_id, review=review), out, fmt)
