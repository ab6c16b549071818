"""How the model client reads what a server sends back: odd but valid streams are read,
broken ones become Japanese `LLMError`s — never a crash or a hang. The server side is
httpx2's MockTransport under the real openai client."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx2
import openai
import pytest
from langchain_core.messages import HumanMessage, SystemMessage

from service.errors import LLMError
from service.llm import OpenAIChatModel, TokenUsage
from tests.utils.model_calls import read_stream

MESSAGES = [SystemMessage(content="あなたは職員を助けます。"), HumanMessage(content="挨拶文")]


def _model(
    handler: Callable[[httpx2.Request], httpx2.Response], **limits: float
) -> OpenAIChatModel:
    options: dict[str, Any] = {
        "base_url": "http://model.invalid/v1",
        "api_key": "k",
        "max_retries": 0,
    }
    client = openai.OpenAI(
        **options, http_client=httpx2.Client(transport=httpx2.MockTransport(handler))
    )

    def async_client() -> openai.AsyncOpenAI:
        transport = httpx2.MockTransport(handler)
        return openai.AsyncOpenAI(**options, http_client=httpx2.AsyncClient(transport=transport))

    return OpenAIChatModel(
        client,
        "m",
        async_client=async_client,
        max_tokens=64,
        temperature=0.0,
        **limits,  # type: ignore[arg-type]
    )


def _sse(*events: str) -> Callable[[httpx2.Request], httpx2.Response]:
    body = "".join(f"{e}\n\n" for e in events).encode()
    return lambda _: httpx2.Response(
        200, content=body, headers={"content-type": "text/event-stream"}
    )


def _delta(text: str) -> str:
    return "data: " + json.dumps({"choices": [{"index": 0, "delta": {"content": text}}]})


def test_the_request_carries_messages_limit_and_sampling() -> None:
    seen: list[dict[str, object]] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append(json.loads(request.content))
        return httpx2.Response(200, json={"choices": [{"message": {"content": "はい"}}]})

    assert _model(handler).generate(MESSAGES, max_tokens=500).text == "はい"
    (body,) = seen
    assert body["messages"] == [
        {"role": "system", "content": "あなたは職員を助けます。"},
        {"role": "user", "content": "挨拶文"},
    ]
    # A client's own limit may lower the configured one (64), never raise it.
    assert body["max_completion_tokens"] == 64 and body["temperature"] == 0.0


def test_content_given_as_parts_is_joined() -> None:
    parts = [{"type": "text", "text": "前半"}, {"type": "text", "text": "後半"}]
    reply = {"choices": [{"message": {"content": parts}}], "usage": {"prompt_tokens": 3}}
    generation = _model(lambda _: httpx2.Response(200, json=reply)).generate(MESSAGES)
    assert (generation.text, generation.prompt_tokens) == ("前半後半", 3)


def test_comments_keep_alives_and_usage_chunks_are_read() -> None:
    usage = TokenUsage()
    stream = _sse(
        ": keep-alive",
        _delta("申請は"),
        "event: ping\ndata: " + json.dumps({"choices": []}),
        _delta("受理します。"),
        "data: "
        + json.dumps({"choices": [], "usage": {"prompt_tokens": 5, "completion_tokens": 2}}),
        "data: [DONE]",
    )
    assert read_stream(_model(stream), MESSAGES, usage) == "申請は受理します。"
    assert (usage.prompt_tokens, usage.completion_tokens) == (5, 2)


@pytest.mark.parametrize(
    "events",
    [
        [_delta("途中まで"), 'data: {"error": {"message": "overloaded"}}'],
        [_delta("途中まで"), "data: {not json"],
        ["data: []"],
    ],
    ids=["error-event", "broken-json", "not-an-object"],
)
def test_a_broken_stream_is_a_japanese_error(events: list[str]) -> None:
    with pytest.raises(LLMError) as info:
        read_stream(_model(_sse(*events)), MESSAGES)
    assert info.value.code == "llm_failed"
    assert any("\u3040" <= ch <= "\u30ff" for ch in str(info.value))  # Japanese text


def test_a_reply_that_is_not_json_is_a_japanese_error() -> None:
    model = _model(lambda _: httpx2.Response(200, text="<html>proxy error</html>"))
    with pytest.raises(LLMError) as info:
        model.generate(MESSAGES)
    assert info.value.code == "llm_failed"


def test_the_slot_is_freed_after_a_broken_stream() -> None:
    model = _model(_sse("data: {not json"), max_concurrency=1, queue_timeout_s=0.2)
    for _ in range(3):  # a leaked slot would make the next call `llm_busy`
        with pytest.raises(LLMError) as info:
            read_stream(model, MESSAGES)
        assert info.value.code == "llm_failed"
