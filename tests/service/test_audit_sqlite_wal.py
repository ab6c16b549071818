"""SQLite: commits never pay for a WAL checkpoint; a background thread does it.

A checkpoint is observed through the log file: once every frame is copied into the
database, the next writer starts the log over, so it stops growing."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

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


class _CountingCheckpointer(WalCheckpointer):
    """Counts finished checkpoints, so the test waits for the thread's work rather than for
    a fixed time (a fixed 0.5 s failed once under a load of 14 on two cores)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.done = 0
        super().__init__(*args, **kwargs)

    def checkpoint(self) -> None:
        super().checkpoint()
        self.done += 1

    def wait_for_rounds(self, rounds: int, *, timeout_s: float = 30.0) -> None:
        target = self.done + rounds
        deadline = time.monotonic() + timeout_s
        while self.done < target and time.monotonic() < deadline:
            time.sleep(0.02)
        assert self.done >= target, "the checkpoint thread did not run"


def test_the_thread_checkpoints_on_its_own_and_stops_on_close(tmp_path: Path) -> None:
    db = tmp_path / "audit.sqlite3"
    wal = Path(f"{db}-wal")
    store = AuditStore(f"sqlite:///{db}", key_file=tmp_path / "k")
    checkpointer = _CountingCheckpointer(store._engine, interval_s=0.05)
    try:
        checkpointer.wait_for_rounds(1)
        _append(store, 0, 40)
        first = wal.stat().st_size
        # Two rounds: the first may have begun before the last append committed.
        checkpointer.wait_for_rounds(2)
        _append(store, 40, 40)
        assert wal.stat().st_size < first * 1.5
    finally:
        checkpointer.close()
        store.close()
    assert not checkpointer._thread.is_alive()
