"""`yakuba audit verify | export | purge` as an administrator runs them (CliRunner)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import update
from typer.testing import CliRunner

from service.audit import JST, AuditRecord, AuditStatus, AuditStore
from service.cli import app
from service.settings import get_settings
from tests.service.test_audit_store import BACKENDS, entry, require_backend
from tests.utils.audit_scratch import scratch_database

runner = CliRunner()


@pytest.fixture(params=BACKENDS)
def store(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[AuditStore]:
    require_backend(request.param)
    with scratch_database(request.param, tmp_path) as url:
        monkeypatch.setenv("YAKUBA_DATA_DIR", str(tmp_path / "data"))
        monkeypatch.setenv("YAKUBA_DATABASE_URL", url)
        monkeypatch.delenv("YAKUBA_AUDIT_RETENTION_DAYS", raising=False)
        get_settings.cache_clear()
        s = AuditStore.from_settings(get_settings())
        s.append(entry(1, department="市民課", prompt="=HYPERLINK(1)"))
        s.append(entry(2, AuditStatus.BLOCKED, department="税務課", channel="web"))
        yield s
        s.close()
        get_settings.cache_clear()


def test_verify_ok_then_broken(store: AuditStore) -> None:
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "正常" in result.output and "2 件" in result.output
    with store.session() as session, session.begin():
        session.execute(update(AuditRecord).where(AuditRecord.id == 1).values(user="誰か"))
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == 1
    assert "監査ID 1" in result.output and "書き換え" in result.output


def test_export_csv_to_stdout_and_jsonl_to_file(store: AuditStore, tmp_path: Path) -> None:
    result = runner.invoke(app, ["audit", "export", "--department", "市民課"])
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(result.stdout_bytes.decode("utf-8-sig"), newline="")))
    assert len(rows) == 2 and rows[1][0] == "1"
    assert "'=HYPERLINK(1)" in rows[1]
    assert "1 件" in result.stderr
    target = tmp_path / "out.jsonl"
    result = runner.invoke(
        app, ["audit", "export", "--format", "jsonl", "--channel", "web", "-o", str(target)]
    )
    assert result.exit_code == 0, result.output
    (line,) = target.read_text(encoding="utf-8").splitlines()
    assert json.loads(line)["department"] == "税務課"


def test_export_rejects_bad_options(store: AuditStore) -> None:
    result = runner.invoke(app, ["audit", "export", "--since", "2026/01/01"])
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.stderr
    result = runner.invoke(
        app, ["audit", "export", "--since", "2026-02-01", "--until", "2026-01-01"]
    )
    assert result.exit_code == 2 and "開始日" in result.stderr
    result = runner.invoke(app, ["audit", "export", "--channel", "fax"])
    assert result.exit_code == 2


def test_purge(store: AuditStore, monkeypatch: pytest.MonkeyPatch) -> None:
    result = runner.invoke(app, ["audit", "purge"])
    assert result.exit_code == 0 and "何も削除しません" in result.output
    monkeypatch.setenv("YAKUBA_AUDIT_RETENTION_DAYS", "30")
    get_settings.cache_clear()
    result = runner.invoke(app, ["audit", "purge", "--dry-run"])
    assert result.exit_code == 0 and "ありません" in result.output
    tomorrow = (datetime.now(UTC).astimezone(JST) + timedelta(days=1)).date().isoformat()
    result = runner.invoke(app, ["audit", "purge", "--before", tomorrow, "--dry-run"])
    assert result.exit_code == 0 and "削除対象: 2 件" in result.output
    assert len(store.records()) == 2
    result = runner.invoke(app, ["audit", "purge", "--before", tomorrow])
    assert result.exit_code == 0 and "チェックポイント 1" in result.output
    assert store.records() == []
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == 0 and "チェックポイント 1 件" in result.output


def test_summarize_fills_the_daily_summary(store: AuditStore) -> None:
    result = runner.invoke(app, ["audit", "summarize"])
    assert result.exit_code == 0, result.output
    assert "集計済み" in result.output
    assert store.summarised_through() is not None
