"""The webhook's documented JSON payloads (docs/bots.md)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ...pipeline.contracts import Citation

__all__ = ["WebhookCitation", "WebhookMessage", "WebhookReply"]


class WebhookMessage(BaseModel):
    """One message a staff member wrote in the chat tool."""

    model_config = ConfigDict(extra="forbid")

    message_id: str = Field(
        min_length=1, max_length=128, description="the tool's id of the message; used once"
    )
    user: str = Field(min_length=1, max_length=256, description="the chat account in the tool")
    staff_id: str | None = Field(
        default=None,
        max_length=256,
        description="the staff id the tool vouches for (used when the directory has no entry)",
    )
    department: str = Field(default="", max_length=256, description="課, with staff_id")
    thread: str | None = Field(
        default=None, max_length=256, description="conversation id: earlier turns are context"
    )
    text: str = Field(min_length=1, max_length=200_000)
    task: str | None = Field(
        default=None,
        max_length=64,
        description="要約, 翻訳 [言語], やさしい日本語, 下書き [種類] or 校正; unset = a question",
        examples=["翻訳 en"],
    )
    purpose: str = Field(default="", max_length=500, description="業務内容 (restricted purposes)")


class WebhookCitation(BaseModel):
    number: int
    title: str
    locator: str
    source: str

    @classmethod
    def of(cls, c: Citation) -> WebhookCitation:
        return cls(number=c.number, title=c.title, locator=c.locator, source=c.source)


class WebhookReply(BaseModel):
    message_id: str
    status: Literal["answered", "no_results", "blocked", "failed", "refused"]
    private: bool = Field(description="show only to the person who wrote the message")
    text: str = Field(description="the whole reply, Markdown")
    parts: list[str] = Field(description="the text split for tools with a message size limit")
    citations: list[WebhookCitation] = Field(default_factory=list)
    notices: list[str] = Field(default_factory=list, description="for the asker only")
    audit_id: int | None = None
    thread: str | None = None
