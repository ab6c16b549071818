"""`yakuba backup create | restore`: an installation (audit database, signing key,
embedded index) out to a folder and back, as an operator runs it."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from service.audit import AuditStatus, AuditStore
from service.backup import BackupError, BackupManifest, create_backup, restore_backup
from service.cli import app
from service.runtime import Runtime
from service.settings import Settings, get_settings
from tests.service.test_audit_store import BACKENDS, entry, require_backend
from tests.utils.audit_scratch import scratch_database

QUESTION = "申請に対する審査基準の公表"
runner = CliRunner()


def _hits(settings: Settings) -> list[tuple[str, str, float]]:
    rt = Runtime(settings)
    try:
        return [
            (h.source, h.locator, round(h.score, 6))
            for h in rt.knowledge_base.search(QUESTION, k=5)
        ]
    finally:
        rt.close()


def _fill_audit(settings: Settings, n: int) -> int:
    """Appends `n` records; returns how many the store holds then (an indexed data dir
    already holds ingest's own records: one per document added)."""
    store = AuditStore.from_settings(settings)
    try:
        for i in range(n):
            store.append(entry(i, AuditStatus.BLOCKED if i % 3 == 0 else AuditStatus.ALLOWED))
        return store.count()
    finally:
        store.close()


@pytest.fixture(params=BACKENDS)
def installation(
    request: pytest.FixtureRequest, indexed_data_dir: Path, tmp_path: Path
) -> Iterator[tuple[Settings, Settings]]:
    """A used installation (index + audit records) and an empty one on the same kind of
    database, to restore into."""
    require_backend(request.param)
    source_dir = tmp_path / "source"
    shutil.copytree(indexed_data_dir, source_dir)
    with (
        scratch_database(request.param, source_dir) as url,
        scratch_database(request.param, tmp_path / "target-db") as target_url,
    ):
        (tmp_path / "target-db").mkdir(exist_ok=True)
        source = Settings(data_dir=source_dir, database_url=url)
        target = Settings(data_dir=tmp_path / "target", database_url=target_url)
        _fill_audit(source, 7)
        yield source, target


def test_round_trip_restores_the_audit_trail_and_the_same_hits(
    installation: tuple[Settings, Settings], tmp_path: Path
) -> None:
    source, target = installation
    before = _hits(source)
    manifest = create_backup(source, tmp_path / "backup")
    assert manifest.audit_records == 7
    assert manifest.index_documents == 2 and manifest.index_chunks > 100
    assert (tmp_path / "backup").stat().st_mode & 0o777 == 0o700

    report = restore_backup(target, tmp_path / "backup")

    assert report.chain_breaks == []
    assert report.audit_records == 7
    assert (report.index_documents, report.index_chunks) == (2, manifest.index_chunks)
    assert report.moved_aside == []
    assert _hits(target) == before


def test_restore_refuses_a_changed_file(
    installation: tuple[Settings, Settings], tmp_path: Path
) -> None:
    source, target = installation
    manifest = create_backup(source, tmp_path / "backup")
    victim = next(f.path for f in manifest.files if f.path.startswith("audit/audit."))
    with (tmp_path / "backup" / victim).open("r+b") as fh:
        fh.seek(200)
        fh.write(b"\x00tampered")
    with pytest.raises(BackupError, match="作成後に変更されています") as exc:
        restore_backup(target, tmp_path / "backup")
    assert exc.value.code == "backup_damaged"
    assert not (target.data_dir / "index").exists()


def test_restore_refuses_an_interrupted_backup(tmp_path: Path, settings: Settings) -> None:
    (tmp_path / "half").mkdir()
    (tmp_path / "half" / "audit").mkdir()
    with pytest.raises(BackupError, match="目録") as exc:
        restore_backup(settings, tmp_path / "half")
    assert exc.value.code == "backup_incomplete"


def test_manifest_paths_cannot_leave_the_backup(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("x")
    (tmp_path / "bk").mkdir()
    manifest = BackupManifest(
        created_at="2026-12-07T10:00:00+09:00",
        audit_backend="sqlite",
        audit_records=0,
        index_backend="none",
        collection="yakuba",
        index_documents=0,
        index_chunks=0,
        files=[{"path": "../secret.txt", "bytes": 1, "sha256": "0" * 64}],  # type: ignore[list-item]
    )
    with pytest.raises(BackupError):
        manifest.verify(tmp_path / "bk")


def test_existing_data_is_kept_aside_only_with_force(
    tmp_path: Path, indexed_data_dir: Path
) -> None:
    source = Settings(data_dir=tmp_path / "source")
    shutil.copytree(indexed_data_dir, source.data_dir)
    held = _fill_audit(source, 3)
    (source.data_dir / "audit-signing.key").write_bytes(b"k" * 32)  # as a purge makes it
    create_backup(source, tmp_path / "backup")
    target = Settings(data_dir=tmp_path / "target")
    shutil.copytree(indexed_data_dir, target.data_dir)
    replaced = _fill_audit(target, 1)
    (target.data_dir / "audit-signing.key").write_bytes(b"o" * 32)

    with pytest.raises(BackupError, match="--force") as exc:
        restore_backup(target, tmp_path / "backup")
    assert exc.value.code == "backup_target_not_empty"

    report = restore_backup(target, tmp_path / "backup", force=True)
    assert report.audit_records == held and report.chain_breaks == []
    kept = sorted(Path(p).name.split(".before-restore-")[0] for p in report.moved_aside)
    assert kept == ["audit-signing.key", "audit.sqlite3", "yakuba"]
    assert (target.data_dir / "audit-signing.key").read_bytes() == b"k" * 32
    assert (target.data_dir / "audit-signing.key").stat().st_mode & 0o777 == 0o600
    old = AuditStore(f"sqlite:///{next(p for p in report.moved_aside if 'sqlite3' in p)}")
    try:
        assert old.count() == replaced  # the replaced trail is still there to look at
    finally:
        old.close()


def test_backup_waits_for_a_process_holding_the_index(
    tmp_path: Path, indexed_data_dir: Path
) -> None:
    """The embedded shard is locked by the process that opened it (yakuba serve);
    copying it then could copy a half-written segment, so the backup refuses."""
    settings = Settings(data_dir=tmp_path / "data")
    shutil.copytree(indexed_data_dir, settings.data_dir)
    _fill_audit(settings, 1)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from ingest import EdgeIndex; "
            "i = EdgeIndex(__import__('pathlib').Path(sys.argv[1])); "
            "i.ensure(i.stored_signature().dimension); print('open', flush=True); time.sleep(60)",
            str(settings.data_dir / "index" / settings.collection),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        with pytest.raises(BackupError, match="使用中") as exc:
            create_backup(settings, tmp_path / "backup")
        assert exc.value.code == "backup_index_busy"
    finally:
        holder.kill()
        holder.wait()
    time.sleep(0.1)
    assert create_backup(settings, tmp_path / "backup2").index_chunks > 0


def test_cli_create_then_restore(
    tmp_path: Path, indexed_data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source_dir = tmp_path / "source"
    shutil.copytree(indexed_data_dir, source_dir)
    held = _fill_audit(Settings(data_dir=source_dir), 2)
    monkeypatch.delenv("YAKUBA_DATABASE_URL", raising=False)
    monkeypatch.setenv("YAKUBA_DATA_DIR", str(source_dir))
    get_settings.cache_clear()
    try:
        made = runner.invoke(app, ["backup", "create", str(tmp_path / "bk")])
        assert made.exit_code == 0, made.output
        assert f"監査記録 {held} 件" in made.output

        again = runner.invoke(app, ["backup", "create", str(tmp_path / "bk")])
        assert again.exit_code == 1 and "空ではありません" in again.output

        monkeypatch.setenv("YAKUBA_DATA_DIR", str(tmp_path / "restored"))
        get_settings.cache_clear()
        back = runner.invoke(app, ["backup", "restore", str(tmp_path / "bk")])
        assert back.exit_code == 0, back.output
        assert "ハッシュチェーン: 正常" in back.output
        verified = runner.invoke(app, ["audit", "verify"])
        assert verified.exit_code == 0, verified.output
    finally:
        get_settings.cache_clear()
