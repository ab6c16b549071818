"""The LINE WORKS bot end to end: X-WORKS-Signature as LINE WORKS computes it, the
service-account JWT checked against the public half of a key made here, replies
recorded by the stand-in message API."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi.testclient import TestClient
from pydantic import SecretStr

from service.audit import AuditRecord
from tests.utils.chat_api_server import (
    LINEWORKS_API,
    LINEWORKS_AUTH,
    LINEWORKS_TOKEN,
    ChatApiServer,
)
from tests.utils.llm_server import RecordingLLMServer

from .conftest import LINEWORKS_BOT_SECRET

PATH = "/lineworks/callback"
BOT_ID = "2000001"
SUZUKI = "c72af563-0f21-4736-11e4-045237113344"
ROOM = "12345a12-b12c-12d3-e123fghijkl"


@pytest.fixture
def lineworks_client(
    make_client: Callable[..., TestClient],
    bot_overrides: dict[str, object],
    chat_api: ChatApiServer,
    rsa_key: rsa.RSAPrivateKey,
    tmp_path: Path,
) -> TestClient:
    key_file = tmp_path / "service-account.key"
    key_file.write_bytes(
        rsa_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return make_client(
        **bot_overrides,
        lineworks_bot_id=BOT_ID,
        lineworks_bot_secret=SecretStr(LINEWORKS_BOT_SECRET),
        lineworks_client_id="client-id-1",
        lineworks_client_secret=SecretStr("client-secret-1"),
        lineworks_service_account="svc.abcde@example-city",
        lineworks_private_key_file=key_file,
        lineworks_api_url=chat_api.url(LINEWORKS_API),
        lineworks_auth_url=chat_api.url(LINEWORKS_AUTH),
    )


def callback(
    client: TestClient,
    text: str,
    *,
    user: str = SUZUKI,
    room: str | None = None,
    issued: datetime | None = None,
    secret: str = LINEWORKS_BOT_SECRET,
    bot_id: str = BOT_ID,
    content: dict[str, Any] | None = None,
    extra: dict[str, Any] | None = None,
) -> Any:
    source: dict[str, Any] = {"userId": user, "domainId": 40029600}
    if room:
        source["channelId"] = room
    at = issued or datetime.now(UTC)
    event = {
        "type": "message",
        "source": source,
        "issuedTime": at.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "content": {"type": "text", "text": text, **(content or {})},
        **(extra or {}),
    }
    body = json.dumps(event, ensure_ascii=False).encode()
    signature = base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest())
    headers = {
        "Content-Type": "application/json; charset=UTF-8",
        "X-WORKS-BotId": bot_id,
        "X-WORKS-Signature": signature.decode(),
    }
    return client.post(PATH, content=body, headers=headers)


def last_record(client: TestClient) -> AuditRecord:
    return client.app.state.runtime.audit.records()[-1]  # type: ignore[attr-defined,no-any-return]


def test_a_question_in_a_room_is_answered_there_with_sources(
    lineworks_client: TestClient,
    chat_api: ChatApiServer,
    llm_server: RecordingLLMServer,
    rsa_key: rsa.RSAPrivateKey,
) -> None:
    assert (
        callback(lineworks_client, "行政手続法の審査基準とは何ですか", room=ROOM).status_code == 200
    )
    sent = chat_api.wait_for("messages")[0]
    assert sent.path == f"{LINEWORKS_API}/bots/{BOT_ID}/channels/{ROOM}/messages"
    assert sent.headers["authorization"] == f"Bearer {LINEWORKS_TOKEN}"
    text = sent.body["content"]["text"]
    assert sent.body["content"]["type"] == "text"
    assert text.startswith("【テスト応答】") and "出典:\n[1]" in text

    # the service-account assertion, checked with the key's public half
    token_request = chat_api.wait_for("token")[0].body
    assert token_request["grant_type"] == "urn:ietf:params:oauth:grant-type:jwt-bearer"
    assert (token_request["client_id"], token_request["scope"]) == ("client-id-1", "bot")
    claims = jwt.decode(token_request["assertion"], rsa_key.public_key(), algorithms=["RS256"])
    assert (claims["iss"], claims["sub"]) == ("client-id-1", "svc.abcde@example-city")

    record = last_record(lineworks_client)
    assert (record.channel, record.chat_user, record.user, record.department) == (
        "lineworks",
        SUZUKI,
        "suzuki",
        "福祉課",
    )


def test_the_token_is_reused_and_a_talk_keeps_its_context(
    lineworks_client: TestClient, chat_api: ChatApiServer, llm_server: RecordingLLMServer
) -> None:
    callback(lineworks_client, "審査基準とは何ですか")
    chat_api.wait_for("messages")
    callback(lineworks_client, "その公表は義務ですか")
    second = chat_api.wait_for("messages", count=2)[1]
    assert second.path.endswith(f"/users/{SUZUKI}/messages")
    assert len(chat_api.named("token")) == 1
    contents = [m.get("content") for m in llm_server.last_chat_request.messages]
    assert "審査基準とは何ですか" in contents


def test_a_blocked_question_in_a_room_is_explained_to_the_asker_alone(
    lineworks_client: TestClient, chat_api: ChatApiServer, llm_server: RecordingLLMServer
) -> None:
    callback(lineworks_client, "山田太郎さん（マイナンバー 1234 5678 9018）の件", room=ROOM)
    sent = chat_api.wait_for("messages")[0]
    assert sent.path.endswith(f"/users/{SUZUKI}/messages")  # not the room
    assert "送信を止めました" in sent.body["content"]["text"]
    assert "1234 5678 9018" not in sent.body["content"]["text"]
    assert llm_server.chat_requests == []
    assert (last_record(lineworks_client).status, last_record(lineworks_client).channel) == (
        "blocked",
        "lineworks",
    )


def test_an_unknown_user_is_refused_politely(
    lineworks_client: TestClient, chat_api: ChatApiServer, llm_server: RecordingLLMServer
) -> None:
    callback(lineworks_client, "審査基準とは", user="someone-else")
    sent = chat_api.wait_for("messages")[0]
    assert "登録されていません" in sent.body["content"]["text"]
    assert llm_server.chat_requests == []


def test_a_long_answer_is_split_and_mentions_are_defused(
    lineworks_client: TestClient, chat_api: ChatApiServer, llm_server: RecordingLLMServer
) -> None:
    llm_server.reply = '<m userId="all">みなさん **重要** です。' + "審査基準を公にします。" * 400
    callback(lineworks_client, "審査基準とは何ですか")
    parts = [c.body["content"]["text"] for c in chat_api.wait_for("messages", count=3)]
    assert all(len(p) <= 2000 for p in parts)
    assert '<m userId="all">' not in parts[0] and "**" not in parts[0]


@pytest.mark.parametrize("kind", ["forged", "wrong-bot", "stale", "unsigned"])
def test_bad_callbacks_are_refused_and_audited(
    lineworks_client: TestClient,
    chat_api: ChatApiServer,
    llm_server: RecordingLLMServer,
    kind: str,
) -> None:
    if kind == "forged":
        response = callback(lineworks_client, "審査基準", secret="guessed")
    elif kind == "wrong-bot":
        response = callback(lineworks_client, "審査基準", bot_id="999")
    elif kind == "stale":
        response = callback(
            lineworks_client, "審査基準", issued=datetime.now(UTC) - timedelta(hours=1)
        )
    else:
        response = lineworks_client.post(PATH, content=b'{"type":"message"}')
    assert response.status_code == 401
    expected = "bot_request_stale" if kind == "stale" else "bot_signature_invalid"
    assert (last_record(lineworks_client).error_code, last_record(lineworks_client).channel) == (
        expected,
        "lineworks",
    )
    assert llm_server.chat_requests == [] and chat_api.named("messages") == []


def test_a_resent_callback_is_answered_once(
    lineworks_client: TestClient, chat_api: ChatApiServer, llm_server: RecordingLLMServer
) -> None:
    at = datetime.now(UTC)
    assert callback(lineworks_client, "審査基準とは", issued=at).status_code == 200
    assert callback(lineworks_client, "審査基準とは", issued=at).status_code == 200
    chat_api.wait_for("messages")
    time.sleep(0.5)
    assert len(chat_api.named("messages")) == 1 and len(llm_server.chat_requests) == 1


def test_answers_carry_vote_buttons_whose_postback_reaches_the_feedback_store(
    lineworks_client: TestClient, chat_api: ChatApiServer
) -> None:
    callback(lineworks_client, "行政手続法の審査基準とは何ですか", room=ROOM)
    answer = chat_api.wait_for("messages")[0].body["content"]
    up, down = (item["action"] for item in answer["quickReply"]["items"])
    audit_id = last_record(lineworks_client).id
    assert (up["label"], up["postback"]) == ("👍 役に立った", f"yakuba:feedback:up:{audit_id}")

    # the click: a message event with the label as text and the vote as postback
    callback(lineworks_client, up["text"], room=ROOM, content={"postback": up["postback"]})
    thanks = chat_api.wait_for("messages", count=2)[1]
    assert thanks.path.endswith(f"/users/{SUZUKI}/messages")  # to the asker alone
    assert "評価を記録しました" in thanks.body["content"]["text"]
    assert "quickReply" not in thanks.body["content"]
    # a postback event (rich menus, carousels) is read the same way
    postback = {"type": "postback", "data": down["postback"], "content": None}
    callback(lineworks_client, "", extra=postback)
    chat_api.wait_for("messages", count=3)
    store = lineworks_client.app.state.runtime.audit  # type: ignore[attr-defined]
    assert [(f.user, f.rating) for f in store.feedback(audit_id=audit_id)] == [
        ("suzuki", "up"),
        ("suzuki", "down"),
    ]
    assert len([r for r in store.records() if r.task == "ask"]) == 1  # no vote was asked


def test_a_task_command_runs_the_task_and_a_blocked_one_stays_private(
    lineworks_client: TestClient, chat_api: ChatApiServer, llm_server: RecordingLLMServer
) -> None:
    text = "来月の窓口の受付時間は、毎週水曜日のみ19時まで延長します。"
    callback(lineworks_client, f"／やさしい日本語 {text}", room=ROOM)
    result = chat_api.wait_for("messages")[0]
    assert result.path.endswith(f"/channels/{ROOM}/messages")
    assert result.body["content"]["text"].startswith("【テスト応答】")
    assert text in llm_server.last_chat_request.prompt_text()
    assert last_record(lineworks_client).task == "translate"

    callback(lineworks_client, "/校正 山田太郎（マイナンバー 1234 5678 9018）様への通知", room=ROOM)
    blocked = chat_api.wait_for("messages", count=2)[1]
    assert blocked.path.endswith(f"/users/{SUZUKI}/messages")
    assert "1234 5678 9018" not in blocked.body["content"]["text"]
    assert "quickReply" not in blocked.body["content"]
    time.sleep(0.2)
    # the model saw the first task only
    assert [text in r.prompt_text() for r in llm_server.chat_requests] == [True]
    assert (last_record(lineworks_client).status, last_record(lineworks_client).task) == (
        "blocked",
        "proofread",
    )

    callback(lineworks_client, "/yakuba", room=ROOM)
    usage = chat_api.wait_for("messages", count=3)[2]
    assert "使い方" in usage.body["content"]["text"]
