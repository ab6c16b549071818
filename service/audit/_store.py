"""Append-only, hash-chained audit store on SQLAlchemy (SQLite by default)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, event, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from ..errors import AuditError
from ._models import AuditEntry, AuditRecord, Base, FeedbackRecord

GENESIS = "0" * 64


@dataclass(frozen=True)
class ChainBreak:
    record_id: int
    reason: str


class AuditStore:
    def __init__(self, url: str) -> None:
        if url.startswith("sqlite:///"):
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        self._engine: Engine = create_engine(url)
        if self._engine.dialect.name == "sqlite":
            event.listen(self._engine, "connect", _sqlite_pragmas)
        Base.metadata.create_all(self._engine)
        self._sessions = sessionmaker(self._engine, expire_on_commit=False)
        # One writer at a time keeps the chain linear inside this process.
        self._lock = threading.Lock()

    def append(self, entry: AuditEntry) -> AuditRecord:
        try:
            with self._lock, self._sessions.begin() as session:
                last = session.scalars(
                    select(AuditRecord).order_by(AuditRecord.id.desc()).limit(1)
                ).first()
                record = AuditRecord(
                    **entry.model_dump(mode="json"),
                    created_at=datetime.now(UTC),
                    prev_hash=last.record_hash if last else GENESIS,
                    record_hash="pending",
                )
                session.add(record)
                session.flush()  # assigns the id, which the hash covers
                record.record_hash = record.compute_hash()
            return record
        except Exception as exc:
            raise AuditError(f"監査ログを書き込めませんでした: {type(exc).__name__}") from exc

    def records(self, *, limit: int | None = None) -> list[AuditRecord]:
        with self._sessions() as session:
            stmt = select(AuditRecord).order_by(AuditRecord.id)
            if limit is not None:
                stmt = stmt.limit(limit)
            return list(session.scalars(stmt))

    def get(self, record_id: int) -> AuditRecord | None:
        with self._sessions() as session:
            return session.get(AuditRecord, record_id)

    def add_feedback(
        self, *, audit_id: int, user: str, rating: str, comment: str, findings: dict[str, int]
    ) -> FeedbackRecord:
        """Stores feedback on record `audit_id`; `comment` must already be redacted."""
        try:
            with self._sessions.begin() as session:
                record = FeedbackRecord(
                    audit_id=audit_id,
                    user=user,
                    rating=rating,
                    comment=comment,
                    findings=findings,
                    created_at=datetime.now(UTC),
                )
                session.add(record)
            return record
        except Exception as exc:
            raise AuditError(f"フィードバックを保存できませんでした: {type(exc).__name__}") from exc

    def feedback(self, *, audit_id: int | None = None) -> list[FeedbackRecord]:
        with self._sessions() as session:
            stmt = select(FeedbackRecord).order_by(FeedbackRecord.id)
            if audit_id is not None:
                stmt = stmt.where(FeedbackRecord.audit_id == audit_id)
            return list(session.scalars(stmt))

    def verify(self) -> list[ChainBreak]:
        """Every place where the chain does not hold: an edited, deleted or inserted record."""
        breaks: list[ChainBreak] = []
        prev = GENESIS
        for record in self._iter_all():
            if record.prev_hash != prev:
                breaks.append(ChainBreak(record.id, "直前の記録とのつながりが切れています"))
            if record.compute_hash() != record.record_hash:
                breaks.append(ChainBreak(record.id, "記録の内容が書き換えられています"))
            prev = record.record_hash
        return breaks

    def _iter_all(self) -> Iterator[AuditRecord]:
        with self._sessions() as session:
            yield from session.scalars(
                select(AuditRecord).order_by(AuditRecord.id).execution_options(yield_per=1000)
            )

    def session(self) -> Session:
        return self._sessions()

    def close(self) -> None:
        self._engine.dispose()


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
