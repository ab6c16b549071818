"""The same person named again: a surname repeated after the full name.

A note names a resident in full once and then by surname alone (妻の高木 由美 … 高木は;
王 芳さん … 王さんの夫). The surname alone has no frame a recogniser could read, but
the text has already said whose it is. Only names written with a separator between
surname and given name are split (高木 由美, キム・ミンジュ): a run of kanji with none
(中野花子) cannot be cut without guessing.

Only the surnames of names judged personal are followed: an official named in a public
role (鈴木 一郎市長) stays public, and so do the later mentions of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# The first word of a name and the separator after it.
_SURNAME = re.compile(r"([\u3005\u4e00-\u9fff]{1,3}|[\u30a1-\u30fa\u30fc]{2,6})[ \u3000・]\S")
_KANJI = re.compile(r"[\u3005\u4e00-\u9fff]")
_KATAKANA = re.compile(r"[\u30a1-\u30fa\u30fc]")
# Longest text scanned for mentions: a pasted document, not a book.
_MAX_TEXT = 20_000


def repeated_surnames(
    text: str, names: Iterable[tuple[int, int]], taken: Iterable[tuple[int, int]]
) -> list[tuple[int, int, int]]:
    """(start, end, index of the name it repeats) for each other mention of a
    surname of ``names`` (spans of ``text``) that no span of ``taken`` overlaps."""
    if len(text) > _MAX_TEXT:
        return []
    occupied = sorted(taken)
    found: list[tuple[int, int, int]] = []
    for index, (start, end) in enumerate(names):
        head = _SURNAME.match(text, start, end)
        if head is None:
            continue
        surname = head.group(1)
        letter = _KANJI if _KANJI.match(surname) else _KATAKANA
        at = text.find(surname)
        while at != -1:
            after = at + len(surname)
            if (
                not (at > 0 and letter.match(text[at - 1]))
                and not (after < len(text) and letter.match(text[after]))
                and not any(s < after and at < e for s, e in occupied)
            ):
                found.append((at, after, index))
                occupied.append((at, after))
            at = text.find(surname, after)
    return found
