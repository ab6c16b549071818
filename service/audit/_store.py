"""Append-only, hash-chained audit store on SQLAlchemy: SQLite (WAL) by default,
PostgreSQL (`postgresql+psycopg://`) in production."""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from sqlalchemy import (
    Connection,
    Integer,
    bindparam,
    cast,
    delete,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.exc import DBAPIError, IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import ClauseElement

from ..errors import AuditError
from ._chain import GENESIS, record_hash
from ._engine import WalCheckpointer, open_engine, write_transaction, writer
from ._export import ExportFormat, write_export
from ._migrate import upgrade
from ._models import (
    AuditEntry,
    AuditIntent,
    AuditRecord,
    AuditStatus,
    ChainHead,
    Checkpoint,
    FeedbackRecord,
)
from ._query import (
    MAX_PAGE,
    AuditFilter,
    AuditPage,
    AuditRecordView,
    AuditStats,
    after_cursor,
    encode_cursor,
)
from ._signing import KEY_FILE, load_or_create_key, sign_checkpoint, signatures_match
from ._summary import (
    SUMMARY_MARGIN,
    Counts,
    after_purge,
    can_answer,
    complete_through,
    fill_step,
    jst_day_of,
    jst_day_text,
    read_state,
    summary_counts,
    wanted_findings,
)
from ._time import as_utc

if TYPE_CHECKING:
    from ..settings import Settings

_HEAD_ID = 1
_PROGRESS_EVERY = 1000
# Names the purge lock on PostgreSQL (appends do not wait for it; purges wait for each other).
_PG_PURGE_LOCK = 0x59414B56

Progress = Callable[[int], None]
Clock = Callable[[], datetime]

logger = logging.getLogger(__name__)


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class ChainBreak:
    """One place where the chain does not hold. `record_id` names the record (for a bad
    checkpoint, the first record after it); `checkpoint_id` is set for checkpoint faults."""

    record_id: int
    reason: str
    checkpoint_id: int | None = None


@dataclass(frozen=True)
class PurgeResult:
    count: int
    first_id: int | None
    last_id: int | None
    cutoff: datetime
    checkpoint_id: int | None
    dry_run: bool


_TABLE = AuditRecord.__table__
# The append's statements, built once: building them per call was about two thirds of an
# append's CPU (1.5 → 0.55 ms, profile of 1,000 appends on SQLite).
_READ_HEAD = (
    select(ChainHead.last_id, ChainHead.last_hash).where(ChainHead.id == _HEAD_ID).with_for_update()
)
_INSERT_RECORD = insert(AuditRecord)
_MOVE_HEAD = (
    update(ChainHead)
    .where(ChainHead.id == _HEAD_ID)
    .values(last_id=bindparam("new_id"), last_hash=bindparam("new_hash"))
)
_COLUMNS = tuple(_TABLE.columns)
_INSERT_INTENT = insert(AuditIntent)
_INTENT_COLUMNS = ("request_id", "created_at", "owner", "entry")
_SETTLE_INTENT = delete(AuditIntent).where(AuditIntent.request_id == bindparam("rid"))
INTERRUPTED = "interrupted"
# An intent older than this is settled as interrupted whoever wrote it: no model call
# lasts so long (YAKUBA_LLM_TIMEOUT_S is seconds to minutes).
STALE_INTENT = timedelta(hours=1)
# The intent could not be written: the request stops here, before the model.
NOT_SENT_MESSAGE = (
    "監査ログを記録できないため、この依頼は生成モデルに送らずに中止しました。"
    "しばらくしてから、もう一度お試しください（{cause}）。"
)


def _owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class DriverStatement:
    """A statement compiled once for a dialect and run straight on the DBAPI connection,
    each value converted by its column type's own bind processor: the same SQL and the
    same stored values as `Connection.execute`, without its per-call work (the execution
    context, events, result object: ~60 Python calls a statement). For the statements
    every request runs on SQLite's kept writer, inside the transaction `_writing` opened."""

    def __init__(self, statement: ClauseElement, dialect: Dialect, names: Sequence[str]) -> None:
        compiled = statement.compile(dialect=dialect, column_keys=list(names))
        positions = compiled.positiontup if isinstance(compiled, SQLCompiler) else None
        if not isinstance(compiled, SQLCompiler) or positions is None:
            # a named paramstyle: not what SQLite's driver uses
            raise ValueError(f"{dialect.name} does not use positional parameters")
        self.sql = compiled.string
        self._steps = [
            (name, compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect))
            for name in positions
        ]

    def run(self, conn: Connection, values: Mapping[str, Any]) -> None:
        params = [
            values[name] if convert is None else convert(values[name])
            for name, convert in self._steps
        ]
        conn.connection.driver_connection.execute(self.sql, params)  # type: ignore[union-attr]


def _alive(owner: str) -> bool:
    """Whether `owner` (host:pid) may still be working: another host's process is
    assumed alive until its intent is stale."""
    host, _, pid = owner.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return True
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class AuditStore:
    def __init__(
        self,
        url: str,
        *,
        signing_key: bytes | None = None,
        key_file: Path | None = None,
        clock: Clock = _utc_now,
        summary_margin: timedelta = SUMMARY_MARGIN,
    ) -> None:
        # `clock` stamps records and decides which days are complete; tests move it.
        self._clock = clock
        self._summary_margin = summary_margin
        self._engine = open_engine(url)
        try:
            upgrade(self._engine)
        except Exception as exc:
            self._engine.dispose()
            raise AuditError(
                f"監査ログのデータベースを準備できませんでした: {type(exc).__name__}"
            ) from exc
        self._sessions = sessionmaker(self._engine, expire_on_commit=False)
        self._checkpointer = (
            WalCheckpointer(self._engine) if self._engine.dialect.name == "sqlite" else None
        )
        # Threads of one process queue here rather than each holding a connection while
        # waiting for the database lock (SQLite's busy handler polls with sleeps).
        self._lock = threading.Lock()
        # SQLite: the writes under that lock share one connection, kept open (checking
        # one out of the pool and returning it cost 130 Python calls a write, two writes
        # a request). PostgreSQL checks one out each time: the pool's pre-ping then
        # replaces a connection that a restarted server dropped.
        self._keeps_writer = self._engine.dialect.name == "sqlite"
        self._writer: Connection | None = None
        # On the kept writer the intent's two statements skip Connection.execute's
        # per-call work (DriverStatement): every request that reaches the model runs both.
        dialect = self._engine.dialect
        self._intent_insert = (
            DriverStatement(_INSERT_INTENT, dialect, _INTENT_COLUMNS)
            if self._keeps_writer
            else None
        )
        self._intent_settle = (
            DriverStatement(_SETTLE_INTENT, dialect, ("rid",)) if self._keeps_writer else None
        )
        self._signing_key = signing_key
        if key_file is None:
            parsed = make_url(url)
            if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, ":memory:"):
                key_file = Path(parsed.database or "").parent / KEY_FILE
        self._key_file = key_file

    @classmethod
    def from_settings(cls, settings: Settings) -> AuditStore:
        key = settings.audit_signing_key
        return cls(
            settings.audit_database_url,
            signing_key=key.get_secret_value().encode("utf-8") if key else None,
            key_file=settings.data_dir / KEY_FILE,
        )

    def _now(self) -> datetime:
        # In UTC: SQLite stores a datetime's wall time as text, whatever its zone.
        return as_utc(self._clock())

    @property
    def dialect(self) -> str:
        return self._engine.dialect.name

    # -- writing ----------------------------------------------------------------------

    def begin(self, entry: AuditEntry) -> None:
        """Puts `entry` (redacted, as the request leaves for the model) on record as an
        intent; `append(entry, settles_intent=True)` later replaces it by the chained
        record in one transaction. Raises AuditError: no record, no model call."""
        row = {
            "request_id": entry.request_id,
            "created_at": self._now(),
            "owner": _owner(),
            "entry": entry.model_dump(mode="json"),
        }
        try:
            self._insert_intent(row)
        except Exception as exc:
            raise AuditError(NOT_SENT_MESSAGE.format(cause=type(exc).__name__)) from exc

    def _insert_intent(self, row: dict[str, Any]) -> None:
        if self._intent_insert is not None:
            with self._writing() as conn:
                self._intent_insert.run(conn, row)
            return
        try:
            with self._writing() as conn:
                conn.execute(_INSERT_INTENT, row)
        except DBAPIError as exc:
            if not exc.connection_invalidated:
                raise
            # The connection died under the insert (a database restart). Writing it again
            # is safe: the request id is the intent's key, so if the first insert did
            # commit, the second one is refused as a duplicate — and it is on record.
            logger.warning("audit intent write lost its connection, writing it again")
            try:
                with self._writing() as conn:
                    conn.execute(_INSERT_INTENT, row)
            except IntegrityError:
                return

    def intents(self) -> list[AuditIntent]:
        """Requests that left for the model and have no chained record yet."""
        with self._sessions() as session:
            return list(session.scalars(select(AuditIntent).order_by(AuditIntent.created_at)))

    def recover_intents(self, *, stale_after: timedelta = STALE_INTENT) -> int:
        """Chains every intent whose process is gone (or that is stale) as a failed,
        `interrupted` record; returns how many. Run when the service starts."""
        now = self._now()
        recovered = 0
        for intent in self.intents():
            created = as_utc(intent.created_at)
            if _alive(intent.owner) and now - created < stale_after:
                continue
            entry = AuditEntry.model_validate(intent.entry)
            entry.status = AuditStatus.FAILED
            entry.error_code = INTERRUPTED
            self.append(entry, settles_intent=True)
            recovered += 1
        return recovered

    def append(self, entry: AuditEntry, *, settles_intent: bool = False) -> AuditRecord:
        return AuditRecord(**self._chain(entry, settles_intent))

    def append_id(self, entry: AuditEntry, *, settles_intent: bool = False) -> int:
        """`append` for a caller that needs only the record's id: no ORM object is built
        (a quarter of an append's Python calls)."""
        return int(self._chain(entry, settles_intent)["id"])

    def _chain(self, entry: AuditEntry, settles_intent: bool) -> dict[str, Any]:
        """Chains `entry`; returns the stored row."""
        values = entry.model_dump(mode="json")
        try:
            with self._writing() as conn:
                # The row lock (PostgreSQL) / IMMEDIATE transaction (SQLite) is held until
                # commit, so no other process can read this head before we move it.
                head = conn.execute(_READ_HEAD).one()
                row: dict[str, Any] = {
                    **values,
                    "id": head.last_id + 1,
                    "created_at": self._now(),
                    "prev_hash": head.last_hash,
                }
                row["record_hash"] = record_hash(row)
                conn.execute(_INSERT_RECORD, row)
                conn.execute(_MOVE_HEAD, {"new_id": row["id"], "new_hash": row["record_hash"]})
                if settles_intent:
                    if self._intent_settle is not None:
                        self._intent_settle.run(conn, {"rid": entry.request_id})
                    else:
                        conn.execute(_SETTLE_INTENT, {"rid": entry.request_id})
            return row
        except Exception as exc:
            raise AuditError(f"監査ログを書き込めませんでした: {type(exc).__name__}") from exc

    @contextlib.contextmanager
    def _writing(self) -> Iterator[Connection]:
        """A write transaction under this process's lock (on SQLite, on the kept writer)."""
        with self._lock:
            if not self._keeps_writer:
                with write_transaction(self._engine) as conn:
                    yield conn
                return
            conn = self._writer or writer(self._engine)
            self._writer = None
            try:
                with conn.begin():
                    yield conn
            except BaseException:
                # A failed write may have left the connection unusable: the next write
                # starts from a fresh one.
                conn.close()
                raise
            self._writer = conn

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
                    created_at=self._now(),
                )
                session.add(record)
            return record
        except Exception as exc:
            raise AuditError(f"フィードバックを保存できませんでした: {type(exc).__name__}") from exc

    # -- reading ----------------------------------------------------------------------

    def records(self, *, limit: int | None = None) -> list[AuditRecord]:
        with self._sessions() as session:
            stmt = select(AuditRecord).order_by(AuditRecord.id)
            if limit is not None:
                stmt = stmt.limit(limit)
            return list(session.scalars(stmt))

    def get(self, record_id: int) -> AuditRecord | None:
        with self._sessions() as session:
            return session.get(AuditRecord, record_id)

    def feedback(self, *, audit_id: int | None = None) -> list[FeedbackRecord]:
        with self._sessions() as session:
            stmt = select(FeedbackRecord).order_by(FeedbackRecord.id)
            if audit_id is not None:
                stmt = stmt.where(FeedbackRecord.audit_id == audit_id)
            return list(session.scalars(stmt))

    def checkpoints(self) -> list[Checkpoint]:
        with self._sessions() as session:
            return list(session.scalars(select(Checkpoint).order_by(Checkpoint.id)))

    def count(self, flt: AuditFilter | None = None) -> int:
        flt = flt or AuditFilter()
        with self._engine.connect() as conn:
            return int(
                conn.scalar(select(func.count()).select_from(_TABLE).where(*flt.conditions())) or 0
            )

    def iter_records(
        self, flt: AuditFilter | None = None, *, batch_size: int = 1000
    ) -> Iterator[AuditRecordView]:
        """Matching records, oldest first, fetched `batch_size` at a time (a server-side
        cursor on PostgreSQL), so memory stays bounded for any number of records."""
        flt = flt or AuditFilter()
        stmt = select(*_COLUMNS).where(*flt.conditions()).order_by(AuditRecord.id)
        with self._engine.connect() as conn, conn.begin():
            result = conn.execute(stmt, execution_options={"yield_per": batch_size})
            for row in result:
                yield AuditRecordView.from_row(row)

    def search(
        self, flt: AuditFilter | None = None, *, limit: int = 50, cursor: str | None = None
    ) -> AuditPage:
        """One page of matching records, newest first. `next_cursor` fetches the next
        (older) page; None when this is the last one. Raises ValueError on a bad cursor."""
        flt = flt or AuditFilter()
        limit = max(1, min(limit, MAX_PAGE))
        stmt = select(*_COLUMNS).where(*flt.conditions())
        if cursor:
            stmt = stmt.where(after_cursor(cursor))
        stmt = stmt.order_by(AuditRecord.created_at.desc(), AuditRecord.id.desc()).limit(limit + 1)
        with self._engine.connect() as conn:
            rows = list(conn.execute(stmt))
        more = len(rows) > limit
        rows = rows[:limit]
        next_cursor = encode_cursor(rows[-1].created_at, rows[-1].id) if more and rows else None
        return AuditPage(
            records=[AuditRecordView.from_row(r) for r in rows], next_cursor=next_cursor
        )

    def stats(self, flt: AuditFilter | None = None, *, live: bool = False) -> AuditStats:
        """Usage counts of the matching records, for the console's charts. Complete past
        days come from the daily summary (filled here, lazily); today, days not yet
        summarised, and filters the summary cannot answer (user, text) are counted from
        the records. `live=True` counts everything from the records (the reference)."""
        flt = flt or AuditFilter()
        through = None if live or not can_answer(flt) else self.summarize()
        with self._engine.connect() as conn, conn.begin():
            if through is None or (flt.since is not None and flt.since > through):
                counts = self._live_counts(conn, flt)
            else:
                counts = summary_counts(conn, flt, through)
                if flt.until is None or flt.until > through:
                    rest = flt.model_copy(update={"since": through + timedelta(days=1)})
                    counts.add(self._live_counts(conn, rest))
        return AuditStats(
            total=sum(counts.by_status.values()),
            by_department=_sorted(counts.by_department),
            by_day=_sorted(counts.by_day),
            by_task=_sorted(counts.by_task),
            by_status=_sorted(counts.by_status),
            by_channel=_sorted(counts.by_channel),
            findings={k: _sorted(v) for k, v in counts.findings.items()},
        )

    def _live_counts(self, conn: Connection, flt: AuditFilter) -> Counts:
        where = flt.conditions()
        r = AuditRecord

        def grouped(column: Any) -> dict[str, int]:
            stmt = select(column, func.count()).where(*where).group_by(column)
            return {str(key): int(n) for key, n in conn.execute(stmt)}

        return Counts(
            by_department=grouped(r.department),
            by_day=grouped(jst_day_text(self.dialect)),
            by_task=grouped(r.task),
            by_status=grouped(r.status),
            by_channel=grouped(r.channel),
            findings=self._findings(conn, flt),
        )

    def _findings(self, conn: Connection, flt: AuditFilter) -> dict[str, dict[str, int]]:
        wanted = wanted_findings(flt)
        out: dict[str, dict[str, int]] = {s: {} for s in wanted}
        if not wanted:
            return out
        json_each = "json_each_text" if self.dialect == "postgresql" else "json_each"
        pairs = getattr(func, json_each)(AuditRecord.findings).table_valued("key", "value")
        stmt = (
            select(AuditRecord.status, pairs.c.key, func.sum(cast(pairs.c.value, Integer)))
            .select_from(_TABLE)
            .join(pairs, text("true"))
            .where(*flt.conditions(), AuditRecord.status.in_(wanted))
            .group_by(AuditRecord.status, pairs.c.key)
        )
        for status, key, total in conn.execute(stmt):
            out[str(status)][str(key)] = int(total or 0)
        return out

    def summarised_through(self) -> date | None:
        """The last JST day in the daily summary (None: none yet), without filling it."""
        with self._engine.connect() as conn:
            return read_state(conn)

    def summarize(self) -> date | None:
        """Brings the daily summary up to the last complete day; returns the day it now
        reaches (`stats()` does this itself; `yakuba audit summarize` does it ahead). A failure to write it (a read-only database, say) is logged, and the days
        already summarised are used: they stay correct, the rest is counted live."""
        target = complete_through(self._now(), self._summary_margin)
        try:
            with self._engine.connect() as conn:
                state = read_state(conn)
            while state is None or state < target:
                reached = self._fill_chunk(target)
                if reached is None or reached == state:
                    break
                state = reached
            return state
        except SQLAlchemyError as exc:
            logger.warning("audit daily summary not updated: %s", type(exc).__name__)
            with self._engine.connect() as conn:
                return read_state(conn)

    def _fill_chunk(self, target: date) -> date | None:
        # SQLite: one writer at a time anyway, so this process's threads queue on the
        # lock; PostgreSQL: appends go on beside it, purges and other fillers wait.
        guard = self._lock if self.dialect == "sqlite" else _NO_LOCK
        with guard, write_transaction(self._engine) as conn:
            if self.dialect == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_PURGE_LOCK})
            return fill_step(conn, target)

    def export(self, out: TextIO, fmt: ExportFormat, flt: AuditFilter | None = None) -> int:
        """Streams the matching records to `out` (CSV for Excel, or JSONL); returns the count."""
        return write_export(self.iter_records(flt), out, fmt)

    # -- tamper evidence ---------------------------------------------------------------

    def verify(self, progress: Progress | None = None) -> list[ChainBreak]:
        """Every place where the chain does not hold: an edited, deleted or inserted record,
        a missing tail, a forged or edited purge checkpoint. Empty = intact."""
        with self._snapshot() as conn:
            breaks, start_id, start_hash = self._verify_checkpoints(conn)
            stmt = select(*_COLUMNS).where(AuditRecord.id > 0).order_by(AuditRecord.id)
            rows = conn.execute(stmt, execution_options={"yield_per": _PROGRESS_EVERY})
            last_id, last_hash = self._walk(rows, start_id, start_hash, breaks, progress)
            head = conn.execute(
                select(ChainHead.last_id, ChainHead.last_hash).where(ChainHead.id == _HEAD_ID)
            ).first()
        if head is None:
            breaks.append(ChainBreak(last_id, "チェーンの先頭情報（audit_chain_head）がありません"))
        elif head.last_id > last_id:
            breaks.append(
                ChainBreak(
                    last_id + 1,
                    f"末尾の記録（ID {last_id + 1}〜{head.last_id}）が削除されています",
                )
            )
        elif head.last_id < last_id:
            breaks.append(
                ChainBreak(
                    head.last_id + 1,
                    f"チェーンに記帳されていない記録（ID {head.last_id + 1}〜{last_id}）が末尾に追加されています",
                )
            )
        elif head.last_hash != last_hash:
            breaks.append(ChainBreak(last_id, "末尾の記録がチェーンの先頭情報と一致しません"))
        return breaks

    @staticmethod
    def _walk(
        rows: Any,
        start_id: int,
        start_hash: str,
        breaks: list[ChainBreak],
        progress: Progress | None,
    ) -> tuple[int, str]:
        prev_id, prev = start_id, start_hash
        for n, row in enumerate(rows, start=1):
            data = row._mapping
            if data["id"] <= start_id:
                breaks.append(
                    ChainBreak(data["id"], "消去済みの範囲（チェックポイント以前）に記録があります")
                )
                continue
            if data["prev_hash"] != prev:
                breaks.append(
                    ChainBreak(
                        data["id"],
                        "直前の記録とのつながりが切れています（前の記録の削除、この記録の挿入、またはハッシュの書き換え）",
                    )
                )
            if record_hash(data) != data["record_hash"]:
                breaks.append(ChainBreak(data["id"], "記録の内容が書き換えられています"))
            prev_id, prev = data["id"], data["record_hash"]
            if progress is not None and n % _PROGRESS_EVERY == 0:
                progress(n)
        return prev_id, prev

    def _verify_checkpoints(self, conn: Connection) -> tuple[list[ChainBreak], int, str]:
        """Checks every checkpoint's signature and order; returns the breaks and where the
        remaining chain must start (the last checkpoint's id and hash)."""
        checkpoints = conn.execute(
            select(*Checkpoint.__table__.columns).order_by(Checkpoint.id)
        ).all()
        if not checkpoints:
            return [], 0, GENESIS
        breaks: list[ChainBreak] = []
        last = checkpoints[-1]
        first_after = last.last_purged_id + 1
        try:
            key = self._key()
        except AuditError as exc:
            return (
                [ChainBreak(first_after, exc.args[0], last.id)],
                last.last_purged_id,
                last.last_purged_hash,
            )
        prev_signature = ""
        prev_purged = 0
        for cp in checkpoints:
            expected = sign_checkpoint(
                key,
                created_at=cp.created_at,
                last_purged_id=cp.last_purged_id,
                last_purged_hash=cp.last_purged_hash,
                purged_count=cp.purged_count,
                prev_signature=cp.prev_signature,
            )
            if not signatures_match(expected, cp.signature):
                breaks.append(
                    ChainBreak(
                        cp.last_purged_id + 1,
                        f"チェックポイント {cp.id} の署名が一致しません（偽造または改ざん）",
                        cp.id,
                    )
                )
            if cp.prev_signature != prev_signature or cp.last_purged_id < prev_purged:
                breaks.append(
                    ChainBreak(
                        cp.last_purged_id + 1,
                        f"チェックポイント {cp.id} の前のチェックポイントが欠けているか、順序が乱れています",
                        cp.id,
                    )
                )
            prev_signature, prev_purged = cp.signature, cp.last_purged_id
        return breaks, last.last_purged_id, last.last_purged_hash

    # -- retention --------------------------------------------------------------------

    def purge_expired(self, retention_days: int, *, dry_run: bool = False) -> PurgeResult | None:
        """Applies the retention period; None when it is 0 (keep forever)."""
        if retention_days <= 0:
            return None
        return self.purge(self._now() - timedelta(days=retention_days), dry_run=dry_run)

    def purge(self, before: datetime, *, dry_run: bool = False) -> PurgeResult:
        """Deletes the oldest records — the longest prefix of the chain created before
        `before` — and their feedback, and leaves a signed checkpoint where the prefix
        ended. The prefix is verified first: a broken chain is not purged (the checkpoint
        would otherwise vouch for tampered records)."""
        # In UTC (naive = UTC): SQLite compares the stored UTC text with the bound value's
        # wall time, so a JST cutoff would be off by nine hours.
        before = as_utc(before)
        r = AuditRecord
        try:
            key = None if dry_run else self._key()
            with self._lock, write_transaction(self._engine) as conn:
                if self.dialect == "postgresql":
                    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_PURGE_LOCK})
                first_kept = conn.scalar(select(func.min(r.id)).where(r.created_at >= before))
                bound = select(func.max(r.id))
                if first_kept is not None:
                    bound = bound.where(r.id < first_kept)
                last_id = conn.scalar(bound)
                if last_id is None:
                    return PurgeResult(0, None, None, before, None, dry_run)
                first_id, count = conn.execute(
                    select(func.min(r.id), func.count()).where(r.id <= last_id)
                ).one()
                if dry_run:
                    return PurgeResult(int(count), first_id, last_id, before, None, True)
                assert key is not None
                breaks, start_id, start_hash = self._verify_checkpoints(conn)
                rows = conn.execute(
                    select(*_COLUMNS).where(r.id <= last_id).order_by(r.id),
                    execution_options={"yield_per": _PROGRESS_EVERY},
                )
                _, last_hash = self._walk(rows, start_id, start_hash, breaks, None)
                if breaks:
                    raise _BrokenChain(breaks[0])
                previous = conn.execute(
                    select(Checkpoint.signature).order_by(Checkpoint.id.desc()).limit(1)
                ).scalar()
                now = self._now()
                signature = sign_checkpoint(
                    key,
                    created_at=now,
                    last_purged_id=last_id,
                    last_purged_hash=last_hash,
                    purged_count=int(count),
                    prev_signature=previous or "",
                )
                newest: datetime = conn.execute(
                    select(func.max(r.created_at)).where(r.id <= last_id)
                ).scalar_one()
                conn.execute(delete(FeedbackRecord).where(FeedbackRecord.audit_id <= last_id))
                conn.execute(delete(AuditRecord).where(r.id <= last_id))
                # The summarised days that lost records are aggregated again, in the
                # same transaction: statistics never see the records gone and the
                # summary not.
                after_purge(conn, jst_day_of(newest))
                checkpoint_id = conn.execute(
                    insert(Checkpoint)
                    .values(
                        created_at=now,
                        last_purged_id=last_id,
                        last_purged_hash=last_hash,
                        purged_count=int(count),
                        prev_signature=previous or "",
                        signature=signature,
                    )
                    .returning(Checkpoint.id)
                ).scalar_one()
            return PurgeResult(int(count), first_id, last_id, before, checkpoint_id, False)
        except _BrokenChain as exc:
            raise AuditError(
                f"削除対象の記録（ID {exc.where.record_id}）で改ざんが検出されたため、削除しませんでした: {exc.where.reason}",
                code="audit_chain_broken",
            ) from None
        except AuditError:
            raise
        except Exception as exc:
            raise AuditError(f"監査ログを削除できませんでした: {type(exc).__name__}") from exc

    def _key(self) -> bytes:
        if self._signing_key:
            return self._signing_key
        if self._key_file is None:
            raise AuditError(
                "監査ログの署名鍵がありません（YAKUBA_AUDIT_SIGNING_KEY を設定してください）。",
                code="audit_no_signing_key",
            )
        self._signing_key = load_or_create_key(self._key_file)
        return self._signing_key

    # -- plumbing ---------------------------------------------------------------------

    def _snapshot(self) -> _Snapshot:
        return _Snapshot(self)

    def session(self) -> Session:
        return self._sessions()

    def ping(self) -> None:
        """Raises when the database does not answer (the service's readiness check)."""
        with self._engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    def close(self) -> None:
        with self._lock:
            if self._writer is not None:
                self._writer.close()
                self._writer = None
        if self._checkpointer is not None:
            self._checkpointer.close()
        self._engine.dispose()


class _BrokenChain(Exception):
    def __init__(self, where: ChainBreak) -> None:
        super().__init__(where.reason)
        self.where = where


class _Snapshot:
    """A read transaction that sees one state of the database from start to end (REPEATABLE
    READ on PostgreSQL; a WAL read transaction on SQLite), so a verify() running beside
    live writers compares the head and the records as of the same moment."""

    def __init__(self, store: AuditStore) -> None:
        self._store = store
        self._conn: Connection | None = None

    def __enter__(self) -> Connection:
        engine = self._store._engine
        conn = engine.connect()
        if engine.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        conn.begin()
        self._conn = conn
        return conn

    def __exit__(self, *exc: object) -> None:
        assert self._conn is not None
        self._conn.rollback()
        self._conn.close()


def _sorted(counts: dict[str, int]) -> dict[str, int]:
    # One order whatever the database's collation, and whichever part a key came from.
    return dict(sorted(counts.items()))


_NO_LOCK = contextlib.nullcontext()
