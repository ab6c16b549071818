"""Spreadsheet rows (XLSX sheets, CSV files) → FAQ pairs or row chunks.

An FAQ sheet is recognised by its header row (within the first rows, since sheets often
start with a title line): a question column (質問, 問, Q, 問い合わせ内容 …) and an answer
column (回答, 答, A, 回答内容 …); an ID column (No, 番号, FAQ番号 …), カテゴリ, 担当課 and
更新日 are used when present. Each pair is one chunk cited ``FAQ 12`` by its row number as
Excel shows it, or by the sheet's own ID (``FAQ Q-012``); in a workbook with several
sheets the row form is prefixed with the sheet name (``よくある質問 FAQ 12``).

Any other sheet is read as a table: rows of ``セル | セル``, packed up to the chunk size
under a repeated header row, cited ``シート名 行5〜20`` (a CSV: ``行5〜20``). Each row is
also read as a reader reads it (``_reading``: 「氏名: 山田 太郎」) for the personal-data
screen.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .._chunking import FaqEntry, pack_lines, split_faq
from .._models import Chunk, DocType, RowReading
from ._common import LoadContext
from ._reading import TableRow, table_readings

__all__ = ["MAX_CELLS", "MAX_COLUMNS", "MAX_ROWS", "Sheet", "table_chunks"]

MAX_ROWS = 100_000  # rows with content, per file
MAX_CELLS = 2_000_000
MAX_COLUMNS = 256  # cells further right are ignored
_HEADER_SCAN_ROWS = 10

_QUESTION = frozenset(
    {"質問", "質問内容", "質問事項", "質問文", "問", "問い", "問合せ", "問い合わせ", "問合せ内容",
     "問い合わせ内容", "お問い合わせ内容", "お問合せ内容", "相談内容", "q", "question"}
)  # fmt: skip
_ANSWER = frozenset({"回答", "回答内容", "回答文", "答", "答え", "a", "answer", "回答例"})
_ID = frozenset(
    {"id", "no", "no.", "番号", "faq番号", "faqno", "faqno.", "faqid", "管理番号", "通し番号",
     "質問番号", "項番", "q番号"}
)  # fmt: skip
_NOTES: tuple[tuple[str, frozenset[str]], ...] = (
    ("カテゴリ", frozenset({"カテゴリ", "カテゴリー", "分類", "category"})),
    (
        "担当課",
        frozenset({"担当課", "担当", "担当部署", "担当部局", "所管課", "所管", "department"}),
    ),
    ("更新日", frozenset({"更新日", "最終更新日", "更新日時", "更新", "updated"})),
)
_BRACKETED = re.compile(r"[（(【\[]([^）)】\]]*)[）)】\]]")


@dataclass
class Sheet:
    """A sheet's non-empty rows as (row number as Excel shows it, cells)."""

    name: str
    rows: list[tuple[int, list[str]]] = field(default_factory=list)


@dataclass(frozen=True)
class _FaqColumns:
    header_row: int  # index into Sheet.rows
    question: int
    answer: int
    ident: int | None
    notes: tuple[tuple[str, int], ...]


def _header_forms(cell: str) -> set[str]:
    """質問（Q） → {質問（q）, 質問, q}: the header with and without its bracketed part."""
    text = "".join(unicodedata.normalize("NFKC", cell).lower().split())
    text = text.replace("：", "").replace(":", "")
    forms = {text, _BRACKETED.sub("", text)}
    forms.update(m.group(1) for m in _BRACKETED.finditer(text))
    return {form for form in forms if form}


def _find(header: list[str], names: frozenset[str], taken: set[int]) -> int | None:
    for index, cell in enumerate(header):
        if index not in taken and _header_forms(cell) & names:
            return index
    return None


def _faq_columns(sheet: Sheet) -> _FaqColumns | None:
    for position, (_, header) in enumerate(sheet.rows[:_HEADER_SCAN_ROWS]):
        question = _find(header, _QUESTION, set())
        if question is None:
            continue
        answer = _find(header, _ANSWER, {question})
        if answer is None:
            continue
        taken = {question, answer}
        ident = _find(header, _ID, taken)
        if ident is not None:
            taken.add(ident)
        notes: list[tuple[str, int]] = []
        for label, names in _NOTES:
            if (index := _find(header, names, taken)) is not None:
                taken.add(index)
                notes.append((label, index))
        return _FaqColumns(position, question, answer, ident, tuple(notes))
    return None


def _cell(cells: list[str], index: int | None) -> str:
    return cells[index].strip() if index is not None and index < len(cells) else ""


def _faq_entries(sheet: Sheet, columns: _FaqColumns, prefix: str) -> list[FaqEntry]:
    entries: list[FaqEntry] = []
    for number, cells in sheet.rows[columns.header_row + 1 :]:
        ident = _cell(cells, columns.ident)
        entries.append(
            FaqEntry(
                locator=f"FAQ {ident}" if ident else f"{prefix}FAQ {number}",
                question=_cell(cells, columns.question),
                answer=_cell(cells, columns.answer),
                notes=tuple((label, _cell(cells, index)) for label, index in columns.notes),
            )
        )
    return entries


def _row_text(cells: list[str]) -> str:
    while cells and not cells[-1]:
        cells = cells[:-1]
    return " | ".join(" ".join(cell.split()) for cell in cells)


def _span(prefix: str, first: int, last: int) -> str:
    return f"{prefix}行{first}" if first == last else f"{prefix}行{first}〜{last}"


@dataclass(frozen=True)
class _Piece:
    locator: str
    text: str
    readings: tuple[RowReading, ...]


def _row_pieces(sheet: Sheet, prefix: str, max_chars: int) -> list[_Piece]:
    """Rows packed under the header row, which is repeated, with each row's readings
    (see ``_reading``: the header labels the cells) for the personal-data screen."""
    rows = [(number, _row_text(cells), cells) for number, cells in sheet.rows]
    rows = [(number, text, cells) for number, text, cells in rows if text]
    read = table_readings([TableRow(t, c, c) for _, t, c in rows])
    header = rows[0][1] if len(rows) > 1 and len(rows[0][1]) <= max_chars // 2 else ""
    data = [(n, t, r) for (n, t, _), r in zip(rows, read, strict=True)]
    if header:
        data = data[1:]
    head_readings = read[:1] if header else []
    budget = max_chars - (len(header) + 1 if header else 0)
    pieces: list[_Piece] = []
    group: list[tuple[int, str, RowReading]] = []

    def piece(first: int, last: int, body: str, readings: list[RowReading]) -> _Piece:
        text = f"{header}\n{body}" if header else body
        return _Piece(_span(prefix, first, last), text, (*head_readings, *readings))

    def flush() -> None:
        if group:
            body = "\n".join(text for _, text, _ in group)
            pieces.append(piece(group[0][0], group[-1][0], body, [r for _, _, r in group]))
            group.clear()

    for number, text, reading in data:
        if len(text) > budget:
            flush()
            for part in pack_lines([text], budget):
                pieces.append(piece(number, number, part, [reading]))
            continue
        if group and sum(len(t) + 1 for _, t, _ in group) + len(text) > budget:
            flush()
        group.append((number, text, reading))
    flush()
    return pieces


def table_chunks(sheets: list[Sheet], ctx: LoadContext, *, title: str) -> list[Chunk]:
    """FAQ chunks for FAQ sheets and row chunks for the others, in sheet order."""
    filled = [sheet for sheet in sheets if sheet.rows]
    if not filled:
        raise ctx.error("表にデータがありません（空のシートです）")
    several = len(filled) > 1
    chunks: list[Chunk] = []
    for sheet in filled:
        columns = _faq_columns(sheet)
        faq_prefix = f"{sheet.name} " if several and sheet.name else ""
        entries = _faq_entries(sheet, columns, faq_prefix) if columns else []
        faq = split_faq(entries, source=ctx.source, title=title, max_chars=ctx.max_chars)
        if faq:
            chunks.extend(faq)
            continue
        # No Q/A columns, or a question list without answers: the rows are the content.
        row_prefix = f"{sheet.name} " if sheet.name else ""
        chunks.extend(
            Chunk(
                source=ctx.source,
                title=title,
                locator=p.locator,
                text=p.text,
                doc_type=DocType.OTHER,
                readings=p.readings,
            )
            for p in _row_pieces(sheet, row_prefix, ctx.max_chars)
        )
    return [chunk.model_copy(update={"ordinal": n}) for n, chunk in enumerate(chunks)]
