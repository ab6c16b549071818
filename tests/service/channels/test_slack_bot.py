"""The Slack bot end to end: correctly signed requests through Bolt's own verification,
the real pipeline and recording model, and a recording Slack Web API."""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient

from service.audit import AuditRecord
from tests.utils.chat_api_server import ChatApiServer
from tests.utils.llm_server import RecordingLLMServer

from .conftest import SLACK_SECRET, SLACK_TOKEN, hmac_hex

MY_NUMBER_QUESTION = "マイナンバー 1234 5678 9018 の山田太郎さんの転出届について教えて"


def signed_headers(body: bytes, *, secret: str = SLACK_SECRET, age_s: int = 0) -> dict[str, str]:
    ts = str(int(time.time()) - age_s)
    signature = "v0=" + hmac_hex(secret, f"v0:{ts}:".encode() + body)
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature}


def post_event(
    client: TestClient,
    event: dict[str, Any],
    *,
    event_id: str = "Ev001",
    headers: dict[str, str] | None = None,
) -> Any:
    body = json.dumps(
        {
            "token": "unused",
            "team_id": "T0001",
            "api_app_id": "A0001",
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
            "event": event,
        }
    ).encode()
    return client.post(
        "/slack/events",
        content=body,
        headers={"Content-Type": "application/json", **signed_headers(body), **(headers or {})},
    )


def mention(
    text: str, *, user: str = "U_TANAKA", ts: str = "1700000000.000100", **extra: str
) -> dict[str, Any]:
    return {
        "type": "app_mention",
        "user": user,
        "text": f"<@UBOT> {text}",
        "ts": ts,
        "channel": "C_SOUMU",
        "event_ts": ts,
        **extra,
    }


def post_form(client: TestClient, fields: dict[str, str]) -> Any:
    body = urlencode(fields).encode()
    return client.post(
        "/slack/events",
        content=body,
        headers={"Content-Type": "application/x-www-form-urlencoded", **signed_headers(body)},
    )


def records(client: TestClient) -> list[AuditRecord]:
    return client.app.state.runtime.audit.records()  # type: ignore[attr-defined,no-any-return]


def section_texts(call_body: dict[str, Any]) -> str:
    return "\n".join(
        b["text"]["text"] for b in call_body.get("blocks", []) if b["type"] == "section"
    )


def test_a_mention_is_answered_in_its_thread_with_sources_and_buttons(
    bot_client: TestClient, chat_api: ChatApiServer, llm_server: RecordingLLMServer
) -> None:
    started = time.perf_counter()
    response = post_event(bot_client, mention("行政手続法の審査基準とは何ですか"))
    assert response.status_code == 200
    assert time.perf_counter() - started < 3.0  # acknowledged within Slack's 3 seconds

    post = chat_api.wait_for("chat.postMessage")[0]
    assert post.headers["authorization"] == f"Bearer {SLACK_TOKEN}"
    assert post.body["channel"] == "C_SOUMU"
    assert post.body["thread_ts"] == "1700000000.000100"
    text = section_texts(post.body)
    assert "【テスト応答】" in text
    assert "*出典*" in text and "[1]" in text
    buttons = [b for b in post.body["blocks"] if b["type"] == "actions"][0]["elements"]
    assert [b["action_id"] for b in buttons] == ["yakuba_feedback_up", "yakuba_feedback_down"]

    # the model got the question (mention stripped) with the retrieved passages
    prompt = llm_server.last_chat_request.prompt_text()
    assert "行政手続法の審査基準とは何ですか" in prompt and "<@UBOT>" not in prompt
    record = records(bot_client)[-1]
    assert (record.channel, record.chat_user, record.user, record.department) == (
        "slack",
        "U_TANAKA",
        "tanaka",
        "総務課",
    )
    assert record.status == "allowed" and buttons[0]["value"] == f"yakuba:feedback:up:{record.id}"


def test_a_follow_up_in_the_thread_carries_the_earlier_turn(
    bot_client: TestClient, chat_api: ChatApiServer, llm_server: RecordingLLMServer
) -> None:
    post_event(bot_client, mention("審査基準とは何ですか"), event_id="Ev1")
    chat_api.wait_for("chat.postMessage")
    follow_up = mention(
        "その公表は義務ですか", ts="1700000000.000200", thread_ts="1700000000.000100"
    )
    post_event(bot_client, follow_up, event_id="Ev2")
    second = chat_api.wait_for("chat.postMessage", count=2)[1]
    assert second.body["thread_ts"] == "1700000000.000100"
    messages = llm_server.last_chat_request.messages
    contents = [m["content"] for m in messages if isinstance(m.get("content"), str)]
    assert any("審査基準とは何ですか" == c for c in contents)  # the earlier question, replayed
    assert any(c.startswith("【テスト応答】") for c in contents)  # and its answer


def test_a_blocked_question_is_explained_privately_and_never_reaches_the_model(
    bot_client: TestClient, chat_api: ChatApiServer, llm_server: RecordingLLMServer
) -> None:
    post_event(bot_client, mention(MY_NUMBER_QUESTION))
    ephemeral = chat_api.wait_for("chat.postEphemeral")[0]
    assert ephemeral.body["user"] == "U_TANAKA"
    assert ephemeral.body["thread_ts"] == "1700000000.000100"
    assert "送信を止めました" in section_texts(ephemeral.body)
    assert "1234 5678 9018" not in json.dumps(ephemeral.body, ensure_ascii=False)
    assert not [b for b in ephemeral.body["blocks"] if b["type"] == "actions"]
    assert chat_api.named("chat.postMessage") == []
    assert llm_server.chat_requests == []
    record = records(bot_client)[-1]
    assert (record.status, record.channel, record.chat_user) == ("blocked", "slack", "U_TANAKA")
    assert "1234" not in record.prompt


def test_an_unknown_user_gets_the_polite_refusal_and_is_audited(
    bot_client: TestClient, chat_api: ChatApiServer, llm_server: RecordingLLMServer
) -> None:
    post_event(bot_client, mention("審査基準とは", user="U_STRANGER"))
    ephemeral = chat_api.wait_for("chat.postEphemeral")[0]
    assert ephemeral.body["user"] == "U_STRANGER"
    assert "登録されていません" in section_texts(ephemeral.body)
    assert llm_server.chat_requests == []
    record = records(bot_client)[-1]
    assert (record.status, record.error_code, record.channel) == (
        "failed",
        "bot_unknown_user",
        "slack",
    )
    assert "U_STRANGER" in record.answer and record.user == ""


def test_the_refusal_text_is_configurable(
    make_client: Any, bot_overrides: dict[str, object], chat_api: ChatApiServer
) -> None:
    client = make_client(**bot_overrides, bot_unknown_user_message="利用登録をお願いします。")
    post_event(client, mention("審査基準とは", user="U_STRANGER"))
    assert (
        section_texts(chat_api.wait_for("chat.postEphemeral")[0].body) == "利用登録をお願いします。"
    )


def test_a_retried_event_is_answered_once(
    bot_client: TestClient, chat_api: ChatApiServer, llm_server: RecordingLLMServer
) -> None:
    event = mention("審査基準とは何ですか")
    assert post_event(bot_client, event, event_id="EvSame").status_code == 200
    retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    assert post_event(bot_client, event, event_id="EvSame", headers=retry).status_code == 200
    chat_api.wait_for("chat.postMessage")
    time.sleep(0.5)
    assert len(chat_api.named("chat.postMessage")) == 1
    assert len(llm_server.chat_requests) == 1


@pytest.mark.parametrize(
    ("headers", "why"),
    [
        ({}, "unsigned"),
        ({"X-Slack-Signature": "v0=" + "0" * 64}, "forged"),
        ("stale", "older than five minutes"),
        ("wrong-secret", "signed with another secret"),
    ],
)
def test_forged_unsigned_or_stale_requests_are_refused_and_audited(
    bot_client: TestClient,
    chat_api: ChatApiServer,
    llm_server: RecordingLLMServer,
    headers: Any,
    why: str,
) -> None:
    body = json.dumps(
        {"type": "event_callback", "event_id": "EvX", "event": mention("審査基準")}
    ).encode()
    if headers == "stale":
        sent = signed_headers(body, age_s=600)
    elif headers == "wrong-secret":
        sent = signed_headers(body, secret="another-secret")
    elif headers:
        sent = {"X-Slack-Request-Timestamp": str(int(time.time())), **headers}
    else:
        sent = {}
    response = bot_client.post(
        "/slack/events", content=body, headers={"Content-Type": "application/json", **sent}
    )
    assert response.status_code == 401, why
    time.sleep(0.2)
    assert chat_api.calls == [] and llm_server.chat_requests == []
    record = records(bot_client)[-1]
    assert (record.error_code, record.channel) == ("bot_signature_invalid", "slack")


def test_an_oversized_request_is_refused_with_413_and_audited(bot_client: TestClient) -> None:
    body = json.dumps({"type": "event_callback", "event": mention("あ" * 200_000)}).encode()
    response = bot_client.post(
        "/slack/events",
        content=body,
        headers={"Content-Type": "application/json", **signed_headers(body)},
    )
    assert response.status_code == 413
    assert records(bot_client)[-1].error_code == "bot_request_too_large"


def test_slack_url_verification_is_answered(bot_client: TestClient) -> None:
    body = json.dumps({"type": "url_verification", "challenge": "abc123"}).encode()
    response = bot_client.post(
        "/slack/events",
        content=body,
        headers={"Content-Type": "application/json", **signed_headers(body)},
    )
    assert response.status_code == 200 and response.json() == {"challenge": "abc123"}


def test_a_direct_message_is_answered_and_the_bots_own_messages_are_ignored(
    bot_client: TestClient, chat_api: ChatApiServer, llm_server: RecordingLLMServer
) -> None:
    dm = {
        "type": "message",
        "channel_type": "im",
        "channel": "D_TANAKA",
        "user": "U_TANAKA",
        "text": "情報公開法の開示請求の期限は？",
        "ts": "1700000001.000100",
    }
    post_event(bot_client, dm, event_id="EvDm")
    post_event(bot_client, {**dm, "bot_id": "BBOT", "user": "UBOT"}, event_id="EvBot")
    post = chat_api.wait_for("chat.postMessage")[0]
    assert post.body["channel"] == "D_TANAKA" and "thread_ts" not in post.body
    time.sleep(0.5)
    assert len(llm_server.chat_requests) == 1


def test_model_output_cannot_notify_the_channel_or_disguise_a_link(
    bot_client: TestClient, chat_api: ChatApiServer, llm_server: RecordingLLMServer
) -> None:
    llm_server.reply = "**重要** <!channel> <@U_SATO> <https://evil.example|公式サイト> & [手引き](https://city.example/a)"
    post_event(bot_client, mention("審査基準とは何ですか"))
    post = chat_api.wait_for("chat.postMessage")[0]
    text = section_texts(post.body)
    assert "<!channel>" not in text and "<@U_SATO>" not in text and "<https://" not in text
    assert "&lt;!channel&gt;" in text and "&amp;" in text
    assert "*重要*" in text and "手引き (https://city.example/a)" in text
    assert "<!channel>" not in post.body["text"]


def test_a_long_answer_is_split_within_slacks_limits(
    bot_client: TestClient, chat_api: ChatApiServer, llm_server: RecordingLLMServer
) -> None:
    llm_server.reply = ("審査基準は公にしておかなければなりません。" * 30 + "\n\n") * 20
    post_event(bot_client, mention("審査基準とは何ですか"))
    post = chat_api.wait_for("chat.postMessage")[0]
    sections = [b for b in post.body["blocks"] if b["type"] == "section"]
    assert len(sections) > 1
    assert all(len(b["text"]["text"]) <= 3000 for b in sections)
    assert len(post.body["blocks"]) <= 50


def test_the_slash_command_runs_a_task_and_answers_privately(
    bot_client: TestClient, chat_api: ChatApiServer, llm_server: RecordingLLMServer
) -> None:
    response = post_form(
        bot_client,
        {
            "command": "/yakuba",
            "text": "要約 本日の会議では、来年度の防災訓練の日程と会場について議論した。",
            "user_id": "U_TANAKA",
            "channel_id": "C_SOUMU",
            "team_id": "T0001",
            "response_url": chat_api.response_url("summary"),
            "trigger_id": "1.2.3",
        },
    )
    assert response.status_code == 200 and "受け付けました" in response.text
    result = chat_api.wait_for("summary")[0]
    assert result.body["response_type"] == "ephemeral"
    assert "【テスト応答】" in section_texts(result.body)
    assert "防災訓練" in llm_server.last_chat_request.prompt_text()
    record = records(bot_client)[-1]
    assert (record.task, record.channel, record.chat_user) == ("summarize", "slack", "U_TANAKA")


def test_the_slash_command_without_a_task_shows_its_usage(
    bot_client: TestClient, llm_server: RecordingLLMServer
) -> None:
    response = post_form(
        bot_client,
        {
            "command": "/yakuba",
            "text": "help",
            "user_id": "U_TANAKA",
            "channel_id": "C1",
            "response_url": "http://127.0.0.1:9/unused",
        },
    )
    assert response.status_code == 200 and "使い方" in response.text
    assert llm_server.chat_requests == []


def test_feedback_buttons_reach_the_feedback_store_for_the_asker_only(
    bot_client: TestClient, chat_api: ChatApiServer
) -> None:
    post_event(bot_client, mention("審査基準とは何ですか"))
    post = chat_api.wait_for("chat.postMessage")[0]
    value = [b for b in post.body["blocks"] if b["type"] == "actions"][0]["elements"][1]["value"]
    audit_id = value.removeprefix("yakuba:feedback:down:")

    def click(user: str) -> None:
        payload = {
            "type": "block_actions",
            "user": {"id": user},
            "channel": {"id": "C_SOUMU"},
            "team": {"id": "T0001"},
            "message": {"ts": post.body.get("ts", "1"), "thread_ts": "1700000000.000100"},
            "actions": [
                {
                    "action_id": "yakuba_feedback_down",
                    "block_id": "yakuba_feedback",
                    "value": value,
                    "type": "button",
                }
            ],
            "response_url": chat_api.response_url("click"),
            "trigger_id": "1.2.3",
        }
        assert post_form(bot_client, {"payload": json.dumps(payload)}).status_code == 200

    click("U_TANAKA")
    thanks = chat_api.wait_for("chat.postEphemeral")[0]
    assert "評価を記録しました" in section_texts(thanks.body)
    stored = bot_client.app.state.runtime.audit.feedback(audit_id=int(audit_id))  # type: ignore[attr-defined]
    assert [(f.user, f.rating) for f in stored] == [("tanaka", "down")]

    value = audit_id  # a button posted by the previous version carries the bare audit id
    click("U_TANAKA")
    chat_api.wait_for("chat.postEphemeral", count=2)
    stored = bot_client.app.state.runtime.audit.feedback(audit_id=int(audit_id))  # type: ignore[attr-defined]
    assert [(f.user, f.rating) for f in stored] == [("tanaka", "down"), ("tanaka", "down")]

    click("U_SATO")  # someone else's answer
    refused = chat_api.wait_for("chat.postEphemeral", count=3)[2]
    assert "ご自身の質問" in section_texts(refused.body)
    assert len(bot_client.app.state.runtime.audit.feedback(audit_id=int(audit_id))) == 2  # type: ignore[attr-defined]
