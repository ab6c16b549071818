"""The deployment examples name real settings with valid values, and the proxy example
sends what header mode requires."""

from __future__ import annotations

import re
from pathlib import Path

from service.settings import Settings

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def _env_lines() -> dict[str, str]:
    out: dict[str, str] = {}
    for line in (DEPLOY / "yakuba.env.example").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            out[name] = value
    return out


def test_every_variable_is_a_setting() -> None:
    fields = {f"YAKUBA_{name.upper()}" for name in Settings.model_fields}
    unknown = sorted(set(_env_lines()) - fields)
    assert unknown == []


def test_the_example_validates() -> None:
    settings = Settings(_env_file=DEPLOY / "yakuba.env.example")  # type: ignore[call-arg]
    assert settings.auth_mode == "header"
    assert settings.database_url and settings.database_url.startswith("postgresql+psycopg://")
    assert settings.qdrant_url and settings.audit_retention_days == 1825
    assert settings.generation_enabled


def test_proxy_example_sends_the_headers_header_mode_reads() -> None:
    conf = (DEPLOY / "nginx-header-auth.conf").read_text(encoding="utf-8")
    defaults = Settings()
    sent = set(re.findall(r"proxy_set_header (X-Yakuba-[A-Za-z-]+)", conf))
    assert {
        defaults.auth_user_header,
        defaults.auth_department_header,
        defaults.auth_role_header,
        defaults.auth_proxy_secret_header,
    } <= sent
    secret = _env_lines()["YAKUBA_AUTH_PROXY_SECRET"]
    assert f'{defaults.auth_proxy_secret_header} "{secret}"' in conf


def test_unit_serves_on_loopback_only() -> None:
    unit = (DEPLOY / "yakuba.service").read_text(encoding="utf-8")
    assert "serve --host 127.0.0.1" in unit and "EnvironmentFile=/etc/yakuba/yakuba.env" in unit
