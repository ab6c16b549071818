"""The job table's rules for more than one runner (several service processes on one
PostgreSQL and Qdrant server): per document, one job at a time, in the order asked; a
runner that died is replaced — on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import update

from service.audit import AuditStore
from service.kb import KbAction, KbJobStatus, KbJobStore
from service.kb._models import KbJob
from service.leases import LEASE
from tests.service.test_audit_store import audit_url  # noqa: F401 - the parametrized fixture

WHO = {"user": "kanri", "department": "情報政策課", "role": "admin", "channel": "api"}


def _store(url: str, tmp_path: Path) -> KbJobStore:
    AuditStore(url, key_file=tmp_path / "k").close()  # the migrations, as the service runs them
    return KbJobStore(url)


def test_one_document_is_changed_by_one_runner_at_a_time_in_order(
    audit_url: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    a, b = _store(audit_url, tmp_path), KbJobStore(audit_url)  # two processes' stores
    try:
        first = a.create(action=KbAction.ADD, source="手引き.md", who=WHO, content=b"v1")
        second = a.create(action=KbAction.ADD, source="手引き.md", who=WHO, content=b"v2")
        other = a.create(action=KbAction.REMOVE, source="別の文書.md", who=WHO)
        assert a.claimable() == [first.id, other.id]  # the second waits for the first
        assert not b.claim(second.id, "host:1:b")  # nor can another process jump the queue
        assert a.claim(first.id, "host:1:a")
        assert not b.claim(first.id, "host:1:b")  # one claimant wins
        assert b.claimable() == [other.id]  # the document is busy
        assert b.claim(other.id, "host:1:b")  # other documents go on in parallel
        a.finish(
            first.id,
            "host:1:a",
            status=KbJobStatus.DONE,
            outcome="indexed",
            result={},
            message="",
            audit_id=1,
        )
        assert a.claimable() == [second.id]
        assert a.content(first.id) == b""  # the file is dropped once the job has run
        assert a.content(second.id) == b"v2"
        # A runner silent for longer than the lease (its process died elsewhere) is replaced.
        assert b.claim(second.id, "otherhost:7:dead")
        with a._sessions() as session, session.begin():
            session.execute(
                update(KbJob)
                .where(KbJob.id == second.id)
                .values(heartbeat_at=datetime.now(UTC) - LEASE - timedelta(seconds=1))
            )
        assert second.id in a.claimable() and a.claim(second.id, "host:1:a")
    finally:
        a.close()
        b.close()
