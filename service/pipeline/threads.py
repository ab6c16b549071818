"""Multi-turn threads for `ask`: short, bounded conversation memory in the audit database.

The turns live in the same database as the audit records (SQLite by default, PostgreSQL
in production), not in process memory, so a follow-up reaches the same conversation on
whichever service process (`yakuba serve --workers N`, or several hosts) it lands on,
and a restart does not forget it.

Only guard-approved text is ever stored — the question as it was sent to the model
(labels or placeholders in place of masked values; a placeholder's mapping to the real
value stays in process memory, never here) and the answer after the output guard, the
same texts the audit record keeps — so replaying history can never carry personal data
to the model. Memory is bounded four ways: turns per thread, characters per thread,
an age after which a thread is forgotten, and a cap on all stored turns (the oldest go).
Threads belong to the user who started them; another user's id simply starts afresh.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import structlog
from sqlalchemy import (
    BigInteger,
    DateTime,
    Index,
    Integer,
    String,
    Text,
    bindparam,
    delete,
    func,
    insert,
    select,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from ..audit._engine import open_engine
from ..audit._migrate import upgrade
from ..errors import AuditError

log = structlog.get_logger(__name__)

__all__ = ["Conversations", "Thread", "ThreadBase", "Turn", "TurnRow"]

# All threads together keep at most this many turns (100 MB or so of text at the default
# 8,000 characters per thread); past it the oldest turns anywhere go first.
MAX_STORED_TURNS = 200_000
# Expired and surplus turns are swept at most this often per process, on a write.
_SWEEP_INTERVAL_S = 60.0
# Bot threads are keyed by the platform's thread or room id, which may be long.
_MAX_KEY = 128


class ThreadBase(DeclarativeBase):
    pass


class TurnRow(ThreadBase):
    """One question and its answer; created by migration v0009_workers."""

    __tablename__ = "conversation_turns"
    __table_args__ = (
        Index("ix_conversation_turns_thread", "user", "thread_id", "id"),
        Index("ix_conversation_turns_created", "created_at"),
    )

    # BIGINT on PostgreSQL; SQLite autoincrements only an INTEGER primary key.
    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    user: Mapped[str] = mapped_column(String(256))
    thread_id: Mapped[str] = mapped_column(String(_MAX_KEY))
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


@dataclass(frozen=True)
class Turn:
    question: str
    answer: str

    def __len__(self) -> int:
        return len(self.question) + len(self.answer)


def _within_chars(turns: list[Turn], max_chars: int) -> list[Turn]:
    """The newest turns that fit in `max_chars` (the newest one always)."""
    kept = list(turns)
    while len(kept) > 1 and sum(len(t) for t in kept) > max_chars:
        kept.pop(0)
    return kept


@dataclass
class Thread:
    """One conversation as read when the request began; `add` stores a new turn and
    keeps the in-hand copy within the same bounds."""

    id: str
    user: str
    store: Conversations
    _turns: list[Turn] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    # Made by `Conversations.new` from an id no one else knows yet: every stored turn
    # of it went through this object, counted here.
    fresh: bool = False
    _stored: int = 0

    @property
    def turns(self) -> list[Turn]:
        with self._lock:
            return list(self._turns)

    def add(self, question: str, answer: str) -> None:
        # Question and answer each get at most half the budget, so the newest turn
        # always fits and a long answer cannot push out everything before it alone.
        half = max(1, self.store.max_chars // 2)
        turn = Turn(question[:half], answer[:half])
        with self._lock:
            self._stored += 1
            # A fresh thread within its bound has nothing to drop (the trim's delete with
            # its subquery was a third of a new thread's write).
            trim = not self.fresh or self._stored > self.store.max_turns
        self.store.append(self.user, self.id, turn, trim=trim)
        with self._lock:
            self._turns.append(turn)
            self._turns = _within_chars(self._turns[-self.store.max_turns :], self.store.max_chars)


class Conversations:
    """All threads, keyed by (user, thread id), in the audit database at `url`."""

    def __init__(
        self,
        url: str,
        *,
        max_turns: int,
        max_chars: int,
        ttl: timedelta = timedelta(hours=24),
        max_stored_turns: int = MAX_STORED_TURNS,
    ) -> None:
        self.max_turns = max_turns
        self.max_chars = max_chars
        self.ttl = ttl
        self.max_stored_turns = max_stored_turns
        self._engine: Engine = open_engine(url)
        try:
            upgrade(self._engine)  # the audit package's migrations create the table
        except Exception as exc:
            self._engine.dispose()
            raise AuditError(
                f"会話履歴のデータベースを準備できませんでした: {type(exc).__name__}"
            ) from exc
        self._swept = 0.0
        self._sweep_lock = threading.Lock()

    def close(self) -> None:
        self._engine.dispose()

    def new(self, user: str, thread_id: str) -> Thread:
        """A thread known to be new (an id this process just made): nothing to read."""
        return Thread(_key(thread_id), user, self, fresh=True)

    def get(self, user: str, thread_id: str) -> Thread:
        """The user's thread of that id, with its live turns; empty when new or expired."""
        key = _key(thread_id)
        newest = (
            select(TurnRow.question, TurnRow.answer)
            .where(
                TurnRow.user == user,
                TurnRow.thread_id == key,
                TurnRow.created_at >= _now() - self.ttl,
            )
            .order_by(TurnRow.id.desc())
            .limit(self.max_turns)
        )
        try:
            with self._engine.connect() as conn:
                rows = conn.execute(newest).all()
        except SQLAlchemyError as exc:
            # A follow-up answered without its context could mislead: refuse clearly (503).
            raise AuditError(
                f"会話の履歴を読み込めませんでした（データベース: {type(exc).__name__}）。"
                "しばらくしてから再度お試しください。"
            ) from exc
        turns = [Turn(q, a) for q, a in reversed(rows)]
        return Thread(key, user, self, _within_chars(turns, self.max_chars))

    def append(self, user: str, thread_id: str, turn: Turn, *, trim: bool = True) -> None:
        """Stores `turn` and drops the thread's turns beyond `max_turns` (`trim` False:
        the caller knows the thread holds no more). A failure is logged, not raised: the
        answer still reaches the user (and the audit store, which decides whether it
        may); only the follow-up will lack this turn."""
        try:
            self._store(user, thread_id, turn, trim=trim)
        except SQLAlchemyError as exc:
            log.warning("thread_turn_not_stored", error=type(exc).__name__)
            return
        self._sweep_now_and_then()

    def _store(self, user: str, thread_id: str, turn: Turn, *, trim: bool = True) -> None:
        with self._engine.begin() as conn:
            conn.execute(
                _INSERT_TURN,
                {
                    "user": user,
                    "thread_id": thread_id,
                    "question": turn.question,
                    "answer": turn.answer,
                    "created_at": _now(),
                },
            )
            if trim:
                conn.execute(_TRIM, {"u": user, "t": thread_id, "skip": self.max_turns - 1})

    def _sweep_now_and_then(self) -> None:
        now = time.monotonic()
        with self._sweep_lock:
            if now - self._swept < _SWEEP_INTERVAL_S:
                return
            self._swept = now
        try:
            self.sweep()
        except SQLAlchemyError as exc:  # the next sweep tries again
            log.warning("thread_sweep_failed", error=type(exc).__name__)

    def sweep(self) -> int:
        """Forgets expired turns and, past `max_stored_turns`, the oldest; how many."""
        cutoff = (
            select(TurnRow.id)
            .order_by(TurnRow.id.desc())
            .offset(self.max_stored_turns)
            .limit(1)
            .scalar_subquery()
        )
        with self._engine.begin() as conn:
            expired = conn.execute(delete(TurnRow).where(TurnRow.created_at < _now() - self.ttl))
            surplus = conn.execute(delete(TurnRow).where(TurnRow.id <= cutoff))
        return int(expired.rowcount or 0) + int(surplus.rowcount or 0)

    def __len__(self) -> int:
        """Threads with stored turns (expired ones until the next sweep)."""
        counted = select(func.count()).select_from(
            select(TurnRow.user, TurnRow.thread_id).distinct().subquery()
        )
        with self._engine.connect() as conn:
            return int(conn.execute(counted).scalar_one())


# Built once, executed with parameters: built per call, their cache keys cost more
# Python than the writes themselves.
_INSERT_TURN = insert(TurnRow)
_KEEP_FROM = (
    select(TurnRow.id)
    .where(TurnRow.user == bindparam("u"), TurnRow.thread_id == bindparam("t"))
    .order_by(TurnRow.id.desc())
    .offset(bindparam("skip", type_=Integer))
    .limit(1)
    .scalar_subquery()
)
_TRIM = delete(TurnRow).where(
    TurnRow.user == bindparam("u"), TurnRow.thread_id == bindparam("t"), TurnRow.id < _KEEP_FROM
)


def _key(thread_id: str) -> str:
    if len(thread_id) <= _MAX_KEY:
        return thread_id
    return hashlib.sha256(thread_id.encode("utf-8")).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)
