"""Surface-form helpers: full width, kanji numerals, 和暦."""

from __future__ import annotations

import datetime as dt

_FULLWIDTH = {c: c + 0xFEE0 for c in range(0x21, 0x7F)}
_FULLWIDTH[0x20] = 0x3000  # ideographic space

KANJI_DIGITS = "〇一二三四五六七八九"


def fullwidth(text: str) -> str:
    """ASCII → full-width forms (digits, letters, '-', '@', '.', space …)."""
    return text.translate(_FULLWIDTH)


def kanji_positional(digits: str) -> str:
    """'1975' → '一九七五' (digit by digit, 〇 for zero)."""
    return "".join(KANJI_DIGITS[int(c)] if c.isdigit() else c for c in digits)


def kanji_number(n: int) -> str:
    """Natural kanji numeral for 0 ≤ n < 10000: 25 → 二十五, 1975 → 千九百七十五."""
    if n == 0:
        return "〇"
    if not 0 < n < 10000:
        raise ValueError("0 <= n < 10000 only")
    out = []
    for value, unit in ((1000, "千"), (100, "百"), (10, "十")):
        q, n = divmod(n, value)
        if q:
            out.append(("" if q == 1 else KANJI_DIGITS[q]) + unit)
    if n:
        out.append(KANJI_DIGITS[n])
    return "".join(out)


# (first day, era name, roman initial)
_ERAS: tuple[tuple[dt.date, str, str], ...] = (
    (dt.date(2019, 5, 1), "令和", "R"),
    (dt.date(1989, 1, 8), "平成", "H"),
    (dt.date(1926, 12, 25), "昭和", "S"),
    (dt.date(1912, 7, 30), "大正", "T"),
)


def wareki(day: dt.date) -> tuple[str, str, int]:
    """(era name, era initial, year of the era) of ``day``."""
    for start, name, initial in _ERAS:
        if day >= start:
            return name, initial, day.year - start.year + 1
    raise ValueError("dates before 大正 are not supported")


WEEKDAYS = "月火水木金土日"
