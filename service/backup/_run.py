"""`create_backup` and `restore_backup`: the audit database, its checkpoint-signing key and
the embedded index of one installation (`Settings`), in and out of one folder."""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel, Field

from ..audit import AuditStore
from ..audit._signing import KEY_FILE
from ..audit._time import JST
from ..settings import Settings
from . import _audit_db, _index
from ._errors import BackupError
from ._manifest import BackupManifest, describe

KEY_COPY = "audit/" + KEY_FILE
Step = Callable[[str], None]


class RestoreReport(BaseModel):
    audit_records: int
    chain_breaks: list[str] = Field(description="where `yakuba audit verify` fails; [] = intact")
    index_documents: int
    index_chunks: int
    moved_aside: list[str] = Field(description="what was in place before, kept, not deleted")


def _quiet(_: str) -> None:
    return None


def index_dir(settings: Settings) -> Path:
    return settings.data_dir / "index" / settings.collection


def create_backup(settings: Settings, out: Path, step: Step = _quiet) -> BackupManifest:
    """Writes a backup of `settings`' installation into the new folder `out`."""
    if out.exists() and any(out.iterdir()):
        raise BackupError(f"{out} は空ではありません。新しいフォルダーを指定してください。")
    out.mkdir(parents=True, exist_ok=True)
    os.chmod(out, 0o700)  # it holds the audit trail and the key that signs it
    url = settings.audit_database_url
    step("監査データベースを複製しています")
    files = [_audit_db.dump(url, out)]
    records = _count_records(url, out / files[0])
    key = settings.data_dir / KEY_FILE
    if settings.audit_signing_key is None and key.is_file():
        shutil.copy2(key, out / KEY_COPY)
        files.append(KEY_COPY)
    documents = chunks = 0
    embedded = settings.qdrant_url is None
    if embedded:
        step("索引を複製しています")
        index_files, documents, chunks = _index.copy_out(index_dir(settings), out)
        files += index_files
    step("目録を書いています")
    manifest = BackupManifest(
        created_at=datetime.now(JST).isoformat(timespec="seconds"),
        audit_backend=_audit_db.backend_of(url),
        audit_records=records,
        index_backend="embedded" if embedded else "none",
        collection=settings.collection,
        index_documents=documents,
        index_chunks=chunks,
        files=[describe(out, f) for f in files],
    )
    manifest.write(out)
    return manifest


def restore_backup(
    settings: Settings, source: Path, *, force: bool = False, step: Step = _quiet
) -> RestoreReport:
    """Restores the backup in `source` over `settings`' installation. What is in place is
    moved aside (never deleted), and only with `force`."""
    step("バックアップを検査しています")
    manifest = BackupManifest.read(source)
    manifest.verify(source)
    if manifest.index_backend == "embedded" and settings.qdrant_url is not None:
        raise BackupError(
            "このバックアップには組み込みの索引が入っていますが、復元先は Qdrant サーバー"
            "（YAKUBA_QDRANT_URL）を使う設定です。",
            code="backup_mismatch",
        )
    url = settings.audit_database_url
    occupied = _occupied(settings, manifest)
    if occupied and not force:
        raise BackupError(
            "復元先にすでにデータがあります（"
            + "、".join(occupied)
            + "）。置き換えるには --force を付けてください（今のデータは消さずに別名で残します）。",
            code="backup_target_not_empty",
        )
    stamp = datetime.now(JST).strftime("%Y%m%d%H%M%S")
    moved: list[str] = []
    target_index = index_dir(settings)
    if manifest.index_backend == "embedded" and target_index.exists():
        _index.counts(target_index)  # refuses while another process holds the shard
        moved.append(_move_aside(target_index, stamp))
    if _audit_db.backend_of(url) == "sqlite":
        db = _audit_db.sqlite_path(url)
        if db.exists():
            moved.append(_copy_aside(db, stamp))
    step("監査データベースを復元しています")
    _audit_db.restore(url, source, manifest.audit_backend)
    if (source / KEY_COPY).is_file():
        key = settings.data_dir / KEY_FILE
        if key.exists():
            moved.append(_move_aside(key, stamp))
        shutil.copy2(source / KEY_COPY, key)
        os.chmod(key, 0o600)
    documents = chunks = 0
    if manifest.index_backend == "embedded" and manifest.index_chunks:
        step("索引を復元しています")
        target_index.parent.mkdir(parents=True, exist_ok=True)
        _index.copy_in(source, target_index)
        documents, chunks = _index.counts(target_index)
    step("監査ログのハッシュチェーンを検証しています")
    store = AuditStore.from_settings(settings)
    try:
        breaks = [f"#{b.record_id}: {b.reason}" for b in store.verify()]
        records = store.count()
    finally:
        store.close()
    if records < manifest.audit_records or chunks != manifest.index_chunks:
        raise BackupError(
            f"復元後の件数がバックアップと一致しません（監査記録 {records}/{manifest.audit_records}、"
            f"索引のチャンク {chunks}/{manifest.index_chunks}）。"
        )
    return RestoreReport(
        audit_records=records,
        chain_breaks=breaks,
        index_documents=documents,
        index_chunks=chunks,
        moved_aside=moved,
    )


def _count_records(url: str, copy: Path) -> int:
    """Records in the backup: counted on the SQLite copy itself; for PostgreSQL before the
    dump started, so the dump holds at least that many."""
    if _audit_db.backend_of(url) == "sqlite":
        conn = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
        try:
            return int(conn.execute("SELECT count(*) FROM audit_records").fetchone()[0])
        except sqlite3.Error:
            return 0  # a database made before its first record
        finally:
            conn.close()
    store = AuditStore(url)
    try:
        return store.count()
    finally:
        store.close()


def _occupied(settings: Settings, manifest: BackupManifest) -> list[str]:
    found: list[str] = []
    url = settings.audit_database_url
    if _audit_db.backend_of(url) == "sqlite":
        if _audit_db.sqlite_path(url).exists():
            found.append(f"監査データベース {_audit_db.sqlite_path(url)}")
    else:
        store = AuditStore(url)
        try:
            if store.count():
                found.append("監査データベース（PostgreSQL）")
        finally:
            store.close()
    target = index_dir(settings)
    if manifest.index_backend == "embedded" and target.exists():
        found.append(f"索引 {target}")
    return found


def _move_aside(path: Path, stamp: str) -> str:
    aside = path.with_name(f"{path.name}.before-restore-{stamp}")
    os.replace(path, aside)
    return str(aside)


def _copy_aside(path: Path, stamp: str) -> str:
    aside = path.with_name(f"{path.name}.before-restore-{stamp}")
    shutil.copy2(path, aside)
    return str(aside)
