"""API keys for bots and batch jobs: `ykb_<key id>_<secret>`, stored only as SHA-256.

The key id is public (it names the key in lists, logs and `revoke`); the secret part is
shown once, when the key is created. A database dump therefore yields no usable key.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import UTC, datetime, timedelta

from pydantic import BaseModel, Field
from sqlalchemy import select, update
from sqlalchemy.engine import Engine

from ..audit import Channel
from .db import api_keys
from .errors import AuthenticationError, SignInFailure
from .principal import AuthMethod, Principal
from .roles import Role

__all__ = ["API_KEY_PREFIX", "ApiKeyInfo", "ApiKeyStore", "CreatedApiKey", "looks_like_api_key"]

API_KEY_PREFIX = "ykb_"
_KEY_RE = re.compile(r"^ykb_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$")
_KEY_ID_RE = re.compile(r"^ykb_([0-9a-f]{16})_")
# Writing last_used_at on every request would turn every read into a write; a minute's
# precision is enough to see which keys are still in use.
_LAST_USED_PRECISION = timedelta(minutes=1)
_INVALID = "API キーが無効です（期限切れ・失効・誤り）。管理者に確認してください。"


def looks_like_api_key(token: str) -> bool:
    return token.startswith(API_KEY_PREFIX)


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiKeyInfo(BaseModel):
    """What may be shown about a key: everything but the secret and its hash."""

    key_id: str
    user: str
    department: str
    role: Role
    channel: str
    note: str = ""
    created_at: datetime
    expires_at: datetime | None = None
    revoked_at: datetime | None = None
    last_used_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None and (
            self.expires_at is None or _aware(self.expires_at) > datetime.now(UTC)
        )


class CreatedApiKey(BaseModel):
    info: ApiKeyInfo
    key: str = Field(description="the whole key; shown once, never stored")


class ApiKeyStore:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def create(
        self,
        *,
        user: str,
        role: Role,
        department: str = "",
        channel: Channel | str = Channel.API,
        expires_days: int | None = None,
        note: str = "",
    ) -> CreatedApiKey:
        channel = Channel(channel)  # the audit log accepts only known channels
        key_id = secrets.token_hex(8)
        key = f"{API_KEY_PREFIX}{key_id}_{secrets.token_urlsafe(32)}"
        now = datetime.now(UTC)
        row = {
            "key_id": key_id,
            "key_hash": _digest(key),
            "user": user,
            "department": department,
            "role": role.value,
            "channel": channel.value,
            "note": note,
            "created_at": now,
            "expires_at": now + timedelta(days=expires_days) if expires_days else None,
        }
        with self._engine.begin() as conn:
            conn.execute(api_keys.insert().values(**row))
        return CreatedApiKey(info=ApiKeyInfo.model_validate(row), key=key)

    def list(self) -> list[ApiKeyInfo]:
        with self._engine.connect() as conn:
            rows = conn.execute(select(api_keys).order_by(api_keys.c.created_at)).mappings()
            return [ApiKeyInfo.model_validate(dict(r)) for r in rows]

    def revoke(self, key_id: str) -> bool:
        """True when a key that was active is revoked now."""
        with self._engine.begin() as conn:
            result = conn.execute(
                update(api_keys)
                .where(api_keys.c.key_id == key_id, api_keys.c.revoked_at.is_(None))
                .values(revoked_at=datetime.now(UTC))
            )
        return result.rowcount > 0

    def authenticate(self, key: str) -> Principal:
        match = _KEY_RE.match(key)
        if not match:
            # The public id alone, when the malformed key still starts with one.
            claimed = _KEY_ID_RE.match(key)
            raise AuthenticationError(
                _INVALID,
                failure=SignInFailure(
                    "auth_api_key_invalid", key_id=claimed.group(1) if claimed else ""
                ),
            )
        key_id = match.group(1)
        with self._engine.connect() as conn:
            row = (
                conn.execute(select(api_keys).where(api_keys.c.key_id == key_id)).mappings().first()
            )
        # The digest is compared even when the id is unknown, so that a miss and a wrong
        # secret take the same time.
        stored = row["key_hash"] if row else "0" * 64
        if not hmac.compare_digest(stored, _digest(key)) or row is None:
            raise AuthenticationError(
                _INVALID, failure=SignInFailure("auth_api_key_invalid", key_id=key_id)
            )
        info = ApiKeyInfo.model_validate(dict(row))
        if not info.active:
            # The key is genuine, so its owner is known: the record names them.
            revoked = info.revoked_at is not None
            raise AuthenticationError(
                _INVALID,
                failure=SignInFailure(
                    "auth_api_key_revoked" if revoked else "auth_api_key_expired",
                    user=info.user,
                    department=info.department,
                    role=info.role.value,
                    channel=info.channel,
                    key_id=key_id,
                ),
            )
        self._touch(info)
        return Principal(
            user=info.user,
            department=info.department,
            roles=frozenset({info.role}),
            method=AuthMethod.API_KEY,
            channel=info.channel,
            key_id=info.key_id,
        )

    def _touch(self, info: ApiKeyInfo) -> None:
        now = datetime.now(UTC)
        if info.last_used_at and now - _aware(info.last_used_at) < _LAST_USED_PRECISION:
            return
        with self._engine.begin() as conn:
            conn.execute(
                update(api_keys).where(api_keys.c.key_id == info.key_id).values(last_used_at=now)
            )


def _aware(moment: datetime) -> datetime:
    # SQLite gives back naive datetimes; every time stored here is UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
