"""Issue 18 through the real HTTP API and the recording test model: with `placeholders`
requested, residents' data reaches the model as 〈氏名1〉 …, the caller's answer has the
values back, and neither the audit database nor the logs hold a value; without it, the
request is refused as before. What reached the model is read from the test server's
inbox, so "never sent" means never sent."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.service.pipeline_support import database_text
from tests.service.placeholder_support import (
    ADDRESS,
    DRAFT,
    LETTER,
    NAME,
    PHONE,
    VALUES,
    last_user,
    letter_reply,
)
from tests.utils.llm_server import RecordingLLMServer
from tests.utils.service_api import audit_records

AppFactory = Any


@pytest.fixture
def client(
    make_client: AppFactory, llm_overrides: dict[str, object], llm_server: RecordingLLMServer
) -> TestClient:
    llm_server.reply = letter_reply
    client: TestClient = make_client(**llm_overrides)
    return client


def _no_values(*texts: str) -> None:
    for text in texts:
        for value in VALUES:
            assert value not in text, value


def test_without_placeholders_a_letter_to_a_resident_is_refused_and_says_how(
    client: TestClient, llm_server: RecordingLLMServer
) -> None:
    out = client.post("/v1/tasks/draft", json=DRAFT).json()
    assert out["status"] == "blocked"
    assert "placeholders: true" in out["text"] and "仮名" in out["text"]
    assert out["placeholders"] is None
    assert llm_server.chat_requests == []


def test_with_placeholders_the_model_sees_placeholders_and_the_caller_the_values(
    client: TestClient, llm_server: RecordingLLMServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    response = client.post("/v1/tasks/draft", json={**DRAFT, "placeholders": True})
    assert response.status_code == 200, response.text
    out = response.json()
    sent = llm_server.all_prompt_text()
    assert "〈氏名1〉様あて" in sent and "〈住所1〉" in sent and "〈電話1〉" in sent
    _no_values(sent)
    # The caller's answer: the values back in their places, the suffix intact.
    assert out["status"] == "answered" and out["guard"]["action"] == "placeholder"
    assert out["text"].startswith(f"{NAME}様\n{ADDRESS}\n{PHONE}\n\n拝啓")
    assert "〈" not in out["text"]
    summary = out["placeholders"]
    assert {(r["placeholder"], r["type"], r["count"]) for r in summary["replaced"]} == {
        ("〈氏名1〉", "PERSON", 1),
        ("〈住所1〉", "ADDRESS", 1),
        ("〈電話1〉", "PHONE_NUMBER", 1),
    }
    assert summary["restored"] == 3 and summary["issues"] == []
    # Nothing of the values beside the answer text: not in the summary, the notices …
    _no_values(json.dumps({k: v for k, v in out.items() if k != "text"}, ensure_ascii=False))
    # … the audit record keeps the placeholder text and the counts …
    (record,) = audit_records(client)
    assert "〈氏名1〉様あて" in record.prompt and "〈氏名1〉様" in record.answer
    assert record.findings.get("PERSON") == 1 and record.status == "masked"
    # … and neither the database nor the logs hold a value.
    _no_values(database_text(client), caplog.text)


def test_a_never_placeholdered_identifier_still_blocks(
    client: TestClient, llm_server: RecordingLLMServer
) -> None:
    body = {**DRAFT, "instructions": LETTER + "マイナンバーは123456789018。", "placeholders": True}
    out = client.post("/v1/tasks/draft", json=body).json()
    assert out["status"] == "blocked" and "仮名に置き換えても送信できない" in out["text"]
    assert "マイナンバー" in out["text"]
    assert llm_server.chat_requests == []
    _no_values(database_text(client))
    assert "123456789018" not in database_text(client)


def test_ask_and_faq_never_take_placeholders(
    client: TestClient, llm_server: RecordingLLMServer
) -> None:
    body = {"question": f"{NAME}様の児童手当の手続は？", "placeholders": True}
    out = client.post("/v1/tasks/faq", json=body).json()
    assert out["status"] == "blocked"
    assert llm_server.chat_requests == []


def test_a_placeholder_typed_by_the_staff_member_is_theirs_and_never_restored(
    client: TestClient, llm_server: RecordingLLMServer
) -> None:
    # An attempt to have 〈氏名1〉 restored to somebody's value: the typed token is
    # reserved, the resident gets 〈氏名2〉, and the typed one comes back as typed.
    text = f"〈氏名1〉様と{NAME}様への通知文を作って。"
    out = client.post(
        "/v1/tasks/draft", json={"kind": "通知文", "instructions": text, "placeholders": True}
    ).json()
    sent = llm_server.all_prompt_text()
    assert "〈氏名1〉様と〈氏名2〉様" in sent and NAME not in sent
    assert out["text"].startswith(f"〈氏名1〉様\n{NAME}様")
    assert [r["placeholder"] for r in out["placeholders"]["replaced"]] == ["〈氏名2〉"]


def test_invented_and_changed_placeholders_are_reported_not_guessed(
    client: TestClient, llm_server: RecordingLLMServer
) -> None:
    llm_server.reply = "〈氏名9〉様、〈名前1〉様へ。〈住所1〉にお送りします。"
    out = client.post("/v1/tasks/draft", json={**DRAFT, "placeholders": True}).json()
    assert out["text"].startswith(f"〈氏名9〉様、〈名前1〉様へ。{ADDRESS}にお送りします。")
    kinds = {(i["kind"], i["written"]) for i in out["placeholders"]["issues"]}
    assert ("invented", "〈氏名9〉") in kinds and ("changed", "〈名前1〉") in kinds
    assert ("dropped", "〈電話1〉") in kinds
    assert any("〈氏名9〉" in n and "元に戻していません" in n for n in out["notices"])


def test_personal_data_the_model_wrote_itself_is_masked_by_the_output_guard(
    client: TestClient, llm_server: RecordingLLMServer
) -> None:
    # A model asked to reveal: it can only write what it knows (placeholders), and a
    # value of its own (a phone number that was never sent) is masked as today.
    llm_server.reply = "〈氏名1〉様の本当の電話番号は 080-9876-5432 です。"
    out = client.post("/v1/tasks/draft", json={**DRAFT, "placeholders": True}).json()
    assert out["text"].startswith(f"{NAME}様の本当の電話番号は <電話番号> です。")
    assert "080-9876-5432" not in database_text(client)


def test_preview_shows_what_would_be_replaced_without_calling_the_model(
    client: TestClient, llm_server: RecordingLLMServer
) -> None:
    out = client.post("/v1/tasks/draft/preview", json=DRAFT).json()
    assert out["action"] == "placeholder"
    (field,) = out["fields"]
    preview = field["preview"]
    assert preview["text"].startswith("〈氏名1〉様あての")
    spans = {(i["placeholder"], LETTER[i["start"] : i["end"]]) for i in preview["items"]}
    assert ("〈氏名1〉", NAME) in spans and ("〈電話1〉", PHONE) in spans
    assert "仮名" in out["message"]
    _no_values(json.dumps(out, ensure_ascii=False).replace(LETTER, ""))
    assert llm_server.chat_requests == [] and audit_records(client) == []


def test_preview_says_what_blocks(client: TestClient) -> None:
    body = {**DRAFT, "instructions": LETTER + "口座番号は普通 1234567。"}
    out = client.post("/v1/tasks/draft/preview", json=body).json()
    assert out["action"] == "block"


def test_a_thread_keeps_one_placeholder_per_value_across_requests(
    client: TestClient, llm_server: RecordingLLMServer
) -> None:
    first = {"kind": "通知文", "instructions": f"{NAME}様への通知", "placeholders": True}
    second = {"text": f"佐藤花子様と{NAME}様の件の記録", "placeholders": True}
    for body in (first, second):
        body["thread_id"] = "case-1"
    client.post("/v1/tasks/draft", json=first)
    out = client.post("/v1/tasks/summarize", json=second).json()
    sent = last_user(llm_server.chat_requests[-1].body)
    assert "〈氏名2〉様と〈氏名1〉様" in sent
    assert NAME in out["text"] and "佐藤花子" in out["text"]


def test_chat_completions_extension_turns_placeholders_on(
    client: TestClient, llm_server: RecordingLLMServer
) -> None:
    body: dict[str, Any] = {
        "model": "yakuba",
        "messages": [{"role": "user", "content": LETTER}],
    }
    plain = client.post("/v1/chat/completions", json=body).json()
    assert plain["choices"][0]["finish_reason"] == "content_filter"
    assert "placeholders" not in plain["yakuba"]
    assert llm_server.chat_requests == []
    out = client.post(
        "/v1/chat/completions", json={**body, "yakuba": {"placeholders": True}}
    ).json()
    sent = llm_server.all_prompt_text()
    _no_values(sent)
    assert out["choices"][0]["message"]["content"].startswith(f"{NAME}様\n{ADDRESS}")
    replaced = out["yakuba"]["placeholders"]["replaced"]
    assert {r["placeholder"] for r in replaced} == {"〈氏名1〉", "〈住所1〉", "〈電話1〉"}
    _no_values(database_text(client))


def test_chat_preview_shows_each_message_without_calling_the_model(
    client: TestClient, llm_server: RecordingLLMServer
) -> None:
    body: dict[str, Any] = {
        "model": "yakuba",
        "messages": [
            {"role": "system", "content": "あなたは市役所の文書作成を手伝います。"},
            {"role": "user", "content": LETTER},
        ],
    }
    out = client.post("/v1/chat/completions/preview", json=body).json()
    assert out["action"] == "placeholder" and out["task"] == "chat"
    system, user = out["fields"]
    assert system["name"] == "m1" and system["preview"]["items"] == []
    assert user["name"] == "m2" and user["preview"]["text"].startswith("〈氏名1〉様あての")
    assert llm_server.chat_requests == [] and audit_records(client) == []

    secret = {**body, "messages": [{"role": "user", "content": "マイナンバーは123456789018です"}]}
    blocked = client.post("/v1/chat/completions/preview", json=secret).json()
    assert blocked["action"] == "block"
    assert "123456789018" not in json.dumps(blocked["fields"][0]["preview"]["items"])

    rag = client.post("/v1/chat/completions/preview", json={**body, "model": "yakuba-rag"})
    assert rag.status_code == 422 and "yakuba モデルだけ" in rag.json()["error"]["message"]


def test_chat_completions_streamed_answer_is_restored(
    client: TestClient, llm_server: RecordingLLMServer
) -> None:
    llm_server.stream_chunk_chars = 3  # placeholders split over pieces
    body = {
        "model": "yakuba",
        "stream": True,
        "messages": [{"role": "user", "content": LETTER}],
        "yakuba": {"placeholders": True},
    }
    with client.stream("POST", "/v1/chat/completions", json=body) as response:
        events = [line[6:] for line in response.iter_lines() if line.startswith("data: ")]
    text = "".join(
        json.loads(e)["choices"][0]["delta"].get("content", "") for e in events if e != "[DONE]"
    )
    assert text.startswith(f"{NAME}様\n{ADDRESS}\n{PHONE}")
    _no_values(llm_server.all_prompt_text(), database_text(client))


def test_a_request_over_the_mapping_bound_is_refused_without_quoting_a_value(
    client: TestClient, llm_server: RecordingLLMServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    phones = [f"090-{1000 + i:04d}-{5000 + i:04d}" for i in range(300)]
    roster = "、".join(f"{p}（携帯）" for p in phones)
    body = {"text": f"次の連絡網を要約して：{roster}", "placeholders": True}
    out = client.post("/v1/tasks/summarize", json=body).json()
    assert out["status"] == "blocked" and "多すぎる" in out["text"]
    assert llm_server.chat_requests == []
    stored = database_text(client)
    for phone in phones:
        assert phone not in out["text"] and phone not in stored and phone not in caplog.text


def test_an_uploaded_file_is_summarized_with_placeholders_when_asked(
    client: TestClient, llm_server: RecordingLLMServer
) -> None:
    memo = f"窓口記録（令和8年12月7日）\n{LETTER}\n次回は来週の予定。".encode()
    upload = {"file": ("窓口記録.txt", memo, "text/plain")}
    refused = client.post("/v1/tasks/summarize/file", files=upload).json()
    assert refused["status"] == "blocked" and llm_server.chat_requests == []

    response = client.post(
        "/v1/tasks/summarize/file",
        files=upload,
        data={"placeholders": "true", "thread_id": "memo-1"},
    )
    assert response.status_code == 200, response.text
    out = response.json()
    sent = llm_server.all_prompt_text()
    assert "〈氏名1〉" in sent and "〈電話1〉" in sent
    _no_values(sent, database_text(client))
    assert out["status"] == "answered" and out["text"].startswith(f"{NAME}様")
    assert {r["type"] for r in out["placeholders"]["replaced"]} >= {"PERSON", "PHONE_NUMBER"}


def test_an_upload_with_a_malformed_thread_id_is_refused_with_the_shared_body(
    client: TestClient, llm_server: RecordingLLMServer
) -> None:
    upload = {"file": ("a.txt", "会議の記録です。".encode(), "text/plain")}
    data = {"placeholders": "true", "thread_id": "../../etc"}
    response = client.post("/v1/tasks/summarize/file", files=upload, data=data)
    assert (response.status_code, response.json()["detail"]["code"]) == (400, "invalid_form")
    assert llm_server.chat_requests == []


def test_an_uploaded_file_is_previewed_from_its_text_on_the_server(
    client: TestClient, llm_server: RecordingLLMServer, caplog: pytest.LogCaptureFixture
) -> None:
    """The page's file upload: the text is read with the upload's own loaders, the spans
    index that text, and nothing is sent, stored, audited or logged."""
    memo = f"窓口記録（令和8年12月7日）\n{LETTER}\n次回は来週の予定。"
    upload = {"file": ("窓口記録.txt", memo.encode(), "text/plain")}
    form = {"purpose": "窓口記録の要約", "length": "短め", "format": "箇条書き"}
    with caplog.at_level(logging.DEBUG):
        response = client.post("/v1/tasks/summarize/file/preview", files=upload, data=form)
    assert response.status_code == 200, response.text
    out = response.json()
    assert out["action"] == "placeholder" and out["kind"] == "テキスト"
    document = out["document"]
    assert document == memo
    (field,) = out["fields"]
    spans = {(i["placeholder"], document[i["start"] : i["end"]]) for i in field["preview"]["items"]}
    assert ("〈氏名1〉", NAME) in spans and ("〈電話1〉", PHONE) in spans
    assert field["preview"]["text"].startswith("窓口記録（令和8年12月7日）\n〈氏名1〉様あての")
    assert llm_server.chat_requests == [] and audit_records(client) == []
    _no_values(database_text(client), caplog.text)


def test_a_file_preview_refuses_what_the_upload_refuses(client: TestClient) -> None:
    empty = {"file": ("空.txt", b"", "text/plain")}
    response = client.post("/v1/tasks/summarize/file/preview", files=empty)
    assert response.status_code == 400
    assert response.json()["detail"]["code"] == "empty_file"
    binary = {"file": ("a.bin", bytes(range(256)) * 8, "application/octet-stream")}
    response = client.post("/v1/tasks/summarize/file/preview", files=binary)
    assert response.status_code in (400, 415)
    assert response.json()["detail"]["code"] == "unsupported_file_type"
    secret = {"file": ("a.txt", (LETTER + "口座番号は普通 1234567。").encode(), "text/plain")}
    out = client.post("/v1/tasks/summarize/file/preview", files=secret).json()
    assert out["action"] == "block"
