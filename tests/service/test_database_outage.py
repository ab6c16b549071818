"""The database going away under the service, on a real PostgreSQL server: a clear 503 with
Retry-After, nothing sent to the model off the record, and the audit intent written again
when its connection breaks under it. The restart of a whole server under load is
tests/fault/test_postgres_restart.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url

from service.api.errors import RETRY_AFTER_S
from service.audit import AuditStore
from service.auth import Role
from service.errors import AuditError
from tests.service.test_audit_store import entry, require_backend
from tests.utils.audit_scratch import admin_url, scratch_postgres
from tests.utils.llm_server import RecordingLLMServer

AppFactory = Any
QUESTION = "行政手続法で、申請に対する審査基準の公表はどう定められていますか"


@pytest.fixture
def database() -> Iterator[str]:
    require_backend("postgresql")
    with scratch_postgres() as url:
        yield url


def _drop(url: str) -> None:
    """The server loses the service's database: every connection to it fails."""
    admin = create_engine(admin_url(), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{make_url(url).database}" WITH (FORCE)'))
    finally:
        admin.dispose()


def test_requests_are_refused_with_503_and_retry_after_not_sent_to_the_model(
    make_client: AppFactory,
    llm_overrides: dict[str, object],
    llm_server: RecordingLLMServer,
    database: str,
) -> None:
    client = make_client(database_url=database, **llm_overrides)
    key = client.app.state.access.api_keys.create(user="bot", role=Role.STAFF).key
    keyed = {"Authorization": f"Bearer {key}"}
    assert client.post("/v1/ask", json={"question": QUESTION}, headers=keyed).status_code == 200
    llm_server.clear()
    _drop(database)
    # The API key cannot be looked up; the anonymous user's intent cannot be written.
    for headers, code, says in (
        (keyed, "database_unavailable", "データベースに接続できない"),
        ({}, "audit_error", "生成モデルに送らずに中止"),
    ):
        refused = client.post("/v1/ask", json={"question": QUESTION}, headers=headers)
        assert refused.status_code == 503, refused.text
        assert refused.headers["retry-after"] == str(RETRY_AFTER_S)
        detail = refused.json()["detail"]
        assert detail["code"] == code and says in detail["message"], detail
    chat = client.post(
        "/v1/chat/completions",
        json={"model": "yakuba", "messages": [{"role": "user", "content": "挨拶文を作って"}]},
    )
    assert chat.status_code == 503 and chat.headers["retry-after"] == str(RETRY_AFTER_S)
    assert chat.json()["error"]["code"] == "audit_error"  # OpenAI's shape
    assert llm_server.chat_requests == []


def test_an_intent_that_cannot_be_written_stops_the_request(database: str, tmp_path: Path) -> None:
    store = AuditStore(database, key_file=tmp_path / "k")
    try:
        _drop(database)
        with pytest.raises(AuditError, match="生成モデルに送らずに中止"):
            store.begin(entry(1))
    finally:
        store.close()


def test_an_intent_write_cut_by_the_server_is_written_again(database: str, tmp_path: Path) -> None:
    store = AuditStore(database, key_file=tmp_path / "k")
    admin = create_engine(admin_url(), isolation_level="AUTOCOMMIT")
    cut: list[int] = []

    def terminate_first_insert(conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        # The server ends this very connection as the intent is inserted (a restart).
        if statement.startswith("INSERT INTO audit_intents") and not cut:
            pid = conn.connection.dbapi_connection.info.backend_pid
            cut.append(pid)
            with admin.connect() as other:
                other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})

    event.listen(store._engine, "before_cursor_execute", terminate_first_insert)
    try:
        first = entry(1)
        store.begin(first)
        assert cut, "the connection was not cut"
        assert [i.request_id for i in store.intents()] == [first.request_id]
    finally:
        store.close()
        admin.dispose()
