"""The deployment examples name real settings with valid values, and the proxy example
sends what header mode requires."""

from __future__ import annotations

import re

from service.settings import Settings
from tests.deploy._tools import DEPLOY, SETTING_NAMES, env_file


def _env_lines() -> dict[str, str]:
    return env_file(DEPLOY / "yakuba.env.example")


def test_every_variable_is_a_setting() -> None:
    unknown = sorted(set(_env_lines()) - SETTING_NAMES)
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


def test_the_operators_guide_names_real_settings_and_compose_variables() -> None:
    guide = (DEPLOY / "README.md").read_text(encoding="utf-8")
    named = set(re.findall(r"\bYAKUBA_[A-Z0-9_]*[A-Z0-9]", guide))
    # `_ISSUER`-style shorthands in the tables stand for YAKUBA_AUTH_… / YAKUBA_LLM_….
    assert named - {"YAKUBA_ENV_FILE"} <= SETTING_NAMES, named - SETTING_NAMES
    compose = (DEPLOY / "compose.yaml").read_text(encoding="utf-8")
    variables = re.compile(r"\bDEPLOY_[A-Z_]+")
    assert set(variables.findall(guide)) <= set(variables.findall(compose))


def test_the_guide_lists_the_digests_the_files_pin() -> None:
    guide = (DEPLOY / "README.md").read_text(encoding="utf-8")
    pinned = set()
    for name in ("Dockerfile", "compose.yaml", "kubernetes/qdrant-statefulset.yaml"):
        pinned |= set(re.findall(r"@sha256:([0-9a-f]{64})", (DEPLOY / name).read_text("utf-8")))
    for digest in pinned:
        assert f"@sha256:{digest[:8]}…{digest[-4:]}" in guide
