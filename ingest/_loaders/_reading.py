"""A table row as a reader reads it, for the personal-data screen.

Loaders show a row as ``セル | セル``: fine for a person looking at it, useless to the
guard, which reads text. A 個人番号 typed one digit per cell (``1 | 2 | … | 8``) is no
number to it, and a ``姓 | 名`` pair (``山田 | 太郎``) is two words, not a name. A reader
puts the header in front of each cell and reads the row as one line:

    姓 | 名 | 住所                →  氏名: 山田 太郎、住所: 焼津市本町2-16-32
    山田 | 太郎 | 焼津市本町2-16-32

    個人番号（12 columns, merged）  →  個人番号: 123456789018
    1 | 2 | 3 | … | 8

Cells under one header (a merged header cell spans them) are one field: digits there are
written without separators, anything else with a space. A 姓 column followed by a 名
column is one 氏名. Short digit cells next to each other that no header tells apart (a
table without a header row, blank header cells: ``090 | 1234 | 5678``) are also read
joined, as an extra reading; cells under different labels (``1月 | 2月 | …``) are not.

Readings are for the screen only; chunks keep the row as it was shown (``Chunk.readings``
is not stored in the index). When the screen flags a row and the chunk is kept anyway
(``YAKUBA_INGEST_PERSONAL_DATA=report``), the row is shown as its masked reading.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from .._models import Chunk, RowReading

__all__ = ["MAX_HEADER_ROWS", "TableRow", "attach_readings", "row_readings", "table_readings"]

_SURNAME = frozenset(
    {"姓", "氏", "苗字", "名字", "せい", "セイ", "lastname", "familyname", "surname"}
)
_GIVEN = frozenset({"名", "めい", "メイ", "firstname", "givenname"})
_BRACKETED = re.compile(r"[（(【\[［][^）)】\]］]*[）)】\]］]")
_DIGITS = re.compile(r"[0-9]{1,4}")
_DIGIT_CELL = re.compile(r"[0-9]{1,6}")
_NUMBER = re.compile(r"[-+]?[0-9]+(?:\.[0-9]+)?%?")
MAX_HEADER_ROWS = 3
# A run of joined digit cells this long may be a phone, card or individual number.
_MIN_JOINED_DIGITS = 7


def _plain(label: str) -> str:
    return "".join(unicodedata.normalize("NFKC", label).lower().split())


def _name_part(label: str) -> tuple[str, str] | None:
    """("姓", "（カナ）") for 姓（カナ）: which half of a name a header names, and its aside."""
    plain = _plain(label)
    core = _BRACKETED.sub("", plain)
    aside = plain[len(core) :] if plain.startswith(core) else ""
    if core in _SURNAME:
        return "姓", aside
    if core in _GIVEN:
        return "名", aside
    return None


def _fields(labels: Sequence[str], cells: Sequence[str]) -> list[tuple[str, str]]:
    """(label, value) per field: cells under one label joined, 姓 + 名 as 氏名."""
    grouped: list[tuple[str, list[str]]] = []
    for index, cell in enumerate(cells):
        label = labels[index].strip() if index < len(labels) else ""
        if grouped and label and grouped[-1][0] == label:
            grouped[-1][1].append(cell)
        else:
            grouped.append((label, [cell]))
    fields: list[tuple[str, str]] = []
    for label, values in grouped:
        values = [v for v in values if v]
        if all(_DIGITS.fullmatch(unicodedata.normalize("NFKC", v)) for v in values):
            value = "".join(values)
        else:
            value = " ".join(values)
        part = _name_part(label)
        previous = _name_part(fields[-1][0]) if fields else None
        if part and part[0] == "名" and previous and previous == ("姓", part[1]):
            fields[-1] = (f"氏名{part[1]}", f"{fields[-1][1]} {value}".strip())
            continue
        fields.append((label, value))
    return fields


def _digit_runs(labels: Sequence[str], cells: Sequence[str]) -> list[str]:
    """Digits of adjacent short all-digit cells that no header tells apart (no header,
    a blank header cell, or the same label), joined where they make a long number.

    Cells under different labels are not joined: ``1月 | 2月 | … | 12月`` over one
    digit each is twelve counts, not a 個人番号, and 人口 | 世帯数 are two figures."""
    runs: list[str] = []
    run: list[str] = []
    previous = ""
    for index, cell in enumerate([*cells, ""]):
        label = labels[index].strip() if index < len(labels) else ""
        digits = unicodedata.normalize("NFKC", cell).replace("-", "")
        if _DIGIT_CELL.fullmatch(digits) and (not run or not label or label == previous):
            run.append(digits)
        else:
            if len(run) > 1 and sum(map(len, run)) >= _MIN_JOINED_DIGITS:
                runs.append("".join(run))
            run = [digits] if _DIGIT_CELL.fullmatch(digits) else []
        previous = label
    return runs


def row_readings(labels: Sequence[str], cells: Sequence[str]) -> tuple[str, ...]:
    """The row read as a reader would (``label: value、label: value``), then any long
    number its digit cells make together. ``labels`` is the header row, or empty."""
    fields = _fields(labels, cells)
    reading = "、".join(f"{label}: {value}" if label else value for label, value in fields if value)
    if not reading:
        return ()
    return (reading, *_digit_runs(labels, cells))


@dataclass(frozen=True)
class TableRow:
    """A row as a loader has it: its line as shown (``a | b``), its cells per grid
    column with a merged cell repeated in every column it spans (for labels), and per
    grid column with a merged cell in its first column only (for values)."""

    shown: str
    spanned: list[str]
    grid: list[str]


def _sub_header(above: TableRow, row: TableRow) -> bool:
    """``row`` is a second header row: the row above has a label spanning several
    columns (a merged cell, or blank cells between labels) that ``row`` fills with
    words, and ``row`` holds no bare numbers (``人口（3 columns） | 世帯数`` over
    ``総数 | 男 | 女``)."""
    cells = [unicodedata.normalize("NFKC", c).replace(",", "") for c in row.grid if c]
    if not cells or any(_NUMBER.fullmatch(c) for c in cells):
        return False
    labels = above.spanned
    spanned = {
        i
        for i in range(1, len(labels))
        if (labels[i] and labels[i] == labels[i - 1])
        or (not labels[i] and any(labels[:i]) and any(labels[i + 1 :]))
    }
    return any(i < len(row.grid) and row.grid[i] for i in spanned)


def table_readings(rows: Sequence[TableRow]) -> list[RowReading]:
    """Every row of one table as a reader reads it. The first row labels the cells
    below it (when a row follows it); a label spanning several columns may have a
    second header row under it (``_sub_header``, up to ``MAX_HEADER_ROWS``). Each
    column's label joins its header cells from top to bottom (``人口 男``), so a
    two-level header tells 総数 | 男 | 女 apart. Header rows are read as rows too."""
    count = 1 if len(rows) > 1 else 0
    while (
        count
        and count < min(MAX_HEADER_ROWS, len(rows) - 1)
        and _sub_header(rows[count - 1], rows[count])
    ):
        count += 1
    width = max((len(r.spanned) for r in rows[:count]), default=0)
    labels = [
        " ".join(
            dict.fromkeys(
                c for r in rows[:count] if i < len(r.spanned) and (c := r.spanned[i].strip())
            )
        )
        for i in range(width)
    ]
    return [
        RowReading(shown=row.shown, readings=row_readings([] if n < count else labels, row.grid))
        for n, row in enumerate(rows)
    ]


def attach_readings(chunks: list[Chunk], rows: Sequence[RowReading]) -> list[Chunk]:
    """Each chunk with the readings of the rows shown in it. A row longer than a chunk
    is split across chunks: it goes to every chunk that holds its beginning or end."""
    out: list[Chunk] = []
    for chunk in chunks:
        found = [
            row
            for row in rows
            if row.readings
            and (
                row.shown in chunk.text
                or row.shown[:40] in chunk.text
                or row.shown[-40:] in chunk.text
            )
        ]
        out.append(chunk.model_copy(update={"readings": tuple(found)}) if found else chunk)
    return out
