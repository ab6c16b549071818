"""Export writers: CSV that Excel opens correctly, and JSON Lines. Both write record by
record, so memory stays flat however long the log is."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import Any, Literal, TextIO

from ._query import AuditRecordView

ExportFormat = Literal["csv", "jsonl"]

# Japanese headers: the CSV is read by people in Excel; JSONL keeps the field names.
CSV_COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "監査ID"),
    ("created_at", "日時（JST）"),
    ("request_id", "リクエストID"),
    ("user", "利用者"),
    ("department", "所属"),
    ("role", "役割"),
    ("channel", "経路"),
    ("task", "業務種別"),
    ("purpose", "業務内容"),
    ("status", "結果"),
    ("prompt", "入力（秘匿化済み）"),
    ("findings", "検出"),
    ("sources", "参照資料"),
    ("prompt_ref", "プロンプト"),
    ("model", "モデル"),
    ("mode", "方式"),
    ("answer", "回答"),
    ("tokens_in", "入力トークン"),
    ("tokens_out", "出力トークン"),
    ("latency_ms", "処理時間（ミリ秒）"),
    ("error_code", "エラーコード"),
    ("prev_hash", "直前のハッシュ"),
    ("record_hash", "ハッシュ"),
)

# A cell Excel (or LibreOffice) would read as a formula or control: = + - @ start formulas,
# TAB and CR can too (OWASP "CSV injection"). A leading apostrophe makes it plain text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str | int:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return value
    if isinstance(value, dict | list):
        text = json.dumps(value, ensure_ascii=False, sort_keys=isinstance(value, dict))
    else:
        text = str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


def write_csv(records: Iterable[AuditRecordView], out: TextIO) -> int:
    """UTF-8 with BOM (Excel otherwise guesses Shift_JIS), CRLF line ends. `out` must be a
    text stream without newline translation (open(..., newline=""))."""
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([title for _, title in CSV_COLUMNS])
    count = 0
    for record in records:
        data = record.model_dump()
        writer.writerow([csv_cell(data[name]) for name, _ in CSV_COLUMNS])
        count += 1
    return count


def write_jsonl(records: Iterable[AuditRecordView], out: TextIO) -> int:
    count = 0
    for record in records:
        out.write(record.model_dump_json() + "\n")
        count += 1
    return count


def write_export(records: Iterable[AuditRecordView], out: TextIO, fmt: ExportFormat) -> int:
    return write_csv(records, out) if fmt == "csv" else write_jsonl(records, out)
