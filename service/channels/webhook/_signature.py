"""The webhook's signature, both ways: `X-Yakuba-Signature: v1=<hex>` where hex is
HMAC-SHA256(secret, "v1:" + X-Yakuba-Timestamp + ":" + body), the timestamp in Unix
seconds. Requests outside the replay window or seen before are refused; responses are
signed the same way so the tool can tell Yakuba's answers from a forger's."""

from __future__ import annotations

import time

from .._guards import hmac_sha256, same_secret

__all__ = ["SIGNATURE_HEADER", "TIMESTAMP_HEADER", "fresh", "sign", "signed_headers", "valid"]

SIGNATURE_HEADER = "X-Yakuba-Signature"
TIMESTAMP_HEADER = "X-Yakuba-Timestamp"
_VERSION = "v1"


def sign(secret: str, timestamp: str, body: bytes) -> str:
    base = f"{_VERSION}:{timestamp}:".encode() + body
    return f"{_VERSION}=" + hmac_sha256(secret, base).hex()


def valid(secret: str, timestamp: str, body: bytes, signature: str) -> bool:
    return same_secret(sign(secret, timestamp, body), signature)


def fresh(timestamp: str, window_s: int, *, now: float | None = None) -> bool:
    """Whether `timestamp` (Unix seconds) lies within `window_s` of now, either way."""
    if not timestamp.isdigit() or len(timestamp) > 12:
        return False
    moment = time.time() if now is None else now
    return abs(moment - int(timestamp)) <= window_s


def signed_headers(secret: str, body: bytes) -> dict[str, str]:
    timestamp = str(int(time.time()))
    return {TIMESTAMP_HEADER: timestamp, SIGNATURE_HEADER: sign(secret, timestamp, body)}
