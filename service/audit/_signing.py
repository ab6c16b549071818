"""The key that signs purge checkpoints (HMAC-SHA256).

Taken from `YAKUBA_AUDIT_SIGNING_KEY` when set; otherwise generated once into the data
directory, readable by the service's user only. Without the key nobody can write a
checkpoint that verify() accepts, so the key file must not travel with database dumps."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from datetime import datetime
from pathlib import Path

from ._time import utc_iso

KEY_FILE = "audit-signing.key"


def load_or_create_key(path: Path) -> bytes:
    try:
        return _read(path)
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # O_EXCL: when two processes start together, one creates and the other reads.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read(path)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(secrets.token_hex(32) + "\n")
    return _read(path)


def _read(path: Path) -> bytes:
    key = path.read_text(encoding="ascii").strip()
    if len(key) < 32:
        raise ValueError(f"監査ログの署名鍵ファイル {path} が短すぎます。")
    return key.encode("ascii")


def sign_checkpoint(
    key: bytes,
    *,
    created_at: datetime,
    last_purged_id: int,
    last_purged_hash: str,
    purged_count: int,
    prev_signature: str,
) -> str:
    # Each checkpoint signs its predecessor's signature: removing or reordering
    # checkpoints breaks the sequence as surely as editing one.
    message = "|".join(
        (
            "yakuba-audit-checkpoint-v1",
            utc_iso(created_at),
            str(last_purged_id),
            last_purged_hash,
            str(purged_count),
            prev_signature,
        )
    )
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).hexdigest()


def signatures_match(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode("ascii", "replace"), b.encode("ascii", "replace"))
