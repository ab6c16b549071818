"""Failed sign-ins leave audit records — each kind, without the token, key or secret — and a
client that keeps failing cannot flood the log."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from ingest import Embedder
from service.audit import AuditFilter, AuditRecord, AuditStatus, AuditStore
from service.auth import Role
from service.auth.db import api_keys
from service.auth.errors import SignInFailure
from service.auth.failures import SUPPRESSED_CODE, SignInAuditor
from service.settings import Settings

from .test_auth_support import STRANGER_KEY, bearer, jwt_settings, start, token

SECRET = "proxy-shared-secret-0123456789"


@pytest.fixture
def jwt_client(
    indexed_data_dir: Path, tmp_path: Path, warm_embedder: Embedder
) -> Iterator[TestClient]:
    tmp = tmp_path
    settings = jwt_settings(
        Settings(data_dir=indexed_data_dir), tmp, auth_failure_audit_per_minute=1000
    )
    client = start(settings, warm_embedder)
    yield client
    client.__exit__(None, None, None)


def _store(client: TestClient) -> AuditStore:
    store: AuditStore = client.app.state.runtime.audit  # type: ignore[attr-defined]
    return store


def _record(client: TestClient, response_body: dict[str, object]) -> AuditRecord:
    detail = response_body["detail"]
    assert isinstance(detail, dict)
    audit_id = detail["audit_id"]
    assert isinstance(audit_id, int)
    record = _store(client).get(audit_id)
    assert record is not None
    assert record.status == AuditStatus.FAILED and record.task == "auth"
    assert record.prompt == "" and record.findings == {}
    return record


def _dump(record: AuditRecord) -> str:
    return json.dumps(record.as_dict(), ensure_ascii=False, default=str)


def _refused(client: TestClient, headers: dict[str, str], status: int = 401) -> AuditRecord:
    response = client.get("/v1/me", headers=headers)
    assert response.status_code == status, response.text
    return _record(client, response.json())


def test_forged_token(jwt_client: TestClient) -> None:
    forged = token("tanaka", key=STRANGER_KEY)
    record = _refused(jwt_client, bearer(forged))
    assert record.error_code == "auth_token_invalid"
    # The name in a forged token is not believed: it is not the record's user.
    assert record.user == "" and "名乗った利用者（未確認）: tanaka" in record.answer
    assert record.channel == "api" and len(record.request_id) == 32
    for part in forged.split("."):
        assert part not in _dump(record)


def test_garbage_token(jwt_client: TestClient) -> None:
    record = _refused(jwt_client, bearer("not-a-jwt-at-all"))
    assert record.error_code == "auth_token_invalid"
    assert "not-a-jwt" not in _dump(record)


def test_wrong_audience(jwt_client: TestClient) -> None:
    record = _refused(jwt_client, bearer(token("sato", audience="another-app")))
    assert record.error_code == "auth_token_invalid" and record.user == ""


def test_expired_token_names_its_verified_user(jwt_client: TestClient) -> None:
    expired = token("tanaka", expires_in=-3600)
    response = jwt_client.get("/v1/me", headers={**bearer(expired), "X-Yakuba-Client": "web"})
    assert response.json()["detail"]["code"] == "token_expired"
    record = _record(jwt_client, response.json())
    assert record.error_code == "auth_token_expired"
    assert (record.user, record.department, record.channel) == ("tanaka", "総務課", "web")
    assert expired.split(".")[2] not in _dump(record)


def test_token_without_user(jwt_client: TestClient) -> None:
    record = _refused(jwt_client, bearer(token("", department=None)))
    assert record.error_code == "auth_token_no_user"


def test_wrong_api_key(jwt_client: TestClient) -> None:
    access = jwt_client.app.state.access  # type: ignore[attr-defined]
    created = access.api_keys.create(user="faq-bot", role=Role.STAFF, channel="batch")
    key_id = created.info.key_id
    wrong = created.key[:-4] + ("AAAA" if not created.key.endswith("AAAA") else "BBBB")
    record = _refused(jwt_client, bearer(wrong))
    assert record.error_code == "auth_api_key_invalid"
    assert f"API キー ID: {key_id}" in record.answer and record.user == ""
    secret = wrong.removeprefix(f"ykb_{key_id}_")
    assert secret not in _dump(record) and created.key[-20:] not in _dump(record)
    # Malformed: no id to name.
    record = _refused(jwt_client, bearer("ykb_short"))
    assert record.error_code == "auth_api_key_invalid" and "ykb_short" not in _dump(record)


def test_revoked_and_expired_api_keys(jwt_client: TestClient) -> None:
    access = jwt_client.app.state.access  # type: ignore[attr-defined]
    revoked = access.api_keys.create(
        user="old-bot", role=Role.STAFF, department="広報課", channel="slack"
    )
    access.api_keys.revoke(revoked.info.key_id)
    record = _refused(jwt_client, bearer(revoked.key))
    assert record.error_code == "auth_api_key_revoked"
    assert (record.user, record.department, record.channel) == ("old-bot", "広報課", "slack")
    assert revoked.key.split("_", 2)[2] not in _dump(record)

    expired = access.api_keys.create(user="batch", role=Role.STAFF, channel="batch")
    with access.engine.begin() as conn:
        conn.execute(
            update(api_keys)
            .where(api_keys.c.key_id == expired.info.key_id)
            .values(expires_at=datetime.now(UTC) - timedelta(days=1))
        )
    record = _refused(jwt_client, bearer(expired.key))
    assert record.error_code == "auth_api_key_expired" and record.user == "batch"


def test_no_credentials_is_not_an_attempt(jwt_client: TestClient) -> None:
    before = _store(jwt_client).count()
    response = jwt_client.get("/v1/me")
    assert response.status_code == 401 and response.json()["detail"]["audit_id"] is None
    assert _store(jwt_client).count() == before


def test_console_finds_them(jwt_client: TestClient) -> None:
    _refused(jwt_client, bearer("still-not-a-jwt"))
    store = _store(jwt_client)
    flt = AuditFilter(status=AuditStatus.FAILED, task="auth")
    page = store.search(flt)
    assert page.records and all(r.error_code.startswith("auth_") for r in page.records)
    assert store.stats(flt).by_task == {"auth": store.count(flt)}


# -- trusted-proxy and `none` modes ---------------------------------------------------


@pytest.fixture
def proxy_app(
    indexed_data_dir: Path, tmp_path: Path, warm_embedder: Embedder
) -> Iterator[dict[str, TestClient]]:
    tmp = tmp_path
    settings = Settings(
        data_dir=indexed_data_dir,
        database_url=f"sqlite:///{tmp / 'audit.sqlite3'}",
        auth_mode="header",  # type: ignore[arg-type]
        auth_trusted_proxies="10.0.0.0/24",
        auth_proxy_secret=SECRET,  # type: ignore[arg-type]
    )
    proxy = start(settings, warm_embedder, client=("10.0.0.5", 40000))
    outsider = TestClient(proxy.app, client=("10.0.1.9", 40000))
    yield {"proxy": proxy, "outsider": outsider}
    proxy.__exit__(None, None, None)


def test_identity_headers_from_outside_the_proxy(proxy_app: dict[str, TestClient]) -> None:
    outsider = proxy_app["outsider"]
    headers = {"X-Yakuba-User": "kacho\r\nforged line", "X-Yakuba-Proxy-Secret": SECRET}
    record = _refused(outsider, headers)
    assert record.error_code == "auth_untrusted_proxy" and record.user == ""
    assert "接続元: 10.0.1.9" in record.answer
    assert "名乗った利用者（未確認）: kacho??forged line" in record.answer
    assert SECRET not in _dump(record)
    # Without identity headers it is a visitor who has not signed in: no record.
    response = outsider.get("/v1/me")
    assert response.status_code == 401 and response.json()["detail"]["audit_id"] is None


def test_wrong_proxy_secret(proxy_app: dict[str, TestClient]) -> None:
    proxy = proxy_app["proxy"]
    wrong = SECRET[:-3] + "xyz"
    record = _refused(proxy, {"X-Yakuba-User": "tanaka", "X-Yakuba-Proxy-Secret": wrong})
    assert record.error_code == "auth_proxy_secret"
    assert wrong not in _dump(record) and SECRET not in _dump(record)
    record = _refused(proxy, {"X-Yakuba-Proxy-Secret": SECRET})
    assert record.error_code == "auth_proxy_no_user"


def test_none_mode_from_another_machine(settings: Settings, warm_embedder: Embedder) -> None:
    client = start(settings, warm_embedder, client=("203.0.113.7", 50000))
    try:
        record = _refused(client, {}, status=403)
        assert record.error_code == "auth_not_local" and "203.0.113.7" in record.answer
    finally:
        client.__exit__(None, None, None)


# -- flooding ------------------------------------------------------------------------


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def store(tmp_path: Path) -> Iterator[AuditStore]:
    s = AuditStore(f"sqlite:///{tmp_path / 'audit.sqlite3'}")
    yield s
    s.close()


def _fail(auditor: SignInAuditor, store: AuditStore, client: str) -> int | None:
    failure = SignInFailure("auth_token_invalid")
    return auditor.record(store, failure, message="無効", client=client, channel="api")


def _summaries(store: AuditStore) -> list[str]:
    page = store.search(AuditFilter(task="auth"), limit=500)
    return [r.answer for r in page.records if r.error_code == SUPPRESSED_CODE]


def test_one_address_cannot_flood(store: AuditStore) -> None:
    clock = FakeClock()
    auditor = SignInAuditor(3, clock=clock)
    ids = [_fail(auditor, store, "198.51.100.1") for _ in range(500)]
    assert sum(i is not None for i in ids) == 3 and store.count() == 3
    # Another address still gets its own records.
    assert _fail(auditor, store, "198.51.100.2") is not None
    # A minute later: the left-out 497 are summarised in one record, counting resumes.
    clock.now += 61
    assert _fail(auditor, store, "198.51.100.1") is not None
    assert store.count() == 3 + 1 + 1 + 1
    (summary,) = _summaries(store)
    assert "198.51.100.1" in summary and "497 件" in summary


def test_many_addresses_share_a_global_bound(store: AuditStore) -> None:
    clock = FakeClock()
    auditor = SignInAuditor(1, clock=clock)  # 10 a minute in all
    for n in range(200):
        _fail(auditor, store, f"2001:db8::{n:x}")
    assert store.count() == 10
    assert auditor.pending()
    auditor.flush(store)
    assert not auditor.pending()
    (summary,) = _summaries(store)
    assert "190 件" in summary and "全接続元" in summary


def test_tracked_addresses_are_bounded(store: AuditStore, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("service.auth.failures.MAX_CLIENTS", 5)
    auditor = SignInAuditor(100, clock=FakeClock())
    for n in range(50):
        _fail(auditor, store, f"192.0.2.{n}")
    assert len(auditor._clients) <= 6  # five addresses and the shared bucket


def test_zero_turns_it_off(store: AuditStore) -> None:
    auditor = SignInAuditor(0)
    assert _fail(auditor, store, "192.0.2.1") is None and store.count() == 0


def test_flooding_through_the_api(
    settings: Settings, tmp_path: Path, warm_embedder: Embedder
) -> None:
    flood = jwt_settings(settings, tmp_path, auth_failure_audit_per_minute=2)
    client = start(flood, warm_embedder)
    try:
        bodies = [client.get("/v1/me", headers=bearer(f"bad-{n}")).json() for n in range(20)]
        ids = [b["detail"]["audit_id"] for b in bodies]
        assert sum(i is not None for i in ids) == 2
        assert _store(client).count(AuditFilter(task="auth")) == 2
    finally:
        client.__exit__(None, None, None)
    # Shutting the app down summarises the 18 left out.
    reopened = AuditStore(flood.audit_database_url)
    try:
        (summary,) = _summaries(reopened)
        assert "18 件" in summary
    finally:
        reopened.close()
