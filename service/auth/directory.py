"""The department directory: user → department (課) and role, for IdPs whose tokens or
proxies do not carry them.

TOML:

    [users.tanaka]
    department = "総務課"
    role = "staff"            # or roles = ["staff", "auditor"]

CSV (UTF-8, optional BOM, header row): `user,department,role` (roles separated by `;`).

The file is read again when it changes (personnel changes happen without restarts).
"""

from __future__ import annotations

import csv
import io
import threading
import tomllib
from pathlib import Path

from pydantic import BaseModel, ValidationError

from .errors import AuthConfigurationError
from .roles import Role, parse_role

__all__ = ["DirectoryEntry", "UserDirectory"]


class DirectoryEntry(BaseModel):
    department: str = ""
    roles: frozenset[Role] = frozenset()


class UserDirectory:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._mtime_ns = -1
        self._entries: dict[str, DirectoryEntry] = {}
        self._reload_if_changed()  # a broken file stops the start-up

    def lookup(self, user: str) -> DirectoryEntry | None:
        try:
            self._reload_if_changed()
        except AuthConfigurationError:
            pass  # keep serving with the last good version; the start-up check reports it
        return self._entries.get(user)

    def __len__(self) -> int:
        return len(self._entries)

    def _reload_if_changed(self) -> None:
        try:
            mtime = self.path.stat().st_mtime_ns
        except OSError as exc:
            raise AuthConfigurationError(
                f"YAKUBA_AUTH_DIRECTORY_FILE を読めません: {self.path}（{type(exc).__name__}）"
            ) from None
        if mtime == self._mtime_ns:
            return
        with self._lock:
            if mtime == self._mtime_ns:
                return
            self._entries = _parse(self.path)
            self._mtime_ns = mtime


def _parse(path: Path) -> dict[str, DirectoryEntry]:
    text = path.read_bytes().decode("utf-8-sig")
    try:
        if path.suffix.lower() == ".toml":
            return _from_toml(text)
        if path.suffix.lower() == ".csv":
            return _from_csv(text)
    except (tomllib.TOMLDecodeError, csv.Error, ValidationError, KeyError, TypeError) as exc:
        raise AuthConfigurationError(
            f"所属ディレクトリ {path.name} の形式が正しくありません（{type(exc).__name__}: {exc}）。"
        ) from None
    raise AuthConfigurationError(
        f"所属ディレクトリ {path.name}: 拡張子は .toml か .csv にしてください。"
    )


def _roles(values: list[str]) -> frozenset[Role]:
    return frozenset(
        parse_role(v.strip(), setting="YAKUBA_AUTH_DIRECTORY_FILE") for v in values if v.strip()
    )


def _from_toml(text: str) -> dict[str, DirectoryEntry]:
    users = tomllib.loads(text).get("users", {})
    entries: dict[str, DirectoryEntry] = {}
    for user, item in users.items():
        roles = item.get("roles") or ([item["role"]] if "role" in item else [])
        entries[str(user)] = DirectoryEntry(
            department=str(item.get("department", "")), roles=_roles([str(r) for r in roles])
        )
    return entries


def _from_csv(text: str) -> dict[str, DirectoryEntry]:
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "user" not in reader.fieldnames:
        raise AuthConfigurationError(
            "所属ディレクトリ（CSV）の1行目は user,department,role の見出しにしてください。"
        )
    entries: dict[str, DirectoryEntry] = {}
    for row in reader:
        user = (row.get("user") or "").strip()
        if user:
            entries[user] = DirectoryEntry(
                department=(row.get("department") or "").strip(),
                roles=_roles((row.get("role") or "").split(";")),
            )
    return entries
