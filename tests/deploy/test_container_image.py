"""deploy/Dockerfile, which no container engine here can build: hadolint and checkov lint
it, and the image is checked to install from the wheelhouse alone, to pin its base by
digest and to run unprivileged. (The wheelhouse's installer itself runs in test_airgap.)"""

from __future__ import annotations

import re

from tests.deploy._tools import DEPLOY, checkov, run, tool

DOCKERFILE = DEPLOY / "Dockerfile"


def _instructions() -> list[tuple[str, str]]:
    text = DOCKERFILE.read_text(encoding="utf-8").replace("\\\n", " ")
    lines = [line.strip() for line in text.splitlines()]
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1])
        for line in lines
        if line and not line.startswith("#")
    ]


def test_hadolint_finds_nothing() -> None:
    result = run([tool("hadolint"), str(DOCKERFILE)])
    assert result.returncode == 0, result.stdout + result.stderr


def test_checkov_finds_nothing() -> None:
    summary = checkov("deploy/Dockerfile", framework="dockerfile")
    assert summary["failures"] == [] and summary["parsing_errors"] == 0
    assert summary["passed"] > 40


def test_base_image_is_pinned_and_the_wheelhouse_is_all_it_installs() -> None:
    steps = _instructions()
    (arg,) = [v for k, v in steps if k == "ARG"]
    assert re.fullmatch(r"PYTHON_IMAGE=python:3\.11-slim-bookworm@sha256:[0-9a-f]{64}", arg)
    assert [v for k, v in steps if k == "FROM"] == ["${PYTHON_IMAGE} AS install", "${PYTHON_IMAGE}"]
    runs = [v for k, v in steps if k == "RUN"]
    assert any("/wheelhouse/install.sh" in r for r in runs)
    # No package manager reaches out during the build.
    assert not any(re.search(r"\b(apt-get|apk|curl|wget)\b|pip install", r) for r in runs)


def test_runs_unprivileged_and_serves_with_sign_in() -> None:
    steps = dict(_instructions())
    assert steps["USER"] == "10001:10001"
    assert steps["ENTRYPOINT"] == '["yakuba"]'
    assert steps["CMD"] == '["serve", "--host", "0.0.0.0", "--port", "8000"]'
    assert "/readyz" in steps["HEALTHCHECK"]
