"""Trusted reverse-proxy mode: headers count only from the proxy's address, with its secret."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from ingest import Embedder
from service.auth import AuthConfigurationError
from service.main import create_app
from service.settings import Settings

from .test_auth_support import start

SECRET = "proxy-shared-secret-0123456789"
PROXY = ("10.0.0.5", 40000)
DIRECTORY = """\
[users.sato]
department = "税務課"
role = "auditor"
"""


@pytest.fixture(scope="module")
def header_settings(indexed_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    tmp = tmp_path_factory.mktemp("header")
    (tmp / "directory.toml").write_text(DIRECTORY, encoding="utf-8")
    return Settings(
        data_dir=indexed_data_dir,
        database_url=f"sqlite:///{tmp / 'audit.sqlite3'}",
        auth_mode="header",  # type: ignore[arg-type]
        auth_trusted_proxies="10.0.0.0/24, 192.168.10.1",
        auth_proxy_secret=SECRET,  # type: ignore[arg-type]
        auth_directory_file=tmp / "directory.toml",
        auth_role_map="yakuba-admins:admin",
    )


@pytest.fixture(scope="module")
def clients(header_settings: Settings, warm_embedder: Embedder) -> Iterator[dict[str, TestClient]]:
    proxy = start(header_settings, warm_embedder, client=PROXY)
    # The same app seen from another address (one app: the embedded index has one owner).
    outsider = TestClient(proxy.app, client=("10.0.1.9", 40000))
    yield {"proxy": proxy, "outsider": outsider}
    proxy.__exit__(None, None, None)


def _headers(user: str = "tanaka", secret: str = SECRET, **extra: str) -> dict[str, str]:
    return {"X-Yakuba-User": user, "X-Yakuba-Proxy-Secret": secret, **extra}


def test_trusted_proxy_with_secret_is_believed(clients: dict[str, TestClient]) -> None:
    headers = _headers(**{"X-Yakuba-Department": quote("市民課")})
    body = clients["proxy"].get("/v1/me", headers=headers).json()
    assert (body["user"], body["department"], body["role"], body["method"]) == (
        "tanaka",
        "市民課",
        "staff",
        "header",
    )


def test_untrusted_address_is_refused_even_with_the_secret(
    clients: dict[str, TestClient],
) -> None:
    response = clients["outsider"].get("/v1/me", headers=_headers())
    assert response.status_code == 401
    assert "認証プロキシを経由していない" in response.json()["detail"]["message"]


def test_forwarded_for_cannot_fake_the_proxy(clients: dict[str, TestClient]) -> None:
    headers = {**_headers(), "X-Forwarded-For": "10.0.0.5", "X-Real-IP": "10.0.0.5"}
    assert clients["outsider"].get("/v1/me", headers=headers).status_code == 401


@pytest.mark.parametrize("secret", ["", "wrong", SECRET[:-1], SECRET + "x"])
def test_bad_secret_is_refused(clients: dict[str, TestClient], secret: str) -> None:
    response = clients["proxy"].get("/v1/me", headers=_headers(secret=secret))
    assert response.status_code == 401
    assert response.json()["detail"]["code"] == "unauthenticated"


def test_missing_user_header_is_refused(clients: dict[str, TestClient]) -> None:
    response = clients["proxy"].get("/v1/me", headers={"X-Yakuba-Proxy-Secret": SECRET})
    assert response.status_code == 401


def test_role_header_is_mapped_and_directory_fills_gaps(clients: dict[str, TestClient]) -> None:
    admin = clients["proxy"].get("/v1/me", headers=_headers(**{"X-Yakuba-Role": "yakuba-admins"}))
    assert admin.json()["role"] == "admin"
    # Unknown group names grant nothing: staff by default.
    other = clients["proxy"].get("/v1/me", headers=_headers(**{"X-Yakuba-Role": "domain-users"}))
    assert other.json()["role"] == "staff"
    # No department or role headers: the directory file has them.
    sato = clients["proxy"].get("/v1/me", headers=_headers("sato")).json()
    assert (sato["department"], sato["role"]) == ("税務課", "auditor")
    assert (
        clients["proxy"]
        .post("/v1/ask", json={"question": "審査基準"}, headers=_headers("sato"))
        .status_code
        == 403
    )


def test_header_mode_needs_trusted_proxies(header_settings: Settings) -> None:
    with pytest.raises(AuthConfigurationError, match="TRUSTED_PROXIES"):
        create_app(header_settings.model_copy(update={"auth_trusted_proxies": ""}))
    with pytest.raises(AuthConfigurationError, match="CIDR"):
        create_app(header_settings.model_copy(update={"auth_trusted_proxies": "10.0.0.0/33"}))
