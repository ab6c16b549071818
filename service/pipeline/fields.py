"""The units of a request: each text a staff member supplied, with its limit."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import InputError


@dataclass(frozen=True)
class InputField:
    """One user-supplied text of a request; `name` is its template variable."""

    name: str
    label: str  # Japanese, for messages and the audit log
    text: str
    limit: int
    required: bool = True


def check_field(f: InputField) -> None:
    """Refuses an empty required field or one over its limit (Japanese message)."""
    if f.required and not f.text.strip():
        raise InputError(f"{f.label}が空です。", code="empty_prompt")
    if len(f.text) > f.limit:
        raise InputError(
            f"{f.label}が長すぎます（{len(f.text):,}文字）。{f.limit:,}文字以内にしてください。",
            code="prompt_too_long",
        )
