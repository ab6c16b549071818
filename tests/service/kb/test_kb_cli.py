"""`yakuba ingest` / `yakuba remove` / `yakuba search` on their own and while a service
holds the embedded index: alone they work on the index (and audit the change); with a
running `yakuba serve` they hand the work to it through the database and follow it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from ingest import Embedder
from service.announce import announce, running_service
from service.audit import AuditStore
from service.settings import Settings
from tests.utils.live import serve_yakuba

from .conftest import ROOT

MANUAL = (
    "# 粗大ごみ収集の手引き\n\n## 収集日\n\n粗大ごみの収集は毎月第二水曜日です。"
    "午前八時までに指定場所へ出してください。\n"
)


def _yakuba(data_dir: Path, audit_db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "YAKUBA_DATA_DIR": str(data_dir),
        "YAKUBA_DATABASE_URL": f"sqlite:///{audit_db}",
        "COLUMNS": "200",
    }
    return subprocess.run(
        [sys.executable, "-c", "from service.cli import app; app()", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _records(audit_db: Path, tmp_path: Path) -> list[tuple[str, str, str, str]]:
    store = AuditStore(f"sqlite:///{audit_db}", key_file=tmp_path / "k")
    try:
        return [
            (r.task, r.status, r.user, r.channel)
            for r in store.records()
            if r.task.startswith("kb_")
        ]
    finally:
        store.close()


def test_ingest_and_remove_hand_over_to_the_running_service(
    settings: Settings, warm_embedder: Embedder, tmp_path: Path
) -> None:
    data_dir = settings.data_dir
    audit_db = tmp_path / "shared-audit.sqlite3"
    doc = tmp_path / "manuals" / "粗大ごみ.md"
    doc.parent.mkdir()
    doc.write_text(MANUAL, encoding="utf-8")
    with serve_yakuba(data_dir, warm_embedder, audit_db) as (url, app, _):
        app.state.runtime.knowledge_base.search("審査基準", k=1)  # the service holds the index
        with announce(data_dir, url):
            added = _yakuba(data_dir, audit_db, "ingest", str(doc), "--user", "kb-admin")
            assert added.returncode == 0, added.stderr
            assert "サービスに渡し" in added.stderr and url in added.stderr
            assert "登録" in added.stdout, added.stdout
            hits = app.state.runtime.knowledge_base.search("粗大ごみの収集日", k=3)
            assert hits[0].source == doc.as_posix()  # the name a local ingest would give

            searched = _yakuba(data_dir, audit_db, "search", "粗大ごみ")
            assert searched.returncode == 1
            assert "実行中のサービス" in searched.stderr and f"{url}/v1/ask" in searched.stderr
            assert "取り込" not in searched.stderr.split("。")[0]  # not a message about ingesting

            removed = _yakuba(data_dir, audit_db, "remove", doc.as_posix(), "--user", "kb-admin")
            assert removed.returncode == 0, removed.stderr
            missing = _yakuba(data_dir, audit_db, "remove", "ない文書.md", "--user", "kb-admin")
            assert missing.returncode == 1 and "索引にありません" in missing.stdout + missing.stderr
        sources = app.state.runtime.knowledge_base.index.documents()
    assert doc.as_posix() not in sources
    assert _records(audit_db, tmp_path) == [
        ("kb_add", "allowed", "kb-admin", "cli"),
        ("kb_remove", "allowed", "kb-admin", "cli"),
        ("kb_remove", "failed", "kb-admin", "cli"),
    ]


def test_without_a_service_the_commands_work_on_the_index_and_audit(
    settings: Settings, tmp_path: Path
) -> None:
    data_dir, audit_db = settings.data_dir, tmp_path / "audit-local.sqlite3"
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "粗大ごみ.md").write_text(MANUAL, encoding="utf-8")
    added = _yakuba(data_dir, audit_db, "ingest", str(folder), "--user", "u1")
    assert added.returncode == 0, added.stderr
    assert "サービスに渡し" not in added.stderr
    found = _yakuba(data_dir, audit_db, "search", "粗大ごみの収集日", "--json")
    assert found.returncode == 0 and "粗大ごみ.md" in found.stdout
    source = (folder / "粗大ごみ.md").as_posix()
    assert _yakuba(data_dir, audit_db, "remove", source, "--user", "u1").returncode == 0
    assert _records(audit_db, tmp_path) == [
        ("kb_add", "allowed", "u1", "cli"),
        ("kb_remove", "allowed", "u1", "cli"),
    ]


def test_an_index_held_by_another_command_is_not_mistaken_for_a_service(
    settings: Settings, tmp_path: Path
) -> None:
    data_dir, audit_db = settings.data_dir, tmp_path / "audit.sqlite3"
    # A service that was killed leaves its file behind, naming a process that is gone.
    with announce(data_dir, "http://127.0.0.1:1"):
        stale = (data_dir / "serve.json").read_text("utf-8")
    (data_dir / "serve.json").write_text(stale.replace(f'"pid":{os.getpid()}', '"pid":999999999'))
    assert running_service(data_dir) is None
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from ingest import EdgeIndex; i = EdgeIndex(__import__('pathlib')"
            ".Path(sys.argv[1])); i.ensure(512); print('ready', flush=True); time.sleep(120)",
            str(data_dir / "index" / "yakuba"),
        ],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        doc = tmp_path / "a.md"
        doc.write_text(MANUAL, encoding="utf-8")
        busy = _yakuba(data_dir, audit_db, "ingest", str(doc))
        assert busy.returncode == 1
        assert "別のプロセス" in busy.stderr and "yakuba serve も見つかりません" in busy.stderr
    finally:
        holder.kill()
        holder.wait()
