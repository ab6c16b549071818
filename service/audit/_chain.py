"""The hash chain: what a record's hash covers, in a canonical form."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from ._time import utc_iso

GENESIS = "0" * 64

# Covered by every record's hash. `role` and `chat_user` came later: they are covered only
# when set, so the hashes of records written before them still verify.
_HASHED = (
    "request_id",
    "user",
    "department",
    "channel",
    "task",
    "status",
    "prompt",
    "findings",
    "purpose",
    "sources",
    "prompt_ref",
    "model",
    "mode",
    "answer",
    "tokens_in",
    "tokens_out",
    "latency_ms",
    "error_code",
)
_OPTIONAL = ("role", "chat_user")


def record_content(row: Mapping[str, Any]) -> dict[str, Any]:
    created: datetime = row["created_at"]
    content: dict[str, Any] = {"id": row["id"], "created_at": utc_iso(created)}
    for name in _HASHED:
        content[name] = row[name]
    for name in _OPTIONAL:
        if row.get(name):
            content[name] = row[name]
    return content


def record_hash(row: Mapping[str, Any]) -> str:
    """SHA-256 over the previous hash and the record's canonical JSON."""
    canonical = json.dumps(
        record_content(row), ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    prev: str = row["prev_hash"]
    return hashlib.sha256((prev + canonical).encode("utf-8")).hexdigest()
