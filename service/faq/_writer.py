"""Results as CSV (UTF-8 with BOM, what Excel opens without garbling) or XLSX.

Every text cell that a spreadsheet could take for a formula (= + - @ TAB CR at its
start) is prefixed with ' (service.audit.csv_cell), in both formats: an answer quoting a
resident's "=HYPERLINK(…)" must stay text. XLSX cells are also typed as strings.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import IO, Any, Literal

from guardrails import ENTITY_LABELS_JA

from ..audit import JST, csv_cell
from ._models import FaqRow

OutputFormat = Literal["csv", "xlsx"]

COLUMNS: tuple[str, ...] = (
    "id",
    "question",
    "answer",
    "sources",
    "status",
    "findings",
    "model",
    "prompt_version",
    "generated_at",
    "category",
    "review",
    "line",
)
# What each column holds, for the header comment of docs/faq.md and the XLSX's second sheet.
COLUMN_NOTES_JA: dict[str, str] = {
    "id": "入力の ID（なければ行番号）",
    "question": "質問（個人情報で止めた行は伏せ字）",
    "answer": "回答案（編集後の回答）",
    "sources": "出典（資料名と条・項など）",
    "status": "ok / blocked（個人情報のため送信せず）/ no_source（資料なし）/ failed",
    "findings": "検出された個人情報等の種類と件数",
    "model": "生成モデル（抽出モードは空）",
    "prompt_version": "プロンプトのバージョン",
    "generated_at": "作成日時（日本時間）",
    "category": "カテゴリ",
    "review": "pending（未確認）/ approved（承認）/ rejected（却下）",
    "line": "入力ファイルの行",
}


def output_format(name: str) -> OutputFormat:
    return "xlsx" if name.lower().endswith(".xlsx") else "csv"


def row_values(row: FaqRow) -> list[Any]:
    sources = "\n".join(
        f"[{s.get('number', '')}] {s.get('title', '')} {s.get('locator', '')}".rstrip()
        for s in row.sources
    )
    findings = "、".join(
        f"{ENTITY_LABELS_JA.get(kind, kind)}（{kind}）×{n}"
        for kind, n in sorted(row.findings.items())
    )
    generated = (
        row.generated_at.astimezone(JST).isoformat(timespec="seconds") if row.generated_at else ""
    )
    return [
        row.external_id,
        row.question,
        row.answer,
        sources,
        row.status,
        findings,
        row.model,
        row.prompt_ref,
        generated,
        row.category,
        row.review,
        row.row_no,
    ]


def write_results(rows: Iterable[FaqRow], out: IO[bytes], fmt: OutputFormat) -> int:
    """Writes the rows (streamed) to `out`; returns how many."""
    if fmt == "xlsx":
        return _write_xlsx(rows, out)
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    try:
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow(COLUMNS)
        n = 0
        for row in rows:
            writer.writerow([csv_cell(v) for v in row_values(row)])
            n += 1
        text.flush()
        return n
    finally:
        text.detach()  # `out` belongs to the caller


def _write_xlsx(rows: Iterable[FaqRow], out: IO[bytes]) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet("FAQ")
    sheet.append(list(COLUMNS))
    n = 0
    for row in rows:
        cells = []
        for value in row_values(row):
            cell = WriteOnlyCell(sheet, value=csv_cell(value))
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever the text says
            cells.append(cell)
        sheet.append(cells)
        n += 1
    notes = book.create_sheet("列の説明")
    for name in COLUMNS:
        notes.append([name, COLUMN_NOTES_JA[name]])
    book.save(out)
    return n
