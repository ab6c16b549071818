"""Helpers for tests of the model client: read an awaited stream from sync test code, and a
test-model reply that counts how many calls are in flight at once."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

from langchain_core.messages import BaseMessage

from service.llm import ChatModel, TokenUsage

__all__ = ["InFlightReply", "read_stream"]


def read_stream(
    model: ChatModel, messages: list[BaseMessage], usage: TokenUsage | None = None
) -> str:
    """The whole text of `model.astream(messages)`, read on a fresh event loop."""

    async def read() -> str:
        return "".join([piece async for piece in model.astream(messages, usage)])

    return asyncio.run(read())


class InFlightReply:
    """A `RecordingLLMServer.reply` that answers `text` after `delay_s` and records the
    most calls it was answering at once (`peak`)."""

    def __init__(self, text: str, delay_s: float) -> None:
        self.text = text
        self.delay_s = delay_s
        self.peak = 0
        self._in_flight = 0
        self._lock = threading.Lock()

    def __call__(self, body: dict[str, Any]) -> str:
        with self._lock:
            self._in_flight += 1
            self.peak = max(self.peak, self._in_flight)
        time.sleep(self.delay_s)
        with self._lock:
            self._in_flight -= 1
        return self.text
