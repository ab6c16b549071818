"""The output guard: the model's text is scanned before any of it leaves.

Not streamed, the whole answer is scanned at once. Streamed, text leaves through a
sliding window (`OutputWindow`): the newest `hold` characters are always kept back, and
each scan covers the kept-back text together with the tail of what already left, so a
value that spans a sentence end or a line break (`090-1234-` / `5678`) is whole in some
scan before any of it is released; a cut never falls inside a finding. When the model is
done, the whole answer is scanned once more, and that form is what is stored (audit
record, thread history).
"""

from __future__ import annotations

from collections.abc import Callable

from guardrails import Action, Guard, ScanResult

from .redaction import redact_piece

# Longer than any identifier the guard knows written out with separators (a 16-digit
# card with spaces, a マイナンバー one digit per line), so a value still arriving is
# never released in part. The delay this adds is a few tokens of a streamed answer.
DEFAULT_HOLD = 48
# What already left, kept as context for the next scan (a label such as 電話： that
# makes the digits after it a phone number).
LOOKBEHIND = 32
_BOUNDARIES = "。．！？!?\n"


def guard_output(guard: Guard, text: str) -> str:
    """`text` with any personal data replaced by type labels."""
    result: ScanResult = guard.scan(text)
    if result.action is Action.ALLOW:
        return text
    return result.redacted


class OutputWindow:
    """Model text released as it comes, never a character the guard has not seen with
    at least `hold` characters after it (or the end of the answer)."""

    def __init__(self, guard: Guard, *, hold: int = DEFAULT_HOLD) -> None:
        self._guard = guard
        self._hold = hold
        self._released_raw = ""  # tail of what already left, unmasked: context only
        self._pending = ""
        self._raw: list[str] = []
        self._scans = 0
        self._whole: str | None = None  # the answer screened by one scan of all of it
        self.parts: list[str] = []

    @property
    def text(self) -> str:
        """What was released (screened)."""
        return "".join(self.parts)

    @property
    def raw(self) -> str:
        """Everything the model said so far, for the whole-answer scan only."""
        return "".join(self._raw)

    def whole(self, guard_output: Callable[[str], str]) -> str:
        """The whole answer screened by one scan (after `flush`): a short answer was
        already scanned whole by its only release, a longer one is scanned again."""
        if self._whole is not None:
            return self._whole
        return guard_output(self.raw)

    def add(self, piece: str) -> str:
        """The screened text `piece` lets out ("" while it is held back)."""
        self._raw.append(piece)
        self._pending += piece
        if len(self._pending) < 2 * self._hold:
            return ""
        cut = len(self._pending) - self._hold
        # Prefer a sentence or line end, so text reaches the reader in readable parts.
        boundary = max(self._pending.rfind(ch, 0, cut) for ch in _BOUNDARIES) + 1
        return self._release(boundary if boundary > self._hold // 2 else cut)

    def flush(self) -> str:
        """The screened rest, at the end of the model's text."""
        return self._release(len(self._pending), final=True) if self._pending else ""

    def _release(self, cut: int, *, final: bool = False) -> str:
        look = self._released_raw[-LOOKBEHIND:]
        text = look + self._pending
        result = self._guard.scan(text)
        end = len(look) + cut
        if result.error:
            # Unscannable: nothing of it leaves.
            safe, end = result.redacted, len(text)
        else:
            for f in sorted(result.findings, key=lambda f: f.start):
                if f.start < end < f.end:
                    end = max(f.start, len(look))
            if end <= len(look):
                return ""
            safe = (
                text[len(look) : end]
                if result.action is Action.ALLOW
                else redact_piece(text, result.findings, len(look), end)
            )
        self._scans += 1
        if final and self._scans == 1:
            self._whole = safe  # the first and only scan saw every character
        self._released_raw = text[:end]
        self._pending = text[end:]
        self.parts.append(safe)
        return safe
