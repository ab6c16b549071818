"""Issue 13's findings 1, 2, 4, 5 and 6, each through the real HTTP API with the recording
test model: what the model received, what the caller got and what the audit database
holds. Each failed on the code before service/pipeline."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlalchemy.engine import make_url

from ingest import Embedder
from service.audit import AuditEntry, AuditIntent, AuditStatus, AuditStore, Channel
from service.runtime import Runtime
from service.settings import Settings
from tests.service.pipeline_support import (
    HEADING_NAME,
    HEADING_PHONE,
    MANUAL_QUESTION,
    database_text,
    digits,
    write_manual,
)
from tests.utils.llm_server import RecordingLLMServer
from tests.utils.service_api import audit_records, runtime_of

AppFactory = Any
QUESTION = "行政手続法で、申請に対する審査基準の公表はどう定められていますか"
FIRST_HALF, SECOND_HALF = "前半は123456", "後半は789018"


@pytest.fixture(scope="session")
def manual_data_dir(tmp_path_factory: pytest.TempPathFactory, warm_embedder: Embedder) -> Path:
    """An index built in `report` mode over a manual whose heading and text name a
    resident and their mobile number."""
    data_dir = tmp_path_factory.mktemp("manual-data")
    runtime = Runtime(Settings(data_dir=data_dir, ingest_personal_data="report"))
    runtime.knowledge_base.embedder = warm_embedder
    report = runtime.knowledge_base.ingest([write_manual(tmp_path_factory.mktemp("manual"))])
    runtime.close()
    assert report.ok, report
    return data_dir


def _no_personal_data(*texts: str) -> None:
    for text in texts:
        assert HEADING_NAME not in text
        assert HEADING_PHONE not in text


def test_finding1_a_heading_reaches_model_citations_and_audit_only_screened(
    make_client: AppFactory,
    manual_data_dir: Path,
    llm_overrides: dict[str, object],
    llm_server: RecordingLLMServer,
) -> None:
    client = make_client(data_dir=manual_data_dir, ingest_personal_data="report", **llm_overrides)
    out = client.post("/v1/ask", json={"question": MANUAL_QUESTION}).json()
    assert (out["status"], out["mode"]) == ("answered", "generated")
    sent = llm_server.all_prompt_text()
    assert "[1]" in sent and "<電話番号>" in sent and "<氏名>" in sent
    (record,) = audit_records(client)
    assert record.sources and "<電話番号>" in record.sources[0]
    _no_personal_data(sent, json.dumps(out, ensure_ascii=False), database_text(client))


def test_finding5_excerpts_history_and_the_stored_answer_are_screened(
    make_client: AppFactory, manual_data_dir: Path
) -> None:
    client = make_client(data_dir=manual_data_dir, ingest_personal_data="report")
    out = client.post("/v1/ask", json={"question": MANUAL_QUESTION}).json()
    assert out["mode"] == "extractive"
    assert "<電話番号>" in out["citations"][0]["excerpt"]
    history = client.get("/v1/history").json()
    _no_personal_data(
        json.dumps(out, ensure_ascii=False),
        json.dumps(history, ensure_ascii=False),
        database_text(client),
    )


def _chat(client: TestClient, *texts: str, stream: bool = False) -> Any:
    roles = ["user", "assistant"]
    messages = [{"role": roles[i % 2], "content": t} for i, t in enumerate(texts)]
    return client.post(
        "/v1/chat/completions", json={"model": "yakuba", "messages": messages, "stream": stream}
    )


def _halves_kept_out(client: TestClient, llm_server: RecordingLLMServer) -> None:
    assert all("789018" not in r.prompt_text() for r in llm_server.chat_requests)
    db = database_text(client)
    assert "123456789018" not in digits(db)
    assert "789018" not in db


def test_finding2_a_number_split_over_chat_messages_is_blocked(
    make_client: AppFactory, llm_overrides: dict[str, object], llm_server: RecordingLLMServer
) -> None:
    client = make_client(**llm_overrides)
    out = _chat(client, FIRST_HALF, "はい", SECOND_HALF).json()
    assert out["yakuba"]["status"] == "blocked"
    assert out["choices"][0]["finish_reason"] == "content_filter"
    assert llm_server.chat_requests == []
    _halves_kept_out(client, llm_server)
    (record,) = audit_records(client)
    assert record.status == "blocked" and record.findings.get("MY_NUMBER")


def test_finding2_a_number_split_over_two_turns_of_a_thread_is_blocked(
    make_client: AppFactory, llm_overrides: dict[str, object], llm_server: RecordingLLMServer
) -> None:
    client = make_client(**llm_overrides)
    first = client.post("/v1/ask", json={"question": f"{QUESTION}。{FIRST_HALF}"}).json()
    assert first["status"] == "answered"
    second = client.post(
        "/v1/ask", json={"question": SECOND_HALF, "thread_id": first["thread_id"]}
    ).json()
    assert second["status"] == "blocked"
    assert len(llm_server.chat_requests) == 1
    _halves_kept_out(client, llm_server)


def test_finding2_a_number_split_over_a_tasks_fields_is_blocked(
    make_client: AppFactory, llm_overrides: dict[str, object], llm_server: RecordingLLMServer
) -> None:
    client = make_client(**llm_overrides)
    out = client.post(
        "/v1/tasks/proofread", json={"text": FIRST_HALF, "instructions": SECOND_HALF}
    ).json()
    assert out["status"] == "blocked"
    assert llm_server.chat_requests == []
    _halves_kept_out(client, llm_server)


SPLIT_REPLY = (
    "審査基準は行政庁が定め、公にしておかなければなりません。詳しくは担当者に確認してください。"
    "担当者の携帯は090-1234-\n5678です。"
)


def _ask_stream(client: TestClient) -> tuple[str, dict[str, Any]]:
    with client.stream("POST", "/v1/ask", json={"question": QUESTION, "stream": True}) as r:
        raw = "".join(r.iter_text())
    deltas, done = [], {}
    for block in raw.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.split("\n"))
        data = json.loads(lines["data"])
        if lines["event"] == "delta":
            deltas.append(data["text"])
        else:
            done = data
    return "".join(deltas), done


def test_finding4_a_number_split_over_lines_is_masked_in_the_stream_and_the_record(
    make_client: AppFactory, llm_overrides: dict[str, object], llm_server: RecordingLLMServer
) -> None:
    llm_server.reply = SPLIT_REPLY
    client = make_client(**llm_overrides)
    streamed, done = _ask_stream(client)
    assert "<電話番号>" in streamed and "審査基準は" in streamed
    chat = _chat(client, QUESTION, stream=True).text
    for text in (streamed, done["text"], chat, database_text(client)):
        assert "5678" not in text and "090-1234" not in text


def test_finding6_a_request_is_on_record_before_its_text_reaches_the_model(
    make_client: AppFactory, llm_overrides: dict[str, object], llm_server: RecordingLLMServer
) -> None:
    client = make_client(**llm_overrides)
    database = make_url(runtime_of(client).settings.audit_database_url).database

    def intents_seen(body: dict[str, Any]) -> str:
        with sqlite3.connect(str(database)) as conn:
            (count,) = conn.execute("SELECT count(*) FROM audit_intents").fetchone()
        return f"記録済みの依頼 {count} 件"

    llm_server.reply = intents_seen
    asked = client.post("/v1/ask", json={"question": QUESTION}).json()
    chatted = _chat(client, QUESTION).json()
    assert asked["text"].startswith("記録済みの依頼 1 件")
    assert chatted["choices"][0]["message"]["content"].startswith("記録済みの依頼 1 件")
    store = runtime_of(client).audit
    assert store.intents() == [] and len(store.records()) == 2


def test_finding6_a_killed_process_s_requests_are_chained_as_interrupted(
    tmp_path: Path,
) -> None:
    store = AuditStore(f"sqlite:///{tmp_path / 'a.sqlite3'}", key_file=tmp_path / "k")
    entry = AuditEntry(
        request_id="r1", user="u", channel=Channel.API, task="ask",
        status=AuditStatus.ALLOWED, prompt="質問",
    )  # fmt: skip
    store.begin(entry)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    with store._engine.begin() as conn:
        owner = f"{socket.gethostname()}:{dead}"
        conn.execute(update(AuditIntent).values(owner=owner))
    assert store.recover_intents() == 1
    (record,) = store.records()
    assert (record.status, record.error_code, record.prompt) == ("failed", "interrupted", "質問")
    assert store.intents() == [] and store.verify() == []
    # A live process's intent is left to it.
    store.begin(entry.model_copy(update={"request_id": "r2"}))
    assert store.recover_intents() == 0 and os.getpid()
    store.close()
