"""A letter to a named resident, and a test model that writes with the placeholders it
was sent (the placeholder tests of the API, the web page and the bench)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from tests.utils.llm_server import content_text

NAME, ADDRESS, PHONE = "山田太郎", "焼津市本町二丁目16番32号", "090-1234-5678"
LETTER = (
    f"{NAME}様あての、児童手当の現況届の提出をお願いする通知文を作って。"
    f"送付先は{ADDRESS}、連絡先は{PHONE}。"
)
DRAFT = {"kind": "通知文", "instructions": LETTER}
# Parts too, as a partial restore or a log of the raw text would leave them; not bare "090",
# which a debug log's timing (0.000090 seconds) holds without any leak.
VALUES = (NAME, ADDRESS, PHONE, "山田", "本町二丁目", "1234-5678", "09012345678")
TOKEN = re.compile(r"〈[^〈〉]{1,12}〉")


def last_user(body: Mapping[str, Any]) -> str:
    messages = body.get("messages") or []
    return next(content_text(m["content"]) for m in reversed(messages) if m["role"] == "user")


def letter_reply(body: Mapping[str, Any]) -> str:
    """A model that writes a letter with every placeholder it was sent (in order)."""
    tokens = list(dict.fromkeys(TOKEN.findall(last_user(body))))
    head = "\n".join(f"{t}様" if "氏名" in t else t for t in tokens)
    return f"{head}\n\n拝啓　時下ますますご清祥のこととお喜び申し上げます。現況届をご提出ください。"
