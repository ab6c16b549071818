"""Helpers for the auth tests (no tests here): test signing keys, their JWKS file, tokens,
and an app in a given auth mode over the shared test index."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from fastapi.testclient import TestClient
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

from ingest import Embedder
from service.main import create_app
from service.settings import Settings

ISSUER = "https://idp.example.lg.jp/realms/city"
AUDIENCE = "yakuba"

RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
EC_KEY = ec.generate_private_key(ec.SECP256R1())
# Signs tokens whose key is not in the JWKS.
STRANGER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def write_jwks(path: Path) -> Path:
    rsa_jwk: dict[str, Any] = json.loads(RSAAlgorithm.to_jwk(RSA_KEY.public_key()))
    ec_jwk: dict[str, Any] = json.loads(ECAlgorithm.to_jwk(EC_KEY.public_key()))
    rsa_jwk.update(kid="rsa-1", use="sig", alg="RS256")
    ec_jwk.update(kid="ec-1", use="sig", alg="ES256")
    path.write_text(json.dumps({"keys": [rsa_jwk, ec_jwk]}), encoding="utf-8")
    return path


def token(
    sub: str = "tanaka",
    *,
    roles: list[str] | None = None,
    department: str | None = "総務課",
    expires_in: int = 600,
    issuer: str = ISSUER,
    audience: str = AUDIENCE,
    alg: str = "RS256",
    key: Any = None,
    kid: str | None = None,
    **claims: Any,
) -> str:
    now = int(time.time())
    payload: dict[str, Any] = {
        "sub": sub,
        "iss": issuer,
        "aud": audience,
        "iat": now,
        "exp": now + expires_in,
        **claims,
    }
    if roles is not None:
        payload["roles"] = roles
    if department is not None:
        payload["department"] = department
    if key is None:
        key = EC_KEY if alg == "ES256" else RSA_KEY
    if kid is None:
        kid = "ec-1" if alg == "ES256" else "rsa-1"
    return jwt.encode(payload, key, algorithm=alg, headers={"kid": kid})


def bearer(value: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {value}"}


def jwt_settings(base: Settings, tmp: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "auth_mode": "jwt",
        "auth_jwks_file": write_jwks(tmp / "jwks.json"),
        "auth_issuer": ISSUER,
        "auth_audience": AUDIENCE,
        "database_url": f"sqlite:///{tmp / 'audit.sqlite3'}",
        "quota_user_requests_per_day": 0,
        "quota_user_tokens_per_month": 0,
        "rate_limit_per_minute": 0,
        **overrides,
    }
    return base.model_copy(update=values)


def start(settings: Settings, embedder: Embedder, **client_options: Any) -> TestClient:
    app = create_app(settings)
    app.state.runtime.knowledge_base.embedder = embedder
    client = TestClient(app, **client_options)
    client.__enter__()
    return client
