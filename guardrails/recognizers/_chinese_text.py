"""Which clauses of a text are written in Chinese, not Japanese.

Sudachi analyses every text as Japanese. Given Chinese (a notice staff translate:
「可燃垃圾每周一和周四收集」), it cuts it into fragments and tags some of them as given
names (周一, 和周, 收), so the Japanese name recogniser must leave Chinese clauses to
the Chinese one (``chinese_name.py``), which reads names by Chinese context.

A clause (up to the next 、，；, a sentence's end or a line break) is Chinese when it
has no hiragana — a Japanese clause of any length almost always has some, while a
Chinese one may quote a Japanese name in katakana — and either

* a Han character that Japanese does not write: outside CP932 (JIS X 0208 and the
  vendor extensions every Japanese system has), which takes in most simplified forms
  (垃圾, 每, 询, 们, 这, 说, 兰, 伟); or
* two signals of Chinese in its sentence, which has no hiragana either: traditional
  function characters (們, 這, 於, 從 … — see ``_GRAMMAR``), weekdays (週二, 星期三)
  and words Japanese writes otherwise (下午, 地址, 預約, 請到). Traditional Chinese is
  mostly within CP932: 塑料瓶每週二和週五收集 is told by its weekdays, 請到…接種，
  電話預約 by its words, and a sentence with nothing to tell it by gets the Japanese
  analysis.

Japanese names written with characters outside CP932 (𠮷) inside a clause without kana
would be left to the other recognisers; a name needs a frame there anyway.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

_HIRAGANA = re.compile(r"[\u3041-\u3096]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_SENTENCE_END = re.compile(r"[。！!？?\n]")
_CLAUSE_END = re.compile(r"[、，,；;]")
# Chinese function characters in traditional script (the simplified ones are outside
# CP932 already) that a Japanese clause without kana does not hold — unlike 的, 了, 請,
# 給, 個, 還, 週 (具体的, 完了, 申請, 受給, 個人, 返還, 週末), which Japanese compounds use.
_GRAMMAR = frozenset("們這嗎呢您於從讓沒對吧啊哪")
# Chinese weekdays (週二, 周五, 星期三); not Japanese counts (週一回, 週二日).
_WEEKDAY = re.compile(r"(?:週|周|星期|禮拜|礼拜)[一二三四五六日天](?![回度日間])")
# Chinese words written in characters Japanese has, but never together (下午 for 午後,
# 地址 for 住所, 預約 for 予約, 請到 "please go to").
_WORDS = ("下午", "上午", "地址", "預約", "预约", "請到", "请到", "請於", "號碼")
_GRAMMAR_RE = re.compile(f"[{''.join(sorted(_GRAMMAR))}]|{_WEEKDAY.pattern}|" + "|".join(_WORDS))


class ChineseClauses:
    """The Chinese clauses of one text (computed once per scan). The signals of
    grammar are counted over the clause's sentence (請到…接種，電話預約：)."""

    __slots__ = ("_ends", "_flags")

    def __init__(self, text: str) -> None:
        ends: list[int] = []
        flags: list[bool] = []
        start = 0
        for sentence_end in [*(m.start() for m in _SENTENCE_END.finditer(text)), len(text)]:
            sentence = text[start:sentence_end]
            grammar = not _HIRAGANA.search(sentence) and _grammar_signals(sentence) >= 2
            clause_start = start
            for stop in [*(m.start() for m in _CLAUSE_END.finditer(sentence)), len(sentence)]:
                clause_end = start + stop
                ends.append(clause_end)
                flags.append(_is_chinese(text[clause_start:clause_end], grammar=grammar))
                clause_start = clause_end + 1
            start = sentence_end + 1
        self._ends = ends
        self._flags = flags

    def covers(self, start: int, end: int) -> bool:
        """True when ``[start, end)`` lies in Chinese clauses only."""
        first = bisect_left(self._ends, start)
        last = min(bisect_left(self._ends, max(start, end - 1)), len(self._flags) - 1)
        return all(self._flags[first : last + 1])


def _is_chinese(clause: str, *, grammar: bool) -> bool:
    # Katakana may stand in a Chinese clause (a Japanese facility's name: 保育所グロ―アップ
    # 石津園本周六下午闭馆); hiragana never does.
    if not clause or _HIRAGANA.search(clause) or not _HAN.search(clause):
        return False
    return grammar or not written_in_japanese(clause)


def _grammar_signals(sentence: str) -> int:
    return len({signal.group() for signal in _GRAMMAR_RE.finditer(sentence)})


@lru_cache(maxsize=4096)
def _in_cp932(char: str) -> bool:
    try:
        char.encode("cp932")
    except UnicodeEncodeError:
        return False
    return True


def has_chinese_clause(text: str) -> bool:
    """Cheap pre-check: some Chinese function character, or some Han character outside
    CP932 (most Japanese prompts have neither, and need no clause split)."""
    if _GRAMMAR_RE.search(text):
        return True
    return not written_in_japanese(text)


def written_in_japanese(text: str) -> bool:
    """True when every Han character of ``text`` is one Japanese writes (in CP932): 王伟
    and 单秀兰 are not, 王偉 and 田中 are."""
    try:
        text.encode("cp932")
    except UnicodeEncodeError:
        return all(_in_cp932(han.group()) for han in _HAN.finditer(text))
    return True
