"""Who a chat user is: the staff id, 課 and role behind a platform's account.

Three sources, the first that knows the account wins:
1. the chat users registered through the admin API or CLI (service.auth.chat_users, in the
   audit database): an administrator's explicit, most recent word, so it overrides the
   file — a transfer to another 課 takes effect with the next message, in every process;
2. the bot directory file (YAKUBA_BOT_DIRECTORY_FILE), kept by the administrators —
   TOML, one table per platform keyed by the platform's user id:

       [slack.U012AB3CD]
       user = "tanaka"          # the staff id used everywhere else (audit, quotas)
       department = "総務課"
       role = "staff"           # optional; staff by default (YAKUBA_AUTH_DEFAULT_ROLE)

   or CSV (UTF-8, header row) `platform,chat_user,user,department,role`;
3. the identity the platform vouches for: only the signed webhook's caller (an in-house
   system holding the shared secret) may name the staff member itself.

Anyone else is unknown and gets the configured polite refusal. The file is read again
when it changes, so personnel changes need no restart.
"""

from __future__ import annotations

import csv
import io
import threading
import tomllib
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from ..auth import AuthConfigurationError, Principal
from ..auth.chat_users import ChatUserStore, StaffFields
from ..auth.principal import AuthMethod
from ..auth.roles import Role

__all__ = ["ChatDirectory", "ChatUser", "StaffEntry"]


@dataclass(frozen=True)
class ChatUser:
    """A message's author as the platform reports it (after its signature was checked)."""

    platform: str  # a service.audit.Channel value: slack, lineworks, webhook, teams
    id: str
    # Set only where the platform itself vouches for the staff member (the webhook).
    vouched_user: str = ""
    vouched_department: str = ""


class StaffEntry(BaseModel):
    user: str = Field(min_length=1, max_length=256)
    department: str = Field(default="", max_length=256)
    role: Role | None = None


class ChatDirectory:
    def __init__(
        self, path: Path | None, *, default_role: Role, registered: ChatUserStore | None = None
    ) -> None:
        self.path = path
        self.default_role = default_role
        self.registered = registered
        self._lock = threading.Lock()
        self._loaded: tuple[int, dict[tuple[str, str], StaffEntry]] = (-1, {})
        if path is not None:
            self._refresh()  # a broken file stops the start-up

    def principal(self, chat: ChatUser) -> Principal | None:
        """The staff member behind `chat`, or None for an unknown user."""
        entry: StaffFields | StaffEntry | None = None
        if self.registered is not None:
            entry = self.registered.get(chat.platform, chat.id)
        if entry is None:
            entry = self._lookup(chat.platform, chat.id)
        if entry is None and chat.vouched_user:
            entry = StaffEntry(user=chat.vouched_user[:256], department=chat.vouched_department)
        if entry is None:
            return None
        return Principal(
            user=entry.user,
            department=entry.department,
            roles=frozenset({entry.role or self.default_role}),
            method=AuthMethod.BOT,
            channel=chat.platform,
        )

    def _lookup(self, platform: str, chat_id: str) -> StaffEntry | None:
        if self.path is None:
            return None
        try:
            self._refresh()
        except AuthConfigurationError:
            pass  # the last good version keeps serving; the start-up check reports it
        return self._loaded[1].get((platform, chat_id))

    def _refresh(self) -> None:
        assert self.path is not None
        stamp = _modified(self.path)
        if stamp != self._loaded[0]:
            with self._lock:
                if stamp != self._loaded[0]:
                    self._loaded = (stamp, _read(self.path))


def _modified(path: Path) -> int:
    """The file's modification time (ns); a file that cannot be read is a setup error."""
    try:
        return path.stat().st_mtime_ns
    except OSError as exc:
        why = type(exc).__name__
        raise AuthConfigurationError(
            f"YAKUBA_BOT_DIRECTORY_FILE を読めません: {path}（{why}）"
        ) from None


def _read(path: Path) -> dict[tuple[str, str], StaffEntry]:
    text = path.read_bytes().decode("utf-8-sig")
    suffix = path.suffix.lower()
    try:
        if suffix == ".toml":
            tables = tomllib.loads(text)
            return {
                (str(platform), str(chat_id)): StaffEntry.model_validate(item)
                for platform, users in tables.items()
                for chat_id, item in users.items()
            }
        if suffix == ".csv":
            rows = csv.DictReader(io.StringIO(text))
            return {
                (row["platform"].strip(), row["chat_user"].strip()): StaffEntry(
                    user=row["user"].strip(),
                    department=(row.get("department") or "").strip(),
                    role=(row.get("role") or "").strip() or None,
                )
                for row in rows
                if (row.get("chat_user") or "").strip()
            }
    except (tomllib.TOMLDecodeError, csv.Error, ValidationError, KeyError, AttributeError) as exc:
        raise AuthConfigurationError(
            f"チャット利用者の対応表 {path.name} の形式が正しくありません（{type(exc).__name__}）。"
            "docs/bots.md の例を参照してください。"
        ) from None
    raise AuthConfigurationError(
        f"チャット利用者の対応表 {path.name}: 拡張子は .toml か .csv にしてください。"
    )
