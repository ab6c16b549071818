"""Tests of the recording OpenAI-compatible server, driven by the official clients."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import openai
import pytest
from openai.types.chat import ChatCompletionMessageParam

from tests.utils.llm_server import (
    DEFAULT_REPLY_PREFIX,
    DIGEST_CHARS,
    EMBEDDING_DIMENSION,
    RecordingLLMServer,
    count_tokens,
)

PROMPT = "住民票の写しの交付申請について教えてください。マイナンバーは123456789012です。以上です。"
EXPECTED_REPLY = DEFAULT_REPLY_PREFIX + PROMPT[:DIGEST_CHARS]


def client_for(llm: RecordingLLMServer, **kwargs: Any) -> openai.OpenAI:
    kwargs.setdefault("api_key", "x")
    kwargs.setdefault("max_retries", 0)
    kwargs.setdefault("timeout", 10.0)
    return openai.OpenAI(base_url=llm.base_url, **kwargs)


def user(text: str) -> list[ChatCompletionMessageParam]:
    return [{"role": "user", "content": text}]


# --------------------------------------------------------------------------- completions


def test_non_streaming_completion_returns_deterministic_reply_and_usage(
    llm_server: RecordingLLMServer,
) -> None:
    system = "あなたは役場の職員を支援するアシスタントです。"
    messages: list[ChatCompletionMessageParam] = [
        {"role": "system", "content": system},
        {"role": "user", "content": PROMPT},
    ]
    result = client_for(llm_server).chat.completions.create(model="test-model", messages=messages)

    assert result.object == "chat.completion"
    assert result.id.startswith("chatcmpl-")
    assert result.model == "test-model"
    assert len(result.choices) == 1
    choice = result.choices[0]
    assert choice.message.role == "assistant"
    assert choice.message.content == EXPECTED_REPLY
    assert choice.finish_reason == "stop"
    assert result.usage is not None
    prompt_chars = len(system) + len(PROMPT)
    assert result.usage.prompt_tokens == (prompt_chars + 1) // 2
    assert result.usage.completion_tokens == count_tokens(EXPECTED_REPLY)
    assert result.usage.total_tokens == result.usage.prompt_tokens + result.usage.completion_tokens


def test_streaming_deltas_join_to_the_same_reply_with_usage_chunk(
    llm_server: RecordingLLMServer,
) -> None:
    stream = client_for(llm_server).chat.completions.create(
        model="test-model",
        messages=user(PROMPT),
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = list(stream)

    assert all(c.object == "chat.completion.chunk" for c in chunks)
    assert len({c.id for c in chunks}) == 1
    assert chunks[0].choices[0].delta.role == "assistant"
    deltas = [
        c.choices[0].delta.content for c in chunks if c.choices and c.choices[0].delta.content
    ]
    assert len(deltas) > 3  # several small deltas, not one blob
    assert "".join(deltas) == EXPECTED_REPLY
    finishes = [c.choices[0].finish_reason for c in chunks if c.choices]
    assert finishes[-1] == "stop"
    assert finishes[:-1] == [None] * (len(finishes) - 1)

    usage_chunk = chunks[-1]
    assert usage_chunk.choices == []
    assert usage_chunk.usage is not None
    assert usage_chunk.usage.prompt_tokens == count_tokens(PROMPT)
    assert usage_chunk.usage.completion_tokens == count_tokens(EXPECTED_REPLY)
    assert all(c.usage is None for c in chunks[:-1])


def test_streaming_without_include_usage_has_no_usage_chunk(
    llm_server: RecordingLLMServer,
) -> None:
    chunks = list(
        client_for(llm_server).chat.completions.create(
            model="test-model", messages=user("hi"), stream=True
        )
    )
    assert all(c.choices for c in chunks)
    assert all(c.usage is None for c in chunks)
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == DEFAULT_REPLY_PREFIX + "hi"


def test_stream_is_chunked_sse_ending_with_done(llm_server: RecordingLLMServer) -> None:
    body = {"model": "m", "messages": user("abc"), "stream": True}
    with (
        httpx.Client() as http,
        http.stream("POST", f"{llm_server.base_url}/chat/completions", json=body) as response,
    ):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        assert response.headers["transfer-encoding"] == "chunked"
        lines = [line for line in response.iter_lines() if line]
    assert all(line.startswith("data: ") for line in lines)
    assert lines[-1] == "data: [DONE]"


def test_reply_can_be_a_string_or_a_callable() -> None:
    seen: list[dict[str, Any]] = []

    def reply(body: dict[str, Any]) -> str:
        seen.append(body)
        return f"{len(body['messages'])} messages"

    with RecordingLLMServer(reply="固定の応答") as llm:
        result = client_for(llm).chat.completions.create(model="m", messages=user("x"))
        assert result.choices[0].message.content == "固定の応答"
        llm.reply = reply
        result = client_for(llm).chat.completions.create(model="m", messages=user("x"))
        assert result.choices[0].message.content == "1 messages"
        assert seen[0]["messages"] == user("x")


def test_broken_reply_callable_answers_500_and_is_reported() -> None:
    def reply(body: dict[str, Any]) -> str:
        raise RuntimeError("boom")

    with RecordingLLMServer(reply=reply) as llm:
        response = httpx.post(
            f"{llm.base_url}/chat/completions", json={"model": "m", "messages": user("x")}
        )
        assert response.status_code == 500
        assert "boom" in response.json()["error"]["message"]
        assert [str(e) for e in llm.errors] == ["boom"]


def test_models_endpoint_lists_the_configured_model() -> None:
    with RecordingLLMServer(model="qwen-test") as llm:
        client = client_for(llm)
        assert [m.id for m in client.models.list()] == ["qwen-test"]
        assert client.models.retrieve("qwen-test").id == "qwen-test"
        with pytest.raises(openai.NotFoundError):
            client.models.retrieve("other")


# --------------------------------------------------------------------------- recording


def test_request_bodies_and_headers_are_recorded(llm_server: RecordingLLMServer) -> None:
    client = client_for(llm_server, api_key="sk-test")
    client.chat.completions.create(model="test-model", messages=user(PROMPT), temperature=0.2)
    list(client.chat.completions.create(model="other-model", messages=user("二件目"), stream=True))
    client.models.list()

    assert [r.path for r in llm_server.requests] == [
        "/v1/chat/completions",
        "/v1/chat/completions",
        "/v1/models",
    ]
    first, second = llm_server.chat_requests
    assert first.method == "POST"
    assert first.status == 200
    assert first.body["model"] == first.model == "test-model"
    assert first.body["messages"] == user(PROMPT)
    assert first.body["temperature"] == 0.2
    assert first.stream is False
    assert first.header("Authorization") == "Bearer sk-test"
    assert (first.header("user-agent") or "").startswith("OpenAI/Python")
    assert second.stream is True
    assert second.model == "other-model"
    assert second.messages == user("二件目")

    requests = llm_server.requests
    requests.clear()  # a copy: the server's record is untouched
    assert len(llm_server.requests) == 3
    llm_server.clear()
    assert llm_server.requests == []
    assert llm_server.all_prompt_text() == ""


def test_all_prompt_text_covers_every_message_and_content_part(
    llm_server: RecordingLLMServer,
) -> None:
    client = client_for(llm_server)
    client.chat.completions.create(
        model="m",
        messages=[
            {"role": "system", "content": "システム指示"},
            {"role": "user", "content": [{"type": "text", "text": "部品の本文"}]},
        ],
    )
    client.chat.completions.create(model="m", messages=user("二つ目の依頼"))

    text = llm_server.all_prompt_text()
    for piece in ("システム指示", "部品の本文", "二つ目の依頼"):
        assert piece in text
    assert "123456789012" not in text
    assert DEFAULT_REPLY_PREFIX not in text  # replies are not prompts


def test_keep_alive_connection_is_reused(llm_server: RecordingLLMServer) -> None:
    with httpx.Client() as http:
        for i in range(5):
            body = {"model": "m", "messages": user(f"q{i}"), "stream": i % 2 == 1}
            response = http.post(f"{llm_server.base_url}/chat/completions", json=body)
            assert response.status_code == 200
    assert len({r.client_port for r in llm_server.requests}) == 1


def test_chunked_request_body_is_read(llm_server: RecordingLLMServer) -> None:
    def body() -> Any:
        yield b'{"model": "m", '
        yield b'"messages": [{"role": "user", "content": "chunked"}]}'

    response = httpx.post(f"{llm_server.base_url}/chat/completions", content=body())
    assert response.status_code == 200
    assert llm_server.last_chat_request.header("transfer-encoding") == "chunked"
    assert llm_server.last_chat_request.messages == user("chunked")


# --------------------------------------------------------------------------- errors


def test_fail_next_429_then_success(llm_server: RecordingLLMServer) -> None:
    llm_server.fail_next(429)
    url = f"{llm_server.base_url}/chat/completions"
    body = {"model": "m", "messages": user("retry me")}
    with httpx.Client() as http:
        first = http.post(url, json=body)
        second = http.post(url, json=body)

    assert first.status_code == 429
    assert first.headers["retry-after"] == "0"
    assert first.json()["error"]["code"] == "rate_limit_exceeded"
    assert second.status_code == 200
    assert second.json()["choices"][0]["message"]["content"] == DEFAULT_REPLY_PREFIX + "retry me"
    assert [r.status for r in llm_server.chat_requests] == [429, 200]
    assert llm_server.pending_failures == 0


def test_fail_next_times_and_custom_body(llm_server: RecordingLLMServer) -> None:
    llm_server.fail_next(500, times=2)
    llm_server.fail_next(503, body={"error": {"message": "custom", "type": "x"}})
    url = f"{llm_server.base_url}/chat/completions"
    body = {"model": "m", "messages": user("x")}
    statuses = [httpx.post(url, json=body) for _ in range(4)]
    assert [r.status_code for r in statuses] == [500, 500, 503, 200]
    assert statuses[0].json()["error"]["type"] == "server_error"
    assert statuses[2].json() == {"error": {"message": "custom", "type": "x"}}
    with pytest.raises(ValueError):
        llm_server.fail_next(200)


def test_openai_client_retries_through_injected_failures(llm_server: RecordingLLMServer) -> None:
    # retry-after-ms makes the SDK retry at once instead of its 0.5 s+ backoff.
    llm_server.fail_next(503, headers={"retry-after-ms": "1"})
    llm_server.fail_next(429, headers={"retry-after-ms": "1"})
    client = client_for(llm_server, max_retries=2)
    result = client.chat.completions.create(model="m", messages=user("x"))
    assert result.choices[0].message.content == DEFAULT_REPLY_PREFIX + "x"
    chats = llm_server.chat_requests
    assert [r.status for r in chats] == [503, 429, 200]
    assert [r.header("x-stainless-retry-count") for r in chats] == ["0", "1", "2"]


def test_api_key_is_enforced() -> None:
    with RecordingLLMServer(api_key="sk-right") as llm:
        with pytest.raises(openai.AuthenticationError):
            client_for(llm, api_key="sk-wrong").chat.completions.create(
                model="m", messages=user("x")
            )
        with pytest.raises(openai.AuthenticationError):
            client_for(llm, api_key="sk-wrong").models.list()
        assert httpx.get(f"{llm.base_url}/models").status_code == 401
        result = client_for(llm, api_key="sk-right").chat.completions.create(
            model="m", messages=user("x")
        )
        assert result.choices[0].message.content == DEFAULT_REPLY_PREFIX + "x"
        assert [r.status for r in llm.requests] == [401, 401, 401, 200]
        assert llm.requests[0].header("authorization") == "Bearer sk-wrong"


def test_malformed_json_unknown_path_and_wrong_method(llm_server: RecordingLLMServer) -> None:
    base = llm_server.base_url
    bad = httpx.post(
        f"{base}/chat/completions",
        content=b'{"model": "m", "messages": [',
        headers={"content-type": "application/json"},
    )
    assert bad.status_code == 400
    assert bad.json()["error"]["type"] == "invalid_request_error"
    no_messages = httpx.post(f"{base}/chat/completions", json={"model": "m"})
    assert no_messages.status_code == 400
    assert no_messages.json()["error"]["param"] == "messages"

    missing = httpx.post(f"{base}/completions", json={"prompt": "x"})
    assert missing.status_code == 404
    assert "error" in missing.json()
    wrong_method = httpx.get(f"{base}/chat/completions")
    assert wrong_method.status_code == 405
    assert wrong_method.headers["allow"] == "POST"

    statuses = [(r.path, r.status) for r in llm_server.requests]
    assert statuses == [
        ("/v1/chat/completions", 400),
        ("/v1/chat/completions", 400),
        ("/v1/completions", 404),
        ("/v1/chat/completions", 405),
    ]
    assert llm_server.requests[0].body is None
    assert llm_server.requests[0].raw_body.startswith(b'{"model"')


def test_azure_layout_is_served_and_recorded(llm_server: RecordingLLMServer) -> None:
    client = openai.AzureOpenAI(
        azure_endpoint=llm_server.azure_endpoint,
        api_key="azure-key",
        api_version="2024-06-01",
        max_retries=0,
    )
    result = client.chat.completions.create(model="my-deployment", messages=user("azure"))
    assert result.choices[0].message.content == DEFAULT_REPLY_PREFIX + "azure"
    request = llm_server.last_chat_request
    assert request.path == "/openai/deployments/my-deployment/chat/completions"
    assert "api-version=2024-06-01" in request.query
    assert request.header("api-key") == "azure-key"
    assert "azure" in llm_server.all_prompt_text()


# --------------------------------------------------------------------------- timing & load


def test_latency_is_respected() -> None:
    with RecordingLLMServer(latency_s=0.3) as llm:
        client = client_for(llm)
        started = time.perf_counter()
        client.chat.completions.create(model="m", messages=user("x"))
        elapsed = time.perf_counter() - started
    assert 0.3 <= elapsed < 2.0


def test_streaming_latencies_are_respected() -> None:
    with RecordingLLMServer(
        latency_s=0.2, first_token_latency_s=0.1, inter_chunk_delay_s=0.02, stream_chunk_chars=8
    ) as llm:
        started = time.perf_counter()
        stream = client_for(llm).chat.completions.create(
            model="m", messages=user("0123456789" * 4), stream=True
        )
        first_content: float | None = None
        for chunk in stream:
            if first_content is None and chunk.choices and chunk.choices[0].delta.content:
                first_content = time.perf_counter() - started
        total = time.perf_counter() - started

    assert first_content is not None
    assert 0.3 <= first_content < 2.0
    # 47 characters in 8-character deltas: 5 more deltas + the finish chunk, 0.02 s apart
    assert first_content + 6 * 0.02 <= total < 3.0


def test_twenty_concurrent_openai_requests_all_succeed(llm_server: RecordingLLMServer) -> None:
    llm_server.latency_s = 0.05
    client = client_for(llm_server)

    def ask(i: int) -> str | None:
        stream = i % 2 == 1
        if stream:
            chunks = client.chat.completions.create(
                model="m", messages=user(f"質問{i}"), stream=True
            )
            return "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
        result = client.chat.completions.create(model="m", messages=user(f"質問{i}"))
        return result.choices[0].message.content

    with ThreadPoolExecutor(max_workers=20) as pool:
        replies = list(pool.map(ask, range(20)))

    assert replies == [f"{DEFAULT_REPLY_PREFIX}質問{i}" for i in range(20)]
    recorded = sorted(r.messages[0]["content"] for r in llm_server.chat_requests)
    assert recorded == sorted(f"質問{i}" for i in range(20))
    assert all(r.status == 200 for r in llm_server.chat_requests)


def test_fifty_concurrent_clients_are_served_in_parallel() -> None:
    clients = 50
    with RecordingLLMServer(latency_s=0.3) as llm:
        url = f"{llm.base_url}/chat/completions"
        limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
        # All fifty send at once: a thread the pool starts late (a busy machine) would
        # otherwise reuse a finished request's connection.
        together = threading.Barrier(clients)

        def ask(i: int) -> int:
            body = {"model": "m", "messages": user(str(i))}
            together.wait(timeout=30)
            return http.post(url, json=body).status_code

        with httpx.Client(limits=limits, timeout=10.0) as http:
            started = time.perf_counter()
            with ThreadPoolExecutor(max_workers=clients) as pool:
                statuses = list(pool.map(ask, range(clients)))
            elapsed = time.perf_counter() - started

        assert statuses == [200] * clients
        assert len(llm.chat_requests) == clients
        assert len({r.client_port for r in llm.chat_requests}) == clients  # 50 connections
    assert elapsed < 0.3 * clients / 5  # far below the 15 s a serial server would need


# --------------------------------------------------------------------------- lifecycle


def test_start_stop_and_open_keep_alive_connections() -> None:
    llm = RecordingLLMServer().start()
    try:
        assert llm.running
        assert llm.base_url == f"http://127.0.0.1:{llm.port}/v1"
        with pytest.raises(RuntimeError):
            llm.start()
        http = httpx.Client()
        assert http.get(f"{llm.base_url}/models").status_code == 200  # connection stays open
        started = time.perf_counter()
        llm.stop()
        assert time.perf_counter() - started < 1.0
        assert not llm.running
        with pytest.raises(httpx.TransportError):
            http.get(f"{llm.base_url}/models")
        http.close()
    finally:
        llm.stop()  # idempotent
    with pytest.raises(RuntimeError):
        _ = RecordingLLMServer().base_url


def test_stop_interrupts_a_slow_answer() -> None:
    llm = RecordingLLMServer(latency_s=30.0).start()
    failure: list[BaseException] = []

    def call() -> None:
        try:
            httpx.post(
                f"{llm.base_url}/chat/completions",
                json={"model": "m", "messages": user("x")},
                timeout=10.0,
            )
        except httpx.TransportError as exc:
            failure.append(exc)

    caller = threading.Thread(target=call)
    caller.start()
    while not llm.requests:
        time.sleep(0.01)
    started = time.perf_counter()
    llm.stop()
    caller.join(5)
    assert time.perf_counter() - started < 2.0
    assert failure  # the connection was dropped, not answered


def test_command_line_entry_point_serves_until_sigterm() -> None:
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root)}
    command = [sys.executable, "-m", "tests.utils.llm_server", "--port", "0", "--latency-ms", "50"]
    with subprocess.Popen(command, cwd=root, env=env, stdout=subprocess.PIPE, text=True) as proc:
        try:
            assert proc.stdout is not None
            base_url = proc.stdout.readline().strip()
            assert base_url.startswith("http://127.0.0.1:") and base_url.endswith("/v1")
            started = time.perf_counter()
            response = httpx.post(
                f"{base_url}/chat/completions", json={"model": "m", "messages": user("cli")}
            )
            assert time.perf_counter() - started >= 0.05
            reply = response.json()["choices"][0]["message"]["content"]
            assert reply == DEFAULT_REPLY_PREFIX + "cli"
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=5) == 0
        finally:
            if proc.poll() is None:
                proc.kill()


def test_embeddings_are_deterministic_unit_vectors_on_both_routes(
    llm_server: RecordingLLMServer,
) -> None:
    client = openai.OpenAI(base_url=llm_server.base_url, api_key="x")
    out = client.embeddings.create(model="emb", input=["住民票の写し", "住民票の写し", "粗大ごみ"])
    first, again, other = (d.embedding for d in out.data)
    assert first == again and len(first) == EMBEDDING_DIMENSION
    assert sum(v * v for v in first) == pytest.approx(1.0)
    assert sum(a * b for a, b in zip(first, other, strict=True)) < 0.5
    azure = openai.AzureOpenAI(
        azure_endpoint=llm_server.azure_endpoint, api_version="2024-10-21", api_key="x"
    )
    assert azure.embeddings.create(model="deploy", input="戸籍").data[0].embedding
    assert llm_server.requests[-1].path == "/openai/deployments/deploy/embeddings"
    bad = httpx.post(f"{llm_server.base_url}/embeddings", json={"input": [1, 2]})
    assert bad.status_code == 400 and llm_server.chat_requests == []
