"""LINE WORKS' message API with service-account authentication: a JWT signed with the
service account's private key is exchanged for an access token (cached until shortly
before it expires), which sends the bot's messages. Both base URLs are configurable for
closed networks and tests."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import anyio
import httpx
import jwt
import structlog

from ...errors import ConfigurationError
from ...settings import Settings

__all__ = ["LineWorksClient", "LineWorksSetupError"]

log = structlog.get_logger(__name__)

_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
_ASSERTION_LIFETIME_S = 3_600
_RENEW_BEFORE_S = 300


class LineWorksSetupError(ConfigurationError):
    """A LINE WORKS setting is missing or unreadable: the service does not start."""


class LineWorksClient:
    def __init__(self, settings: Settings, *, http: httpx.AsyncClient | None = None) -> None:
        missing = [
            name
            for name, value in (
                ("YAKUBA_LINEWORKS_BOT_ID", settings.lineworks_bot_id),
                ("YAKUBA_LINEWORKS_CLIENT_ID", settings.lineworks_client_id),
                ("YAKUBA_LINEWORKS_CLIENT_SECRET", settings.lineworks_client_secret),
                ("YAKUBA_LINEWORKS_SERVICE_ACCOUNT", settings.lineworks_service_account),
                ("YAKUBA_LINEWORKS_PRIVATE_KEY_FILE", settings.lineworks_private_key_file),
            )
            if not value
        ]
        if missing:
            raise LineWorksSetupError(f"LINE WORKS の設定が足りません: {', '.join(missing)}")
        assert settings.lineworks_client_secret is not None
        self.bot_id = str(settings.lineworks_bot_id)
        self._client_id = str(settings.lineworks_client_id)
        self._client_secret = settings.lineworks_client_secret.get_secret_value()
        self._service_account = str(settings.lineworks_service_account)
        self._private_key = _read_key(Path(str(settings.lineworks_private_key_file)))
        self._api_url = settings.lineworks_api_url.rstrip("/")
        self._auth_url = settings.lineworks_auth_url
        self._http = http or httpx.AsyncClient(timeout=30)
        self._token: tuple[str, float] | None = None  # (token, monotonic expiry)
        self._token_lock = anyio.Lock()

    async def send_text(
        self,
        text: str,
        *,
        user_id: str,
        channel_id: str | None = None,
        quick_reply: list[dict[str, Any]] | None = None,
    ) -> None:
        """Sends `text` to the room `channel_id`, or to the user's 1:1 room, with quick
        reply buttons (LINE WORKS' `quickReply.items`) if given."""
        where = f"channels/{channel_id}" if channel_id else f"users/{user_id}"
        url = f"{self._api_url}/bots/{self.bot_id}/{where}/messages"
        content: dict[str, Any] = {"type": "text", "text": text}
        if quick_reply:
            content["quickReply"] = {"items": quick_reply}
        payload = {"content": content}
        for attempt in range(2):
            token = await self._access_token()
            response = await self._http.post(
                url, json=payload, headers={"Authorization": f"Bearer {token}"}
            )
            if response.status_code == 401 and attempt == 0:
                self._token = None  # revoked or expired early: one fresh token
                continue
            if response.status_code >= 400:
                log.warning("lineworks_send_failed", status=response.status_code)
            return

    async def _access_token(self) -> str:
        async with self._token_lock:
            if self._token is not None and time.monotonic() < self._token[1]:
                return self._token[0]
            response = await self._http.post(self._auth_url, data=self._token_request())
            response.raise_for_status()
            body = response.json()
            lifetime = int(body.get("expires_in", 0) or 0)
            expiry = time.monotonic() + max(0, lifetime - _RENEW_BEFORE_S)
            self._token = (str(body["access_token"]), expiry)
            return self._token[0]

    def _token_request(self) -> dict[str, str]:
        now = int(time.time())
        assertion = jwt.encode(
            {
                "iss": self._client_id,
                "sub": self._service_account,
                "iat": now,
                "exp": now + _ASSERTION_LIFETIME_S,
            },
            self._private_key,
            algorithm="RS256",
        )
        return {
            "assertion": assertion,
            "grant_type": _GRANT,
            "client_id": self._client_id,
            "client_secret": self._client_secret,
            "scope": "bot",
        }


def _read_key(path: Path) -> str:
    try:
        return path.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as exc:
        raise LineWorksSetupError(
            f"YAKUBA_LINEWORKS_PRIVATE_KEY_FILE を読めません: {path}（{type(exc).__name__}）"
        ) from None
