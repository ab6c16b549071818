"""deploy/compose.yaml against the Compose Specification's schema (check-jsonschema's
vendored copy, offline), and what the single-host stack needs: health-gated start-up,
volumes, a locked-down service reachable from the host only, pinned images, and settings
that Yakuba accepts once compose has filled them in from deploy/.env."""

from __future__ import annotations

import re
from typing import Any

from service.settings import Settings
from tests.deploy._tools import DEPLOY, SETTING_NAMES, documents, env_file, run, tool

COMPOSE = DEPLOY / "compose.yaml"
EXAMPLE = DEPLOY / "compose.env.example"
# ${NAME}, ${NAME:-default}, ${NAME:?message}: the forms compose.yaml uses.
_VARIABLE = re.compile(r"\$\{(?P<name>[A-Z0-9_]+)(?::(?P<op>[-?])(?P<arg>[^}]*))?\}")
DIGEST = re.compile(r"@sha256:[0-9a-f]{64}$")


def _compose() -> dict[str, Any]:
    return documents(COMPOSE)[0]


def _interpolate(value: str, env: dict[str, str]) -> str:
    def one(match: re.Match[str]) -> str:
        name, op, arg = match["name"], match["op"], match["arg"]
        if env.get(name):
            return env[name]
        if op == "?":
            raise KeyError(f"{name}: {arg}")
        return arg if op == "-" else ""

    return _VARIABLE.sub(one, value)


def test_matches_the_compose_specification() -> None:
    result = run(
        [tool("check-jsonschema"), "--builtin-schema", "vendor.compose-spec", str(COMPOSE)]
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_services_start_after_their_health_checked_dependencies() -> None:
    services = _compose()["services"]
    assert set(services) == {"yakuba", "qdrant", "postgres", "llm"}
    assert services["llm"]["profiles"] == ["llm"]  # optional
    for name, service in services.items():
        assert "healthcheck" in service, name
        for dependency, how in service.get("depends_on", {}).items():
            assert how["condition"] == "service_healthy"
            assert "healthcheck" in services[dependency]
    declared = set(_compose()["volumes"])
    named = {
        v.split(":")[0]
        for s in services.values()
        for v in s.get("volumes", [])
        if not v.startswith(("$", ".", "/"))
    }
    assert named == declared


def test_the_service_is_locked_down_and_reachable_from_the_host_only() -> None:
    services = _compose()["services"]
    yakuba = services["yakuba"]
    assert yakuba["ports"] == ["127.0.0.1:8000:8000"]
    assert all("ports" not in s for n, s in services.items() if n != "yakuba")
    assert yakuba["read_only"] is True and yakuba["cap_drop"] == ["ALL"]
    assert yakuba["user"] == "10001:10001"
    assert "no-new-privileges:true" in yakuba["security_opt"]


def test_third_party_images_are_pinned_by_digest() -> None:
    services = _compose()["services"]
    for name in ("qdrant", "postgres", "llm"):
        image = _interpolate(services[name]["image"], {})
        assert DIGEST.search(image), (name, image)


def test_every_yakuba_variable_is_a_setting() -> None:
    text = COMPOSE.read_text(encoding="utf-8")
    named = set(re.findall(r"\bYAKUBA_[A-Z0-9_]+", text))
    assert named <= SETTING_NAMES, named - SETTING_NAMES
    example = env_file(EXAMPLE)
    assert {k for k in example if k.startswith("YAKUBA_")} <= SETTING_NAMES
    # The rest are compose's own: the secrets it hands to Qdrant and PostgreSQL.
    assert {k for k in example if not k.startswith("YAKUBA_")} == {
        "QDRANT_API_KEY",
        "POSTGRES_PASSWORD",
    }


def test_the_filled_in_example_is_a_valid_configuration() -> None:
    """What Yakuba's container gets: the example's settings, then compose's environment."""
    env = env_file(EXAMPLE)
    yakuba = _compose()["services"]["yakuba"]
    merged = {k: v for k, v in env.items() if k.startswith("YAKUBA_")}
    merged |= {k: _interpolate(v, env) for k, v in yakuba["environment"].items()}
    settings = Settings(**{k[len("YAKUBA_") :].lower(): v for k, v in merged.items()})
    assert settings.auth_mode == "header"  # serving on 0.0.0.0 refuses `none`
    assert settings.auth_trusted_proxies == "172.30.0.1"
    assert settings.auth_proxy_secret is not None
    assert settings.database_url == "postgresql+psycopg://yakuba:change-me@postgres:5432/yakuba"
    assert settings.qdrant_url == "http://qdrant:6333"
    assert not settings.generation_enabled  # extractive until a model is configured
    # The trusted proxy is the gateway of the network compose creates.
    network = _compose()["networks"]["yakuba"]["ipam"]["config"][0]
    assert _interpolate(network["gateway"], {}) == settings.auth_trusted_proxies
