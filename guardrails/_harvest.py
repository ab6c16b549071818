"""Names of facilities and offices in a text declared public (焼津市立図書館, 市民課,
大井川福祉センター), for the public register.

A name is a run of kanji, katakana, digits or ・ that ends in a facility word of
``[ownership] facility_words`` (市役所, センター, 図書館 …) or in a unit's suffix of
``organisation_suffixes`` (課, 係, 室 …), with no kanji right after it (課題, センター長
are other words) — the same shapes the ownership step reads as an organisation.
"""

from __future__ import annotations

import re

from guardrails._public_policy import OwnershipWords

_KANJI = "\u3005\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_NAME = f"{_KANJI}\u30a1-\u30fa\u30fc・0-9"
# Not names of a place: a person's place (現住所), a direction (南部), common words.
_NOT_NAMES = re.compile(r"(?:住所|場所|近所|関係|[東西南北中]{1,2}部|全部|一部|内部|外部)$")


class OrganisationNames:
    """Finds facility and office names (compiled once per guard)."""

    def __init__(self, words: OwnershipWords) -> None:
        kinds = sorted(set(words.facility_words), key=len, reverse=True)
        suffixes = "".join(re.escape(s) for s in words.organisation_suffixes if len(s) == 1)
        parts = [f"(?:{'|'.join(map(re.escape, kinds))})"] if kinds else []
        if suffixes:
            parts.append(f"[{suffixes}]")
        self._pattern = (
            re.compile(rf"[{_NAME}]{{2,20}}?(?:{'|'.join(parts)})(?![{_KANJI}])") if parts else None
        )

    def find(self, text: str) -> list[tuple[int, int]]:
        """Spans of the facility and office names in ``text``."""
        if self._pattern is None:
            return []
        spans: list[tuple[int, int]] = []
        for m in self._pattern.finditer(text):
            name = m.group().lstrip("・")  # 「図書館・交流政策課」 lists two names
            start = m.end() - len(name)
            if len(name) >= 2 and not _NOT_NAMES.search(name) and not name[0].isdigit():
                spans.append((start, m.end()))
        return spans
