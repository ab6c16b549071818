"""What a backup folder holds: `manifest.json`, written last, so a folder without one is
an interrupted backup and is never restored."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from ._errors import BackupError

MANIFEST = "manifest.json"
FORMAT = 1
_CHUNK = 1 << 20


class BackupFile(BaseModel):
    path: str = Field(description="relative to the backup folder, '/'-separated")
    bytes: int = Field(ge=0)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


class BackupManifest(BaseModel):
    format: int = FORMAT
    created_at: str = Field(description="JST, ISO 8601")
    audit_backend: Literal["sqlite", "postgresql"]
    audit_records: int = Field(ge=0)
    index_backend: Literal["embedded", "none"]
    collection: str
    index_documents: int = Field(ge=0)
    index_chunks: int = Field(ge=0)
    files: list[BackupFile]

    def write(self, folder: Path) -> None:
        (folder / MANIFEST).write_text(self.model_dump_json(indent=2), encoding="utf-8")

    @classmethod
    def read(cls, folder: Path) -> BackupManifest:
        path = folder / MANIFEST
        if not path.is_file():
            raise BackupError(
                f"{folder} にバックアップの目録（{MANIFEST}）がありません。"
                "バックアップの作成が途中で止まったか、別のフォルダーです。",
                code="backup_incomplete",
            )
        try:
            manifest = cls.model_validate_json(path.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise BackupError(
                f"{path} を読めません（壊れています）: {type(exc).__name__}",
                code="backup_damaged",
            ) from None
        if manifest.format != FORMAT:
            raise BackupError(
                f"このバックアップの形式（{manifest.format}）はこの版の Yakuba では復元できません。",
                code="backup_format",
            )
        return manifest

    def verify(self, folder: Path) -> None:
        """Every listed file is present and unchanged; nothing outside the list is used."""
        damaged = [f.path for f in self.files if not _matches(folder, f)]
        if damaged:
            shown = "、".join(damaged[:5]) + (
                f" ほか{len(damaged) - 5}件" if len(damaged) > 5 else ""
            )
            raise BackupError(
                f"バックアップのファイルが欠けているか、作成後に変更されています: {shown}。"
                "このバックアップは復元しません。",
                code="backup_damaged",
            )


def describe(folder: Path, relative: str) -> BackupFile:
    path = folder / relative
    return BackupFile(path=relative, bytes=path.stat().st_size, sha256=sha256_of(path))


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _matches(folder: Path, f: BackupFile) -> bool:
    path = folder / f.path
    if ".." in Path(f.path).parts or Path(f.path).is_absolute():
        return False  # a manifest must not point outside its folder
    return path.is_file() and path.stat().st_size == f.bytes and sha256_of(path) == f.sha256
