"""Chat users registered through the admin API: validated, persisted in the audit
database, audited, refused to staff, and used by the bots before the directory file."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from service.audit import AuditRecord
from service.cli import app as cli
from service.settings import Settings
from tests.utils.chat_api_server import ChatApiServer

from ..test_auth_support import bearer, jwt_settings, start, token
from .test_slack_bot import mention, post_event, records

BASE = "/v1/admin/chat-users"


def admin_records(client: TestClient) -> list[AuditRecord]:
    return [r for r in records(client) if r.task == "admin"]


def test_an_admin_adds_lists_changes_and_removes_a_chat_user(bot_client: TestClient) -> None:
    body = {"platform": "lineworks", "chat_user": "lw-0001", "user": "ito", "department": "福祉課"}
    created = bot_client.post(BASE, json=body)
    assert created.status_code == 201, created.text
    assert created.json()["user"] == "ito" and created.json()["updated_by"] == "local"
    assert created.headers["cache-control"] == "no-store"

    again = bot_client.post(BASE, json=body)
    assert again.status_code == 409
    assert again.json()["detail"]["code"] == "chat_user_exists"

    changed = bot_client.put(
        f"{BASE}/lineworks/lw-0001", json={"user": "ito", "department": "企画課", "role": "staff"}
    )
    assert changed.status_code == 200 and changed.json()["department"] == "企画課"
    listed = bot_client.get(BASE, params={"platform": "lineworks"}).json()
    assert [(m["chat_user"], m["department"], m["role"]) for m in listed] == [
        ("lw-0001", "企画課", "staff")
    ]
    assert bot_client.get(BASE, params={"platform": "slack"}).json() == []

    assert bot_client.delete(f"{BASE}/lineworks/lw-0001").status_code == 204
    missing = bot_client.get(f"{BASE}/lineworks/lw-0001")
    assert missing.status_code == 404 and missing.json()["detail"]["code"] == "not_found"
    assert bot_client.delete(f"{BASE}/lineworks/lw-0001").status_code == 404

    # every change is on the audit log, with who made it and what it was before
    added, updated, removed = admin_records(bot_client)
    assert all(r.user == "local" and r.channel == "api" for r in (added, updated, removed))
    assert "追加" in added.answer and "lineworks:lw-0001 → ito（福祉課" in added.answer
    assert "変更前: ito（福祉課" in updated.answer and "企画課" in updated.answer
    assert "削除" in removed.answer and removed.chat_user == "lw-0001"


@pytest.mark.parametrize(
    "body",
    [
        {"platform": "line", "chat_user": "x", "user": "ito"},  # unknown platform
        {"platform": "slack", "chat_user": "U 1", "user": "ito"},  # space in the id
        {"platform": "slack", "chat_user": "", "user": "ito"},
        {"platform": "slack", "chat_user": "U1", "user": ""},
        {"platform": "slack", "chat_user": "U1", "user": "ito\nadmin"},  # control character
        {"platform": "slack", "chat_user": "U1", "user": "ito", "role": "root"},
        {"platform": "slack", "chat_user": "U1", "user": "ito", "admin": True},  # unknown field
        {"platform": "slack", "chat_user": "U" * 257, "user": "ito"},
    ],
)
def test_malformed_mappings_are_refused_in_japanese(
    bot_client: TestClient, body: dict[str, object]
) -> None:
    response = bot_client.post(BASE, json=body)
    assert response.status_code == 422
    assert response.json()["detail"]["code"] == "invalid_input"
    assert bot_client.get(BASE).json() == []


def test_a_registration_overrides_the_directory_file_until_it_is_removed(
    bot_client: TestClient, chat_api: ChatApiServer
) -> None:
    # The file says U_TANAKA is tanaka of 総務課; the admin API moves them to 企画課.
    put = {"platform": "slack", "chat_user": "U_TANAKA", "user": "tanaka", "department": "企画課"}
    assert bot_client.post(BASE, json=put).status_code == 201
    post_event(bot_client, mention("行政手続法の審査基準とは何ですか"), event_id="EvA")
    chat_api.wait_for("chat.postMessage")
    asked = [r for r in records(bot_client) if r.task == "ask"][-1]
    assert (asked.user, asked.department, asked.chat_user) == ("tanaka", "企画課", "U_TANAKA")

    # a chat user unknown to the file is served once registered
    new = {"platform": "slack", "chat_user": "U_NEW", "user": "kimura", "department": "税務課"}
    assert bot_client.post(BASE, json=new).status_code == 201
    post_event(
        bot_client,
        mention("審査基準の公表について", user="U_NEW", ts="1700000000.000300"),
        event_id="EvB",
    )
    chat_api.wait_for("chat.postMessage", count=2)
    asked = [r for r in records(bot_client) if r.task == "ask"][-1]
    assert (asked.user, asked.department) == ("kimura", "税務課")

    # removed: the file's entry applies again
    assert bot_client.delete(f"{BASE}/slack/U_TANAKA").status_code == 204
    post_event(bot_client, mention("審査基準とは", ts="1700000000.000400"), event_id="EvC")
    chat_api.wait_for("chat.postMessage", count=3)
    asked = [r for r in records(bot_client) if r.task == "ask"][-1]
    assert (asked.user, asked.department) == ("tanaka", "総務課")


def test_staff_cannot_manage_chat_users(
    indexed_data_dir: Path, warm_embedder: object, tmp_path: Path
) -> None:
    client = start(jwt_settings(Settings(data_dir=indexed_data_dir), tmp_path), warm_embedder)  # type: ignore[arg-type]
    try:
        staff = bearer(token("sato", roles=["staff"], department="市民課"))
        body = {"platform": "slack", "chat_user": "U1", "user": "sato"}
        assert client.post(BASE, json=body, headers=staff).status_code == 403
        assert client.get(BASE, headers=staff).status_code == 403
        admin = bearer(token("joho", roles=["admin"], department="情報政策課"))
        assert client.post(BASE, json=body, headers=admin).status_code == 201
        assert admin_records(client)[-1].user == "joho"
    finally:
        client.__exit__(None, None, None)


def test_the_cli_manages_chat_users_and_audits_as_the_cli(settings: Settings) -> None:
    env = {"YAKUBA_DATA_DIR": str(settings.data_dir)}
    runner = CliRunner()
    add = ["bots", "users", "add", "teams", "aad-1", "--user", "mori", "--department", "市民課"]
    result = runner.invoke(cli, add, env=env)
    assert result.exit_code == 0, result.output
    listed = runner.invoke(cli, ["bots", "users", "list"], env=env)
    assert "aad-1" in listed.output and "mori" in listed.output
    duplicate = runner.invoke(cli, add, env=env)
    assert duplicate.exit_code != 0 and "すでに登録" in duplicate.output
    removed = runner.invoke(cli, ["bots", "users", "remove", "teams", "aad-1"], env=env)
    assert removed.exit_code == 0, removed.output
    assert "aad-1" not in runner.invoke(cli, ["bots", "users", "list"], env=env).output
