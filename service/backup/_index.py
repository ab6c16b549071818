"""The embedded index in and out of a backup folder. The shard is opened (which takes its
write-ahead-log lock) for the whole copy, so no other process can change it meanwhile."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from ingest import EdgeIndex, IndexBusyError

from ._errors import BackupError

INDEX_FOLDER = "index"


def copy_out(index_dir: Path, folder: Path) -> tuple[list[str], int, int]:
    """Copies the shard under `index_dir` into `folder/index`; returns the relative paths
    and the shard's document and chunk counts (nothing when there is no index yet)."""
    if not index_dir.is_dir():
        return [], 0, 0
    index = _open(index_dir)
    try:
        documents, chunks = len(index.documents()), index.count()
        index.flush()
        target = folder / INDEX_FOLDER
        shutil.copytree(index_dir, target)
    finally:
        index.close()
    return (
        sorted(p.relative_to(folder).as_posix() for p in target.rglob("*") if p.is_file()),
        (documents),
        chunks,
    )


def copy_in(folder: Path, index_dir: Path) -> None:
    """Puts the backup's shard at `index_dir` (which must not exist)."""
    staged = index_dir.with_name(index_dir.name + ".restoring")
    shutil.rmtree(staged, ignore_errors=True)
    shutil.copytree(folder / INDEX_FOLDER, staged)
    os.replace(staged, index_dir)


def counts(index_dir: Path) -> tuple[int, int]:
    index = _open(index_dir)
    try:
        return len(index.documents()), index.count()
    finally:
        index.close()


def _open(index_dir: Path) -> EdgeIndex:
    index = EdgeIndex(index_dir)
    signature = index.stored_signature()
    if signature is None:
        raise BackupError(
            f"{index_dir} に索引の記録（yakuba-index.json）がありません。"
            "古い版で作った索引は、いったん yakuba ingest で作り直してください。"
        )
    try:
        index.ensure(signature.dimension)
    except IndexBusyError:
        raise BackupError(
            f"索引 {index_dir} を別のプロセス（yakuba serve や ingest）が使用中です。"
            "組み込みの索引は使用中に複製すると壊れるおそれがあるため、サービスを止めてから"
            "実行してください（止められない構成では Qdrant サーバーのスナップショットを"
            "使います: deploy/README.md）。",
            code="backup_index_busy",
        ) from None
    return index
