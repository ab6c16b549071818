"""The task endpoints through the real app and the recording test LLM.

What reached the model is read from the test server's inbox, so "never sent" means
never sent."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.pipeline.contracts import TASK_CHECK_NOTICE
from service.pipeline.tasks import DEFAULT_AI_LABEL
from tests.utils.llm_server import RecordingLLMServer
from tests.utils.service_api import (
    audit_records,
    docx_bytes,
    pdf_bytes,
    policy_file,
    runtime_of,
    upload,
    zip_bytes,
)

AppFactory = Any
MY_NUMBER = "123456789018"
PHONE = "090-1234-5678"

# task → (request body, what of the task's own instructions must reach the model)
HAPPY = {
    "draft": (
        {
            "kind": "お知らせ",
            "tone": "丁寧",
            "length": "短め",
            "instructions": "粗大ごみの収集日が変わる",
        },
        ["下書き", "住民向けのお知らせ", "200字程度", "粗大ごみの収集日が変わる"],
    ),
    "summarize": (
        {"text": "第3回会議では、図書館の開館時間を延長する案を承認した。", "format": "文章"},
        ["要約", "段落に分けた", "図書館の開館時間を延長する案"],
    ),
    "translate": (
        {"text": "転入届は14日以内に出してください。", "target": "easy_ja"},
        ["やさしい日本語", "ひらがなの読み方", "転入届は14日以内に出してください。"],
    ),
    "proofread": (
        {"text": "申請書を提出して下さい。", "instructions": "送り仮名"},
        ["公用文作成の考え方", "修正後の全文", "申請書を提出して下さい。", "送り仮名"],
    ),
    "faq": (
        {"question": "審査基準はどこで見られますか"},
        ["FAQ", "[1]", "行政手続法 第5条", "審査基準はどこで見られますか"],
    ),
}


@pytest.fixture
def llm_client(make_client: AppFactory, llm_overrides: dict[str, object]) -> TestClient:
    client: TestClient = make_client(**llm_overrides)
    return client


@pytest.mark.parametrize("task", list(HAPPY))
def test_task_reaches_the_model_with_its_instructions_and_input(
    llm_client: TestClient, llm_server: RecordingLLMServer, task: str
) -> None:
    body, expected = HAPPY[task]
    response = llm_client.post(f"/v1/tasks/{task}", json={**body, "purpose": "窓口業務の準備"})
    assert response.status_code == 200, response.text
    out = response.json()
    assert (out["status"], out["mode"], out["task"]) == ("answered", "generated", task)
    assert out["text"].startswith("【テスト応答】")
    assert out["prompt_ref"].startswith(f"{task}@")
    sent = llm_server.all_prompt_text()
    for fragment in expected:
        assert fragment in sent, fragment
    (record,) = audit_records(llm_client)
    assert (record.task, record.status, record.prompt_ref) == (task, "allowed", out["prompt_ref"])
    assert record.purpose == "窓口業務の準備"
    assert record.id == out["audit_id"]
    assert record.model == "test-model" and record.tokens_in > 0


def test_outputs_carry_the_notice_and_drafts_the_ai_label(llm_client: TestClient) -> None:
    for task, (body, _) in HAPPY.items():
        text = llm_client.post(f"/v1/tasks/{task}", json=body).json()["text"]
        assert "生成AIの出力です" in text, task
        assert (DEFAULT_AI_LABEL in text) == (task in ("draft", "faq")), task
    draft = llm_client.post("/v1/tasks/draft", json=HAPPY["draft"][0]).json()["text"]
    assert draft.endswith(f"{DEFAULT_AI_LABEL}\n\n{TASK_CHECK_NOTICE}")


@pytest.mark.parametrize(("setting", "present"), [("off", None), ("※AI作成の案", "※AI作成の案")])
def test_ai_label_is_configurable(
    make_client: AppFactory, llm_overrides: dict[str, object], setting: str, present: str | None
) -> None:
    client = make_client(**llm_overrides, ai_label=setting)
    text = client.post("/v1/tasks/draft", json=HAPPY["draft"][0]).json()["text"]
    assert DEFAULT_AI_LABEL not in text
    if present:
        assert present in text


# (task, body) with personal data in exactly one user-supplied field, the purpose included
BLOCKED_FIELDS = [
    ("draft", {"kind": "メール", "instructions": f"個人番号{MY_NUMBER}の方への返信"}),
    ("draft", {"kind": "メール", "instructions": "返信", "purpose": f"{PHONE}への折り返し"}),
    ("summarize", {"text": f"相談者の携帯は{PHONE}。相談内容は騒音。"}),
    ("translate", {"text": f"マイナンバー{MY_NUMBER}を記入", "target": "en"}),
    ("proofread", {"text": "提出して下さい。", "instructions": f"{PHONE}の方の文"}),
    ("proofread", {"text": "連絡先 taro.yamada@example.jp まで", "instructions": ""}),
    ("faq", {"question": "審査基準は？", "instructions": f"個人番号{MY_NUMBER}"}),
    ("faq", {"question": f"{PHONE}から問合せがあった件"}),
]


@pytest.mark.parametrize(("task", "body"), BLOCKED_FIELDS)
def test_personal_data_in_any_field_never_reaches_the_model(
    llm_client: TestClient, llm_server: RecordingLLMServer, task: str, body: dict[str, str]
) -> None:
    response = llm_client.post(f"/v1/tasks/{task}", json=body)
    assert response.status_code == 200
    out = response.json()
    assert (out["status"], out["guard"]["action"]) == ("blocked", "block")
    assert "送信を止めました" in out["text"]
    assert llm_server.chat_requests == []
    raw = json.dumps(out, ensure_ascii=False)
    for value in (MY_NUMBER, PHONE, "taro.yamada@example.jp"):
        assert value not in raw
    (record,) = audit_records(llm_client)
    assert record.status == "blocked" and record.findings
    stored = json.dumps([record.prompt, record.purpose, record.answer], ensure_ascii=False)
    assert MY_NUMBER not in stored and PHONE not in stored


def test_masked_policy_sends_labels_only(
    make_client: AppFactory,
    llm_overrides: dict[str, object],
    llm_server: RecordingLLMServer,
    tmp_path: Path,
) -> None:
    policy = policy_file(tmp_path, PHONE_NUMBER="mask")
    client = make_client(**llm_overrides, guard_policy_file=policy)
    body = {"text": f"苦情の電話（{PHONE}）があり、道路の穴について説明した。"}
    out = client.post("/v1/tasks/summarize", json=body).json()
    assert (out["status"], out["guard"]) == (
        "answered",
        {"action": "mask", "findings": {"PHONE_NUMBER": 1}},
    )
    assert any("置き換えてから送信しました" in n for n in out["notices"])
    sent = llm_server.all_prompt_text()
    assert "<電話番号>" in sent and PHONE not in sent
    assert "道路の穴" in sent
    (record,) = audit_records(client)
    assert record.status == "masked" and PHONE not in record.prompt


def test_model_output_is_guarded(llm_client: TestClient, llm_server: RecordingLLMServer) -> None:
    llm_server.reply = f"担当（{PHONE}）までご連絡ください。"
    out = llm_client.post("/v1/tasks/draft", json=HAPPY["draft"][0]).json()
    assert PHONE not in out["text"] and "<電話番号>" in out["text"]
    assert PHONE not in audit_records(llm_client)[0].answer


def test_without_a_model_tasks_fail_clearly_but_faq_is_extractive(
    make_client: AppFactory,
) -> None:
    client = make_client()
    for task in ("draft", "summarize", "translate", "proofread"):
        response = client.post(f"/v1/tasks/{task}", json=HAPPY[task][0])
        assert response.status_code == 503, task
        detail = response.json()["detail"]
        assert detail["code"] == "llm_not_configured"
        assert "生成モデルが設定されていません" in detail["message"]
    faq = client.post("/v1/tasks/faq", json=HAPPY["faq"][0])
    assert faq.status_code == 200
    out = faq.json()
    assert (out["status"], out["mode"]) == ("answered", "extractive")
    assert out["citations"][0]["locator"] == "第5条"
    records = audit_records(client)
    assert [(r.task, r.status, r.error_code) for r in records] == [
        ("draft", "failed", "llm_not_configured"),
        ("summarize", "failed", "llm_not_configured"),
        ("translate", "failed", "llm_not_configured"),
        ("proofread", "failed", "llm_not_configured"),
        ("faq", "allowed", ""),
    ]


def test_restricted_purposes_refuse_or_warn(
    make_client: AppFactory, llm_overrides: dict[str, object], llm_server: RecordingLLMServer
) -> None:
    client = make_client(
        **llm_overrides, restricted_purposes="答弁資料:refuse,予算編成:warn,重要政策決定"
    )
    body = HAPPY["draft"][0]
    refused = client.post("/v1/tasks/draft", json={**body, "purpose": "12月議会の答弁　資料"})
    assert refused.status_code == 403
    detail = refused.json()["detail"]
    assert detail["code"] == "restricted_purpose" and "答弁資料" in detail["message"]
    assert llm_server.chat_requests == []

    warned = client.post("/v1/tasks/draft", json={**body, "purpose": "来年度の予算編成"})
    assert warned.status_code == 200
    assert any("予算編成" in n for n in warned.json()["notices"])
    assert len(llm_server.chat_requests) == 1

    asked = client.post("/v1/ask", json={"question": "審査基準", "purpose": "重要政策決定"})
    assert asked.status_code == 403

    records = audit_records(client)
    assert [(r.status, r.error_code) for r in records] == [
        ("blocked", "restricted_purpose"),
        ("allowed", ""),
        ("blocked", "restricted_purpose"),
    ]
    assert detail["audit_id"] == records[0].id


def test_prompt_override_directory(
    make_client: AppFactory,
    llm_overrides: dict[str, object],
    llm_server: RecordingLLMServer,
    tmp_path: Path,
) -> None:
    folder = tmp_path / "prompts"
    folder.mkdir()
    (folder / "translate.toml").write_text(
        (Path(__file__).parents[2] / "prompts" / "translate.toml")
        .read_text(encoding="utf-8")
        .replace('version = "', 'version = "yamazato-')
        .replace("あなたは地方自治体の文書を翻訳する", "あなたは山里町の多言語窓口で翻訳する"),
        encoding="utf-8",
    )
    client = make_client(**llm_overrides, prompts_dir=folder)
    out = client.post("/v1/tasks/translate", json=HAPPY["translate"][0]).json()
    assert out["prompt_ref"].startswith("translate@yamazato-")
    assert "山里町の多言語窓口" in llm_server.all_prompt_text()
    assert audit_records(client)[0].prompt_ref == out["prompt_ref"]
    # the other tasks keep the bundled prompts
    draft = client.post("/v1/tasks/draft", json=HAPPY["draft"][0]).json()
    assert "yamazato" not in draft["prompt_ref"]


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        (
            "議事録.txt",
            "# 会議録\n\n公民館の改修は来年度に実施すると決定した。".encode(),
            "公民館の改修",
        ),
        ("議事録.txt", "公民館の改修は来年度に実施。".encode("cp932"), "公民館の改修"),
        ("議事録.docx", docx_bytes("児童館の開館日を土曜日にも広げる。"), "児童館の開館日"),
        ("スキャン.bin", pdf_bytes("防災訓練は9月1日に行う。"), "防災訓練は9月1日"),
    ],
    ids=["markdown", "shift_jis", "docx", "pdf-under-any-name"],
)
def test_uploaded_documents_are_summarized(
    llm_client: TestClient,
    llm_server: RecordingLLMServer,
    name: str,
    data: bytes,
    expected: str,
) -> None:
    response = upload(llm_client, data, name, length="短め", format="箇条書き")
    assert response.status_code == 200, response.text
    assert response.json()["task"] == "summarize"
    sent = llm_server.all_prompt_text()
    assert expected in sent and "3行程度" in sent


@pytest.mark.parametrize(
    ("name", "data", "status", "code"),
    [
        (
            "写真.txt",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64),
            415,
            "unsupported_file_type",
        ),
        (
            "資料.docx",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64),
            415,
            "unsupported_file_type",
        ),
        ("表.docx", zip_bytes({"xl/workbook.xml": b"<workbook/>"}), 415, "unsupported_file_type"),
        ("空.txt", b"", 400, "empty_file"),
        ("大きい.txt", "あ".encode() * 1_000, 413, "file_too_large"),
    ],
    ids=["png-renamed-txt", "legacy-doc", "zip-not-word", "empty", "too-large"],
)
def test_uploads_are_checked_by_content_and_size(
    make_client: AppFactory,
    llm_overrides: dict[str, object],
    llm_server: RecordingLLMServer,
    name: str,
    data: bytes,
    status: int,
    code: str,
) -> None:
    client = make_client(**llm_overrides, max_upload_bytes=2_048)
    response = upload(client, data, name)
    assert response.status_code == status, response.text
    detail = response.json()["detail"]
    assert detail["code"] == code
    assert detail["message"] and detail["audit_id"]
    assert llm_server.chat_requests == []
    (record,) = audit_records(client)
    assert (record.status, record.error_code) == ("failed", code)
    assert record.prompt.startswith("<未検査")


def test_uploaded_personal_data_is_blocked(
    llm_client: TestClient, llm_server: RecordingLLMServer
) -> None:
    out = upload(llm_client, docx_bytes("相談記録", f"相談者の電話番号は{PHONE}です。")).json()
    assert out["status"] == "blocked"
    assert llm_server.chat_requests == []
    assert PHONE not in audit_records(llm_client)[0].prompt


def test_upload_needs_a_multipart_file(llm_client: TestClient) -> None:
    raw = llm_client.post(
        "/v1/tasks/summarize/file", content=b"abc", headers={"content-type": "text/plain"}
    )
    assert raw.status_code == 415
    no_file = llm_client.post("/v1/tasks/summarize/file", files={"other": ("a.txt", b"x")})
    assert no_file.status_code == 400
    bad_choice = upload(llm_client, "本文".encode(), length="とても長い")
    assert (bad_choice.status_code, bad_choice.json()["detail"]["code"]) == (400, "invalid_form")


def test_oversized_bodies_are_refused_before_reading(make_client: AppFactory) -> None:
    client = make_client(max_upload_bytes=2_048)
    huge = b"x" * (2_048 + 1024 * 1024 + 1)
    response = client.post(
        "/v1/tasks/summarize", content=huge, headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["detail"]["code"] == "request_too_large"


def test_input_limits_are_japanese_errors(make_client: AppFactory) -> None:
    client = make_client(max_document_chars=200)
    too_long = client.post("/v1/tasks/summarize", json={"text": "あ" * 201})
    assert too_long.status_code == 413
    assert "200文字以内" in too_long.json()["detail"]["message"]
    empty = client.post("/v1/tasks/translate", json={"text": " ", "target": "en"})
    assert (empty.status_code, empty.json()["detail"]["code"]) == (400, "empty_prompt")
    assert client.post("/v1/tasks/translate", json={"text": "x", "target": "xx"}).status_code == 422


def test_model_failure_is_502_with_code(
    llm_client: TestClient, llm_server: RecordingLLMServer
) -> None:
    llm_server.fail_next(500)
    response = llm_client.post("/v1/tasks/proofread", json=HAPPY["proofread"][0])
    assert response.status_code == 502
    detail = response.json()["detail"]
    assert detail["code"].startswith("llm_") and "生成モデル" in detail["message"]
    (record,) = audit_records(llm_client)
    assert (record.status, record.error_code) == ("failed", detail["code"])


def test_every_request_leaves_one_audit_record_and_the_chain_verifies(
    llm_client: TestClient, llm_server: RecordingLLMServer
) -> None:
    llm_server.fail_next(503)
    calls = [
        ("/v1/tasks/draft", HAPPY["draft"][0]),  # model fails: 502
        ("/v1/tasks/draft", HAPPY["draft"][0]),
        ("/v1/tasks/summarize", {"text": f"番号{MY_NUMBER}"}),  # blocked
        ("/v1/tasks/translate", {"text": "", "target": "ko"}),  # empty: 400
        ("/v1/tasks/faq", HAPPY["faq"][0]),
        ("/v1/ask", {"question": "情報公開法の開示請求の方法は"}),
    ]
    statuses = [llm_client.post(path, json=body).status_code for path, body in calls]
    assert statuses == [502, 200, 200, 400, 200, 200]
    assert upload(llm_client, "会議録の本文".encode()).status_code == 200
    runtime = runtime_of(llm_client)
    records = runtime.audit.records()
    assert len(records) == len(calls) + 1
    assert len({r.request_id for r in records}) == len(records)
    assert runtime.audit.verify() == []
