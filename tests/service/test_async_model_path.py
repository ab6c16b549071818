"""The model calls the HTTP service awaits (`agenerate`, `astream`): the same limits as the
threaded calls, slots shared with them and freed when a stream is dropped — including when
a client leaves in the middle of a streamed answer."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from langchain_core.messages import HumanMessage

from ingest import Embedder
from service.audit import AuditRecord
from service.errors import LLMError
from service.llm import TokenUsage, build_chat_model
from service.settings import Settings
from tests.utils.live import serve_yakuba
from tests.utils.llm_server import RecordingLLMServer
from tests.utils.model_calls import InFlightReply, read_stream

MESSAGES = [HumanMessage(content="お知らせ文を作って")]


def model_for(server: RecordingLLMServer, **overrides: Any) -> Any:
    return build_chat_model(
        Settings(llm_base_url=server.base_url, llm_model="test-model", **overrides)
    )


def test_awaited_calls_share_the_concurrency_cap(llm_server: RecordingLLMServer) -> None:
    reply = InFlightReply("了解しました。", delay_s=0.2)
    llm_server.reply = reply
    model = model_for(llm_server, llm_max_concurrency=2, llm_max_retries=0)

    async def six() -> list[str]:
        replies = await asyncio.gather(*(model.agenerate(MESSAGES) for _ in range(6)))
        return [r.text for r in replies]

    assert asyncio.run(six()) == ["了解しました。"] * 6
    assert reply.peak == 2


def test_a_thread_holding_the_slot_makes_an_awaited_call_llm_busy(
    llm_server: RecordingLLMServer,
) -> None:
    llm_server.reply = InFlightReply("了解しました。", delay_s=1.5)
    # Each try times out after 0.5 s and is retried: the thread holds the slot for >1.5 s.
    model = model_for(llm_server, llm_max_concurrency=1, llm_timeout_s=0.5, llm_max_retries=2)
    with ThreadPoolExecutor(max_workers=1) as pool:
        held = pool.submit(model.generate, MESSAGES)  # a thread's call holds the only slot
        time.sleep(0.3)
        started = time.monotonic()
        with pytest.raises(LLMError, match="混み合って") as info:
            asyncio.run(model.agenerate(MESSAGES))
        assert info.value.code == "llm_busy"
        assert 0.4 < time.monotonic() - started < 3
        with pytest.raises(LLMError):  # every try of the slow reply timed out
            held.result()
    llm_server.reply = InFlightReply("了解しました。", delay_s=0.0)
    assert asyncio.run(model.agenerate(MESSAGES)).text == "了解しました。"


def test_closing_an_awaited_stream_frees_its_slot(llm_server: RecordingLLMServer) -> None:
    model = model_for(llm_server, llm_max_concurrency=1, llm_timeout_s=1.0)

    async def first_piece_then_close() -> tuple[str, str]:
        usage = TokenUsage()
        stream = model.astream(MESSAGES, usage)
        first = await anext(stream)
        await stream.aclose()
        # A leaked slot would make this call wait a second and fail as llm_busy.
        return first, (await model.agenerate(MESSAGES)).text

    first, after = asyncio.run(first_piece_then_close())
    assert first and after.startswith("【テスト応答】")


def test_awaited_streams_report_usage(llm_server: RecordingLLMServer) -> None:
    model = model_for(llm_server)

    usage = TokenUsage()
    assert read_stream(model, MESSAGES, usage).startswith("【テスト応答】")
    assert usage.completion_tokens > 0 and usage.prompt_tokens > 0


@pytest.mark.parametrize("status", [503, 429])
def test_awaited_calls_are_retried(llm_server: RecordingLLMServer, status: int) -> None:
    llm_server.fail_next(status, times=2, headers={"retry-after-ms": "1"})
    generation = asyncio.run(model_for(llm_server, llm_max_retries=2).agenerate(MESSAGES))
    assert generation.text.startswith("【テスト応答】")
    assert [r.status for r in llm_server.chat_requests] == [status, status, 200]


def test_an_awaited_slow_model_times_out(llm_server: RecordingLLMServer) -> None:
    llm_server.latency_s = 3.0
    model = model_for(llm_server, llm_timeout_s=0.5, llm_max_retries=0)
    started = time.monotonic()
    with pytest.raises(LLMError) as info:
        asyncio.run(model.agenerate(MESSAGES))
    assert info.value.code == "llm_timeout"
    assert time.monotonic() - started < 2.5


def test_each_event_loop_gets_a_working_client(llm_server: RecordingLLMServer) -> None:
    # Pooled connections belong to the loop that opened them: a second loop (tests, a
    # restarted server) must not reuse them.
    model = model_for(llm_server)
    for _ in range(3):
        assert asyncio.run(model.agenerate(MESSAGES)).text


# -- a client that leaves mid-stream ---------------------------------------------------------

SLOW_REPLY = "審査基準を公にします。" * 30


@pytest.fixture
def slow_yakuba(
    indexed_data_dir: Path, warm_embedder: Embedder, tmp_path: Path
) -> Iterator[tuple[str, FastAPI, RecordingLLMServer]]:
    """Yakuba with one model slot, in front of a model that streams for ~3 s."""
    with serve_yakuba(
        indexed_data_dir, warm_embedder, tmp_path / "audit.sqlite3", llm_max_concurrency=1
    ) as (url, app, llm):
        llm.reply = lambda body: SLOW_REPLY
        llm.stream_chunk_chars = 4
        llm.inter_chunk_delay_s = 0.04
        yield url, app, llm


REQUESTS = {
    "ask": ("/v1/ask", {"question": "審査基準はどう定められていますか", "stream": True}),
    "chat": (
        "/v1/chat/completions",
        {"model": "yakuba", "stream": True, "messages": [{"role": "user", "content": "挨拶文"}]},
    ),
}


def _wait_for_record(app: FastAPI, request_id_hint: int) -> AuditRecord:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        records = app.state.runtime.audit.records()
        if len(records) > request_id_hint:
            return records[-1]
        time.sleep(0.05)
    raise AssertionError("no audit record for the abandoned stream")


@pytest.mark.parametrize("kind", sorted(REQUESTS))
def test_a_client_leaving_mid_stream_is_audited_and_frees_the_model(
    slow_yakuba: tuple[str, FastAPI, RecordingLLMServer], kind: str
) -> None:
    url, app, llm = slow_yakuba
    path, body = REQUESTS[kind]
    started = time.monotonic()
    with (
        httpx.Client(base_url=url, timeout=30) as client,
        client.stream("POST", path, json=body) as response,
    ):
        assert response.status_code == 200
        for line in response.iter_lines():
            if line.startswith("data:") and "審査基準" in line:
                break  # the first guarded sentence arrived: leave now
    record = _wait_for_record(app, 0)
    assert time.monotonic() - started < 2.5, "the record waited for the whole reply"
    assert record.status == "allowed" and record.error_code == "stream_interrupted"
    assert "審査基準を公にします。" in record.answer
    assert len(record.answer) < len(SLOW_REPLY)

    # The only model slot is free again: a second request is answered, not `llm_busy`.
    llm.inter_chunk_delay_s = 0.0
    with httpx.Client(base_url=url, timeout=30) as client:
        again = client.post(path, json={**body, "stream": False})
    assert again.status_code == 200, again.text
    reply = again.json()
    text = reply["text"] if kind == "ask" else reply["choices"][0]["message"]["content"]
    assert "審査基準を公にします。" in text
