"""Reading a question list: CSV (UTF-8, UTF-8 with BOM, Shift_JIS/CP932 as Excel saves it)
or XLSX, with a question column and optional id, category, notes and audience columns.

`inspect_questions` reads the whole file once and reports what is wrong in Japanese, with
line numbers, before a job starts; `iter_questions` yields the rows of a file that passed.
Both hold only the file itself (bounded by `Limits.max_bytes`) and one row at a time, so a
100,000-row file costs no more memory than its bytes.
"""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, Field

from ._errors import FaqInputError, Problem

FileFormat = Literal["csv", "xlsx"]
Column = Literal["question", "id", "category", "notes", "audience"]

# Header spellings seen in municipal FAQ sheets, compared after NFKC and lower-casing.
HEADERS: dict[Column, tuple[str, ...]] = {
    "question": ("質問", "質問文", "問い", "問", "問合せ内容", "問い合わせ内容", "question"),
    "id": ("id", "no", "no.", "番号", "管理番号", "質問番号", "行番号"),
    "category": ("カテゴリ", "カテゴリー", "分類", "category"),
    "notes": ("備考", "メモ", "補足", "注意", "notes", "note"),
    "audience": ("対象", "対象者", "想定読者", "audience"),
}
COLUMN_LABELS: dict[Column, str] = {
    "question": "質問",
    "id": "ID",
    "category": "カテゴリ",
    "notes": "備考",
    "audience": "対象",
}
_ALIASES = {alias: column for column, names in HEADERS.items() for alias in names}
_XLS_MAGIC = b"\xd0\xcf\x11\xe0"  # Excel 97-2003 (OLE compound file)
_ZIP_MAGIC = b"PK\x03\x04"
# Short columns are stored in short database columns.
_COLUMN_CHARS: dict[Column, int] = {"id": 128, "category": 256, "audience": 256}
PREVIEW_ROWS = 10
MAX_PROBLEMS = 50  # listed; the count covers all


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 20 * 1024 * 1024
    max_rows: int = 100_000
    max_question_chars: int = 1_000
    max_cell_chars: int = 2_000


class QuestionRow(BaseModel):
    line: int = Field(description="the row's line in the file (1 = the header)")
    id: str
    question: str
    category: str = ""
    notes: str = ""
    audience: str = ""


class Preview(BaseModel):
    filename: str
    format: FileFormat
    encoding: str
    columns: dict[str, str] = Field(description="column → the header it was read from")
    rows: int = Field(description="rows with a question")
    skipped_empty: int = 0
    sample: list[QuestionRow] = Field(default_factory=list)
    problems: list[Problem] = Field(default_factory=list)
    problem_count: int = 0

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)


@dataclass
class _Table:
    """A decoded file: its header and an iterator over (line, cells)."""

    format: FileFormat
    encoding: str
    header: list[str]
    lines: Iterator[tuple[int, list[str | None], list[bool]]]  # cells, is-formula per cell
    columns: dict[Column, int] = field(default_factory=dict)


def inspect_questions(data: bytes, filename: str, limits: Limits | None = None) -> Preview:
    """Everything wrong with the file, and a sample of its rows. Raises FaqInputError only
    when the file cannot be read at all (too large, not CSV/XLSX, no question column)."""
    limits = limits or Limits()
    table = _open(data, filename, limits)
    preview = Preview(
        filename=filename,
        format=table.format,
        encoding=table.encoding,
        columns={c: table.header[i] for c, i in table.columns.items()},
        rows=0,
    )
    problems: list[Problem] = []
    seen_ids: dict[str, int] = {}
    for row, row_problems in _rows(table, limits):
        problems += row_problems
        if row is None:
            if not row_problems:
                preview.skipped_empty += 1
            continue
        preview.rows += 1
        if len(preview.sample) < PREVIEW_ROWS:
            preview.sample.append(row)
        if row.id in seen_ids:
            problems.append(
                Problem(
                    line=row.line,
                    column="ID",
                    message=f"ID「{row.id}」は{seen_ids[row.id]}行目と重複しています。",
                )
            )
        else:
            seen_ids[row.id] = row.line
    if preview.rows == 0 and not problems:
        problems.append(Problem(message="質問が1件もありません。"))
    if preview.rows > limits.max_rows:
        problems.append(
            Problem(
                message=f"行が多すぎます（{preview.rows:,}行）。"
                f"1回に{limits.max_rows:,}行までです。ファイルを分けてください。"
            )
        )
    preview.problem_count = len(problems)
    # Errors first, so a long list of warnings cannot hide them.
    problems.sort(key=lambda p: p.severity != "error")
    preview.problems = problems[:MAX_PROBLEMS]
    return preview


def iter_questions(
    data: bytes, filename: str, limits: Limits | None = None
) -> Iterator[QuestionRow]:
    """The rows of a file that `inspect_questions` found without errors."""
    limits = limits or Limits()
    for row, problems in _rows(_open(data, filename, limits), limits):
        if any(p.severity == "error" for p in problems):
            raise FaqInputError(problems[0].text(), problems=problems)
        if row is not None:
            yield row


def _rows(table: _Table, limits: Limits) -> Iterator[tuple[QuestionRow | None, list[Problem]]]:
    cols = table.columns
    for line, cells, formulas in table.lines:
        values = {c: _cell(cells, i) for c, i in cols.items()}
        problems: list[Problem] = []
        for c, i in cols.items():
            if i < len(formulas) and formulas[i]:
                problems.append(_formula_problem(table.format, line, COLUMN_LABELS[c]))
        if not any(v.strip() for v in values.values()) and not any(
            (c or "").strip() for c in cells
        ):
            yield None, problems  # an empty line (Excel leaves them at the end)
            continue
        question = values["question"].strip()
        if not question:
            problems.append(
                Problem(
                    line=line,
                    column="質問",
                    message="質問が空です。この行は読み飛ばします。",
                    severity="warning",
                )
            )
            yield None, problems
            continue
        for c, value in values.items():
            limit = _COLUMN_CHARS.get(c, limits.max_cell_chars)
            if c == "question":
                limit = limits.max_question_chars
            if len(value) > limit:
                problems.append(
                    Problem(
                        line=line,
                        column=COLUMN_LABELS[c],
                        message=f"長すぎます（{len(value):,}文字）。{limit:,}文字以内にしてください。",
                    )
                )
        if any(p.severity == "error" for p in problems):
            yield None, problems
            continue
        row = QuestionRow(
            line=line,
            id=values.get("id", "").strip() or str(line - 1),
            question=question,
            category=values.get("category", "").strip(),
            notes=values.get("notes", "").strip(),
            audience=values.get("audience", "").strip(),
        )
        yield row, problems


def _formula_problem(fmt: FileFormat, line: int, column: str) -> Problem:
    if fmt == "xlsx":
        return Problem(
            line=line,
            column=column,
            message="数式は読めません。Excel で「値の貼り付け」をして数式を値に変えてから"
            "保存してください。",
        )
    # A CSV holds values (Excel writes a formula's result), so "=…" was typed as text:
    # it is read as text and neutralised on output, never evaluated.
    return Problem(
        line=line,
        column=column,
        message="「=」で始まる値は数式ではなく文字として扱います（出力では先頭に ' を付けます）。",
        severity="warning",
    )


def _cell(cells: list[str | None], i: int) -> str:
    value = cells[i] if i < len(cells) else None
    return "" if value is None else value


def _open(data: bytes, filename: str, limits: Limits) -> _Table:
    if len(data) > limits.max_bytes:
        raise FaqInputError(
            f"ファイルが大きすぎます（{len(data) / 1024 / 1024:.1f} MB）。"
            f"{limits.max_bytes / 1024 / 1024:.0f} MB 以内にするか、ファイルを分けてください。",
            code="file_too_large",
        )
    if not data.strip():
        raise FaqInputError("ファイルが空です。", code="empty_file")
    if data.startswith(_XLS_MAGIC):
        raise FaqInputError(
            "Excel 97-2003 形式（.xls）は読めません。Excel で「名前を付けて保存」から"
            "「Excel ブック（.xlsx）」か「CSV UTF-8」を選んで保存し直してください。",
            code="unsupported_file",
        )
    table = _open_xlsx(data) if data.startswith(_ZIP_MAGIC) else _open_csv(data)
    table.columns = _columns(table.header)
    return table


def _open_csv(data: bytes) -> _Table:
    text, encoding = _decode(data)
    if "\x00" in text:
        raise FaqInputError(
            "CSV ファイルとして読めません（バイナリのデータが含まれています）。",
            code="unsupported_file",
        )
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise FaqInputError("ファイルが空です。", code="empty_file") from None
    except csv.Error as exc:
        raise FaqInputError(f"CSV の形式が正しくありません（{exc}）。", code="bad_csv") from None

    def lines() -> Iterator[tuple[int, list[str | None], list[bool]]]:
        try:
            for cells in reader:
                yield reader.line_num, list(cells), [c.startswith("=") for c in cells]
        except csv.Error as exc:
            raise FaqInputError(
                f"{reader.line_num}行目: CSV の形式が正しくありません（{exc}）。", code="bad_csv"
            ) from None

    return _Table("csv", encoding, header, lines())


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "UTF-8（BOM付き）"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "UTF-16"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp932"), "Shift_JIS（CP932）"
    except UnicodeDecodeError:
        raise FaqInputError(
            "文字コードを判別できません。UTF-8 か Shift_JIS（Excel の「CSV（コンマ区切り）」）"
            "で保存してください。",
            code="bad_encoding",
        ) from None


def _open_xlsx(data: bytes) -> _Table:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FaqInputError(
            f"Excel ファイル（.xlsx）として読めません（{type(exc).__name__}）。",
            code="unsupported_file",
        ) from None
    sheet = book.worksheets[0]
    rows = sheet.iter_rows()
    try:
        header_cells = next(rows)
    except StopIteration:
        book.close()
        raise FaqInputError("シートが空です。", code="empty_file") from None
    header = [_xlsx_text(c.value) for c in header_cells]

    def lines() -> Iterator[tuple[int, list[str | None], list[bool]]]:
        try:
            for line, cells in enumerate(rows, start=2):
                yield (
                    line,
                    [_xlsx_text(c.value) for c in cells],
                    [getattr(c, "data_type", "") == "f" for c in cells],
                )
        finally:
            book.close()

    return _Table("xlsx", "XLSX", header, lines())


def _xlsx_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # an id typed as 12 reads 12.0
    return str(value)


def _columns(header: list[str]) -> dict[Column, int]:
    found: dict[Column, int] = {}
    for i, name in enumerate(header):
        key = unicodedata.normalize("NFKC", name or "").strip().lower()
        column = _ALIASES.get(key)
        if column is not None and column not in found:
            found[column] = i
    if "question" not in found:
        seen = "、".join(f"「{h}」" for h in header if h and h.strip()) or "なし"
        raise FaqInputError(
            "「質問」の列が見つかりません。1行目に見出しを置き、質問の列は「質問」としてください"
            f"（任意の列: ID、カテゴリ、備考、対象）。見つかった見出し: {seen}",
            code="missing_column",
        )
    return found
