"""Quotas and rate limits: per user and department, SQL counters, Japanese 429s."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ingest import Embedder
from service.auth import (
    AccessControl,
    AuthMethod,
    Credentials,
    Principal,
    QuotaExceededError,
    QuotaLimits,
)
from service.auth.db import open_engine
from service.auth.quota import QuotaManager
from service.auth.ratelimit import MinuteRateLimiter
from service.auth.usage import Counter, UsageStore
from service.settings import Settings
from tests.utils.llm_server import RecordingLLMServer

from .test_auth_support import bearer, jwt_settings, start, token

QUESTION = "行政手続法で、申請に対する審査基準の公表はどう定められていますか"


def _principal(user: str = "tanaka", department: str = "総務課") -> Principal:
    return Principal(user=user, department=department, method=AuthMethod.JWT)


class _Clock:
    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


@pytest.fixture
def usage(tmp_path: Path) -> UsageStore:
    return UsageStore(open_engine(f"sqlite:///{tmp_path / 'usage.sqlite3'}"))


def test_daily_user_quota_refuses_in_japanese_until_jst_midnight(usage: UsageStore) -> None:
    # 2026-11-23 23:00 JST = 14:00 UTC: one hour to go.
    clock = _Clock(datetime(2026, 11, 23, 14, 0, tzinfo=UTC))
    quota = QuotaManager(usage, QuotaLimits(user_requests_per_day=3), clock=clock)
    for _ in range(3):
        quota.admit(_principal())
    with pytest.raises(QuotaExceededError) as refused:
        quota.admit(_principal())
    assert str(refused.value).startswith("本日の利用上限（3 回）に達しました。")
    assert refused.value.retry_after_s == 3600
    # The refusal was not counted; another user is unaffected; a new JST day starts over.
    assert usage.get(Counter("user", "tanaka", "2026-11-23")).requests == 3
    quota.admit(_principal("suzuki"))
    clock.moment = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)  # 00:00 JST on the 24th
    quota.admit(_principal())


def test_department_quota_counts_everyone_in_it(usage: UsageStore) -> None:
    quota = QuotaManager(usage, QuotaLimits(department_requests_per_day=2))
    quota.admit(_principal("a"))
    quota.admit(_principal("b"))
    with pytest.raises(QuotaExceededError, match="所属（総務課）の本日の利用上限（2 回）"):
        quota.admit(_principal("c"))
    quota.admit(_principal("d", department="市民課"))
    # Nothing counted for c in either scope.
    status = quota.status(_principal("c"))
    assert status.user.requests_today == 0
    assert status.department is not None and status.department.requests_today == 2


def test_monthly_tokens(usage: UsageStore) -> None:
    clock = _Clock(datetime(2026, 11, 30, 15, 0, tzinfo=UTC))  # 2026-12-01 00:00 JST
    quota = QuotaManager(
        usage,
        QuotaLimits(user_tokens_per_month=1000, department_tokens_per_month=5000),
        clock=clock,
    )
    quota.admit(_principal())
    quota.record_tokens("tanaka", "総務課", 999)
    quota.admit(_principal())
    quota.record_tokens("tanaka", "総務課", 1)
    with pytest.raises(QuotaExceededError, match="今月の利用上限（1,000 トークン）") as refused:
        quota.admit(_principal())
    assert refused.value.code == "token_quota_exceeded"
    assert refused.value.retry_after_s == 31 * 86400
    quota.record_tokens("suzuki", "総務課", 4000)
    with pytest.raises(QuotaExceededError, match="所属（総務課）の今月の利用上限"):
        quota.admit(_principal("sato"))


def test_rate_limiter_window() -> None:
    now = [1000.0]
    limiter = MinuteRateLimiter(2, clock=lambda: now[0])
    assert limiter.acquire("u") == 0 and limiter.acquire("u") == 0
    assert limiter.acquire("u") == pytest.approx(60.0)
    assert limiter.acquire("other") == 0
    now[0] += 30
    assert limiter.acquire("u") == pytest.approx(30.0)
    now[0] += 30
    assert limiter.acquire("u") == 0
    assert MinuteRateLimiter(0).acquire("u") == 0  # 0 = unlimited


def test_unlimited_by_zero(usage: UsageStore) -> None:
    quota = QuotaManager(usage, QuotaLimits())
    for _ in range(50):
        quota.admit(_principal())
    assert quota.status(_principal()).user.requests_today == 50


@pytest.fixture
def quota_client(
    settings: Settings, warm_embedder: Embedder, tmp_path: Path, llm_server: RecordingLLMServer
) -> Iterator[TestClient]:
    client = start(
        jwt_settings(
            settings,
            tmp_path,
            quota_user_requests_per_day=2,
            rate_limit_per_minute=0,
            llm_base_url=llm_server.base_url,
            llm_model="test-model",
            llm_max_retries=0,
        ),
        warm_embedder,
    )
    yield client
    client.__exit__(None, None, None)


def test_http_429_with_retry_after_and_tokens_counted(quota_client: TestClient) -> None:
    headers = bearer(token("kato", roles=["staff"], department="市民課"))
    for _ in range(2):
        ok = quota_client.post("/v1/ask", json={"question": QUESTION}, headers=headers)
        assert ok.status_code == 200, ok.text
    refused = quota_client.post("/v1/ask", json={"question": QUESTION}, headers=headers)
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) > 0
    detail = refused.json()["detail"]
    assert detail["code"] == "quota_exceeded"
    assert detail["message"].startswith("本日の利用上限（2 回）に達しました。")
    # Only requests that use the assistant count: /v1/me and /v1/models still work.
    me = quota_client.get("/v1/me", headers=headers).json()
    assert quota_client.get("/v1/models", headers=headers).status_code == 200
    assert me["quota"]["user"]["requests_today"] == 2
    assert me["quota"]["user"]["requests_per_day"] == 2
    # The model's tokens of the two answers were added to the user's and department's month.
    assert me["quota"]["user"]["tokens_this_month"] > 0
    assert (
        me["quota"]["department"]["tokens_this_month"] == me["quota"]["user"]["tokens_this_month"]
    )


def test_http_rate_limit(settings: Settings, warm_embedder: Embedder, tmp_path: Path) -> None:
    client = start(jwt_settings(settings, tmp_path, rate_limit_per_minute=1), warm_embedder)
    try:
        headers = bearer(token("ito", roles=["staff"]))
        body = {"model": "yakuba-rag", "messages": [{"role": "user", "content": QUESTION}]}
        assert client.post("/v1/chat/completions", json=body, headers=headers).status_code == 200
        refused = client.post("/v1/chat/completions", json=body, headers=headers)
        assert refused.status_code == 429
        error = refused.json()["error"]  # OpenAI's shape on its path
        assert error["code"] == "rate_limited" and error["type"] == "rate_limit_error"
        assert "1 分あたり 1 回まで" in error["message"]
        assert 0 < int(refused.headers["retry-after"]) <= 60
    finally:
        client.__exit__(None, None, None)


def test_local_user_of_none_mode_is_not_metered(settings: Settings, tmp_path: Path) -> None:
    access = AccessControl(
        settings.model_copy(update={"quota_user_requests_per_day": 1, "rate_limit_per_minute": 1})
    )
    try:
        local = access.authenticate(Credentials(client_host="127.0.0.1", headers={}))
        assert local.method is AuthMethod.NONE and local.role == "admin"
        for _ in range(5):
            access.admit(local)
    finally:
        access.close()
