"""The OpenAI-compatible gateway honours a declared purpose (業務内容) and the client's
max_tokens, as Yakuba's own endpoints do."""

from __future__ import annotations

from urllib.parse import quote

from fastapi.testclient import TestClient

from service.settings import Settings
from tests.service.conftest import AppFactory
from tests.utils.llm_server import RecordingLLMServer
from tests.utils.service_api import audit_records

MY_NUMBER = "123456789018"
RESTRICTED = "答弁資料:refuse,予算編成:warn"


def _chat(model: str, content: str, **extra: object) -> dict[str, object]:
    return {"model": model, "messages": [{"role": "user", "content": content}], **extra}


def test_restricted_purpose_is_refused_before_the_model(
    make_client: AppFactory, llm_overrides: dict[str, object], llm_server: RecordingLLMServer
) -> None:
    client: TestClient = make_client(**llm_overrides, restricted_purposes=RESTRICTED)
    for model in ("yakuba", "yakuba-rag"):
        response = client.post(
            "/v1/chat/completions",
            json=_chat(model, "挨拶文を作って", metadata={"purpose": "12月議会の答弁資料"}),
        )
        assert response.status_code == 403
        error = response.json()["error"]
        assert error["code"] == "restricted_purpose" and "答弁資料" in error["message"]
    assert llm_server.chat_requests == []
    records = audit_records(client)
    assert [(r.status, r.error_code, r.purpose) for r in records] == [
        ("blocked", "restricted_purpose", "12月議会の答弁資料")
    ] * 2


def test_warned_purpose_from_the_header_reaches_the_answer_and_the_audit(
    make_client: AppFactory, llm_overrides: dict[str, object], llm_server: RecordingLLMServer
) -> None:
    client: TestClient = make_client(**llm_overrides, restricted_purposes=RESTRICTED)
    response = client.post(
        "/v1/chat/completions",
        json=_chat("yakuba", "挨拶文を作って"),
        headers={"X-Yakuba-Purpose": quote("来年度の予算編成")},
    )
    assert response.status_code == 200
    content = response.json()["choices"][0]["message"]["content"]
    assert "予算編成" in content.split("※")[-1]
    assert len(llm_server.chat_requests) == 1
    assert audit_records(client)[-1].purpose == "来年度の予算編成"


def test_personal_data_in_the_purpose_blocks_and_is_stored_redacted(
    make_client: AppFactory, llm_overrides: dict[str, object], llm_server: RecordingLLMServer
) -> None:
    client: TestClient = make_client(**llm_overrides)
    body = client.post(
        "/v1/chat/completions",
        json=_chat("yakuba", "挨拶文を作って", metadata={"purpose": f"番号{MY_NUMBER}の件"}),
    ).json()
    assert body["choices"][0]["finish_reason"] == "content_filter"
    assert llm_server.chat_requests == []
    record = audit_records(client)[-1]
    assert MY_NUMBER not in record.purpose and "<マイナンバー>" in record.purpose


def _limit_sent(llm_server: RecordingLLMServer) -> object:
    body = llm_server.last_chat_request.body
    # The OpenAI client sends OpenAI's current name for the limit (Azure: max_tokens).
    return body.get("max_completion_tokens", body.get("max_tokens"))


def test_client_max_tokens_lowers_the_model_limit(
    make_client: AppFactory,
    llm_overrides: dict[str, object],
    llm_server: RecordingLLMServer,
    settings: Settings,
) -> None:
    client: TestClient = make_client(**llm_overrides)
    for stream in (False, True):
        client.post(
            "/v1/chat/completions", json=_chat("yakuba", "挨拶文", max_tokens=50, stream=stream)
        )
        assert _limit_sent(llm_server) == 50
    client.post("/v1/chat/completions", json=_chat("yakuba", "挨拶文", max_tokens=10**6))
    assert _limit_sent(llm_server) == settings.llm_max_tokens
