"""Settings and the LLM seam (OpenAI-compatible and Azure OpenAI)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from langchain_core.messages import HumanMessage
from pydantic import ValidationError

from service.errors import LLMError, LLMNotConfiguredError
from service.llm import build_chat_model
from service.settings import Settings
from tests.utils.llm_server import RecordingLLMServer
from tests.utils.model_calls import read_stream

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_documents_every_setting() -> None:
    documented = set(re.findall(r"`(YAKUBA_[A-Z0-9_]+)`", README.read_text(encoding="utf-8")))
    expected = {f"YAKUBA_{name.upper()}" for name in Settings.model_fields}
    assert expected <= documented, expected - documented


def test_blank_values_mean_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YAKUBA_LLM_BASE_URL", " ")
    monkeypatch.setenv("YAKUBA_LLM_MODEL", "")
    settings = Settings()
    assert settings.llm_base_url is None
    assert not settings.generation_enabled


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("YAKUBA_AUTH_MODE", "anything"),
        ("YAKUBA_COLLECTION", "../escape"),
        ("YAKUBA_MAX_PROMPT_CHARS", "0"),
        ("YAKUBA_GUARD_TIMEOUT_S", "-1"),
    ],
)
def test_unsafe_values_are_rejected(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError):
        Settings()


def test_api_key_is_secret() -> None:
    settings = Settings(llm_api_key="sk-very-secret")  # type: ignore[arg-type]
    assert "sk-very-secret" not in repr(settings)


def test_not_configured_is_explicit() -> None:
    with pytest.raises(LLMNotConfiguredError, match="設定されていません"):
        build_chat_model(Settings())


def test_openai_compatible_call_with_key_and_retry(llm_server: RecordingLLMServer) -> None:
    llm_server.api_key = "k-123"
    llm_server.fail_next(429, headers={"retry-after-ms": "1"})
    model = build_chat_model(
        Settings(llm_base_url=llm_server.base_url, llm_model="test-model", llm_api_key="k-123")  # type: ignore[arg-type]
    )
    generation = model.generate([HumanMessage(content="挨拶文")])
    assert generation.text.startswith("【テスト応答】")
    assert generation.prompt_tokens > 0 and generation.completion_tokens > 0
    assert [r.status for r in llm_server.chat_requests] == [429, 200]
    assert llm_server.chat_requests[-1].header("authorization") == "Bearer k-123"


def test_azure_openai_layout(llm_server: RecordingLLMServer) -> None:
    model = build_chat_model(
        Settings(
            llm_base_url=llm_server.azure_endpoint,
            llm_model="my-deployment",
            llm_api_key="az-key",  # type: ignore[arg-type]
            llm_api_version="2024-10-21",
        )
    )
    assert model.generate([HumanMessage(content="要約して")]).text
    assert read_stream(model, [HumanMessage(content="要約して")]).startswith("【テスト応答】")
    for request in llm_server.chat_requests:
        assert request.path == "/openai/deployments/my-deployment/chat/completions"
        assert request.header("api-key") == "az-key"
        assert request.body["max_tokens"] == 1024  # Azure's name for the limit
    assert [r.body.get("stream", False) for r in llm_server.chat_requests] == [False, True]


def test_failures_become_japanese_llm_errors(llm_server: RecordingLLMServer) -> None:
    llm_server.api_key = "right"
    model = build_chat_model(
        Settings(
            llm_base_url=llm_server.base_url, llm_model="m", llm_api_key="wrong", llm_max_retries=0
        )  # type: ignore[arg-type]
    )
    with pytest.raises(LLMError, match="認証") as info:
        model.generate([HumanMessage(content="x")])
    assert info.value.code == "llm_auth_failed"
    unreachable = build_chat_model(
        Settings(
            llm_base_url="http://127.0.0.1:9/v1", llm_model="m", llm_max_retries=0, llm_timeout_s=2
        )
    )
    with pytest.raises(LLMError) as info:
        unreachable.generate([HumanMessage(content="x")])
    assert info.value.code in ("llm_unreachable", "llm_timeout")
