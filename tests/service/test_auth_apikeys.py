"""API keys: shown once, stored only as a hash, scoped, expiring, revocable; the CLI."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text, update
from typer.testing import CliRunner

from service.auth import AuthenticationError, Role
from service.auth.apikeys import ApiKeyStore
from service.auth.db import api_keys, open_engine
from service.cli import app
from service.settings import get_settings


@pytest.fixture
def store(tmp_path: Path) -> ApiKeyStore:
    return ApiKeyStore(open_engine(f"sqlite:///{tmp_path / 'keys.sqlite3'}"))


def test_key_format_and_principal(store: ApiKeyStore) -> None:
    created = store.create(
        user="faq-bot", role=Role.FAQ_EDITOR, department="広報課", channel="batch"
    )
    assert re.fullmatch(r"ykb_[0-9a-f]{16}_[A-Za-z0-9_-]{43}", created.key)
    principal = store.authenticate(created.key)
    assert (principal.user, principal.department, principal.role, principal.channel) == (
        "faq-bot",
        "広報課",
        Role.FAQ_EDITOR,
        "batch",
    )
    assert principal.key_id == created.info.key_id
    assert principal.context().channel == "batch"


def test_raw_key_never_reaches_the_database(store: ApiKeyStore, tmp_path: Path) -> None:
    created = store.create(user="bot", role=Role.STAFF)
    store.authenticate(created.key)
    # ykb_<16 hex id>_<43-character secret>; the secret itself may contain "_".
    secret = created.key.split("_", 2)[2]
    assert len(secret) == 43
    raw = (tmp_path / "keys.sqlite3").read_bytes()
    for suffix in ("-wal", "-shm"):
        extra = tmp_path / f"keys.sqlite3{suffix}"
        if extra.exists():
            raw += extra.read_bytes()
    assert secret.encode() not in raw and created.key.encode() not in raw
    with store._engine.connect() as conn:  # noqa: SLF001 - the test looks at the row itself
        row = conn.execute(select(api_keys)).mappings().one()
    assert secret not in json.dumps({k: str(v) for k, v in row.items()})
    assert len(row["key_hash"]) == 64


@pytest.mark.parametrize(
    "mangle",
    [
        lambda k: k[:-1] + ("A" if k[-1] != "A" else "B"),  # wrong secret
        lambda k: k.replace("ykb_", "ykb_0", 1),  # malformed id
        lambda k: "ykb_" + "0" * 16 + k[20:],  # unknown id, right-looking secret
        lambda k: k + "x",
    ],
)
def test_wrong_keys_are_refused(store: ApiKeyStore, mangle: object) -> None:
    created = store.create(user="bot", role=Role.STAFF)
    with pytest.raises(AuthenticationError):
        store.authenticate(mangle(created.key))  # type: ignore[operator]


def test_revoked_and_expired_keys_are_refused(store: ApiKeyStore) -> None:
    revoked = store.create(user="bot", role=Role.STAFF)
    assert store.revoke(revoked.info.key_id)
    assert not store.revoke(revoked.info.key_id)  # already revoked
    with pytest.raises(AuthenticationError):
        store.authenticate(revoked.key)

    expiring = store.create(user="bot2", role=Role.STAFF, expires_days=1)
    store.authenticate(expiring.key)
    with store._engine.begin() as conn:  # noqa: SLF001
        conn.execute(
            update(api_keys)
            .where(api_keys.c.key_id == expiring.info.key_id)
            .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    with pytest.raises(AuthenticationError):
        store.authenticate(expiring.key)


def test_last_used_is_recorded(store: ApiKeyStore) -> None:
    created = store.create(user="bot", role=Role.STAFF)
    assert store.list()[0].last_used_at is None
    store.authenticate(created.key)
    info = store.list()[0]
    assert info.last_used_at is not None and info.active


def test_cli_create_list_revoke(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YAKUBA_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("YAKUBA_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    runner = CliRunner()
    try:
        created = runner.invoke(
            app,
            [
                "apikey",
                "create",
                "--user",
                "slack-bot",
                "--role",
                "staff",
                "--department",
                "情報政策課",
                "--channel",
                "slack",
                "--expires-days",
                "30",
            ],
        )
        assert created.exit_code == 0, created.output
        key = re.search(r"ykb_[0-9a-f]{16}_[A-Za-z0-9_-]{43}", created.output)
        assert key, created.output
        key_id = key.group(0)[4:20]

        listed = runner.invoke(app, ["apikey", "list", "--json"])
        assert listed.exit_code == 0, listed.output
        [row] = [json.loads(line) for line in listed.output.splitlines()]
        assert (row["key_id"], row["user"], row["department"]) == (
            key_id,
            "slack-bot",
            "情報政策課",
        )
        assert row["channel"] == "slack" and row["active"] and row["expires_at"]
        assert key.group(0) not in listed.output
        assert runner.invoke(app, ["apikey", "list"]).exit_code == 0

        revoked = runner.invoke(app, ["apikey", "revoke", key_id])
        assert revoked.exit_code == 0, revoked.output
        listed = runner.invoke(app, ["apikey", "list", "--json"])
        assert json.loads(listed.output)["active"] is False
        again = runner.invoke(app, ["apikey", "revoke", key_id])
        assert again.exit_code == 1

        bad_role = runner.invoke(app, ["apikey", "create", "--user", "x", "--role", "root"])
        assert bad_role.exit_code != 0
        engine = open_engine(get_settings().audit_database_url)
        with engine.connect() as conn:
            assert conn.execute(text("select count(*) from auth_api_keys")).scalar() == 1
        engine.dispose()
    finally:
        get_settings.cache_clear()


def test_channel_must_be_one_the_audit_log_knows(store: ApiKeyStore) -> None:
    with pytest.raises(ValueError):
        store.create(user="bot", role=Role.STAFF, channel="fax")
    assert store.create(user="bot", role=Role.STAFF, channel="teams").info.channel == "teams"
