"""The public register in the audit database (SQLAlchemy 2; SQLite or PostgreSQL).

Every change — a document harvested or removed, a value revoked or restored — runs in
one write transaction that also bumps ``register_state.revision``; a process holding
the register in memory compares that number to reload only after a change
(``RegisterSync``).
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import Select, and_, delete, func, insert, or_, select, update
from sqlalchemy.engine import Connection, Engine

from guardrails import RegisterEntry

from ..audit._engine import write_transaction
from ..audit._migrate import open_migrated
from ..audit._time import jst_iso
from ..errors import AuditError, NotFoundError
from ._models import (
    MAX_LOCATOR_CHARS,
    MAX_SOURCE_CHARS,
    MAX_VALUE_CHARS,
    HarvestedDocument,
    RegisterRow,
    RegisterState,
    Revocation,
)
from ._views import EntryStatus, EntryView, RegisterChange, RegisterPage, RegisterQuery

_INSERT_BATCH = 1_000


def _now() -> datetime:
    return datetime.now(UTC)


class RegisterStore:
    """The persistent public register (see module)."""

    def __init__(self, url: str) -> None:
        # The audit package's migrations create these tables.
        self._engine: Engine = open_migrated(url, what="公開情報登録簿")

    def close(self) -> None:
        self._engine.dispose()

    # -- reading -----------------------------------------------------------------------------
    def revision(self) -> int:
        """Grows with every change (any process's)."""
        with self._engine.connect() as conn:
            return int(
                conn.scalar(select(RegisterState.revision).where(RegisterState.id == 1)) or 0
            )

    def snapshot(self) -> tuple[int, list[RegisterEntry]]:
        """The revision and every entry whose value is not revoked, read together."""
        query = (
            select(RegisterRow.kind, RegisterRow.key, RegisterRow.value)
            .add_columns(RegisterRow.source, RegisterRow.locator)
            .outerjoin(Revocation, _same_value())
            .where(Revocation.kind.is_(None))
            .distinct()
        )
        with self._engine.connect() as conn, conn.begin():
            revision = conn.scalar(select(RegisterState.revision).where(RegisterState.id == 1))
            rows = conn.execute(query).all()
        # Trusted rows (written through make_entry): built without re-validation, which
        # would cost seconds at 50,000 entries.
        entries = [
            RegisterEntry.model_construct(
                kind=kind, key=key, value=value, source=source, locator=locator or None
            )
            for kind, key, value, source, locator in rows
        ]
        return int(revision or 0), entries

    def harvested(self, source: str) -> str | None:
        with self._engine.connect() as conn:
            found = conn.scalar(
                select(HarvestedDocument.doc_hash).where(HarvestedDocument.source == source)
            )
        return str(found) if found is not None else None

    def search(self, query: RegisterQuery, *, limit: int = 50, offset: int = 0) -> RegisterPage:
        """A page of entries in a stable order (kind, value, document, place)."""
        selected = _filtered(
            select(
                RegisterRow.id,
                RegisterRow.kind,
                RegisterRow.value,
                RegisterRow.source,
                RegisterRow.locator,
                RegisterRow.created_at,
                Revocation.revoked_at,
                Revocation.revoked_by,
            ).outerjoin(Revocation, _same_value()),
            query,
        )
        counted = _filtered(
            select(func.count()).select_from(RegisterRow).outerjoin(Revocation, _same_value()),
            query,
        )
        page = selected.order_by(
            RegisterRow.kind,
            RegisterRow.key,
            RegisterRow.source,
            RegisterRow.locator,
            RegisterRow.id,
        )
        with self._engine.connect() as conn, conn.begin():
            total = int(conn.scalar(counted) or 0)
            rows = conn.execute(page.limit(limit).offset(offset)).all()
            counts = self._counts(conn)
        return RegisterPage(
            total=total,
            offset=offset,
            limit=limit,
            entries=[_view(row) for row in rows],
            counts=counts,
        )

    @staticmethod
    def _counts(conn: Connection) -> dict[str, dict[str, int]]:
        query = (
            select(RegisterRow.kind, Revocation.kind.is_not(None), func.count())
            .outerjoin(Revocation, _same_value())
            .group_by(RegisterRow.kind, Revocation.kind.is_not(None))
        )
        counts: dict[str, dict[str, int]] = defaultdict(lambda: {"active": 0, "revoked": 0})
        for kind, revoked, n in conn.execute(query):
            counts[kind]["revoked" if revoked else "active"] += int(n)
        return dict(sorted(counts.items()))

    # -- writing -----------------------------------------------------------------------------
    def replace_document(self, source: str, doc_hash: str, entries: Sequence[RegisterEntry]) -> int:
        """``entries`` are now all that ``source`` publishes; returns how many were kept
        (values too long for a column are left out)."""
        now = _now()
        rows = [
            {
                "kind": e.kind,
                "key": e.key,
                "value": e.value,
                "source": source,
                "locator": (e.locator or "")[:MAX_LOCATOR_CHARS],
                "created_at": now,
            }
            for e in entries
            if len(e.value) <= MAX_VALUE_CHARS and len(e.key) <= MAX_VALUE_CHARS
        ]
        _check_source(source)
        with write_transaction(self._engine) as conn:
            conn.execute(delete(RegisterRow).where(RegisterRow.source == source))
            for at in range(0, len(rows), _INSERT_BATCH):
                conn.execute(insert(RegisterRow), rows[at : at + _INSERT_BATCH])
            conn.execute(delete(HarvestedDocument).where(HarvestedDocument.source == source))
            conn.execute(
                insert(HarvestedDocument).values(source=source, doc_hash=doc_hash, harvested_at=now)
            )
            _bump(conn)
        return len(rows)

    def remove_document(self, source: str) -> int:
        """``source`` left the index; returns how many entries went with it."""
        with write_transaction(self._engine) as conn:
            gone = conn.execute(delete(RegisterRow).where(RegisterRow.source == source)).rowcount
            conn.execute(delete(HarvestedDocument).where(HarvestedDocument.source == source))
            _bump(conn)
        return int(gone or 0)

    def revoke(self, entry_id: int, *, by: str) -> RegisterChange:
        """Revoke the value of entry ``entry_id`` (in every document that publishes it):
        it no longer counts as public, now and after any re-ingest, until restored."""
        with write_transaction(self._engine) as conn:
            row = _entry(conn, entry_id)
            exists = conn.execute(
                select(Revocation.kind).where(
                    Revocation.kind == row.kind, Revocation.key == row.key
                )
            ).first()
            if exists is None:
                conn.execute(
                    insert(Revocation).values(
                        kind=row.kind,
                        key=row.key,
                        value=row.value,
                        revoked_at=_now(),
                        revoked_by=by[:256],
                    )
                )
                _bump(conn)
            return _change(conn, row, revoked=True, changed=exists is None)

    def restore(self, entry_id: int, *, by: str) -> RegisterChange:
        """Undo the revocation of entry ``entry_id``'s value (``by`` is for the log)."""
        del by  # the revocation row is the record; restoring removes it
        with write_transaction(self._engine) as conn:
            row = _entry(conn, entry_id)
            gone = conn.execute(
                delete(Revocation).where(Revocation.kind == row.kind, Revocation.key == row.key)
            ).rowcount
            if gone:
                _bump(conn)
            return _change(conn, row, revoked=False, changed=bool(gone))


def _same_value() -> Any:
    return and_(Revocation.kind == RegisterRow.kind, Revocation.key == RegisterRow.key)


_S = TypeVar("_S", bound=Select)  # type: ignore[type-arg]


def _filtered(statement: _S, query: RegisterQuery) -> _S:
    if query.kind:
        statement = statement.where(RegisterRow.kind == query.kind)
    if query.source:
        statement = statement.where(RegisterRow.source.contains(query.source, autoescape=True))
    if query.text:
        folded = "".join(unicodedata.normalize("NFKC", query.text).split())
        statement = statement.where(
            or_(
                RegisterRow.value.contains(query.text, autoescape=True),
                RegisterRow.key.contains(folded, autoescape=True),
                RegisterRow.key.contains(folded.casefold(), autoescape=True),
            )
        )
    if query.status is EntryStatus.ACTIVE:
        statement = statement.where(Revocation.kind.is_(None))
    elif query.status is EntryStatus.REVOKED:
        statement = statement.where(Revocation.kind.is_not(None))
    return statement


def _view(row: Any) -> EntryView:
    return EntryView(
        id=row.id,
        kind=row.kind,
        value=row.value,
        source=row.source,
        locator=row.locator,
        created_at=jst_iso(row.created_at),
        revoked=row.revoked_at is not None,
        revoked_at=jst_iso(row.revoked_at) if row.revoked_at is not None else None,
        revoked_by=row.revoked_by,
    )


def _entry(conn: Connection, entry_id: int) -> Any:
    row = conn.execute(
        select(RegisterRow.kind, RegisterRow.key, RegisterRow.value).where(
            RegisterRow.id == entry_id
        )
    ).first()
    if row is None:
        raise NotFoundError(
            f"公開情報登録簿に番号 {entry_id} の項目はありません（再取り込みで番号が変わった可能性があります）。",
            code="register_entry_not_found",
        )
    return row


def _change(conn: Connection, row: Any, *, revoked: bool, changed: bool) -> RegisterChange:
    places = conn.scalar(
        select(func.count())
        .select_from(RegisterRow)
        .where(RegisterRow.kind == row.kind, RegisterRow.key == row.key)
    )
    return RegisterChange(
        kind=row.kind, value=row.value, revoked=revoked, entries=int(places or 0), changed=changed
    )


def _bump(conn: Connection) -> None:
    conn.execute(
        update(RegisterState)
        .where(RegisterState.id == 1)
        .values(revision=RegisterState.revision + 1)
    )


def _check_source(source: str) -> None:
    if not source or len(source) > MAX_SOURCE_CHARS:
        raise AuditError(f"文書名が長すぎます（{MAX_SOURCE_CHARS} 文字まで）。")
