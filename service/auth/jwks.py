"""Public keys for JWT verification, from a JWKS file (offline) or URL (cached).

A file is read at start-up and again when it changes (key rotation without restart). A
URL is fetched at start-up and then only when the cache is older than the refresh
interval or a token names a key id the cache does not have — at most once a minute, so
that tokens with made-up key ids cannot make the service hammer the IdP.
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import jwt
import structlog

from .errors import AuthConfigurationError, AuthenticationError

__all__ = ["ALLOWED_ALGORITHMS", "KeySet"]

log = structlog.get_logger(__name__)

# Asymmetric algorithms only: with HS256 the public key would become a shared secret
# anyone can sign with, and "none" needs no key at all.
ALLOWED_ALGORITHMS = frozenset({"RS256", "ES256"})
_MIN_REFETCH_S = 60.0
_FETCH_TIMEOUT_S = 10.0


class KeySet:
    def __init__(
        self, *, file: Path | None = None, url: str | None = None, refresh_s: float = 3600
    ) -> None:
        if (file is None) == (url is None):
            raise AuthConfigurationError(
                "YAKUBA_AUTH_MODE=jwt には YAKUBA_AUTH_JWKS_FILE か YAKUBA_AUTH_JWKS_URL の"
                "どちらか一方を設定してください。"
            )
        self._file = file
        self._url = url
        self._refresh_s = refresh_s
        self._lock = threading.Lock()
        self._keys: dict[str, jwt.PyJWK] = {}
        self._loaded_at = 0.0
        self._version: object = None
        if file is not None:
            self._load_file(strict=True)
        else:
            self._fetch(strict=False)  # the IdP may be down right now; retried on demand

    def __len__(self) -> int:
        return len(self._keys)

    def key_for(self, kid: str | None, alg: str) -> jwt.PyJWK:
        self._refresh(kid)
        keys = self._keys
        if kid is None:
            # Without a key id only a single-key set is unambiguous.
            if len(keys) != 1:
                raise AuthenticationError("認証トークンが無効です（鍵 ID がありません）。")
            key = next(iter(keys.values()))
        elif kid in keys:
            key = keys[kid]
        else:
            raise AuthenticationError("認証トークンが無効です（署名鍵が見つかりません）。")
        # The key decides the algorithm, never the token alone: an RSA key with a token
        # claiming ES256 (or RS512 against an RS256 key) is refused.
        if alg not in ALLOWED_ALGORITHMS or key.algorithm_name != alg:
            raise AuthenticationError("認証トークンが無効です（署名方式が鍵と合いません）。")
        return key

    # -- loading ----------------------------------------------------------------------
    def _refresh(self, kid: str | None) -> None:
        if self._file is not None:
            self._load_file(strict=False)
            return
        age = time.monotonic() - self._loaded_at
        unknown = kid is not None and kid not in self._keys
        if age > self._refresh_s or (unknown and age > _MIN_REFETCH_S):
            self._fetch(strict=False)

    def _load_file(self, *, strict: bool) -> None:
        assert self._file is not None
        try:
            mtime = self._file.stat().st_mtime_ns
            if mtime == self._version:
                return
            keys = _parse(json.loads(self._file.read_bytes()))
        except (OSError, ValueError, jwt.PyJWKSetError) as exc:
            if strict:
                raise AuthConfigurationError(
                    f"YAKUBA_AUTH_JWKS_FILE を読めません: {self._file}（{type(exc).__name__}）"
                ) from None
            log.warning("jwks_file_unreadable", error=type(exc).__name__)
            return
        with self._lock:
            self._keys, self._version = keys, mtime

    def _fetch(self, *, strict: bool) -> None:
        assert self._url is not None
        with self._lock:
            self._loaded_at = time.monotonic()  # also after a failure: no hammering
            try:
                response = httpx.get(self._url, timeout=_FETCH_TIMEOUT_S)
                response.raise_for_status()
                self._keys = _parse(response.json())
            except (httpx.HTTPError, ValueError, jwt.PyJWKSetError) as exc:
                if strict:
                    raise AuthConfigurationError(
                        f"YAKUBA_AUTH_JWKS_URL から鍵を取得できません（{type(exc).__name__}）。"
                    ) from None
                log.warning("jwks_fetch_failed", error=type(exc).__name__)


def _parse(document: Any) -> dict[str, jwt.PyJWK]:
    if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
        raise ValueError("not a JWKS document")
    keys: dict[str, jwt.PyJWK] = {}
    for i, data in enumerate(document["keys"]):
        if not isinstance(data, dict) or data.get("kty") not in ("RSA", "EC"):
            continue  # symmetric ("oct") keys are never accepted
        if data.get("use", "sig") != "sig":
            continue
        try:
            key = jwt.PyJWK(data)
        except (jwt.PyJWKError, jwt.InvalidKeyError):
            continue
        keys[str(data.get("kid", f"#{i}"))] = key
    if not keys:
        raise jwt.PyJWKSetError("no usable signing keys")
    return keys
