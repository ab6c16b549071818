"""Helpers of the deployment tests: the repository's deploy folder, YAML documents, the
settings' variable names, and the kept checkers (kubernetes-validate, check-jsonschema,
hadolint, checkov) run as commands."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from service.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
KUBERNETES = DEPLOY / "kubernetes"
BIN = Path(sys.executable).parent
# checkov pins old packaging and networkx, so it runs in an environment of its own (uv's
# tool cache) rather than in the project's.
CHECKOV = "checkov==3.3.30"
SETTING_NAMES = frozenset(f"YAKUBA_{name.upper()}" for name in Settings.model_fields)


def documents(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return [doc for doc in yaml.safe_load_all(f) if doc]


def env_file(path: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            out[name.strip()] = value
    return out


def tool(name: str) -> str:
    """The path of a command from the dev extra; skipped locally, failed in CI if absent."""
    path = BIN / name
    if path.exists():
        return str(path)
    found = shutil.which(name)
    if found:
        return found
    unavailable(f"{name} is missing: install the dev extra (`pip install -e '.[dev]'`)")
    raise AssertionError("unreachable")


def unavailable(message: str) -> None:
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(message)
    pytest.skip(message)


def run(args: list[str], *, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, capture_output=True, text=True, timeout=timeout, check=False, cwd=ROOT
    )


def checkov(*targets: str, framework: str) -> dict[str, Any]:
    """checkov's JSON summary for files or folders (`-f`/`-d`); nothing is downloaded from
    its vendor's platform (--skip-download), only the tool itself from the package index."""
    args = [tool("uv"), "tool", "run", "--quiet", "--from", CHECKOV, "checkov"]
    for target in targets:
        args += ["-d" if (ROOT / target).is_dir() else "-f", target]
    args += ["--framework", framework, "--output", "json", "--skip-download", "--quiet"]
    result = run(args, timeout=300)
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        unavailable(f"checkov did not run: {result.stderr[-2000:]}")
        raise
    reports = report if isinstance(report, list) else [report]
    summary: dict[str, Any] = {"passed": 0, "failed": 0, "skipped": 0, "failures": []}
    for one in reports:
        for key in ("passed", "failed", "skipped"):
            summary[key] += one["summary"][key]
        summary["parsing_errors"] = summary.get("parsing_errors", 0) + one["summary"].get(
            "parsing_errors", 0
        )
        for check in one["results"].get("failed_checks", []):
            summary["failures"].append(
                f"{check['check_id']} {check['check_name']} — {check['resource']} "
                f"({check['file_path']})"
            )
    return summary
