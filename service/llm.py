"""The one seam to language models: any OpenAI-compatible chat-completions server.

OpenAI, Azure OpenAI, vLLM, llama.cpp server and Ollama all speak this API, so Yakuba
needs one client (LangChain's ChatOpenAI / AzureChatOpenAI) and no per-vendor code.

Hardening: the openai client retries 429 and 5xx with exponential backoff (honouring
Retry-After) up to `YAKUBA_LLM_MAX_RETRIES`; every call has `YAKUBA_LLM_TIMEOUT_S`; a
process-wide semaphore caps calls in flight at `YAKUBA_LLM_MAX_CONCURRENCY`, so a burst
queues here instead of overloading a small on-premises model server, and a caller that
waits longer than the timeout for a slot gets a Japanese `llm_busy` error, never a hang.
"""

from __future__ import annotations

import threading
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, BaseMessageChunk
from pydantic import BaseModel

from .errors import LLMError, LLMNotConfiguredError
from .settings import Settings


class ChatMessage(BaseModel):
    role: Literal["system", "user", "assistant"]
    content: str


class Generation(BaseModel):
    text: str
    model: str
    prompt_tokens: int = 0
    completion_tokens: int = 0


@dataclass
class TokenUsage:
    """Filled in by `ChatModel.stream` when the server reports usage (at the end)."""

    prompt_tokens: int = 0
    completion_tokens: int = 0


class ChatModel(Protocol):
    @property
    def model_name(self) -> str: ...

    def generate(
        self, messages: list[BaseMessage], *, max_tokens: int | None = None
    ) -> Generation: ...

    def stream(
        self,
        messages: list[BaseMessage],
        usage: TokenUsage | None = None,
        *,
        max_tokens: int | None = None,
    ) -> Generator[str, None, None]: ...


class LangChainChatModel:
    """Adapts a LangChain chat model; maps its failures to a Japanese `LLMError`."""

    def __init__(
        self,
        model: BaseChatModel,
        model_name: str,
        *,
        max_concurrency: int = 8,
        queue_timeout_s: float = 60.0,
    ) -> None:
        self._model = model
        self._name = model_name
        self._slots = threading.BoundedSemaphore(max_concurrency)
        self._queue_timeout_s = queue_timeout_s

    @property
    def model_name(self) -> str:
        return self._name

    def _acquire(self) -> None:
        if not self._slots.acquire(timeout=self._queue_timeout_s):
            raise LLMError(
                "生成モデルへの依頼が混み合っていて、時間内に順番が来ませんでした。"
                "しばらくしてから再度お試しください。",
                code="llm_busy",
            )

    def generate(self, messages: list[BaseMessage], *, max_tokens: int | None = None) -> Generation:
        """`max_tokens` lowers the configured limit for this call (a client's own limit)."""
        self._acquire()
        try:
            reply = self._model.invoke(messages, **_call_options(max_tokens))
        except Exception as exc:
            raise _llm_error(exc) from exc
        finally:
            self._slots.release()
        usage = reply.usage_metadata if isinstance(reply, AIMessage) else None
        return Generation(
            text=_text_of(reply),
            model=self._name,
            prompt_tokens=usage["input_tokens"] if usage else 0,
            completion_tokens=usage["output_tokens"] if usage else 0,
        )

    def stream(
        self,
        messages: list[BaseMessage],
        usage: TokenUsage | None = None,
        *,
        max_tokens: int | None = None,
    ) -> Generator[str, None, None]:
        # The slot is held until the stream ends or its consumer closes it.
        self._acquire()
        try:
            for chunk in self._model.stream(messages, **_call_options(max_tokens)):
                meta = getattr(chunk, "usage_metadata", None)
                if usage is not None and meta:
                    usage.prompt_tokens += meta.get("input_tokens", 0)
                    usage.completion_tokens += meta.get("output_tokens", 0)
                text = _text_of(chunk)
                if text:
                    yield text
        except Exception as exc:
            raise _llm_error(exc) from exc
        finally:
            self._slots.release()


def _call_options(max_tokens: int | None) -> dict[str, Any]:
    # Passed through to the request body; unset keeps the model's configured limit.
    return {"max_tokens": max_tokens} if max_tokens else {}


def _text_of(message: BaseMessage | BaseMessageChunk) -> str:
    content = message.content
    if isinstance(content, str):
        return content
    return "".join(part if isinstance(part, str) else str(part.get("text", "")) for part in content)


def _llm_error(exc: Exception) -> LLMError:
    name = type(exc).__name__
    if "Timeout" in name:
        return LLMError("生成モデルの応答が時間内にありませんでした。", code="llm_timeout")
    if "RateLimit" in name:
        return LLMError(
            "生成モデルが混み合っています。しばらくしてから再度お試しください。",
            code="llm_rate_limited",
        )
    if "Authentication" in name or "PermissionDenied" in name:
        return LLMError(
            "生成モデルの認証に失敗しました。管理者に設定の確認を依頼してください。",
            code="llm_auth_failed",
        )
    if "Connection" in name:
        return LLMError(
            "生成モデルに接続できませんでした。管理者に連絡してください。", code="llm_unreachable"
        )
    status = getattr(exc, "status_code", None)
    if isinstance(status, int) and status >= 500:
        return LLMError(
            f"生成モデルのサーバーでエラーが発生しました（HTTP {status}、再試行後も解消しませんでした）。"
            "しばらくしてから再度お試しください。",
            code="llm_server_error",
        )
    return LLMError(f"生成モデルの呼び出しに失敗しました（{name}）。", code="llm_failed")


def build_chat_model(settings: Settings) -> LangChainChatModel:
    """The configured model; raises when generation is not configured."""
    if not settings.generation_enabled or settings.llm_model is None:
        raise LLMNotConfiguredError(
            "生成モデルが設定されていません（YAKUBA_LLM_BASE_URL と YAKUBA_LLM_MODEL）。"
        )
    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else "not-needed"
    common = {
        "model": settings.llm_model,
        "temperature": settings.llm_temperature,
        "max_tokens": settings.llm_max_tokens,
        "timeout": settings.llm_timeout_s,
        "max_retries": settings.llm_max_retries,
        "stream_usage": True,
    }
    model: BaseChatModel
    if settings.llm_api_version:
        from langchain_openai import AzureChatOpenAI

        model = AzureChatOpenAI(
            azure_endpoint=settings.llm_base_url,
            api_key=key,
            api_version=settings.llm_api_version,
            azure_deployment=settings.llm_model,
            **common,
        )
    else:
        from langchain_openai import ChatOpenAI

        model = ChatOpenAI(base_url=settings.llm_base_url, api_key=key, **common)
    return LangChainChatModel(
        model,
        settings.llm_model,
        max_concurrency=settings.llm_max_concurrency,
        queue_timeout_s=settings.llm_timeout_s,
    )
