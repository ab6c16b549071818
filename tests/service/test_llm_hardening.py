"""The LLM client under pressure: retries with backoff, the concurrency limit, timeouts,
token limits — against the real local test server."""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from langchain_core.messages import HumanMessage

from service.errors import LLMError
from service.llm import TokenUsage, build_chat_model
from service.settings import Settings
from tests.utils.llm_server import RecordingLLMServer
from tests.utils.model_calls import InFlightReply, read_stream

MESSAGES = [HumanMessage(content="お知らせ文を作って")]


def model_for(server: RecordingLLMServer, **overrides: Any) -> Any:
    return build_chat_model(
        Settings(llm_base_url=server.base_url, llm_model="test-model", **overrides)
    )


@pytest.mark.parametrize("status", [500, 502, 503, 429])
def test_transient_failures_are_retried(llm_server: RecordingLLMServer, status: int) -> None:
    # retry-after-ms keeps the openai client's backoff short in tests
    llm_server.fail_next(status, times=2, headers={"retry-after-ms": "1"})
    generation = model_for(llm_server, llm_max_retries=2).generate(MESSAGES)
    assert generation.text.startswith("【テスト応答】")
    assert [r.status for r in llm_server.chat_requests] == [status, status, 200]


def test_exhausted_retries_are_a_japanese_error(llm_server: RecordingLLMServer) -> None:
    llm_server.fail_next(503, times=3, headers={"retry-after-ms": "1"})
    with pytest.raises(LLMError, match="生成モデル") as info:
        model_for(llm_server, llm_max_retries=1).generate(MESSAGES)
    assert info.value.code == "llm_server_error"
    assert len(llm_server.chat_requests) == 2


def test_client_errors_are_not_retried(llm_server: RecordingLLMServer) -> None:
    llm_server.fail_next(400)
    with pytest.raises(LLMError):
        model_for(llm_server, llm_max_retries=3).generate(MESSAGES)
    assert len(llm_server.chat_requests) == 1


def test_token_limit_and_sampling_are_sent(llm_server: RecordingLLMServer) -> None:
    model_for(llm_server, llm_max_tokens=77, llm_temperature=0.0).generate(MESSAGES)
    body = llm_server.last_chat_request.body
    assert 77 in (body.get("max_tokens"), body.get("max_completion_tokens"))
    assert body["temperature"] == 0.0


def test_concurrency_is_capped(llm_server: RecordingLLMServer) -> None:
    reply = InFlightReply("了解しました。", delay_s=0.2)
    llm_server.reply = reply
    model = model_for(llm_server, llm_max_concurrency=2, llm_max_retries=0)
    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(lambda _: model.generate(MESSAGES).text, range(6)))
    assert results == ["了解しました。"] * 6
    assert reply.peak == 2


def test_waiting_too_long_for_a_slot_is_llm_busy(llm_server: RecordingLLMServer) -> None:
    model = model_for(llm_server, llm_max_concurrency=1, llm_timeout_s=0.5)

    async def scenario() -> tuple[float, str]:
        stream = model.astream(MESSAGES, TokenUsage())
        await anext(stream)  # an awaited stream holds the only slot
        started = time.monotonic()
        # A thread's call shares the slots: it waits, then gives up.
        with pytest.raises(LLMError, match="混み合って") as info:
            await asyncio.to_thread(model.generate, MESSAGES)
        assert info.value.code == "llm_busy"
        waited = time.monotonic() - started
        await stream.aclose()  # frees the slot
        return waited, (await asyncio.to_thread(model.generate, MESSAGES)).text

    waited, text = asyncio.run(scenario())
    assert 0.4 < waited < 3
    assert text


def test_streaming_reports_usage_when_the_server_sends_it(llm_server: RecordingLLMServer) -> None:
    usage = TokenUsage()
    text = read_stream(model_for(llm_server), MESSAGES, usage)
    assert text.startswith("【テスト応答】")
    assert usage.completion_tokens > 0 and usage.prompt_tokens > 0


def test_a_slow_model_times_out_instead_of_hanging(llm_server: RecordingLLMServer) -> None:
    llm_server.latency_s = 3.0
    model = model_for(llm_server, llm_timeout_s=0.5, llm_max_retries=0)
    started = time.monotonic()
    with pytest.raises(LLMError) as info:
        model.generate(MESSAGES)
    assert info.value.code == "llm_timeout"
    assert time.monotonic() - started < 2.5
