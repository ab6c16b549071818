"""Jobs and rows in the audit database (SQLAlchemy 2; SQLite or PostgreSQL).

Each finished row is committed on its own, so a crash loses at most the rows in flight;
a job belongs to one runner at a time (`claim`), and a runner whose process is gone or
whose heartbeat is older than the lease is replaced.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from ..audit._migrate import open_migrated
from ..audit._time import as_utc
from ..leases import lease_expired
from ._errors import JobNotFoundError
from ._models import FINISHED_ROW, FaqJob, FaqRow, JobStatus, Review, RowStatus
from ._reader import QuestionRow

_INSERT_BATCH = 1_000


def _now() -> datetime:
    return datetime.now(UTC)


class JobStore:
    def __init__(self, url: str) -> None:
        # The audit package's migrations create these tables.
        self._engine: Engine = open_migrated(url, what="ジョブ")
        self._sessions = sessionmaker(self._engine, expire_on_commit=False)

    def close(self) -> None:
        self._engine.dispose()

    def _session(self) -> Session:
        return self._sessions()

    # -- jobs ----------------------------------------------------------------------------
    def create(
        self,
        *,
        user: str,
        department: str,
        role: str,
        purpose: str,
        filename: str,
        digest: str,
        concurrency: int,
        rows: Iterable[QuestionRow],
    ) -> FaqJob:
        """The job and its rows, inserted in batches as `rows` yields them."""
        now = _now()
        job = FaqJob(
            id=uuid.uuid4().hex,
            created_at=now,
            updated_at=now,
            user=user,
            department=department,
            role=role,
            purpose=purpose,
            filename=filename[:256],
            input_digest=digest,
            status=JobStatus.QUEUED.value,
            total=0,
            concurrency=concurrency,
            cancel_requested=False,
            runner="",
            heartbeat_at=None,
        )
        with self._session() as session, session.begin():
            session.add(job)
            session.flush()
            batch: list[dict[str, Any]] = []
            total = 0
            for row in rows:
                batch.append(_new_row(job.id, row))
                total += 1
                if len(batch) >= _INSERT_BATCH:
                    session.execute(insert(FaqRow), batch)
                    batch = []
            if batch:
                session.execute(insert(FaqRow), batch)
            job.total = total
        return job

    def job(self, job_id: str, *, user: str | None = None) -> FaqJob:
        with self._session() as session:
            job = session.get(FaqJob, job_id)
        if job is None or (user is not None and job.user != user):
            raise JobNotFoundError("指定されたジョブは見つかりません。", code="faq_job_not_found")
        return job

    def jobs(self, *, user: str | None = None, limit: int = 50) -> list[FaqJob]:
        query = select(FaqJob).order_by(FaqJob.created_at.desc()).limit(limit)
        if user is not None:
            query = query.where(FaqJob.user == user)
        with self._session() as session:
            return list(session.scalars(query))

    def unfinished(self, *, user: str, digest: str) -> FaqJob | None:
        """The newest queued or running job of `user` over the same input file."""
        query = (
            select(FaqJob)
            .where(
                FaqJob.user == user,
                FaqJob.input_digest == digest,
                FaqJob.status.in_([JobStatus.QUEUED.value, JobStatus.RUNNING.value]),
            )
            .order_by(FaqJob.created_at.desc())
            .limit(1)
        )
        with self._session() as session:
            return session.scalars(query).first()

    def counts(self, job_id: str) -> dict[str, int]:
        query = (
            select(FaqRow.status, func.count())
            .where(FaqRow.job_id == job_id)
            .group_by(FaqRow.status)
        )
        with self._session() as session:
            found = {str(k): int(n) for k, n in session.execute(query)}
        return {s.value: found.get(s.value, 0) for s in RowStatus}

    def review_counts(self, job_id: str) -> dict[str, int]:
        query = (
            select(FaqRow.review, func.count())
            .where(FaqRow.job_id == job_id)
            .group_by(FaqRow.review)
        )
        with self._session() as session:
            found = {str(k): int(n) for k, n in session.execute(query)}
        return {r.value: found.get(r.value, 0) for r in Review}

    # -- running -------------------------------------------------------------------------
    def claim(self, job_id: str, runner: str) -> bool:
        """Makes `runner` the job's runner if it is queued, or running under a runner that
        is gone (its process ended, or its lease ran out). One claimant wins."""
        with self._session() as session, session.begin():
            job = session.get(FaqJob, job_id, with_for_update=True)
            if job is None or not self._claimable(job):
                return False
            job.status = JobStatus.RUNNING.value
            job.runner = runner
            job.heartbeat_at = _now()
            job.updated_at = _now()
            return True

    def claimable(self) -> list[str]:
        """Ids of jobs a runner may take now, oldest first."""
        query = (
            select(FaqJob)
            .where(FaqJob.status.in_([JobStatus.QUEUED.value, JobStatus.RUNNING.value]))
            .order_by(FaqJob.created_at)
        )
        with self._session() as session:
            return [j.id for j in session.scalars(query) if self._claimable(j)]

    def _claimable(self, job: FaqJob) -> bool:
        if job.status == JobStatus.QUEUED.value:
            return True
        if job.status != JobStatus.RUNNING.value:
            return False
        beat = as_utc(job.heartbeat_at) if job.heartbeat_at else None
        return lease_expired(job.runner, beat, _now())

    def heartbeat(self, job_id: str, runner: str) -> bool:
        """Renews the lease; False when the job was cancelled or taken over."""
        with self._session() as session, session.begin():
            done = session.execute(
                update(FaqJob)
                .where(
                    FaqJob.id == job_id,
                    FaqJob.runner == runner,
                    FaqJob.status == JobStatus.RUNNING.value,
                    FaqJob.cancel_requested.is_(False),
                )
                .values(heartbeat_at=_now())
            )
            return bool(done.rowcount)  # type: ignore[attr-defined]

    def pending(self, job_id: str, *, after: int, limit: int) -> list[FaqRow]:
        query = (
            select(FaqRow)
            .where(
                FaqRow.job_id == job_id,
                FaqRow.status == RowStatus.PENDING.value,
                FaqRow.row_no > after,
            )
            .order_by(FaqRow.row_no)
            .limit(limit)
        )
        with self._session() as session:
            return list(session.scalars(query))

    def save(self, job_id: str, row_no: int, values: dict[str, Any]) -> None:
        with self._session() as session, session.begin():
            session.execute(
                update(FaqRow)
                .where(FaqRow.job_id == job_id, FaqRow.row_no == row_no)
                .values(**values)
            )

    def finish(self, job_id: str, runner: str) -> str:
        """Ends the job (done, or cancelled if that was asked); its final status."""
        with self._session() as session, session.begin():
            job = session.get(FaqJob, job_id, with_for_update=True)
            if job is None or job.runner != runner:
                return job.status if job else ""
            job.status = JobStatus.CANCELLED.value if job.cancel_requested else JobStatus.DONE.value
            job.updated_at = _now()
            job.heartbeat_at = None
            return job.status

    def cancel(self, job_id: str, *, user: str | None = None) -> FaqJob:
        self.job(job_id, user=user)
        with self._session() as session, session.begin():
            job = session.get(FaqJob, job_id, with_for_update=True)
            assert job is not None
            if job.status == JobStatus.QUEUED.value:
                job.status = JobStatus.CANCELLED.value
            if job.status in (JobStatus.QUEUED.value, JobStatus.RUNNING.value):
                job.cancel_requested = True
            job.updated_at = _now()
            return job

    def release(self, job_id: str, runner: str) -> None:
        """Hands a running job back to the queue (its runner is shutting down)."""
        with self._session() as session, session.begin():
            session.execute(
                update(FaqJob)
                .where(FaqJob.id == job_id, FaqJob.runner == runner)
                .values(
                    status=JobStatus.QUEUED.value, runner="", heartbeat_at=None, updated_at=_now()
                )
            )

    # -- rows ----------------------------------------------------------------------------
    def rows(
        self,
        job_id: str,
        *,
        status: Sequence[str] = (),
        review: Sequence[str] = (),
        offset: int = 0,
        limit: int = 100,
    ) -> list[FaqRow]:
        query = select(FaqRow).where(FaqRow.job_id == job_id).order_by(FaqRow.row_no)
        if status:
            query = query.where(FaqRow.status.in_(list(status)))
        if review:
            query = query.where(FaqRow.review.in_(list(review)))
        with self._session() as session:
            return list(session.scalars(query.offset(offset).limit(limit)))

    def iter_rows(
        self, job_id: str, *, review: Sequence[str] = (), page: int = 1_000
    ) -> Iterator[FaqRow]:
        """Every row in order, read a page at a time (keyset paging: memory stays flat)."""
        after = 0
        while True:
            query = (
                select(FaqRow)
                .where(FaqRow.job_id == job_id, FaqRow.row_no > after)
                .order_by(FaqRow.row_no)
                .limit(page)
            )
            if review:
                query = query.where(FaqRow.review.in_(list(review)))
            with self._session() as session:
                batch = list(session.scalars(query))
            if not batch:
                return
            yield from batch
            after = batch[-1].row_no

    def row(self, job_id: str, row_no: int) -> FaqRow:
        with self._session() as session:
            row = session.get(FaqRow, (job_id, row_no))
        if row is None:
            raise JobNotFoundError(
                f"{row_no}行目はこのジョブにありません。", code="faq_row_not_found"
            )
        return row

    def finished_rows(self, job_id: str) -> int:
        query = select(func.count()).where(
            FaqRow.job_id == job_id, FaqRow.status.in_([s.value for s in FINISHED_ROW])
        )
        with self._session() as session:
            return int(session.scalar(query) or 0)


def _new_row(job_id: str, row: QuestionRow) -> dict[str, Any]:
    return {
        "job_id": job_id,
        "row_no": row.line,
        "external_id": row.id[:128],
        "question": row.question,
        "category": row.category[:256],
        "notes": row.notes,
        "audience": row.audience[:256],
        "status": RowStatus.PENDING.value,
        "answer": "",
        "draft": "",
        "sources": [],
        "findings": {},
        "mode": "",
        "model": "",
        "prompt_ref": "",
        "error_code": "",
        "attempts": 0,
        "audit_id": None,
        "generated_at": None,
        "review": Review.PENDING.value,
        "reviewed_by": "",
        "edited": False,
    }
