"""Values back into the model's answer, for the person who asked — and only after the
output guard has screened the answer as the model wrote it (with placeholders).

``restore_placeholders(answer, mapping, sent=plan.text)`` returns the text to show and
a report. What counts as a placeholder and what is only reported is decided in
``_placeholder_tokens``; in short:

* ``〈氏名1〉`` held by the mapping → its value;
* the same label and number with other angle brackets, spaces or digit forms
  (``<氏名1>``, ``〈氏名 1〉``, ``〈氏名１〉``) → its value, reported as ``normalised``;
* another label (``〈名前1〉``), another bracket (``[氏名1]``), no number (``〈氏名〉``) or no
  brackets (``氏名1``, when 〈氏名1〉 is held) → left as written, reported as
  ``changed`` with the placeholder it probably stands for;
* our label with a number the mapping does not hold → left, reported as ``invented``
  (unless the staff member's own text had it: then it is theirs, and left alone);
* a placeholder of the text sent that the answer never uses → reported as ``dropped``, a
  notice only (a summary legitimately leaves details out).

Reports never hold a value: a written token, its offsets in the answer as the model
wrote it, and a placeholder. ``StreamRestorer`` does the same piece by piece, for a
streamed answer whose placeholders may be split across pieces; what it emits, joined,
is exactly ``restore_placeholders`` of the whole answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from guardrails._placeholder_mapping import PlaceholderMapping
from guardrails._placeholder_tokens import (
    EXACT,
    MAX_TOKEN_CHARS,
    START_CHARS,
    TOKEN_LIKE,
    classify,
)


class AnomalyKind(StrEnum):
    """How the answer's use of placeholders differs from what was sent."""

    NORMALISED = "normalised"  # restored: the same placeholder written differently
    CHANGED = "changed"  # not restored: it names a placeholder, but not as ours
    INVENTED = "invented"  # not restored: no such placeholder was sent
    DROPPED = "dropped"  # a placeholder sent is not in the answer (a notice)


_MESSAGES = {
    AnomalyKind.NORMALISED: "「{written}」を {placeholder} として元に戻しました。",
    AnomalyKind.CHANGED: "「{written}」は仮名の書き方が変わっているため、元に戻していません{hint}。",
    AnomalyKind.INVENTED: "「{written}」は送信した文にない仮名です。AIが作ったものなので、元に戻していません。",
    AnomalyKind.DROPPED: "{placeholder} は回答に使われていません（要約などで省かれた可能性があります）。",
}


@dataclass(frozen=True, slots=True)
class Anomaly:
    """One difference; ``start``/``end`` index the answer as the model wrote it (none
    for ``dropped``). ``placeholder`` is the placeholder meant, when known."""

    kind: AnomalyKind
    written: str
    start: int | None = None
    end: int | None = None
    placeholder: str | None = None

    def message_ja(self) -> str:
        hint = f"（{self.placeholder} のことかもしれません）" if self.placeholder else ""
        return _MESSAGES[self.kind].format(
            written=self.written, placeholder=self.placeholder or "", hint=hint
        )


@dataclass(frozen=True, slots=True)
class Restoration:
    """The answer to show (values restored — never log or store ``text``) and the report."""

    text: str = field(repr=False)
    anomalies: tuple[Anomaly, ...] = ()
    restored: int = 0

    @property
    def problems(self) -> tuple[Anomaly, ...]:
        """The anomalies a staff member must look at (changed and invented)."""
        return tuple(
            a for a in self.anomalies if a.kind in (AnomalyKind.CHANGED, AnomalyKind.INVENTED)
        )

    def notices_ja(self) -> list[str]:
        """One Japanese sentence per anomaly, for the page or the bot reply."""
        return [a.message_ja() for a in self.anomalies]


def restore_placeholders(
    answer: str, mapping: PlaceholderMapping, *, sent: str | Iterable[str] = ""
) -> Restoration:
    """``answer`` with the mapping's values in place of its placeholders, and what was
    odd about them. ``sent``: the text(s) sent to the model for this answer (its
    placeholders are expected back; ``dropped`` is reported against them).

    Raises ``PlaceholderExpiredError`` when the mapping expired or was cleared.
    """
    restorer = StreamRestorer(mapping, sent=sent)
    text = restorer.feed(answer) + restorer.close()
    return restorer.result(text)


class StreamRestorer:
    """``restore_placeholders`` for an answer that arrives in pieces.

        restorer = StreamRestorer(mapping, sent=plan.text)
        for piece in guarded_pieces:          # after the output guard
            send(restorer.feed(piece))        # may be "" while a placeholder is open
        send(restorer.close())
        report = restorer.result()            # anomalies, counts (no text by default)

    It holds back at most the last ``MAX_TOKEN_CHARS`` characters, and only from a
    character that may begin a placeholder not yet complete.
    """

    def __init__(self, mapping: PlaceholderMapping, *, sent: str | Iterable[str] = "") -> None:
        self._mapping = mapping
        texts = [sent] if isinstance(sent, str) else list(sent)
        found = dict.fromkeys(m.group(0) for text in texts for m in EXACT.finditer(text))
        # Held by the mapping: expected back. Not held: the staff member's own text.
        self._expected = [t for t in found if mapping._holds(t)]
        self._literal = set(found).difference(self._expected)
        self._pending = ""
        self._offset = 0  # index in the answer of _pending[0]
        self._used: set[str] = set()
        self._anomalies: list[Anomaly] = []
        self._restored = 0
        self._closed = False

    def feed(self, piece: str) -> str:
        """The restored text that ``piece`` completes."""
        if self._closed:
            raise ValueError("the restorer is closed")
        self._pending += piece
        return self._release(final=False)

    def close(self) -> str:
        """The rest, at the end of the answer."""
        if self._closed:
            return ""
        out = self._release(final=True)
        self._closed = True
        for token in self._expected:
            if token not in self._used:
                self._anomalies.append(Anomaly(AnomalyKind.DROPPED, token, placeholder=token))
        return out

    def result(self, text: str = "") -> Restoration:
        """The report (call after ``close``); ``text`` is carried along if given."""
        return Restoration(text=text, anomalies=tuple(self._anomalies), restored=self._restored)

    def _release(self, *, final: bool) -> str:
        pending = self._pending
        size = len(pending)
        out: list[str] = []
        pos = 0
        while True:
            match = TOKEN_LIKE.search(pending, pos)
            # Before the match (or the end) no placeholder starts now; one may still
            # start where a placeholder's first character sits too close to the end.
            limit = match.start() if match is not None else size
            held = None if final else _unsettled_start(pending, pos, limit)
            if held is not None:
                out.append(pending[pos:held])
                pos = held
                break
            if match is None:
                out.append(pending[pos:])
                pos = size
                break
            if not final and not _complete(match, size):
                out.append(pending[pos : match.start()])
                pos = match.start()
                break
            out.append(pending[pos : match.start()])
            out.append(self._replace(match))
            pos = match.end()
        self._pending = pending[pos:]
        self._offset += pos
        return "".join(out)

    def _replace(self, match: re.Match[str]) -> str:
        written = match.group(0)
        start, end = self._offset + match.start(), self._offset + match.end()
        form = classify(match)
        if form is None:
            return written
        if form.token is not None:
            value = self._mapping._value(form.token)
            if value is not None:
                self._used.add(form.token)
                self._restored += 1
                if not form.exact:
                    self._report(AnomalyKind.NORMALISED, written, start, end, form.token)
                return value
            if form.token not in self._literal:
                self._report(AnomalyKind.INVENTED, written, start, end, None)
            return written
        likely = form.likely if form.likely and self._mapping._holds(form.likely) else None
        if match.group("bare") is not None and likely is None:
            return written  # 住所1 in running text, and no such placeholder: just words
        if likely is not None:
            self._used.add(likely)  # reported as changed, not again as dropped
        self._report(AnomalyKind.CHANGED, written, start, end, likely)
        return written

    def _report(
        self, kind: AnomalyKind, written: str, start: int, end: int, token: str | None
    ) -> None:
        self._anomalies.append(Anomaly(kind, written, start, end, token))


def _unsettled_start(pending: str, start: int, limit: int) -> int | None:
    """The first position in [start, limit) where a placeholder may begin once more text
    arrives: a placeholder's first character within ``MAX_TOKEN_CHARS`` of the end
    (earlier positions have all the text a match there could look at)."""
    for i in range(max(start, len(pending) - MAX_TOKEN_CHARS), limit):
        if pending[i] in START_CHARS:
            return i
    return None


def _complete(match: re.Match[str], size: int) -> bool:
    """A bracketed match ends at its closing bracket and looks no further: final. A bare
    one (氏名1) needs the next character to know its number has ended."""
    return match.group("bare") is None or match.end() < size
