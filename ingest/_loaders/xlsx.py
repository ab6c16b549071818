"""Excel workbooks (.xlsx): FAQ sheets become Q&A chunks, other sheets row chunks.

Cells are read as Excel last displayed them (cached formula results, ``data_only``);
a workbook saved by a program that never calculated it has empty formula cells. Hidden
sheets are skipped: they hold lookup lists and scratch data, not content for readers.
The workbook is streamed (``read_only``) and bounded in rows and cells, after the ZIP
container has been checked against ``max_unpacked_bytes``.
"""

from __future__ import annotations

import datetime as dt
import logging
from io import BytesIO

import openpyxl

from .._errors import LoaderError
from .._models import Chunk
from ._common import LoadContext, clean_title, open_zip
from ._tables import MAX_CELLS, MAX_COLUMNS, MAX_ROWS, Sheet, table_chunks

__all__ = ["cell_text", "load_xlsx"]

logger = logging.getLogger(__name__)

LABEL = "Excelブック（.xlsx）"
_EXCEL_MAX_ROWS = 1_048_576


def cell_text(value: object) -> str:
    """A cell value as people read it: 3 not 3.0, 2024-04-01 not a timestamp."""
    if value is None:
        return ""
    if isinstance(value, str):
        # Excel escapes a carriage return inside a cell as _x000D_.
        return value.replace("_x000D_", "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else format(value, ".15g")
    if isinstance(value, dt.datetime):
        if value.time() == dt.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _read_sheets(data: bytes, ctx: LoadContext) -> tuple[list[Sheet], str]:
    workbook = openpyxl.load_workbook(BytesIO(data), read_only=True, data_only=True)
    try:
        sheets: list[Sheet] = []
        rows = cells = 0
        for worksheet in workbook.worksheets:
            if worksheet.sheet_state != "visible":
                continue
            # Stored dimensions are often wrong; rows are then read as they are stored.
            worksheet.reset_dimensions()
            sheet = Sheet(worksheet.title)
            for number, values in enumerate(worksheet.iter_rows(min_row=1, values_only=True), 1):
                if number > _EXCEL_MAX_ROWS:
                    raise ctx.error(
                        f"シート「{worksheet.title}」の行番号が Excel の上限を超えています"
                    )
                texts = [cell_text(value) for value in values[:MAX_COLUMNS]]
                if not any(texts):
                    continue
                rows += 1
                cells += len(texts)
                if rows > MAX_ROWS or cells > MAX_CELLS:
                    raise ctx.error(
                        f"表が大きすぎます（上限は {MAX_ROWS:,} 行・{MAX_CELLS:,} セル）"
                    )
                sheet.rows.append((number, texts))
            sheets.append(sheet)
        return sheets, clean_title(workbook.properties.title)
    finally:
        workbook.close()


def load_xlsx(data: bytes, ctx: LoadContext) -> list[Chunk]:
    """Chunks of a workbook; LoaderError for a corrupt, oversized or empty one."""
    open_zip(data, ctx, LABEL).close()
    try:
        sheets, title = _read_sheets(data, ctx)
    except LoaderError:
        raise
    except Exception as exc:  # openpyxl fails in many ways on a broken package
        logger.debug("openpyxl could not read %s: %r", ctx.name, exc)
        raise ctx.error(
            f"{LABEL}として読み込めません（ファイルが壊れているか、Excelブックではありません）"
        ) from None
    return table_chunks(sheets, ctx, title=title or ctx.path.stem)
