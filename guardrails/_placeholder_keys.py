"""When two written values are the same value, so that they get the same placeholder.

* Phone numbers, postal codes, addresses and e-mail addresses: the public register's
  canonical forms (``register_key``): ０９０（１２３４）５６７８ = 090-1234-5678,
  焼津市本町２－１６－３２ = 静岡県焼津市本町二丁目16番32号; an e-mail written
  ``tanaka[at]city.example.jp`` is ``tanaka@city.example.jp``.
* Dates of birth: the date itself (昭和50年4月1日 = 1975年4月1日 = 1975/04/01).
* Names: NFKC, case-folded, spaces and ・ dropped (山田　太郎 = 山田太郎, ＹＡＭＡＤＡ = Yamada);
  accents of Latin letters dropped (Nguyễn Văn An = Nguyen Van An); a Latin-script name
  of several words in any order (Taro Yamada = YAMADA Taro). Honorifics are not part of
  the value (the planner keeps them outside the span).

Anything else falls back to NFKC without spaces, case-folded. ``name_parts`` lists the
parts a surname or given name written alone may equal (see ``_placeholders``).
"""

from __future__ import annotations

import re
import unicodedata

from guardrails._normalize import normalize
from guardrails._register_keys import register_key
from guardrails.recognizers.birth_date import parse_date

_SPACE = re.compile(r"\s+")
_NAME_SEPARATORS = re.compile(r"[\s・･=＝,.'’\-‐]+")
_AT = re.compile(r"\s*(?:\[at\]|\(at\)|［at］|（at）|\sat\s|＠)\s*", re.I)
_DOT = re.compile(r"\s*(?:\[dot\]|\(dot\)|［dot］|（dot）|\sdot\s)\s*", re.I)
_REGISTER_TYPES = frozenset(["ADDRESS", "PHONE_NUMBER", "EMAIL_ADDRESS", "POSTAL_CODE"])


def value_key(entity_type: str, value: str) -> str:
    """The canonical form of ``value``: equal keys get one placeholder."""
    if entity_type == "PERSON":
        return name_key(value)
    if entity_type == "EMAIL_ADDRESS":
        value = _DOT.sub(".", _AT.sub("@", value))
    if entity_type in _REGISTER_TYPES:
        key = register_key(entity_type, value)
        if key is not None:
            return key
    text = _SPACE.sub("", normalize(value).text)
    if entity_type == "BIRTH_DATE":
        day = parse_date(text)
        if day is not None:
            return day.isoformat()
    if entity_type in ("PHONE_NUMBER", "POSTAL_CODE"):
        return "".join(c for c in text if c.isdigit()) or text
    return text.casefold()


def name_key(value: str) -> str:
    """山田　太郎 → 山田太郎; Taro YAMADA → "taro yamada" (words sorted)."""
    words = name_words(value)
    if len(words) > 1 and all(_is_latin(w) for w in words):
        return " ".join(sorted(words))
    return "".join(words)


def name_words(value: str) -> list[str]:
    """The words of a name, folded (case, width, Latin accents)."""
    text = _strip_latin_accents(normalize(value).text.casefold())
    return [w for w in _NAME_SEPARATORS.split(text) if w]


def name_parts(value: str) -> frozenset[str]:
    """What a surname or given name written alone may equal: each word of a Latin-script
    name and each run of its words (Maria da Paz → maria, da, paz, "da maria", "da paz"); the beginnings and ends of a name written
    without spaces (山田太郎 → 山田, 太郎 …; 김민준 → 김, 민준)."""
    words = name_words(value)
    if len(words) > 1 and all(_is_latin(w) for w in words):
        # Each word, and each run of words as name_key writes it (a particle surname
        # written alone: Sra. de Anda after Jacobo de Anda).
        runs = {
            " ".join(sorted(words[i:j]))
            for i in range(len(words))
            for j in range(i + 2, len(words) + 1)
            if j - i < len(words)
        }
        return frozenset(words) | runs
    joined = "".join(words)
    parts = {joined[:i] for i in range(1, len(joined))}
    parts |= {joined[i:] for i in range(1, len(joined))}
    return frozenset(parts)


def _is_latin(word: str) -> bool:
    return all(c.isascii() or "\u00c0" <= c <= "\u024f" or "\u1e00" <= c <= "\u1eff" for c in word)


def _strip_latin_accents(text: str) -> str:
    if text.isascii():
        return text
    out: list[str] = []
    for ch in text:
        if _is_latin(ch) and not ch.isascii():
            ch = "d" if ch in "đĐ" else ch
            out.append(
                "".join(
                    c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)
                )
            )
        else:
            out.append(ch)
    return "".join(out)
