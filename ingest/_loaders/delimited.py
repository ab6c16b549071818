"""CSV (and tab-separated) files: FAQ lists and tables, in any encoding Excel writes.

Excel saves 「CSV (コンマ区切り)」 as Shift_JIS/CP932 and 「CSV UTF-8」 with a BOM; both
are decoded like text files. Rows are numbered as Excel numbers them when it opens the
file (the header is row 1), so ``FAQ 12`` and ``行5〜20`` point at the same rows there.
"""

from __future__ import annotations

import csv
import io

from .._models import Chunk
from ._common import LoadContext
from ._tables import MAX_CELLS, MAX_COLUMNS, MAX_ROWS, Sheet, table_chunks
from .text import text_from_bytes

__all__ = ["load_csv"]


def _delimiter(text: str) -> str:
    head = text.split("\n", 1)[0]
    return "\t" if head.count("\t") > head.count(",") else ","


def load_csv(data: bytes, ctx: LoadContext) -> list[Chunk]:
    """Chunks of a CSV file; LoaderError for an undecodable, malformed or oversized one."""
    text = text_from_bytes(data, path=ctx.name)
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(text))
    sheet = Sheet("")
    cells = 0
    try:
        for number, row in enumerate(reader, 1):
            texts = [cell.strip() for cell in row[:MAX_COLUMNS]]
            if not any(texts):
                continue
            cells += len(texts)
            if len(sheet.rows) >= MAX_ROWS or cells > MAX_CELLS:
                raise ctx.error(f"表が大きすぎます（上限は {MAX_ROWS:,} 行・{MAX_CELLS:,} セル）")
            sheet.rows.append((number, texts))
    except csv.Error as exc:
        raise ctx.error(f"CSVの形式が正しくありません（{reader.line_num}行目: {exc}）") from None
    return table_chunks([sheet], ctx, title=ctx.path.stem)
