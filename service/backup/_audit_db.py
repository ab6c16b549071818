"""The audit database in and out of a backup folder: SQLite through its online backup
API (a consistent copy while the service writes), PostgreSQL through pg_dump/pg_restore."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Literal

from sqlalchemy.engine import URL, make_url

from ._errors import BackupError

AuditBackend = Literal["sqlite", "postgresql"]
SQLITE_FILE = "audit/audit.sqlite3"
PG_DUMP_FILE = "audit/audit.pgdump"
_PG_TIMEOUT_S = 3600


def backend_of(url: str) -> AuditBackend:
    name = make_url(url).get_backend_name()
    if name in ("sqlite", "postgresql"):
        return name  # type: ignore[return-value]
    raise BackupError(f"この種類のデータベース（{name}）のバックアップには対応していません。")


def dump(url: str, folder: Path) -> str:
    """Writes the audit database into `folder`; returns the file's relative path."""
    (folder / "audit").mkdir(parents=True, exist_ok=True)
    if backend_of(url) == "sqlite":
        source = sqlite_path(url)
        if not source.is_file():
            raise BackupError(
                f"監査データベース {source} がありません（まだ一度も使われていません）。"
            )
        _sqlite_copy(f"file:{source}?mode=ro", folder / SQLITE_FILE)
        return SQLITE_FILE
    _pg_tool("pg_dump", url, ["--format=custom", "--no-owner", f"--file={folder / PG_DUMP_FILE}"])
    return PG_DUMP_FILE


def restore(url: str, folder: Path, backend: AuditBackend) -> None:
    """Replaces the audit database at `url` with the backup's."""
    if backend_of(url) != backend:
        raise BackupError(
            f"バックアップの監査データベースは {backend} ですが、復元先の設定"
            f"（YAKUBA_DATABASE_URL）は {backend_of(url)} です。同じ種類のデータベースに"
            "復元してください。",
            code="backup_mismatch",
        )
    if backend == "sqlite":
        target = sqlite_path(url)
        target.parent.mkdir(parents=True, exist_ok=True)
        # A stale write-ahead log beside the restored file would be replayed into it.
        for suffix in ("-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        staged = target.with_name(target.name + ".restoring")
        _sqlite_copy(f"file:{folder / SQLITE_FILE}?mode=ro", staged)
        os.replace(staged, target)
        return
    _pg_tool(
        "pg_restore",
        url,
        [
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            str(folder / PG_DUMP_FILE),
        ],
    )


def sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("メモリ上の SQLite はバックアップできません。")
    return Path(database)


def _sqlite_copy(source_uri: str, target: Path) -> None:
    target.unlink(missing_ok=True)
    src = sqlite3.connect(source_uri, uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    except sqlite3.Error as exc:
        raise BackupError(f"監査データベースを複製できませんでした: {exc}") from None
    finally:
        dst.close()
        src.close()


def _pg_tool(tool: str, url: str, args: list[str]) -> None:
    """Runs pg_dump/pg_restore on `url`; the password travels in the environment, never
    on the command line, where `ps` would show it."""
    executable = shutil.which(tool)
    if executable is None:
        raise BackupError(
            f"{tool} が見つかりません。PostgreSQL のクライアント（Debian: postgresql-client）を"
            "導入してください。サーバーと同じか新しい版が必要です。",
            code="backup_tool_missing",
        )
    parsed = make_url(url)
    env = {**os.environ}
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    conninfo = _libpq_url(parsed)
    try:
        done = subprocess.run(
            [executable, f"--dbname={conninfo}", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=_PG_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise BackupError(f"{tool} が {_PG_TIMEOUT_S} 秒以内に終わりませんでした。") from None
    if done.returncode != 0:
        # pg_dump's messages name the database and the failing object, never row data.
        detail = done.stderr.strip().splitlines()[-1:] or ["（詳細なし）"]
        raise BackupError(f"{tool} が失敗しました（終了コード {done.returncode}）: {detail[0]}")


def _libpq_url(parsed: URL) -> str:
    return parsed.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
