"""The signed webhook end to end: HMAC-SHA256 both ways, the replay window, the pipeline."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.audit import AuditRecord
from tests.service.placeholder_support import ADDRESS, LETTER, NAME, PHONE, VALUES, letter_reply
from tests.utils.llm_server import RecordingLLMServer

from .conftest import WEBHOOK_SECRET, hmac_hex

PATH = "/webhook/v1/messages"


def signed(body: bytes, *, secret: str = WEBHOOK_SECRET, at: int | None = None) -> dict[str, str]:
    ts = str(int(time.time()) if at is None else at)
    return {
        "Content-Type": "application/json",
        "X-Yakuba-Timestamp": ts,
        "X-Yakuba-Signature": "v1=" + hmac_hex(secret, f"v1:{ts}:".encode() + body),
    }


def send(client: TestClient, payload: dict[str, Any], **kwargs: Any) -> Any:
    body = json.dumps(payload, ensure_ascii=False).encode()
    return client.post(PATH, content=body, headers=signed(body, **kwargs))


def message(text: str, **extra: Any) -> dict[str, Any]:
    return {"message_id": f"m-{time.monotonic_ns()}", "user": "logo:1001", "text": text, **extra}


def verified_reply(response: Any) -> dict[str, Any]:
    """The reply, after checking Yakuba's signature on it as the chat tool would."""
    ts = response.headers["X-Yakuba-Timestamp"]
    expected = "v1=" + hmac_hex(WEBHOOK_SECRET, f"v1:{ts}:".encode() + response.content)
    assert response.headers["X-Yakuba-Signature"] == expected
    assert abs(time.time() - int(ts)) < 60
    reply: dict[str, Any] = response.json()
    return reply


def last_record(client: TestClient) -> AuditRecord:
    return client.app.state.runtime.audit.records()[-1]  # type: ignore[attr-defined,no-any-return]


def test_a_signed_question_gets_a_signed_answer_with_citations(
    bot_client: TestClient, llm_server: RecordingLLMServer
) -> None:
    response = send(bot_client, message("行政手続法の審査基準とは何ですか", thread="room-1"))
    assert response.status_code == 200
    reply = verified_reply(response)
    assert reply["status"] == "answered" and reply["private"] is False
    assert reply["text"].startswith("【テスト応答】") and reply["citations"]
    assert reply["thread"] == "room-1" and reply["parts"] == [reply["text"].strip()]
    record = last_record(bot_client)
    assert (record.channel, record.chat_user, record.user, record.department) == (
        "webhook",
        "logo:1001",
        "takahashi",
        "税務課",
    )
    assert reply["audit_id"] == record.id


def test_the_tool_may_vouch_for_a_staff_member_not_in_the_directory(
    bot_client: TestClient, llm_server: RecordingLLMServer
) -> None:
    payload = message("審査基準とは", user="logo:2002", staff_id="yamamoto", department="企画課")
    assert verified_reply(send(bot_client, payload))["status"] == "answered"
    record = last_record(bot_client)
    assert (record.user, record.department, record.chat_user) == ("yamamoto", "企画課", "logo:2002")


def test_an_unknown_user_is_refused_politely(
    bot_client: TestClient, llm_server: RecordingLLMServer
) -> None:
    reply = verified_reply(send(bot_client, message("審査基準とは", user="logo:9999")))
    assert reply["status"] == "refused" and reply["private"] is True
    assert "登録されていません" in reply["text"]
    assert llm_server.chat_requests == []
    assert last_record(bot_client).error_code == "bot_unknown_user"


def test_a_blocked_message_is_private_audited_and_never_sent_to_the_model(
    bot_client: TestClient, llm_server: RecordingLLMServer
) -> None:
    reply = verified_reply(
        send(bot_client, message("個人番号 1234 5678 9018 の方の住民票の写しについて"))
    )
    assert reply["status"] == "blocked" and reply["private"] is True
    assert "1234 5678 9018" not in reply["text"]
    assert llm_server.chat_requests == []
    record = last_record(bot_client)
    assert (record.status, record.channel) == ("blocked", "webhook")


def test_a_task_runs_through_the_same_pipeline(
    bot_client: TestClient, llm_server: RecordingLLMServer
) -> None:
    reply = verified_reply(
        send(bot_client, message("市民体育祭は雨天のため延期します。", task="翻訳 en"))
    )
    assert reply["status"] == "answered"
    assert "市民体育祭" in llm_server.last_chat_request.prompt_text()
    assert last_record(bot_client).task == "translate"


@pytest.mark.parametrize(
    ("kind", "status", "code"),
    [
        ("unsigned", 401, "bot_signature_invalid"),
        ("forged", 401, "bot_signature_invalid"),
        ("tampered", 401, "bot_signature_invalid"),
        ("stale", 401, "bot_request_stale"),
        ("future", 401, "bot_request_stale"),
    ],
)
def test_bad_requests_are_refused_and_audited(
    bot_client: TestClient, llm_server: RecordingLLMServer, kind: str, status: int, code: str
) -> None:
    body = json.dumps(message("審査基準とは"), ensure_ascii=False).encode()
    headers = signed(body)
    if kind == "unsigned":
        headers = {"Content-Type": "application/json"}
    elif kind == "forged":
        headers = signed(body, secret="guessed")
    elif kind == "tampered":
        body = body.replace("審査基準".encode(), "開示請求".encode())
        assert "開示請求".encode() in body
    elif kind == "stale":
        headers = signed(body, at=int(time.time()) - 3_600)
    elif kind == "future":
        headers = signed(body, at=int(time.time()) + 3_600)
    response = bot_client.post(PATH, content=body, headers=headers)
    assert response.status_code == status
    assert response.json()["detail"]["code"] == code
    assert llm_server.chat_requests == []
    record = last_record(bot_client)
    assert (record.error_code, record.channel, record.task) == (code, "webhook", "auth")


def test_a_replayed_request_or_message_id_is_refused(
    bot_client: TestClient, llm_server: RecordingLLMServer
) -> None:
    body = json.dumps(message("審査基準とは", message_id="once")).encode()
    headers = signed(body)
    assert bot_client.post(PATH, content=body, headers=headers).status_code == 200
    again = bot_client.post(PATH, content=body, headers=headers)
    assert again.status_code == 401 and again.json()["detail"]["code"] == "bot_request_replayed"
    resigned = bot_client.post(PATH, content=body, headers=signed(body, at=int(time.time()) - 30))
    assert resigned.status_code == 409
    assert len(llm_server.chat_requests) == 1


def test_an_oversized_request_is_refused_with_413(bot_client: TestClient) -> None:
    body = json.dumps(message("あ" * 300_000)).encode()
    response = bot_client.post(PATH, content=body, headers=signed(body))
    assert response.status_code == 413
    assert last_record(bot_client).error_code == "bot_request_too_large"


def test_a_malformed_payload_gets_a_japanese_422(bot_client: TestClient) -> None:
    body = json.dumps({"message_id": "x", "text": "審査基準とは", "extra": 1}).encode()
    response = bot_client.post(PATH, content=body, headers=signed(body))
    assert response.status_code == 422
    assert "形式が正しくありません" in response.json()["detail"]["message"]


def test_a_task_with_placeholders_restores_the_values_for_the_asker_only(
    bot_client: TestClient, llm_server: RecordingLLMServer
) -> None:
    llm_server.reply = letter_reply
    plain = verified_reply(send(bot_client, message(LETTER, task="下書き 通知文")))
    assert plain["status"] == "blocked" and "仮名" in plain["text"]
    assert llm_server.chat_requests == []
    reply = verified_reply(send(bot_client, message(LETTER, task="下書き 仮名 通知文")))
    assert reply["status"] == "answered" and reply["private"] is True
    assert reply["text"].startswith(f"{NAME}様\n{ADDRESS}\n{PHONE}")
    assert any("仮名" in n for n in reply["notices"])
    sent = llm_server.all_prompt_text()
    assert "〈氏名1〉様あて" in sent
    for value in VALUES:
        assert value not in sent
    record = last_record(bot_client)
    assert record.task == "draft" and NAME not in record.prompt + record.answer
