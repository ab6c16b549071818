"""The HTTP API: health, models and the OpenAI-compatible chat completions."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import httpx
import openai
import pytest
from fastapi.testclient import TestClient

from service.main import create_app
from service.settings import Settings
from tests.utils.live import serve_in_thread
from tests.utils.llm_server import RecordingLLMServer

MY_NUMBER = "123456789018"
QUESTION = "行政手続法で、申請に対する審査基準の公表はどう定められていますか"


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as c:
        yield c


@pytest.fixture
def llm_client(llm_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(llm_settings)) as c:
        yield c


def _chat(model: str, content: str, **extra: object) -> dict[str, object]:
    return {"model": model, "messages": [{"role": "user", "content": content}], **extra}


def test_health_and_models(client: TestClient) -> None:
    health = client.get("/healthz").json()
    assert health == {"status": "ok", "generation": False, "documents": 2}
    ids = [m["id"] for m in client.get("/v1/models").json()["data"]]
    assert ids == ["yakuba", "yakuba-rag"]
    assert client.get("/openapi.json").status_code == 200


def test_docs_page_works_offline(client: TestClient) -> None:
    page = client.get("/docs").text
    # Every script and stylesheet comes from this server, never a CDN.
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert assets and all(a.startswith("/static/swagger-ui/") for a in assets), assets
    assert "cdn" not in page
    for asset in assets:
        assert client.get(asset).status_code == 200


def test_rag_without_llm_is_extractive_with_citations(client: TestClient) -> None:
    body = client.post("/v1/chat/completions", json=_chat("yakuba-rag", QUESTION)).json()
    content = body["choices"][0]["message"]["content"]
    assert "抽出モード" in content
    assert "行政手続法 第5条" in content
    assert body["yakuba"]["mode"] == "extractive"
    assert body["yakuba"]["citations"][0]["source"].endswith(".txt")


def test_plain_chat_without_llm_is_503(client: TestClient) -> None:
    response = client.post("/v1/chat/completions", json=_chat("yakuba", "こんにちは"))
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "llm_not_configured"


def test_unknown_model_and_invalid_body(client: TestClient) -> None:
    assert client.post("/v1/chat/completions", json=_chat("gpt-x", "こんにちは")).status_code == 404
    assert (
        client.post("/v1/chat/completions", json={"model": "yakuba", "messages": []}).status_code
        == 422
    )


def test_blocked_chat_is_content_filtered_and_never_sent(
    llm_client: TestClient, llm_server: RecordingLLMServer
) -> None:
    body = llm_client.post(
        "/v1/chat/completions", json=_chat("yakuba", f"個人番号 {MY_NUMBER} を含む文書を要約して")
    ).json()
    assert body["choices"][0]["finish_reason"] == "content_filter"
    assert "マイナンバー" in body["choices"][0]["message"]["content"]
    assert MY_NUMBER not in json.dumps(body, ensure_ascii=False)
    assert llm_server.chat_requests == []


def test_every_message_is_scanned(llm_client: TestClient, llm_server: RecordingLLMServer) -> None:
    payload = {
        "model": "yakuba",
        "messages": [
            {"role": "system", "content": "連絡先は 03-1234-5678 です"},
            {"role": "user", "content": "挨拶文を作って"},
        ],
    }
    body = llm_client.post("/v1/chat/completions", json=payload).json()
    assert body["choices"][0]["finish_reason"] == "content_filter"
    assert llm_server.chat_requests == []


def test_streaming_chat_passes_through(
    llm_client: TestClient, llm_server: RecordingLLMServer
) -> None:
    with llm_client.stream(
        "POST", "/v1/chat/completions", json=_chat("yakuba", "挨拶文を作って", stream=True)
    ) as r:
        lines = [line for line in r.iter_lines() if line.startswith("data: ")]
    assert lines[-1] == "data: [DONE]"
    pieces = [json.loads(x[6:])["choices"][0]["delta"].get("content", "") for x in lines[:-1]]
    assert "".join(pieces).startswith("【テスト応答】")
    assert len(llm_server.chat_requests) == 1


@pytest.fixture
def live_url(llm_settings: Settings) -> Iterator[str]:
    with serve_in_thread(create_app(llm_settings)) as url:
        yield f"{url}/v1"


def test_official_openai_client_gets_guarded_completions(
    live_url: str, llm_server: RecordingLLMServer
) -> None:
    client = openai.OpenAI(
        base_url=live_url, api_key="unused", http_client=httpx.Client(timeout=30)
    )
    ok = client.chat.completions.create(
        model="yakuba", messages=[{"role": "user", "content": "お知らせ文の書き出しを提案して"}]
    )
    assert (ok.choices[0].message.content or "").startswith("【テスト応答】")
    blocked = client.chat.completions.create(
        model="yakuba", messages=[{"role": "user", "content": f"マイナンバー{MY_NUMBER}"}]
    )
    assert blocked.choices[0].finish_reason == "content_filter"
    stream = client.chat.completions.create(
        model="yakuba-rag", messages=[{"role": "user", "content": QUESTION}], stream=True
    )
    text = "".join(chunk.choices[0].delta.content or "" for chunk in stream if chunk.choices)
    assert "第5条" in text
    sent = llm_server.all_prompt_text()
    assert MY_NUMBER not in sent
    assert len(llm_server.chat_requests) == 2
