"""The Teams bot end to end: tokens signed with a key made here and validated by the
Agents SDK's validator against a JWKS file, replies through a recording Bot Connector."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi.testclient import TestClient
from pydantic import SecretStr

from service.audit import AuditRecord
from tests.utils.chat_api_server import (
    TEAMS_SERVICE,
    TEAMS_TOKEN,
    TEAMS_TOKEN_VALUE,
    ChatApiServer,
    RecordedCall,
)
from tests.utils.llm_server import RecordingLLMServer

from .conftest import AppFactory

APP_ID = "00000000-0000-0000-0000-00000000b07a"
KID = "test-key-1"
AAD_SATO = "aad-0000-sato"
PATH = "/teams/messages"


@pytest.fixture
def teams_client(
    rsa_key: rsa.RSAPrivateKey,
    make_client: AppFactory,
    chat_api: ChatApiServer,
    bot_overrides: dict[str, object],
) -> TestClient:
    """Teams' token-signing key, published to the bot as a JWKS file (as an administrator
    would keep a copy of Microsoft's keys inside a closed network)."""
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(rsa_key.public_key()))
    jwks = Path(str(bot_overrides["bot_directory_file"])).with_name("teams-keys.json")
    jwks.write_text(json.dumps({"keys": [{**public, "kid": KID, "alg": "RS256", "use": "sig"}]}))
    return make_client(
        **bot_overrides,
        teams_app_id=APP_ID,
        teams_app_password=SecretStr("app-password"),
        teams_jwks_file=jwks,
        teams_token_url=chat_api.url(TEAMS_TOKEN),
    )


def token(
    key: rsa.RSAPrivateKey, service_url: str, *, audience: str = APP_ID, age_s: int = 0
) -> str:
    now = int(time.time()) - age_s
    claims = {
        "iss": "https://api.botframework.com",
        "aud": audience,
        "serviceurl": service_url,
        "nbf": now,
        "iat": now,
        "exp": now + 3600,
    }
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": KID})


def activity(
    service_url: str,
    text: str,
    *,
    kind: str = "personal",
    user: str = AAD_SATO,
    activity_id: str = "1700000000001",
) -> dict[str, Any]:
    conversation: dict[str, Any] = {"id": f"a:conv-{kind}", "conversationType": kind}
    body: dict[str, Any] = {
        "type": "message",
        "id": activity_id,
        "timestamp": "2026-12-07T10:00:00.000Z",
        "serviceUrl": service_url,
        "channelId": "msteams",
        "from": {"id": "29:teams-user", "name": "佐藤", "aadObjectId": user},
        "conversation": conversation,
        "recipient": {"id": f"28:{APP_ID}", "name": "Yakuba"},
        "text": text,
        "textFormat": "plain",
    }
    if kind == "channel":
        body["text"] = f"<at>Yakuba</at> {text}"
        body["entities"] = [
            {
                "type": "mention",
                "mentioned": {"id": f"28:{APP_ID}", "name": "Yakuba"},
                "text": "<at>Yakuba</at>",
            }
        ]
    return body


def post(client: TestClient, body: dict[str, Any], bearer: str | None) -> Any:
    headers = {"Content-Type": "application/json"}
    if bearer is not None:
        headers["Authorization"] = f"Bearer {bearer}"
    return client.post(PATH, content=json.dumps(body, ensure_ascii=False), headers=headers)


def card_texts(call_body: dict[str, Any]) -> list[str]:
    cards = [a["content"] for a in call_body.get("attachments", [])]
    return [b["text"] for card in cards for b in card["body"]]


@dataclass
class Teams:
    """Sends activities as Teams would and returns what the bot replied."""

    client: TestClient
    api: ChatApiServer
    key: rsa.RSAPrivateKey

    @property
    def service(self) -> str:
        return self.api.url(TEAMS_SERVICE)

    def send(
        self,
        text: str,
        *,
        kind: str = "personal",
        user: str = AAD_SATO,
        activity_id: str = "1700000000001",
        value: dict[str, Any] | None = None,
    ) -> RecordedCall:
        body = activity(self.service, text, kind=kind, user=user, activity_id=activity_id)
        if value is not None:  # an Adaptive Card's Action.Submit: its data, no text
            body["value"] = value
            del body["text"]
        response = post(self.client, body, token(self.key, self.service))
        assert response.status_code in (200, 202)
        return self.api.wait_for(activity_id)[0]

    def last_record(self) -> AuditRecord:
        return self.client.app.state.runtime.audit.records()[-1]  # type: ignore[attr-defined,no-any-return]


@pytest.fixture
def teams(teams_client: TestClient, chat_api: ChatApiServer, rsa_key: rsa.RSAPrivateKey) -> Teams:
    return Teams(teams_client, chat_api, rsa_key)


def test_a_personal_chat_is_answered_with_an_adaptive_card(
    teams: Teams, llm_server: RecordingLLMServer
) -> None:
    sent = teams.send("行政手続法の審査基準とは何ですか")
    assert sent.path == f"{TEAMS_SERVICE}v3/conversations/a:conv-personal/activities/1700000000001"
    assert sent.headers["authorization"] == f"Bearer {TEAMS_TOKEN_VALUE}"
    attachment = sent.body["attachments"][0]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    texts = card_texts(sent.body)
    assert texts[0].startswith("【テスト応答】") and "**出典**" in texts
    assert any(t.startswith("[1]") for t in texts)
    assert teams.api.named("teams-token")[0].body["client_id"] == APP_ID
    record = teams.last_record()
    assert (record.channel, record.chat_user, record.user, record.department) == (
        "teams",
        AAD_SATO,
        "sato",
        "市民課",
    )


def test_a_channel_mention_is_answered_without_the_mention(
    teams: Teams, llm_server: RecordingLLMServer
) -> None:
    sent = teams.send("情報公開法の開示請求の期限は？", kind="channel")
    assert "a:conv-channel" in sent.path
    prompt = llm_server.last_chat_request.prompt_text()
    assert "情報公開法の開示請求の期限は？" in prompt and "<at>" not in prompt


def test_a_blocked_question_in_a_channel_shows_no_details_and_reaches_no_model(
    teams: Teams, llm_server: RecordingLLMServer
) -> None:
    sent = teams.send("マイナンバー 1234 5678 9018 の方の転出届", kind="channel")
    assert "送信できませんでした" in sent.body["text"]
    assert "1234" not in json.dumps(sent.body, ensure_ascii=False)
    assert llm_server.chat_requests == []
    assert (teams.last_record().status, teams.last_record().channel) == ("blocked", "teams")


def test_a_blocked_question_in_a_personal_chat_is_explained(
    teams: Teams, llm_server: RecordingLLMServer
) -> None:
    texts = card_texts(teams.send("マイナンバー 1234 5678 9018 の方の転出届").body)
    assert any("送信を止めました" in t for t in texts)
    assert llm_server.chat_requests == []


def test_an_unknown_user_is_refused_politely(teams: Teams, llm_server: RecordingLLMServer) -> None:
    texts = card_texts(teams.send("審査基準とは", user="aad-stranger").body)
    assert any("登録されていません" in t for t in texts)
    assert llm_server.chat_requests == []


@pytest.mark.parametrize("kind", ["none", "other-key", "other-audience", "expired"])
def test_requests_without_a_valid_token_are_refused_and_audited(
    teams: Teams, llm_server: RecordingLLMServer, kind: str
) -> None:
    bearer = {
        "none": None,
        "other-key": token(
            rsa.generate_private_key(public_exponent=65537, key_size=2048), teams.service
        ),
        "other-audience": token(teams.key, teams.service, audience="another-bot"),
        "expired": token(teams.key, teams.service, age_s=3 * 3600),
    }[kind]
    response = post(teams.client, activity(teams.service, "審査基準とは"), bearer)
    assert response.status_code == 401
    time.sleep(0.2)
    assert teams.api.calls == [] and llm_server.chat_requests == []
    assert (teams.last_record().error_code, teams.last_record().channel) == (
        "bot_signature_invalid",
        "teams",
    )


def test_a_message_is_acknowledged_at_once_and_a_resend_answered_once(
    teams: Teams, llm_server: RecordingLLMServer
) -> None:
    llm_server.latency_s = 1.0
    body = activity(teams.service, "審査基準とは何ですか")
    started = time.perf_counter()
    first = post(teams.client, body, token(teams.key, teams.service))
    assert first.status_code == 202 and time.perf_counter() - started < 1.0
    assert post(teams.client, body, token(teams.key, teams.service)).status_code == 202
    teams.api.wait_for("1700000000001")
    time.sleep(1.5)
    assert len(teams.api.named("1700000000001")) == 1 and len(llm_server.chat_requests) == 1


def card_actions(call_body: dict[str, Any]) -> list[dict[str, Any]]:
    cards = [a["content"] for a in call_body.get("attachments", [])]
    return [action for card in cards for action in card.get("actions", [])]


def test_card_buttons_store_feedback_for_the_asker_only(teams: Teams) -> None:
    answer = teams.send("行政手続法の審査基準とは何ですか")
    up, down = card_actions(answer.body)
    assert (up["type"], up["title"], down["title"]) == (
        "Action.Submit",
        "👍 役に立った",
        "👎 役に立たなかった",
    )
    audit_id = teams.last_record().id
    assert down["data"] == {"yakuba": f"yakuba:feedback:down:{audit_id}"}

    thanks = teams.send("", activity_id="1700000000002", value=down["data"])
    assert "評価を記録しました" in thanks.body["text"]
    stored = teams.client.app.state.runtime.audit.feedback(audit_id=audit_id)  # type: ignore[attr-defined]
    assert [(f.user, f.rating) for f in stored] == [("sato", "down")]

    # a stranger's click (a forwarded card) stores nothing
    refused = teams.send("", user="aad-stranger", activity_id="1700000000003", value=up["data"])
    assert "登録されていません" in refused.body["text"]
    forged = {"yakuba": "yakuba:feedback:up:not-a-number"}
    teams.send("", activity_id="1700000000004", value=forged)  # treated as an empty message
    assert len(teams.client.app.state.runtime.audit.feedback(audit_id=audit_id)) == 1  # type: ignore[attr-defined]


def test_a_task_command_runs_the_task_through_the_shared_parser(
    teams: Teams, llm_server: RecordingLLMServer
) -> None:
    text = "住民税の納付期限は6月末です。口座振替の手続きは窓口でも受け付けています。"
    result = teams.send(f"/要約 {text}", kind="channel")
    assert card_texts(result.body)[0].startswith("【テスト応答】")
    assert text in llm_server.last_chat_request.prompt_text()
    record = teams.last_record()
    assert (record.task, record.channel, record.user) == ("summarize", "teams", "sato")
    assert len(card_actions(result.body)) == 2  # a task result can be rated too

    usage = teams.send("/yakuba 何か", activity_id="1700000000005")
    assert any("使い方" in t for t in card_texts(usage.body))


def test_a_blocked_task_never_reaches_the_model(
    teams: Teams, llm_server: RecordingLLMServer
) -> None:
    sent = teams.send("/翻訳 en マイナンバー 1234 5678 9018 の山田太郎さんへの通知")
    texts = card_texts(sent.body)
    assert any("送信を止めました" in t for t in texts) and card_actions(sent.body) == []
    assert llm_server.chat_requests == []
    assert "1234 5678" not in json.dumps(sent.body, ensure_ascii=False)
    assert (teams.last_record().status, teams.last_record().task) == ("blocked", "translate")
