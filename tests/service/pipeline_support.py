"""Helpers of the pipeline tests: a knowledge base with personal data in a heading and a
passage (an index built with YAKUBA_INGEST_PERSONAL_DATA=report), and everything the
audit database holds, as text."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy.engine import make_url

from tests.utils.service_api import runtime_of

HEADING_NAME = "山田太郎"
HEADING_PHONE = "090-1234-5678"
MANUAL = f"""# 粗大ごみ苦情対応マニュアル

## {HEADING_NAME}様（{HEADING_PHONE}）からの苦情への対応

粗大ごみの収集日に関する苦情があった場合の対応手順を定める。担当の{HEADING_NAME}（携帯 {HEADING_PHONE}）が当日中に折り返し連絡し、粗大ごみの収集日は毎月第2水曜日であることを説明する。
"""
MANUAL_QUESTION = "粗大ごみの収集日に関する苦情にはどう対応しますか"


def write_manual(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "kujou.md"
    path.write_text(MANUAL, encoding="utf-8")
    return folder


def database_text(client: TestClient) -> str:
    """Every cell of every table of the test's audit database, as one text (JSON cells
    decoded, so Japanese text in them reads as itself)."""
    url = make_url(runtime_of(client).settings.audit_database_url)
    cells: list[str] = []
    with sqlite3.connect(str(url.database)) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            for row in conn.execute(f'SELECT * FROM "{table}"'):
                cells += [_readable(cell) for cell in row]
    return "\n".join(cells)


def _readable(cell: object) -> str:
    text = str(cell)
    if text[:1] in ("{", "["):
        try:
            return json.dumps(json.loads(text), ensure_ascii=False)
        except ValueError:
            return text
    return text


def digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())
