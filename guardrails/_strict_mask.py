"""The aggressive mask of a blocked prompt: what the audit store may keep of it.

A blocked prompt is known to hold personal data, and whatever the recognisers missed sits
next to what they found (a rare given name beside the birth date that was caught). Its
stored text therefore gets a second pass that does not depend on the first: every token
that *could* be a name, a place or a number is masked, whether or not any recogniser
reported it —

* the first pass's findings, as their type labels (``<氏名>``, ``<電話番号>`` …);
* every Sudachi proper noun (人名, 地名, 組織, 一般) and every word Sudachi does not know;
* every capitalised Latin word (Maria, SANTOS, Chuo-cho) except a few sentence-opening
  function words (The, Please, I …), and every word with an ``@``;
* every Hangul word starting with a Korean surname, every Han run starting with a
  Chinese surname that Sudachi does not read as a common noun;
* every digit run, in any numeral form the normaliser reads (full-width, kanji, kana),
  and every run of kanji numerals with 十/百/千.

Second-pass spans become ``<固有名>`` or ``<数字>``. Nothing of the raw remainder that
could identify someone survives; particles, verbs and common nouns stay, so an auditor can
still tell what kind of request it was. If the analysis itself fails, the whole text is
replaced (fail closed).
"""

from __future__ import annotations

import logging
import re
import threading

from guardrails._labels import UNSCANNABLE_LABEL, redaction_label
from guardrails._models import ScanResult
from guardrails._nlp_engine import LANGUAGE, SudachiNlpEngine
from guardrails._normalize import normalize
from guardrails.recognizers import _foreign_words as vocab

logger = logging.getLogger(__name__)

NAME_LABEL = "<固有名>"
NUMBER_LABEL = "<数字>"

_LATIN_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ɏḀ-ỿ][A-Za-zÀ-ÖØ-öø-ɏḀ-ỿ'’.\-]*")
_AT_WORD = re.compile(r"\S*@\S*")
_DIGITS = re.compile(r"[0-9]+")
_KANJI_NUMBER = re.compile(
    r"[〇零一二三四五六七八九十百千]*[十百千][〇零一二三四五六七八九十百千]*"
)
_H = "\uac00-\ud7a3"
_HANGUL_NAME = re.compile(
    rf"(?<![{_H}])(?:{'|'.join(sorted(vocab.KOREAN_SURNAMES, key=len, reverse=True))})[{_H}]{{1,3}}"
)
_HAN = "\u3400-\u4dbf\u4e00-\u9fff"
_HAN_NAME = re.compile(
    rf"(?:{'|'.join(sorted(set(vocab.CHINESE_SURNAMES), key=len, reverse=True))})[{_HAN}]{{1,2}}"
)
# Capitalised words that open sentences without naming anyone.
_FUNCTION_WORDS = frozenset(
    "the a an i we you he she they it this that these those my our your his her their"
    " please hello hi dear thank thanks yes no if when what where who how why and but or"
    " so for in on at to from of with by is are was were be do does did can could would"
    " should will may might must have has had".split()
)
_PROPER = frozenset(["固有名詞"])
_OWN_RULES = re.compile(rf"[A-Za-zÀ-ÖØ-öø-ɏḀ-ỿ{_H}]")

_lock = threading.Lock()
_engine: SudachiNlpEngine | None = None


def _shared_engine() -> SudachiNlpEngine:
    global _engine
    if _engine is None:
        with _lock:
            if _engine is None:
                engine = SudachiNlpEngine()
                engine.load()
                _engine = engine
    return _engine


def strict_mask(text: str, result: ScanResult, *, engine: SudachiNlpEngine | None = None) -> str:
    """The text of a blocked prompt as the audit store may keep it (see the module doc).

    ``result`` is the guard's verdict on ``text``; its findings become type labels, and
    a second, independent pass masks every name-, place- and number-like token. A failed
    scan (``result.error``) or a failure here yields ``<検査不能>`` for the whole text.
    ``engine``: the Sudachi engine to use (``Guard.strict_mask`` passes the guard's own);
    by default one is loaded once per process.
    """
    if result.error is not None:
        return UNSCANNABLE_LABEL
    try:
        spans = _second_pass(text, engine or _shared_engine())
    except Exception as exc:  # fail closed: never the raw text
        logger.error("strict mask failed (%s); masking the whole text", type(exc).__name__)
        return UNSCANNABLE_LABEL
    labelled = [(f.start, f.end, redaction_label(f.type)) for f in result.findings]
    return _apply(text, labelled, spans)


def _second_pass(text: str, engine: SudachiNlpEngine) -> list[tuple[int, int, str]]:
    spans: list[tuple[int, int, str]] = []
    normalized = normalize(text)
    for match in _DIGITS.finditer(normalized.text):
        start, end = normalized.to_original_span(match.start(), match.end())
        spans.append((start, end, NUMBER_LABEL))
    for match in _KANJI_NUMBER.finditer(text):
        spans.append((match.start(), match.end(), NUMBER_LABEL))
    artifacts = engine.process_text(text, LANGUAGE)
    common: list[tuple[int, int]] = []
    for m in artifacts.morphemes:
        if _OWN_RULES.search(m.surface):
            continue  # Latin and Hangul words: the rules below, not Sudachi's guesses
        if m.oov or (len(m.pos) > 1 and m.pos[1] in _PROPER):
            if any(c.isalpha() or c.isdigit() for c in m.surface):
                spans.append((m.start, m.end, NAME_LABEL))
        elif len(m.pos) > 1 and m.pos[1] == "普通名詞":
            common.append((m.start, m.end))
    for match in _LATIN_WORD.finditer(text):
        word = match.group()
        if word[0].isupper() and word.rstrip(".").lower() not in _FUNCTION_WORDS:
            spans.append((match.start(), match.end(), NAME_LABEL))
    for match in _AT_WORD.finditer(text):
        spans.append((match.start(), match.end(), NAME_LABEL))
    for match in _HANGUL_NAME.finditer(text):
        spans.append((match.start(), match.end(), NAME_LABEL))
    for match in _HAN_NAME.finditer(text):
        inside = [(a, b) for a, b in common if a < match.end() and match.start() < b]
        if not (inside and inside[0][0] <= match.start() and inside[-1][1] >= match.end()):
            spans.append((match.start(), match.end(), NAME_LABEL))
    return spans


def _apply(
    text: str, labelled: list[tuple[int, int, str]], masked: list[tuple[int, int, str]]
) -> str:
    """Replace the spans; overlapping ones merge, the first pass's label wins."""
    events = sorted(
        [(s, e, label, 0) for s, e, label in labelled]
        + [(s, e, label, 1) for s, e, label in masked if s < e],
        key=lambda item: (item[0], item[3], -item[1]),
    )
    merged: list[tuple[int, int, str, int]] = []
    for start, end, label, rank in events:
        if merged and start < merged[-1][1]:
            first, last, kept, kept_rank = merged[-1]
            if rank == 0 and kept_rank == 1:
                kept, kept_rank = label, 0
            merged[-1] = (first, max(last, end), kept, kept_rank)
            continue
        merged.append((start, end, label, rank))
    out: list[str] = []
    pos = 0
    for start, end, label, _ in merged:
        out.append(text[pos:start])
        out.append(label)
        pos = end
    out.append(text[pos:])
    return "".join(out)
