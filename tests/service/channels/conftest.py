"""Fixtures of the bot tests: the recording chat-platform API, a directory of chat users,
and the real app with the bots configured (signatures are computed here, independently
of the SDKs that verify them)."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi.testclient import TestClient
from pydantic import SecretStr

from tests.utils.chat_api_server import SLACK_API, ChatApiServer

AppFactory = Callable[..., TestClient]

SLACK_SECRET = "slack-signing-secret-for-tests"
SLACK_TOKEN = "xoxb-test-token"
WEBHOOK_SECRET = "webhook-secret-for-tests-0123456789"
LINEWORKS_BOT_SECRET = "lineworks-bot-secret"

DIRECTORY = """\
[slack.U_TANAKA]
user = "tanaka"
department = "総務課"

[slack.U_SATO]
user = "sato"
department = "市民課"

[lineworks."c72af563-0f21-4736-11e4-045237113344"]
user = "suzuki"
department = "福祉課"

[teams."aad-0000-sato"]
user = "sato"
department = "市民課"

[webhook."logo:1001"]
user = "takahashi"
department = "税務課"
"""


@pytest.fixture(scope="session")
def rsa_key() -> rsa.RSAPrivateKey:
    """A platform's signing key (LINE WORKS service account, Teams' token signer)."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
def chat_api() -> Iterator[ChatApiServer]:
    with ChatApiServer() as server:
        yield server


@pytest.fixture
def directory_file(tmp_path: Path) -> Path:
    path = tmp_path / "chat-users.toml"
    path.write_text(DIRECTORY, encoding="utf-8")
    return path


@pytest.fixture
def bot_overrides(
    chat_api: ChatApiServer, directory_file: Path, llm_overrides: dict[str, object]
) -> dict[str, object]:
    return {
        **llm_overrides,
        "bot_directory_file": directory_file,
        "slack_signing_secret": SecretStr(SLACK_SECRET),
        "slack_bot_token": SecretStr(SLACK_TOKEN),
        "slack_api_url": chat_api.url(SLACK_API),
        "webhook_secret": SecretStr(WEBHOOK_SECRET),
    }


@pytest.fixture
def bot_client(make_client: AppFactory, bot_overrides: dict[str, object]) -> TestClient:
    return make_client(**bot_overrides)


def hmac_hex(secret: str, data: bytes) -> str:
    return hmac.new(secret.encode(), data, hashlib.sha256).hexdigest()
