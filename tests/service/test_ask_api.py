"""`POST /v1/ask` (plain, streamed, multi-turn) and `POST /v1/feedback`, through the real app."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, select

from ingest import AnswerabilityModel
from service.pipeline.contracts import RequestContext
from service.pipeline.retrieval import CLOSEST_HEADING
from service.pipeline.threads import TurnRow
from tests.utils.llm_server import RecordingLLMServer
from tests.utils.service_api import audit_records, policy_file, runtime_of

AppFactory = Any
MY_NUMBER = "123456789018"
PHONE = "090-1234-5678"
QUESTION = "行政手続法で、申請に対する審査基準の公表はどう定められていますか"


@pytest.fixture
def llm_client(make_client: AppFactory, llm_overrides: dict[str, object]) -> TestClient:
    client: TestClient = make_client(**llm_overrides)
    return client


def events_of(client: TestClient, body: dict[str, object]) -> list[tuple[str, dict[str, Any]]]:
    with client.stream("POST", "/v1/ask", json={**body, "stream": True}) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        raw = "".join(response.iter_text())
    events = []
    for block in raw.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.split("\n"))
        events.append((lines["event"], json.loads(lines["data"])))
    return events


def test_answer_with_numbered_citations_verdict_and_audit_id(
    llm_client: TestClient, llm_server: RecordingLLMServer
) -> None:
    out = llm_client.post("/v1/ask", json={"question": QUESTION}).json()
    assert (out["status"], out["mode"]) == ("answered", "generated")
    assert out["guard"] == {"action": "allow", "findings": {}}
    first = out["citations"][0]
    assert first["number"] == 1
    assert (first["title"], first["locator"]) == ("行政手続法", "第5条")
    assert first["source"].endswith("gyousei_tetsuzuki_hou.txt") and first["excerpt"]
    assert "原典で確認" in out["text"]
    assert out["thread_id"]
    assert QUESTION in llm_server.all_prompt_text()
    (record,) = audit_records(llm_client)
    assert record.id == out["audit_id"] and record.task == "ask"


def test_without_a_model_the_answer_is_extractive(make_client: AppFactory) -> None:
    out = make_client().post("/v1/ask", json={"question": QUESTION}).json()
    assert (out["status"], out["mode"]) == ("answered", "extractive")
    assert "抽出モード" in out["text"] and out["citations"]


@pytest.mark.parametrize(
    "question", ["おすすめのラーメン屋を教えて", "Pythonでリストを並べ替える方法"]
)
def test_question_nothing_answers_is_said_so_without_the_model(
    llm_client: TestClient, llm_server: RecordingLLMServer, question: str
) -> None:
    body = llm_client.post("/v1/ask", json={"question": question}).json()
    assert (body["status"], body["citations"]) == ("no_results", [])
    assert "該当する資料が見つかりませんでした" in body["text"]
    assert llm_server.chat_requests == []


def test_nothing_answers_even_without_the_relevance_threshold(
    make_client: AppFactory, llm_overrides: dict[str, object], llm_server: RecordingLLMServer
) -> None:
    # The knowledge base's own decision (ingest.Verdict), not only the cosine threshold,
    # keeps near-misses from being presented as the answer.
    client = make_client(**llm_overrides, retrieval_min_relevance=0.0)
    body = client.post("/v1/ask", json={"question": "おすすめのラーメン屋を教えて"}).json()
    assert body["status"] == "no_results"
    assert body["text"].startswith("該当する資料が見つかりませんでした")
    assert llm_server.chat_requests == []


def test_closest_passages_are_shown_as_possibly_not_answering(
    make_client: AppFactory, llm_overrides: dict[str, object], llm_server: RecordingLLMServer
) -> None:
    client = make_client(**llm_overrides)
    # A cut-off no question reaches: every question gets the closest-passages answer.
    runtime_of(client).knowledge_base.judge = AnswerabilityModel(answer_at=1.0, none_at=0.0)
    body = client.post("/v1/ask", json={"question": QUESTION}).json()
    assert (body["status"], body["mode"]) == ("no_results", "extractive")
    assert body["text"].startswith(CLOSEST_HEADING)
    assert body["citations"][0]["locator"] == "第5条" and "[1] 行政手続法 第5条" in body["text"]
    assert llm_server.chat_requests == [], "the model is not asked to answer from near-misses"
    (record,) = audit_records(client)
    assert record.sources and record.mode == "extractive"


def test_blocked_question_is_explained_and_never_sent(
    llm_client: TestClient, llm_server: RecordingLLMServer
) -> None:
    out = llm_client.post("/v1/ask", json={"question": f"マイナンバー{MY_NUMBER}の住民の手続は"})
    body = out.json()
    assert (out.status_code, body["status"]) == (200, "blocked")
    assert body["guard"] == {"action": "block", "findings": {"MY_NUMBER": 1}}
    assert "マイナンバー" in body["text"] and MY_NUMBER not in out.text
    assert llm_server.chat_requests == []


def test_masked_question_sends_labels_only(
    make_client: AppFactory,
    llm_overrides: dict[str, object],
    llm_server: RecordingLLMServer,
    tmp_path: Path,
) -> None:
    client = make_client(
        **llm_overrides, guard_policy_file=policy_file(tmp_path, PHONE_NUMBER="mask")
    )
    out = client.post("/v1/ask", json={"question": f"{PHONE}から審査基準の問合せ"}).json()
    assert out["guard"]["action"] == "mask"
    sent = llm_server.all_prompt_text()
    assert "<電話番号>から審査基準の問合せ" in sent and PHONE not in sent


def test_too_long_question_is_413_in_japanese(make_client: AppFactory) -> None:
    client = make_client(max_prompt_chars=100)
    response = client.post("/v1/ask", json={"question": "あ" * 101})
    assert response.status_code == 413
    detail = response.json()["detail"]
    assert detail["code"] == "prompt_too_long" and "100文字以内" in detail["message"]
    assert audit_records(client)[0].id == detail["audit_id"]


def test_streaming_sends_deltas_then_citations_and_audit_id(
    llm_client: TestClient, llm_server: RecordingLLMServer
) -> None:
    llm_server.reply = "審査基準は公にしておく必要があります。例外は特別の支障がある場合です [1]。"
    events = events_of(llm_client, {"question": QUESTION})
    names = [name for name, _ in events]
    assert names[-1] == "done" and set(names[:-1]) == {"delta"} and len(names) >= 3
    text = "".join(data["text"] for name, data in events if name == "delta")
    done = events[-1][1]
    assert done["text"] == text
    assert text.startswith("審査基準は公にしておく必要があります。")
    assert done["citations"][0]["locator"] == "第5条"
    assert done["audit_id"] == audit_records(llm_client)[0].id
    assert llm_server.last_chat_request.stream


def test_streamed_output_is_guarded(llm_client: TestClient, llm_server: RecordingLLMServer) -> None:
    llm_server.reply = f"担当の携帯は{PHONE}です。以上です。"
    events = events_of(llm_client, {"question": QUESTION})
    assert PHONE not in json.dumps(events, ensure_ascii=False)
    assert "<電話番号>" in events[-1][1]["text"]


def test_streaming_a_blocked_question_is_one_explanation(
    llm_client: TestClient, llm_server: RecordingLLMServer
) -> None:
    events = events_of(llm_client, {"question": f"電話{PHONE}の方の件"})
    assert [name for name, _ in events] == ["delta", "done"]
    assert events[-1][1]["status"] == "blocked"
    assert llm_server.chat_requests == []


def test_streaming_model_failure_degrades_to_quoting_the_passages(
    llm_client: TestClient, llm_server: RecordingLLMServer
) -> None:
    """Issue 16: the model down before its first word — the passages were already found
    and screened, so they are quoted with a notice that says why, audited as such."""
    llm_server.fail_next(503)
    events = events_of(llm_client, {"question": QUESTION})
    assert [name for name, _ in events] == ["done"]
    done = events[0][1]
    assert (done["status"], done["mode"]) == ("answered", "extractive")
    assert done["error_code"].startswith("llm_")
    assert "生成モデルから回答を得られなかった" in done["text"] and done["citations"]
    (record,) = audit_records(llm_client)
    assert (record.status, record.mode, record.error_code) == (
        "allowed",
        "extractive",
        done["error_code"],
    )


def test_threads_replay_guarded_history_within_bounds(
    make_client: AppFactory, llm_overrides: dict[str, object], llm_server: RecordingLLMServer
) -> None:
    client = make_client(**llm_overrides, thread_max_turns=2)
    first = client.post("/v1/ask", json={"question": "審査基準の公表は"}).json()
    thread_id = first["thread_id"]
    for question in ("標準処理期間は", "理由の提示は"):
        follow = client.post("/v1/ask", json={"question": question, "thread_id": thread_id})
        assert follow.json()["thread_id"] == thread_id
    blocked = client.post(
        "/v1/ask", json={"question": f"{PHONE}の申請者への理由の提示", "thread_id": thread_id}
    )
    assert blocked.json()["status"] == "blocked"
    client.post("/v1/ask", json={"question": "聴聞の手続は", "thread_id": thread_id})

    roles = [[m["role"] for m in r.messages] for r in llm_server.chat_requests]
    assert roles[0] == ["system", "user"]
    assert roles[1] == ["system", "user", "assistant", "user"]
    # at most two earlier turns are replayed
    assert roles[3] == ["system", "user", "assistant", "user", "assistant", "user"]
    last = llm_server.last_chat_request.messages
    assert [m["content"] for m in last[1:5:2]] == ["標準処理期間は", "理由の提示は"]
    assert PHONE not in llm_server.all_prompt_text()
    # another thread starts afresh
    client.post("/v1/ask", json={"question": "聴聞の手続は", "thread_id": "other-thread"})
    assert [m["role"] for m in llm_server.last_chat_request.messages] == ["system", "user"]
    assert len(audit_records(client)) == 6


def test_the_thread_store_holds_only_what_the_audit_store_holds(
    make_client: AppFactory,
    llm_overrides: dict[str, object],
    tmp_path: Path,
) -> None:
    """Threads live in the database now: a masked question is stored as sent to the model
    (labels), a blocked one not at all, and each stored text is the audited one."""
    client = make_client(
        **llm_overrides, guard_policy_file=policy_file(tmp_path, PHONE_NUMBER="mask")
    )
    first = client.post("/v1/ask", json={"question": f"{PHONE}から審査基準の問合せ"}).json()
    assert first["guard"]["action"] == "mask"
    blocked = client.post(
        "/v1/ask",
        json={"question": f"マイナンバー{MY_NUMBER}の件", "thread_id": first["thread_id"]},
    ).json()
    assert blocked["status"] == "blocked"
    engine = create_engine(runtime_of(client).settings.audit_database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(select(TurnRow.question, TurnRow.answer)).all()
    finally:
        engine.dispose()
    assert [q for q, _ in rows] == ["<電話番号>から審査基準の問合せ"]
    stored = " ".join(f"{q} {a}" for q, a in rows)
    assert PHONE not in stored and MY_NUMBER not in stored
    record = next(r for r in audit_records(client) if r.status == "masked")
    assert record.prompt == rows[0][0] and record.answer.startswith(rows[0][1])


def test_threads_are_per_user(llm_client: TestClient) -> None:
    conversations = runtime_of(llm_client).conversations
    assistant = runtime_of(llm_client).assistant
    thread = conversations.get("u1", "t")
    assistant.ask(QUESTION, RequestContext(user="u1"), thread=thread)
    assert len(conversations.get("u1", "t").turns) == 1
    assert conversations.get("u2", "t").turns == []


def test_feedback_is_stored_with_the_comment_guarded(llm_client: TestClient) -> None:
    answer = llm_client.post("/v1/ask", json={"question": QUESTION}).json()
    good = llm_client.post(
        "/v1/feedback", json={"audit_id": answer["audit_id"], "rating": "up", "comment": "正確"}
    )
    assert good.status_code == 201
    bad = llm_client.post(
        "/v1/feedback",
        json={
            "audit_id": answer["audit_id"],
            "rating": "down",
            "comment": f"{PHONE}の方への回答には使えない",
        },
    )
    body = bad.json()
    assert body["guard"] == {"action": "block", "findings": {"PHONE_NUMBER": 1}}
    assert body["notices"] and PHONE not in bad.text
    stored = runtime_of(llm_client).audit.feedback(audit_id=answer["audit_id"])
    assert [(f.rating, f.comment) for f in stored] == [
        ("up", "正確"),
        ("down", "<電話番号>の方への回答には使えない"),
    ]
    # feedback sits beside the chain: one record per request, still verifying
    assert len(audit_records(llm_client)) == 1
    assert runtime_of(llm_client).audit.verify() == []


def test_feedback_on_an_unknown_answer_is_404(llm_client: TestClient) -> None:
    response = llm_client.post("/v1/feedback", json={"audit_id": 999, "rating": "up"})
    assert response.status_code == 404
    assert response.json()["detail"]["code"] == "not_found"
    assert llm_client.post("/v1/feedback", json={"audit_id": 1, "rating": "meh"}).status_code == 422


def test_openapi_documents_the_assistant_api(make_client: AppFactory) -> None:
    paths = make_client().get("/openapi.json").json()["paths"]
    for path in (
        "/v1/ask",
        "/v1/tasks/draft",
        "/v1/tasks/summarize",
        "/v1/tasks/summarize/file",
        "/v1/tasks/translate",
        "/v1/tasks/proofread",
        "/v1/tasks/faq",
        "/v1/feedback",
    ):
        assert "post" in paths[path], path
    upload = paths["/v1/tasks/summarize/file"]["post"]
    assert "multipart/form-data" in upload["requestBody"]["content"]
    assert "415" in upload["responses"]
