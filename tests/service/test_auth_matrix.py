"""The authorization matrix: every endpoint × every kind of caller → the expected status,
against the real app in JWT mode (tokens signed by a test RSA key whose JWKS is a file)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ingest import Embedder
from service.auth import AccessControl, Role
from service.settings import Settings
from tests.utils.llm_server import RecordingLLMServer

from .test_auth_support import STRANGER_KEY, bearer, jwt_settings, start, token

QUESTION = "行政手続法で、申請に対する審査基準の公表はどう定められていますか"
TEXT = "本市では、令和7年度から窓口の受付時間を延長します。詳しくは市民課までお問い合わせください。"

# (method, path, request keyword arguments, permission or None = open, status when allowed)
Endpoint = tuple[str, str, dict[str, Any], str | None, int]
ENDPOINTS: list[Endpoint] = [
    ("GET", "/healthz", {}, None, 200),
    ("GET", "/", {}, None, 200),
    ("GET", "/docs", {}, None, 200),
    ("GET", "/openapi.json", {}, None, 200),
    ("GET", "/v1/me", {}, "any", 200),
    ("GET", "/v1/models", {}, "chat", 200),
    (
        "POST",
        "/v1/chat/completions",
        {"json": {"model": "yakuba-rag", "messages": [{"role": "user", "content": QUESTION}]}},
        "chat",
        200,
    ),
    (
        "POST",
        "/v1/chat/completions/preview",
        {"json": {"model": "yakuba", "messages": [{"role": "user", "content": TEXT}]}},
        "chat",
        200,
    ),
    ("POST", "/v1/ask", {"json": {"question": QUESTION}}, "ask", 200),
    ("POST", "/v1/tasks/draft", {"json": {"kind": "お知らせ", "instructions": TEXT}}, "tasks", 200),
    ("POST", "/v1/tasks/summarize", {"json": {"text": TEXT}}, "tasks", 200),
    ("POST", "/v1/tasks/summarize/preview", {"json": {"text": TEXT}}, "tasks", 200),
    (
        "POST",
        "/v1/tasks/summarize/file",
        {"files": {"file": ("memo.txt", TEXT.encode(), "text/plain")}},
        "tasks",
        200,
    ),
    (
        "POST",
        "/v1/tasks/summarize/file/preview",
        {"files": {"file": ("memo.txt", TEXT.encode(), "text/plain")}},
        "tasks",
        200,
    ),
    ("POST", "/v1/tasks/translate", {"json": {"text": TEXT, "target": "en"}}, "tasks", 200),
    ("POST", "/v1/tasks/proofread", {"json": {"text": TEXT}}, "tasks", 200),
    ("POST", "/v1/tasks/faq", {"json": {"question": QUESTION}}, "tasks", 200),
    # No such record: the staff member may send feedback, but on nothing → 404.
    ("POST", "/v1/feedback", {"json": {"audit_id": 999_999, "rating": "up"}}, "feedback", 404),
    ("GET", "/v1/admin/apikeys", {}, "apikeys", 200),
    (
        "POST",
        "/v1/admin/apikeys",
        {"json": {"user": "faq-bot", "role": "staff", "channel": "batch"}},
        "apikeys",
        201,
    ),
    ("DELETE", "/v1/admin/apikeys/0000000000000000", {}, "apikeys", 404),
    # The bots' chat users (service/api/routes/admin_chat_users.py): apikeys:manage.
    ("GET", "/v1/admin/chat-users", {}, "apikeys", 200),
    ("GET", "/v1/admin/chat-users/slack/U_NOBODY", {}, "apikeys", 404),
    (
        "PUT",
        "/v1/admin/chat-users/slack/U_NOBODY",
        {"json": {"user": "nobody", "department": "総務課"}},
        "apikeys",
        404,
    ),
    ("DELETE", "/v1/admin/chat-users/teams/aad-nobody", {}, "apikeys", 404),
    # The administrators' console and its API (service/api/routes/admin_audit.py).
    ("GET", "/admin/", {}, None, 200),
    ("GET", "/v1/admin/audit/records?status=blocked&limit=5", {}, "audit_read", 200),
    ("GET", "/v1/admin/audit/records/999999", {}, "audit_read", 404),
    ("GET", "/v1/admin/audit/stats", {}, "audit_read", 200),
    ("GET", "/v1/admin/audit/verify", {}, "audit_read", 200),
    ("GET", "/v1/admin/audit/export?format=csv", {}, "audit_export", 200),
    ("GET", "/v1/admin/audit/export?format=jsonl", {}, "audit_export", 200),
    ("GET", "/v1/admin/usage", {}, "usage", 200),
    ("GET", "/v1/history", {}, "history", 200),
    # Bulk FAQ jobs (service/api/routes/faq.py): faq:bulk.
    ("GET", "/faq/", {}, None, 200),
    ("GET", "/v1/faq/jobs", {}, "faq", 200),
    ("GET", "/v1/faq/jobs/0000000000000000", {}, "faq", 404),
    # Knowledge-base updates (service/api/routes/documents.py): documents:manage.
    ("GET", "/v1/admin/documents", {}, "documents", 200),
    ("GET", "/v1/admin/documents/jobs", {}, "documents", 200),
    ("DELETE", "/v1/admin/documents?source=ない文書.md", {}, "documents", 404),
    (
        "POST",
        "/v1/admin/documents",
        {"files": {"file": ("空.txt", b"", "text/plain")}},
        "documents",
        400,
    ),
]

# What each role may do (service.auth.roles), in the matrix's terms.
ALLOWED: dict[str, set[str]] = {
    "staff": {"any", "chat", "ask", "tasks", "feedback", "history"},
    "faq_editor": {"any", "chat", "ask", "tasks", "feedback", "history", "faq"},
    "auditor": {"any", "audit_read", "audit_export", "usage", "history"},
    "admin": {
        "any",
        "chat",
        "ask",
        "tasks",
        "feedback",
        "apikeys",
        "audit_read",
        "audit_export",
        "usage",
        "history",
        "faq",
        "documents",
    },
    "api_key_staff": {"any", "chat", "ask", "tasks", "feedback", "history"},
}
UNAUTHENTICATED = ["anonymous", "invalid_token", "expired_token", "hs256_token", "revoked_key"]
CALLERS = [*ALLOWED, *UNAUTHENTICATED]


@pytest.fixture(scope="module")
def llm() -> Iterator[RecordingLLMServer]:
    with RecordingLLMServer() as server:
        yield server


@pytest.fixture(scope="module")
def matrix(
    indexed_data_dir: Path,
    warm_embedder: Embedder,
    tmp_path_factory: pytest.TempPathFactory,
    llm: RecordingLLMServer,
) -> Iterator[tuple[TestClient, dict[str, dict[str, str]]]]:
    tmp = tmp_path_factory.mktemp("matrix")
    settings = jwt_settings(
        Settings(data_dir=indexed_data_dir),
        tmp,
        llm_base_url=llm.base_url,
        llm_model="test-model",
        llm_max_retries=0,
    )
    client = start(settings, warm_embedder)
    access: AccessControl = client.app.state.access  # type: ignore[attr-defined]
    staff_key = access.api_keys.create(user="bot", role=Role.STAFF, channel="batch").key
    revoked = access.api_keys.create(user="old-bot", role=Role.ADMIN)
    access.api_keys.revoke(revoked.info.key_id)
    headers = {
        "staff": bearer(token("s-staff", roles=["staff"])),
        "faq_editor": bearer(token("s-faq", roles=["faq_editor"])),
        "auditor": bearer(token("s-audit", roles=["auditor"])),
        "admin": bearer(token("s-admin", roles=["admin"])),
        "api_key_staff": bearer(staff_key),
        "anonymous": {},
        "invalid_token": bearer(token("s-x", roles=["admin"], key=STRANGER_KEY)),
        "expired_token": bearer(token("s-x", roles=["admin"], expires_in=-3600)),
        "hs256_token": bearer(_hs256_with_public_key()),
        "revoked_key": bearer(revoked.key),
    }
    yield client, headers
    client.__exit__(None, None, None)


def _hs256_with_public_key() -> str:
    # The classic confusion attack: HMAC-"sign" with the public key the server trusts.
    import base64
    import hmac
    import json

    from cryptography.hazmat.primitives import serialization

    from .test_auth_support import AUDIENCE, ISSUER, RSA_KEY

    pem = RSA_KEY.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    header = b64(json.dumps({"alg": "HS256", "kid": "rsa-1", "typ": "JWT"}).encode())
    body = b64(
        json.dumps(
            {
                "sub": "evil",
                "iss": ISSUER,
                "aud": AUDIENCE,
                "exp": 4_000_000_000,
                "roles": ["admin"],
            }
        ).encode()
    )
    signature = hmac.new(pem, f"{header}.{body}".encode(), "sha256").digest()
    return f"{header}.{body}.{b64(signature)}"


def _expected(caller: str, permission: str | None, allowed_status: int) -> int:
    if permission is None:
        return allowed_status
    if caller in UNAUTHENTICATED:
        return 401
    return allowed_status if permission in ALLOWED[caller] else 403


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize(
    ("method", "path", "kwargs", "permission", "allowed_status"),
    ENDPOINTS,
    ids=[f"{e[0]} {e[1]}" for e in ENDPOINTS],
)
def test_authorization_matrix(
    matrix: tuple[TestClient, dict[str, dict[str, str]]],
    caller: str,
    method: str,
    path: str,
    kwargs: dict[str, Any],
    permission: str | None,
    allowed_status: int,
) -> None:
    client, headers = matrix
    response = client.request(method, path, headers=headers[caller], **kwargs)
    expected = _expected(caller, permission, allowed_status)
    assert response.status_code == expected, (caller, response.text[:300])
    # The OpenAI-compatible paths answer in OpenAI's error shape, the others in Yakuba's.
    openai_path = path.startswith("/v1/chat/") or path == "/v1/models"
    detail = response.json()["error" if openai_path else "detail"] if expected >= 400 else {}
    if expected == 401:
        assert response.headers["www-authenticate"].startswith("Bearer")
        assert detail["code"] in ("unauthenticated", "token_expired")
        assert any("\u3040" <= ch <= "\u30ff" for ch in detail["message"])  # Japanese
    if expected == 403:
        assert detail["code"] == "forbidden"
        assert "権限がありません" in detail["message"]


def test_expired_token_says_so(matrix: tuple[TestClient, dict[str, dict[str, str]]]) -> None:
    client, headers = matrix
    response = client.get("/v1/me", headers=headers["expired_token"])
    assert response.json()["detail"]["code"] == "token_expired"
    assert "有効期限" in response.json()["detail"]["message"]


def test_me_reports_identity_permissions_and_quota(
    matrix: tuple[TestClient, dict[str, dict[str, str]]],
) -> None:
    client, _ = matrix
    body = client.get("/v1/me", headers=bearer(token("yamada", roles=["faq_editor"]))).json()
    assert body["user"] == "yamada"
    assert body["department"] == "総務課"
    assert body["role"] == "faq_editor"
    assert body["method"] == "jwt"
    assert "faq:bulk" in body["permissions"] and "audit:read" not in body["permissions"]
    assert body["quota"]["user"]["key"] == "yamada"
    assert body["quota"]["department"]["key"] == "総務課"


def test_audit_record_carries_the_token_user_and_department(
    matrix: tuple[TestClient, dict[str, dict[str, str]]],
) -> None:
    client, _ = matrix
    response = client.post(
        "/v1/ask",
        json={"question": QUESTION},
        headers=bearer(token("suzuki", roles=["staff"], department="市民課")),
    )
    audit_id = response.json()["audit_id"]
    record = client.app.state.runtime.audit.get(audit_id)  # type: ignore[attr-defined]
    assert (record.user, record.department) == ("suzuki", "市民課")


def test_audit_channel_follows_the_caller(
    matrix: tuple[TestClient, dict[str, dict[str, str]]],
) -> None:
    """A bot's key keeps its own channel through every endpoint (the chat gateway too);
    a token user is `api`, or `web` when the staff page marks its request."""
    client, headers = matrix
    store = client.app.state.runtime.audit  # type: ignore[attr-defined]
    chat = {"model": "yakuba", "messages": [{"role": "user", "content": "挨拶文を作って"}]}
    cases = [
        ("api_key_staff", {}, "batch"),
        ("staff", {}, "api"),
        ("staff", {"X-Yakuba-Client": "web"}, "web"),
        ("api_key_staff", {"X-Yakuba-Client": "web"}, "batch"),
    ]
    for caller, extra, channel in cases:
        response = client.post(
            "/v1/chat/completions", json=chat, headers={**headers[caller], **extra}
        )
        assert response.status_code == 200, response.text
        assert store.records()[-1].channel == channel, (caller, extra)
