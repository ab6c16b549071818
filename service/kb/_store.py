"""Knowledge-base update jobs in the audit database (SQLAlchemy 2; SQLite or PostgreSQL).

The service's worker runs one job at a time; a job belongs to one runner (`claim`), and
a runner whose process is gone or whose heartbeat is older than the lease is replaced
(service.leases), so a job survives a service restart.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from ..audit._migrate import open_migrated
from ..audit._time import as_utc
from ..leases import lease_expired
from ._errors import KbJobNotFoundError
from ._models import KbAction, KbJob, KbJobStatus

_UNFINISHED = (KbJobStatus.QUEUED.value, KbJobStatus.RUNNING.value)


def _now() -> datetime:
    return datetime.now(UTC)


class KbJobStore:
    def __init__(self, url: str) -> None:
        # The audit package's migrations create these tables.
        self._engine: Engine = open_migrated(url, what="取り込みジョブ")
        self._sessions = sessionmaker(self._engine, expire_on_commit=False)

    def close(self) -> None:
        self._engine.dispose()

    def create(
        self,
        *,
        action: KbAction,
        source: str,
        who: dict[str, str],
        content: bytes | None = None,
        doc_department: str = "",
        doc_type: str = "",
        modified: str = "",
    ) -> KbJob:
        now = _now()
        job = KbJob(
            id=uuid.uuid4().hex,
            created_at=now,
            updated_at=now,
            user=who["user"][:256],
            department=who.get("department", "")[:256],
            role=who.get("role", "")[:32],
            channel=who.get("channel", "api")[:32],
            action=action.value,
            source=source,
            doc_department=doc_department[:256],
            doc_type=doc_type,
            modified=modified,
            size=len(content or b""),
            content=content,
            status=KbJobStatus.QUEUED.value,
            outcome="",
            stage="",
            result={},
            message="",
            audit_id=None,
            runner="",
            heartbeat_at=None,
        )
        with self._sessions() as session, session.begin():
            session.add(job)
        return job

    def job(self, job_id: str) -> KbJob:
        with self._sessions() as session:
            job = session.get(KbJob, job_id)
        if job is None:
            raise KbJobNotFoundError("指定された取り込みジョブは見つかりません。")
        return job

    def jobs(self, *, limit: int = 50) -> list[KbJob]:
        query = select(KbJob).order_by(KbJob.created_at.desc()).limit(limit)
        with self._sessions() as session:
            return list(session.scalars(query))

    def content(self, job_id: str) -> bytes:
        with self._sessions() as session:
            data = session.scalar(select(KbJob.content).where(KbJob.id == job_id))
        return data or b""

    # -- running -------------------------------------------------------------------------
    def claimable(self) -> list[str]:
        """Ids of jobs a runner may take now, oldest first: per document only its oldest
        unfinished job, so the changes to one document are applied in the order asked,
        by one runner at a time, whichever process runs them."""
        query = (
            select(KbJob.id, KbJob.source, KbJob.status, KbJob.runner, KbJob.heartbeat_at)
            .where(KbJob.status.in_(_UNFINISHED))
            .order_by(KbJob.created_at, KbJob.id)
        )
        with self._sessions() as session:
            rows = list(session.execute(query))
        ready: list[str] = []
        seen: set[str] = set()
        for job_id, source, status, runner, beat in rows:
            if source not in seen and _claimable(status, runner, beat):
                ready.append(job_id)
            seen.add(source)
        return ready

    def claim(self, job_id: str, runner: str) -> bool:
        """Makes `runner` the job's runner if it is queued, or running under a runner that
        is gone, and no older job on the same document is unfinished. One claimant wins."""
        with self._sessions() as session, session.begin():
            job = session.get(KbJob, job_id, with_for_update=True)
            if job is None or not _claimable(job.status, job.runner, job.heartbeat_at):
                return False
            older = session.scalar(
                select(func.count()).where(
                    KbJob.source == job.source,
                    KbJob.id != job.id,
                    KbJob.status.in_(_UNFINISHED),
                    or_(
                        KbJob.created_at < job.created_at,
                        KbJob.status == KbJobStatus.RUNNING.value,
                    ),
                )
            )
            if older:
                return False
            job.status = KbJobStatus.RUNNING.value
            job.runner = runner
            job.heartbeat_at = job.updated_at = _now()
            return True

    def progress(self, job_id: str, runner: str, stage: str) -> None:
        """The job's current stage; also renews its lease."""
        with self._sessions() as session, session.begin():
            session.execute(
                update(KbJob)
                .where(KbJob.id == job_id, KbJob.runner == runner)
                .values(stage=stage, heartbeat_at=_now(), updated_at=_now())
            )

    def beat(self, job_id: str, runner: str) -> None:
        """Renews the lease of a running job."""
        with self._sessions() as session, session.begin():
            session.execute(
                update(KbJob)
                .where(KbJob.id == job_id, KbJob.runner == runner)
                .values(heartbeat_at=_now())
            )

    def finish(
        self,
        job_id: str,
        runner: str,
        *,
        status: KbJobStatus,
        outcome: str,
        result: dict[str, Any],
        message: str,
        audit_id: int | None,
        source: str | None = None,
    ) -> None:
        """Ends the job and drops its file; `source` replaces the stored name (a name the
        screen withheld is kept masked only)."""
        values: dict[str, Any] = {
            "status": status.value,
            "outcome": outcome,
            "result": result,
            "message": message,
            "audit_id": audit_id,
            "stage": "",
            "content": None,
            "heartbeat_at": None,
            "updated_at": _now(),
        }
        if source is not None:
            values["source"] = source
        with self._sessions() as session, session.begin():
            session.execute(
                update(KbJob).where(KbJob.id == job_id, KbJob.runner == runner).values(**values)
            )

    def release(self, job_id: str, runner: str) -> None:
        """Hands a running job back to the queue (its runner is shutting down)."""
        with self._sessions() as session, session.begin():
            session.execute(
                update(KbJob)
                .where(KbJob.id == job_id, KbJob.runner == runner)
                .values(
                    status=KbJobStatus.QUEUED.value,
                    runner="",
                    stage="",
                    heartbeat_at=None,
                    updated_at=_now(),
                )
            )


def _claimable(status: str, runner: str, heartbeat: datetime | None) -> bool:
    if status == KbJobStatus.QUEUED.value:
        return True
    if status != KbJobStatus.RUNNING.value:
        return False
    return lease_expired(runner, as_utc(heartbeat) if heartbeat else None, _now())
