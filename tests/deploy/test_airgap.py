"""The air-gapped install: the locks pin every dependency of pyproject.toml with hashes,
and (slow) a wheelhouse built by scripts/wheelhouse.sh installs with no network at all —
pip and then Yakuba itself run inside a network namespace without interfaces — and the
installed `yakuba` ingests, answers with citations and verifies its audit log there."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.deploy._tools import ROOT, run, unavailable

AIRGAP = ROOT / "deploy" / "airgap"
CORE_LOCK = AIRGAP / "requirements.lock"
ST_LOCK = AIRGAP / "requirements-st.lock"
SCRIPTS = ["scripts/wheelhouse.sh", "scripts/airgap-install.sh", "scripts/lock.sh"]
_PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^ ;\\]+)(?: ;[^\\]*)? \\$")


def _pins(lock: Path) -> dict[str, tuple[str, int]]:
    """name -> (version, number of hashes)."""
    pins: dict[str, tuple[str, int]] = {}
    current = ""
    for line in lock.read_text(encoding="utf-8").splitlines():
        if match := _PIN.match(line):
            current = str(canonicalize_name(match[1]))
            pins[current] = (match[2], 0)
        elif line.strip().startswith("--hash=sha256:"):
            version, hashes = pins[current]
            pins[current] = (version, hashes + 1)
    return pins


def _project() -> dict[str, object]:
    with (ROOT / "pyproject.toml").open("rb") as f:
        project: dict[str, object] = tomllib.load(f)["project"]
    return project


@pytest.mark.parametrize(("lock", "extra"), [(CORE_LOCK, None), (ST_LOCK, "st")])
def test_lock_pins_every_dependency_with_hashes(lock: Path, extra: str | None) -> None:
    pins = _pins(lock)
    wanted = list(_project()["dependencies"])  # type: ignore[call-overload]
    if extra:
        wanted += _project()["optional-dependencies"][extra]  # type: ignore[index]
    for text in wanted:
        requirement = Requirement(text)
        name = str(canonicalize_name(requirement.name))
        assert name in pins, f"{name} is not in {lock.name}: run scripts/lock.sh"
        assert requirement.specifier.contains(pins[name][0], prereleases=True), (text, pins[name])
    assert all(hashes >= 1 for _, hashes in pins.values())
    # torch comes from PyTorch's CPU index (its PyPI metadata would add CUDA packages).
    assert not {"torch", "triton"} & set(pins)
    assert not [p for p in pins if p.startswith("nvidia-")]


def test_both_locks_agree_on_shared_packages() -> None:
    core, st = _pins(CORE_LOCK), _pins(ST_LOCK)
    assert set(core) <= set(st)
    assert {n: core[n][0] for n in core} == {n: st[n][0] for n in core}


@pytest.mark.parametrize("script", SCRIPTS)
def test_scripts_parse(script: str) -> None:
    result = run(["bash", "-n", script])
    assert result.returncode == 0, result.stderr


def test_install_refuses_a_tampered_wheelhouse(tmp_path: Path) -> None:
    wheelhouse = tmp_path / "wheelhouse"
    wheelhouse.mkdir()
    (wheelhouse / "requirements.lock").write_text("alembic==1.20.1\n", encoding="utf-8")
    (wheelhouse / "SHA256SUMS").write_text(f"{'0' * 64}  requirements.lock\n", encoding="utf-8")
    venv = tmp_path / "venv"
    result = run(
        [
            "bash",
            "scripts/airgap-install.sh",
            "--wheelhouse",
            str(wheelhouse),
            "--venv",
            str(venv),
        ]
    )
    assert result.returncode == 1
    assert "壊れているか差し替えられています" in result.stderr
    assert not venv.exists()


def _offline(args: list[str], env: dict[str, str], timeout: float) -> str:
    """Runs `args` in a new network namespace: no interface but a downed loopback."""
    result = subprocess.run(
        ["unshare", "--net", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_wheelhouse_installs_and_runs_with_no_network(tmp_path: Path) -> None:
    """~1.5 min at load 6: fetch 110 wheels (cache or index), install them offline, use them."""
    if run(["unshare", "--net", "true"]).returncode != 0:
        unavailable("unshare --net is not permitted here (needs root or user namespaces)")
    wheelhouse = tmp_path / "wheelhouse"
    built = run(["bash", "scripts/wheelhouse.sh", "--out", str(wheelhouse)], timeout=900)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    names = {p.name for p in wheelhouse.iterdir()}
    assert {"requirements.lock", "install.sh", "SHA256SUMS"} <= names
    assert [n for n in names if n.startswith("yakuba-")] == ["yakuba-0.1.0-py3-none-any.whl"]

    # Nothing of this machine's pip configuration (extra indexes, find-links) may help.
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": str(tmp_path / "home"),
        "LANG": "C.UTF-8",
        "PIP_CONFIG_FILE": os.devnull,
        "PYTHON": sys.executable,
    }
    venv = tmp_path / "venv"
    out = _offline(["bash", str(wheelhouse / "install.sh"), "--venv", str(venv)], env, timeout=600)
    assert "完了" in out

    env |= {"YAKUBA_DATA_DIR": str(tmp_path / "data")}
    manual = tmp_path / "docs" / "窓口マニュアル.md"
    manual.parent.mkdir()
    manual.write_text(
        "# 住民票の写しの交付\n\n"
        "住民票の写しは市民課の窓口で交付します。本人確認書類として運転免許証などを提示してください。"
        "手数料は一通三百円です。\n\n"
        "# 印鑑登録\n\n印鑑登録は本人が窓口で申請します。\n",
        encoding="utf-8",
    )
    yakuba = str(venv / "bin" / "yakuba")
    _offline([yakuba, "ingest", str(manual.parent)], env, timeout=300)
    answer = _offline([yakuba, "ask", "住民票の写しの手数料はいくらですか"], env, timeout=300)
    assert "三百円" in answer and "窓口マニュアル.md" in answer
    assert "監査ログは正常です" in _offline([yakuba, "audit", "verify"], env, timeout=120)
