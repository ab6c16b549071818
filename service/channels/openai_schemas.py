"""The subset of the OpenAI chat-completions wire format Yakuba speaks."""

from __future__ import annotations

import time
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator

MODEL_CHAT = "yakuba"
MODEL_RAG = "yakuba-rag"


class ContentPart(BaseModel):
    type: Literal["text"]
    text: str


class ChatCompletionMessage(BaseModel):
    role: Literal["system", "user", "assistant", "developer"]
    content: str | list[ContentPart]

    def text(self) -> str:
        if isinstance(self.content, str):
            return self.content
        return "".join(part.text for part in self.content)

    @property
    def plain_role(self) -> str:
        return "system" if self.role == "developer" else self.role


class StreamOptions(BaseModel):
    include_usage: bool = False


class YakubaOptions(BaseModel):
    """Yakuba's extension of the request (`extra_body={"yakuba": {...}}` in OpenAI's
    clients); without it the OpenAI contract is unchanged."""

    placeholders: bool = Field(
        default=False,
        description="residents' data goes to the model as 〈氏名1〉 … and comes back in the "
        "reply (docs/placeholders.md); without it such a message is refused",
    )
    thread_id: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_-]{1,64}$")


class ChatCompletionRequest(BaseModel):
    model: str
    messages: list[ChatCompletionMessage] = Field(min_length=1, max_length=200)
    stream: bool = False
    stream_options: StreamOptions | None = None
    temperature: float | None = Field(default=None, ge=0, le=2)
    max_tokens: int | None = Field(default=None, ge=1)
    user: str | None = Field(default=None, max_length=256)
    metadata: dict[str, str] | None = Field(
        default=None,
        max_length=16,
        description="OpenAI's free-form tags; Yakuba reads `purpose` (業務内容) from it",
    )
    yakuba: YakubaOptions | None = None

    @field_validator("messages")
    @classmethod
    def _needs_user_message(cls, value: list[ChatCompletionMessage]) -> list[ChatCompletionMessage]:
        if not any(m.role == "user" for m in value):
            raise ValueError("user のメッセージを1つ以上含めてください")
        return value


class Usage(BaseModel):
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0


class ResponseMessage(BaseModel):
    role: Literal["assistant"] = "assistant"
    content: str


class Choice(BaseModel):
    index: int = 0
    message: ResponseMessage
    finish_reason: Literal["stop", "length", "content_filter"]


class ChatCompletion(BaseModel):
    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int = Field(default_factory=lambda: int(time.time()))
    model: str
    choices: list[Choice]
    usage: Usage = Field(default_factory=Usage)
    # Yakuba's additions; OpenAI clients ignore unknown fields.
    yakuba: dict[str, Any] = Field(default_factory=dict)


class ModelCard(BaseModel):
    id: str
    object: Literal["model"] = "model"
    created: int = 0
    owned_by: str = "yakuba"


class ModelList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelCard]


def chunk(
    completion_id: str, model: str, delta: dict[str, Any], finish: str | None
) -> dict[str, Any]:
    return {
        "id": completion_id,
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
