"""Runs a job's pending rows through the pipeline, a bounded number at a time.

At most `concurrency` rows are in flight (each holds one model call; the model client's
own semaphore, YAKUBA_LLM_MAX_CONCURRENCY, caps the process as a whole). A row whose
model call failed with a rate limit or server error is retried after an exponential
pause (the openai client has already retried it, honouring Retry-After). Each finished
row is committed at once: after a crash, `run` again (any process) redoes only the rows
that were in flight, never a finished one.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Any

from guardrails import GUARD_ERROR

from ..leases import runner_name
from ..pipeline.contracts import RequestContext
from ._errors import JobStateError
from ._models import FaqJob, FaqRow, RowStatus
from ._pipeline import FaqPipeline, RowInput, RowOutcome
from ._store import JobStore

HEARTBEAT_S = 2.0
MAX_ATTEMPTS = 4
BACKOFF_BASE_S = 2.0
BACKOFF_MAX_S = 60.0
_PAGE = 256


@dataclass(frozen=True)
class Progress:
    job_id: str
    done: int
    total: int
    last: RowStatus | None = None


ProgressFn = Callable[[Progress], None]


class JobRunner:
    def __init__(
        self,
        store: JobStore,
        pipeline: FaqPipeline,
        *,
        backoff_base_s: float = BACKOFF_BASE_S,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.store = store
        self.pipeline = pipeline
        self._backoff_base_s = backoff_base_s
        self._sleep = sleep

    def run(
        self,
        job_id: str,
        *,
        on_progress: ProgressFn | None = None,
        stop: threading.Event | None = None,
    ) -> str:
        """Runs the job to its end; returns its status (done, cancelled, or queued when
        `stop` was set: the job goes back to the queue for the next runner)."""
        runner = runner_name()
        if not self.store.claim(job_id, runner):
            job = self.store.job(job_id)
            raise JobStateError(
                f"ジョブ {job_id} は実行できません（状態: {job.status}、実行中のプロセス: "
                f"{job.runner or 'なし'}）。",
                code="faq_job_busy",
            )
        job = self.store.job(job_id)
        stop = stop or threading.Event()
        halted = threading.Event()  # cancelled, or taken over by another runner
        beating = threading.Event()
        beat = threading.Thread(
            target=self._heartbeat, args=(job_id, runner, halted, beating), daemon=True
        )
        beat.start()
        done = self.store.finished_rows(job_id)
        report = on_progress or (lambda _: None)
        report(Progress(job_id, done, job.total))
        try:
            done = self._rows(job, halted, stop, done, report)
        finally:
            beating.set()
            beat.join()
        if stop.is_set() and not halted.is_set():
            self.store.release(job_id, runner)
            return "queued"
        status = self.store.finish(job_id, runner)
        if status == "cancelled":
            self.scrub(job_id)
        report(Progress(job_id, self.store.finished_rows(job_id), job.total))
        return status

    def _rows(
        self,
        job: FaqJob,
        halted: threading.Event,
        stop: threading.Event,
        done: int,
        report: ProgressFn,
    ) -> int:
        who = RequestContext(user=job.user, department=job.department, role=job.role or "staff")
        width = max(1, min(job.concurrency, self.pipeline.model_concurrency))
        after = 0
        in_flight: set[Future[RowStatus]] = set()
        with ThreadPoolExecutor(max_workers=width, thread_name_prefix="yakuba-faq") as pool:
            while not (halted.is_set() or stop.is_set()):
                page = self.store.pending(job.id, after=after, limit=_PAGE)
                if not page:
                    break
                for row in page:
                    # A bounded window: never more than twice the width queued in memory.
                    while len(in_flight) >= 2 * width:
                        finished, in_flight = _wait_one(in_flight)
                        done += self._collect(finished, job, done, report)
                    if halted.is_set() or stop.is_set():
                        break
                    in_flight.add(pool.submit(self._one, job, row, who, halted))
                after = page[-1].row_no
            while in_flight:
                finished, in_flight = _wait_one(in_flight)
                done += self._collect(finished, job, done, report)
        return done

    def _collect(
        self, finished: set[Future[RowStatus]], job: FaqJob, done: int, report: ProgressFn
    ) -> int:
        n = 0
        for future in finished:
            status = future.result()
            if status is not RowStatus.PENDING:
                n += 1
                report(Progress(job.id, done + n, job.total, status))
        return n

    def _one(
        self, job: FaqJob, row: FaqRow, who: RequestContext, halted: threading.Event
    ) -> RowStatus:
        item = _input(job.id, row)
        attempts = row.attempts
        while True:
            attempts += 1
            outcome = self.pipeline.answer(item, who, job.purpose)
            if not outcome.retryable or attempts >= MAX_ATTEMPTS or halted.is_set():
                break
            pause = min(BACKOFF_MAX_S, self._backoff_base_s * 2 ** (attempts - 1))
            self._sleep(pause * random.uniform(0.8, 1.2))  # noqa: S311 - jitter, not secrecy
        self.store.save(job.id, row.row_no, outcome_values(outcome, attempts))
        return outcome.status

    def scrub(self, job_id: str) -> int:
        """Masks the rows of a cancelled job that were never processed and hold personal
        data: a job stores raw questions only until the guard has seen them. Returns how
        many rows were masked."""
        masked, after = 0, 0
        while page := self.store.pending(job_id, after=after, limit=_PAGE):
            for row in page:
                values = self.pipeline.masked_if_personal(_input(job_id, row))
                if values is not None:
                    self.store.save(job_id, row.row_no, values)
                    masked += 1
            after = page[-1].row_no
        return masked

    def regenerate(self, job_id: str, row_no: int) -> FaqRow:
        """One row again, now (the review page's 再生成); its review starts over."""
        job = self.store.job(job_id)
        row = self.store.row(job_id, row_no)
        if row.status == RowStatus.BLOCKED.value:
            raise JobStateError(
                "個人情報を含むため送信しなかった行は再生成できません。質問を書き直して"
                "新しいジョブとして登録してください。",
                code="faq_row_blocked",
            )
        if row.error_code == GUARD_ERROR:
            raise JobStateError(
                "個人情報の検査を完了できなかった行は伏せ字で保存しているため、再生成"
                "できません。質問を新しいジョブとして登録してください。",
                code="faq_row_unchecked",
            )
        who = RequestContext(user=job.user, department=job.department, role=job.role or "staff")
        self._one(job, row, who, threading.Event())
        self.store.save(job_id, row_no, {"review": "pending", "reviewed_by": "", "edited": False})
        return self.store.row(job_id, row_no)

    def _heartbeat(
        self, job_id: str, runner: str, halted: threading.Event, beating: threading.Event
    ) -> None:
        while not beating.wait(HEARTBEAT_S):
            try:
                if not self.store.heartbeat(job_id, runner):
                    halted.set()
                    return
            except Exception:  # noqa: BLE001 - a missed beat is retried; the lease is long
                continue


def _input(job_id: str, row: FaqRow) -> RowInput:
    return RowInput(
        job_id=job_id,
        line=row.row_no,
        question=row.question,
        category=row.category,
        notes=row.notes,
        audience=row.audience,
    )


def _wait_one(
    futures: set[Future[RowStatus]],
) -> tuple[set[Future[RowStatus]], set[Future[RowStatus]]]:
    finished, rest = wait(futures, return_when=FIRST_COMPLETED)
    return set(finished), set(rest)


def outcome_values(outcome: RowOutcome, attempts: int) -> dict[str, Any]:
    values: dict[str, Any] = {
        "status": outcome.status.value,
        "answer": outcome.answer,
        "draft": outcome.answer,
        "sources": [s.model_dump() for s in outcome.sources],
        "findings": outcome.findings,
        "mode": outcome.mode,
        "model": outcome.model,
        "prompt_ref": outcome.prompt_ref,
        "error_code": outcome.error_code,
        "audit_id": outcome.audit_id,
        "generated_at": outcome.generated_at,
        "attempts": attempts,
    }
    values.update(outcome.masked)  # a blocked row keeps only the masked texts
    return values
