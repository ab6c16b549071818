"""Whether a mailbox's local part is a person's name (t.yamada, yamada-taro, h_suzuki).

A municipality's mailboxes are of two kinds: a unit's (shiminka@, kosodate-shien@,
bousai@, info@) and a staff member's, named after them. The second identifies a person
however public the domain. The names are romanised Japanese surnames and given names
from ``japanese-personal-name-dataset`` (MIT; its 2,000 most common surnames with
their number of bearers, and some 9,500 given-name readings), kept in memory as their
romanisations only, in the spellings mailboxes use: wāpuro (satou), Hepburn without
long vowels (sato) and with oh (satoh). Built once per process on first use, ~0.1–0.2 s
(the package's loader reads its kanji lists too, ~20 MB while loading, ~1 MB kept).

A local part names a person when its words (split at . _ - + and digits) are

* a surname and, next to it, an initial (t.yamada, yamada_t, s.takahashi2) or a given
  name (yamada.taro, taro-yamada) — then a surname of 20,000 bearers or more: the
  rarer ones and given names are words too (五味 gomi + 大作 taisaku: gomi-taisaku is a
  unit's mailbox);
* a common surname alone (tanaka, watanabe: 50,000 bearers or more) or glued to one
  initial (tyamada) — rarer surnames are words too (fukushi, koseki, minato);
* a surname of four letters or more glued to a given name of four letters or more
  (yamadataro) — shorter pieces make words (shou|kou, kai|kei).

Units' mailboxes are romanised words, not names: shimin, kosodate-shien, bousai, zeimu.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from guardrails._once import ProcessWide

_COMMON_SURNAME = 50_000  # bearers: a surname alone (tanaka@) is a person's mailbox
_PAIRED_SURNAME = 20_000  # … and one beside a given name (gomi-taisaku is a unit's)
_GLUED_PART = 4  # letters of each part of a surname glued to a given name
_SPLIT = re.compile(r"[._\-+]+|\d+")


@dataclass(frozen=True, slots=True)
class RomajiNames:
    """Romanised surnames (with their number of bearers) and given names."""

    surnames: dict[str, int]
    given: frozenset[str]

    def names_a_person(self, local_part: str) -> bool:
        """True when ``local_part`` (of an e-mail address) is a person's name."""
        words = [w for w in _SPLIT.split(local_part.lower()) if w]
        if not words or not all(w.isascii() and w.isalpha() for w in words):
            return False
        for first, second in zip(words, words[1:], strict=False):
            if self._pair(first, second) or self._pair(second, first):
                return True
        if len(words) != 1:
            return False
        word = words[0]
        if self.surnames.get(word, 0) >= _COMMON_SURNAME:
            return True
        if self.surnames.get(word[1:], 0) >= _COMMON_SURNAME:
            return True  # tyamada
        return any(
            word[:cut] in self.surnames and word[cut:] in self.given
            for cut in range(_GLUED_PART, len(word) - _GLUED_PART + 1)
        )

    def _pair(self, surname: str, other: str) -> bool:
        if len(other) <= 2:
            return surname in self.surnames
        return self.surnames.get(surname, 0) >= _PAIRED_SURNAME and other in self.given


def _spellings(romaji: str) -> set[str]:
    """satou → satou, sato, satoh; yuuki → yuuki, yuki; oono → oono, ono."""
    short = romaji.replace("ou", "o").replace("uu", "u").replace("oo", "o")
    spellings = {romaji, short}
    if romaji.endswith("ou"):
        spellings.add(romaji[:-2] + "oh")
    return spellings


def romaji_names() -> RomajiNames:
    """The process-wide name sets, built on first use (thread-safe)."""
    return _ROMAJI_NAMES.get()


def _build() -> RomajiNames:
    # Late: reads its CSV files. Its row cache is dropped afterwards (the kanji lists
    # would stay in memory for nothing).
    from japanese_personal_name_dataset import clear_cache, load_dataset

    men, women, last = load_dataset("org", include_last_names=True)
    clear_cache()
    surnames: dict[str, int] = {}
    for entry in last.values():
        for spelling in _spellings(entry["en"]):
            surnames[spelling] = max(surnames.get(spelling, 0), entry["count"])
    given = {s for names in (men, women) for e in names.values() for s in _spellings(e["en"])}
    return RomajiNames(surnames=surnames, given=frozenset(given))


_ROMAJI_NAMES = ProcessWide(_build)
