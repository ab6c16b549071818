"""JWT verification, claim mapping, the directory file, and start-up checks (no app)."""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path

import jwt
import pytest

from service.auth import (
    AccessControl,
    AuthConfigurationError,
    AuthenticationError,
    Credentials,
    PermissionDeniedError,
    Role,
)
from service.auth.directory import UserDirectory
from service.auth.jwks import KeySet
from service.auth.roles import RoleMap
from service.auth.tokens import ClaimNames, JwtVerifier
from service.settings import Settings

from .test_auth_support import AUDIENCE, ISSUER, RSA_KEY, STRANGER_KEY, token, write_jwks


def _verifier(tmp_path: Path, **options: object) -> JwtVerifier:
    defaults: dict[str, object] = {
        "keys": KeySet(file=write_jwks(tmp_path / "jwks.json")),
        "issuer": ISSUER,
        "audience": AUDIENCE,
        "claims": ClaimNames(
            user="preferred_username,sub", department="department", roles="roles,groups"
        ),
        "role_map": RoleMap("yakuba-admins:admin,監査担当:auditor"),
        "leeway_s": 60,
    }
    return JwtVerifier(**{**defaults, **options})  # type: ignore[arg-type]


def test_rs256_and_es256_are_accepted(tmp_path: Path) -> None:
    verifier = _verifier(tmp_path)
    assert verifier.verify(token("tanaka", roles=["staff"])).user == "tanaka"
    principal = verifier.verify(token("ec-user", alg="ES256", groups=["監査担当"], roles=None))
    assert principal.role is Role.AUDITOR


@pytest.mark.parametrize(
    "make",
    [
        lambda: token(issuer="https://evil.example"),
        lambda: token(audience="other-app"),
        lambda: token(expires_in=-61),  # past the 60 s leeway
        lambda: token(key=STRANGER_KEY),
        lambda: token(kid="unknown"),
        lambda: token(alg="RS384"),
        lambda: jwt.encode(
            {"sub": "x", "iss": ISSUER, "aud": AUDIENCE}, key=None, algorithm="none"
        ),
        lambda: jwt.encode(
            {"sub": "x", "iss": ISSUER, "aud": AUDIENCE, "exp": 4_000_000_000},
            "shared-secret-of-at-least-32-bytes!!",
            algorithm="HS256",
            headers={"kid": "rsa-1"},
        ),
        # An RSA-signed token that claims to be ES256 against the EC key id.
        lambda: _relabel(token(), alg="ES256", kid="ec-1"),
        lambda: "not.a.token",
        lambda: "",
    ],
)
def test_bad_tokens_are_refused(tmp_path: Path, make: object) -> None:
    with pytest.raises(AuthenticationError):
        _verifier(tmp_path).verify(make())  # type: ignore[operator]


def _relabel(value: str, **header: str) -> str:
    head, body, sig = value.split(".")
    decoded = json.loads(base64.urlsafe_b64decode(head + "=="))
    decoded.update(header)
    new_head = base64.urlsafe_b64encode(json.dumps(decoded).encode()).rstrip(b"=").decode()
    return f"{new_head}.{body}.{sig}"


def test_token_without_exp_is_refused(tmp_path: Path) -> None:
    bare = jwt.encode(
        {"sub": "x", "iss": ISSUER, "aud": AUDIENCE},
        RSA_KEY,
        algorithm="RS256",
        headers={"kid": "rsa-1"},
    )
    with pytest.raises(AuthenticationError):
        _verifier(tmp_path).verify(bare)


def test_leeway_tolerates_small_skew(tmp_path: Path) -> None:
    assert _verifier(tmp_path).verify(token(expires_in=-30)).user == "tanaka"


def test_claim_names_are_configurable(tmp_path: Path) -> None:
    verifier = _verifier(
        tmp_path,
        claims=ClaimNames(user="upn", department="org.unit", roles="realm_access.roles"),
    )
    principal = verifier.verify(
        token(
            "opaque-sub",
            department=None,
            upn="yamada@city.example.lg.jp",
            org={"unit": "福祉課"},
            realm_access={"roles": ["offline_access", "faq_editor"]},
        )
    )
    assert (principal.user, principal.department, principal.role) == (
        "yamada@city.example.lg.jp",
        "福祉課",
        Role.FAQ_EDITOR,
    )
    with pytest.raises(AuthenticationError, match="利用者 ID"):
        verifier.verify(token("sub-only"))


def test_unknown_groups_grant_nothing_and_default_to_staff(tmp_path: Path) -> None:
    principal = _verifier(tmp_path).verify(token(roles=["Domain Admins", "root"]))
    assert principal.roles == frozenset({Role.STAFF})


def test_directory_fills_department_and_role(tmp_path: Path) -> None:
    csv_file = tmp_path / "directory.csv"
    csv_file.write_text(
        "\ufeffuser,department,role\ntanaka,総務課,staff;auditor\nsuzuki,市民課,\n",
        encoding="utf-8",
    )
    verifier = _verifier(tmp_path, directory=UserDirectory(csv_file))
    tanaka = verifier.verify(token("tanaka", department=None))
    assert tanaka.department == "総務課" and tanaka.roles == {Role.STAFF, Role.AUDITOR}
    assert tanaka.role is Role.AUDITOR
    # Claims win over the directory.
    assert verifier.verify(token("tanaka", department="広報課", roles=["admin"])).role is Role.ADMIN
    # The file is read again when it changes.
    csv_file.write_text("user,department,role\ntanaka,税務課,admin\n", encoding="utf-8")
    stat = csv_file.stat()
    os.utime(csv_file, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert verifier.verify(token("tanaka", department=None)).department == "税務課"


def test_broken_directory_stops_start_up(tmp_path: Path) -> None:
    bad = tmp_path / "directory.toml"
    bad.write_text('[users.tanaka]\nrole = "superuser"\n', encoding="utf-8")
    with pytest.raises(AuthConfigurationError, match="superuser"):
        UserDirectory(bad)
    with pytest.raises(AuthConfigurationError, match="拡張子"):
        (tmp_path / "d.json").write_text("{}", encoding="utf-8")
        UserDirectory(tmp_path / "d.json")


def test_jwks_file_rotation_is_picked_up(tmp_path: Path) -> None:
    jwks = write_jwks(tmp_path / "jwks.json")
    verifier = _verifier(tmp_path, keys=KeySet(file=jwks))
    document = json.loads(jwks.read_text())
    document["keys"][0]["kid"] = "rsa-2"
    jwks.write_text(json.dumps(document))
    stat = jwks.stat()
    os.utime(jwks, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert verifier.verify(token(kid="rsa-2")).user == "tanaka"
    with pytest.raises(AuthenticationError):
        verifier.verify(token(kid="rsa-1"))


def test_symmetric_keys_in_jwks_are_ignored(tmp_path: Path) -> None:
    path = tmp_path / "oct.json"
    path.write_text(json.dumps({"keys": [{"kty": "oct", "k": "c2VjcmV0", "kid": "h"}]}))
    with pytest.raises(AuthConfigurationError):
        KeySet(file=path)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"auth_jwks_file": None}, "JWKS"),
        ({"auth_issuer": None}, "ISSUER"),
        ({"auth_role_map": "admins"}, "ROLE_MAP"),
        ({"auth_role_map": "admins:root"}, "root"),
    ],
)
def test_jwt_mode_start_up_checks(
    tmp_path: Path, overrides: dict[str, object], message: str
) -> None:
    base = {
        "auth_mode": "jwt",
        "auth_jwks_file": write_jwks(tmp_path / "jwks.json"),
        "auth_issuer": ISSUER,
        "auth_audience": AUDIENCE,
        "database_url": f"sqlite:///{tmp_path / 'a.sqlite3'}",
    }
    with pytest.raises(AuthConfigurationError, match=message):
        AccessControl(Settings(**{**base, **overrides}))  # type: ignore[arg-type]


def test_none_mode_serves_only_local_callers(tmp_path: Path) -> None:
    access = AccessControl(Settings(database_url=f"sqlite:///{tmp_path / 'a.sqlite3'}"))
    try:
        for host in ("127.0.0.1", "::1", "testclient", None):
            assert access.authenticate(Credentials(client_host=host, headers={})).user == "local"
        # An OpenAI client's placeholder key does not matter in none mode.
        assert (
            access.authenticate(
                Credentials(client_host="127.0.0.1", headers={"authorization": "Bearer sk-x"})
            ).user
            == "local"
        )
        with pytest.raises(PermissionDeniedError, match="このコンピューター上"):
            access.authenticate(Credentials(client_host="192.168.1.20", headers={}))
        # An API key is honoured in every mode, and a bad one is refused.
        with pytest.raises(AuthenticationError):
            access.authenticate(
                Credentials(client_host="127.0.0.1", headers={"authorization": "Bearer ykb_x"})
            )
    finally:
        access.close()
