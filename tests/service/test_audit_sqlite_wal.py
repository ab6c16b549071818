"""SQLite: commits never pay for a WAL checkpoint; a background thread does it.

A checkpoint is observed through the log file: once every frame is copied into the
database, the next writer starts the log over, so it stops growing."""

from __future__ import annotations

import time
from pathlib import Path

from service.audit import AuditStore
from service.audit._engine import WalCheckpointer
from tests.service.test_audit_store import entry


def _append(store: AuditStore, start: int, count: int) -> None:
    for n in range(start, start + count):
        store.append(entry(n))


def test_commits_do_not_checkpoint_and_the_checkpointer_does(tmp_path: Path) -> None:
    db = tmp_path / "audit.sqlite3"
    wal = Path(f"{db}-wal")
    store = AuditStore(f"sqlite:///{db}", key_file=tmp_path / "k")
    try:
        with store._engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 0
        assert store._checkpointer is not None
        store._checkpointer.checkpoint()
        _append(store, 0, 40)
        first = wal.stat().st_size
        store._checkpointer.checkpoint()
        _append(store, 40, 40)
        # The log started over after the checkpoint (without one it would double).
        assert wal.stat().st_size < first * 1.5
    finally:
        store.close()
    reopened = AuditStore(f"sqlite:///{db}", key_file=tmp_path / "k")
    try:
        assert len(reopened.records()) == 80 and reopened.verify() == []
    finally:
        reopened.close()


def test_the_thread_checkpoints_on_its_own_and_stops_on_close(tmp_path: Path) -> None:
    db = tmp_path / "audit.sqlite3"
    wal = Path(f"{db}-wal")
    store = AuditStore(f"sqlite:///{db}", key_file=tmp_path / "k")
    checkpointer = WalCheckpointer(store._engine, interval_s=0.05)
    try:
        time.sleep(0.3)
        _append(store, 0, 40)
        first = wal.stat().st_size
        time.sleep(0.5)
        _append(store, 40, 40)
        assert wal.stat().st_size < first * 1.5
    finally:
        checkpointer.close()
        store.close()
    assert not checkpointer._thread.is_alive()
