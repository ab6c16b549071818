"""`yakuba faq …` as an FAQ team runs it (Typer's CliRunner, real components, no model:
the extractive answer is the draft)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from service.cli import app
from service.settings import Settings, get_settings
from tests.service.faq._data import question_rows, to_csv, to_xlsx

runner = CliRunner()


@pytest.fixture
def env(faq_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    monkeypatch.setenv("YAKUBA_DATA_DIR", str(faq_settings.data_dir))
    monkeypatch.setenv("YAKUBA_DATABASE_URL", faq_settings.audit_database_url)
    for name in ("YAKUBA_LLM_BASE_URL", "YAKUBA_LLM_MODEL", "YAKUBA_QDRANT_URL"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    yield faq_settings
    get_settings.cache_clear()


def test_check_then_generate_then_status_and_export(env: Settings, tmp_path: Path) -> None:
    src = tmp_path / "質問.csv"
    src.write_bytes(to_csv(question_rows(), encoding="cp932"))
    checked = runner.invoke(app, ["faq", "check", str(src)])
    assert checked.exit_code == 0, checked.output
    assert (
        "Shift_JIS（CP932）" in checked.output
        and f"質問: {len(question_rows())}件" in checked.output
    )

    out = tmp_path / "回答.csv"
    result = runner.invoke(app, ["faq", "generate", str(src), "-o", str(out), "--user", "faq-team"])
    assert result.exit_code == 0, result.output
    assert "状態: 完了" in result.output and "送信せず" in result.output
    rows = list(csv.DictReader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    assert len(rows) == len(question_rows())
    assert {r["status"] for r in rows} == {"ok", "blocked", "no_source"}
    assert all("抽出モード" in r["answer"] for r in rows if r["status"] == "ok")

    status = runner.invoke(app, ["faq", "status", "--json"])
    assert status.exit_code == 0, status.output
    job = json.loads(next(line for line in status.output.splitlines() if line.startswith("{")))
    assert (job["filename"], job["status"], job["done"]) == ("質問.csv", "done", len(rows))
    exported = runner.invoke(
        app, ["faq", "export", job["id"], "-o", str(tmp_path / "承認.xlsx"), "--approved-only"]
    )
    assert exported.exit_code == 0 and "0行を" in exported.output
    cancelled = runner.invoke(app, ["faq", "cancel", job["id"]])
    assert cancelled.exit_code == 0 and "状態: done" in cancelled.output


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (to_csv([{"内容": "ごみの日は"}]), "「質問」の列が見つかりません"),
        (to_xlsx([["質問"], ['=A1&"は"']]), "2行目「質問」列: 数式は読めません"),
    ],
)
def test_bad_files_are_refused_in_japanese(
    env: Settings, tmp_path: Path, data: bytes, message: str
) -> None:
    name = "x.xlsx" if data.startswith(b"PK") else "x.csv"
    src = tmp_path / name
    src.write_bytes(data)
    result = runner.invoke(app, ["faq", "generate", str(src), "-o", str(tmp_path / "o.csv")])
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output
    assert not (tmp_path / "o.csv").exists()
