#!/usr/bin/env bash
# Creates .venv and installs Yakuba into it. Usage: scripts/bootstrap.sh [extra]
# Only package registries are contacted (PyPI, and Debian if Python itself is missing).
set -euo pipefail
cd "$(dirname "$0")/.."
extra="${1:-}"

python_ok() {
  command -v python3 >/dev/null 2>&1 &&
    python3 -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 11))' 2>/dev/null
}

if ! python_ok; then
  echo "Python 3.11 以上と venv が見つからないため、Debian パッケージを導入します…" >&2
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3 python3-venv python3-pip >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi

stamp=".venv/.yakuba-installed${extra:+-$extra}"
# Reinstall only when the dependency list changed; keeps repeated runs fast.
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "依存パッケージを導入しています（初回は数分かかります。記録: .venv/install.log）…" >&2
  # pip's build chatter goes to a log; on failure its tail is shown.
  if ! {
    .venv/bin/python -m pip install --disable-pip-version-check --upgrade pip &&
      .venv/bin/python -m pip install --disable-pip-version-check -e ".${extra:+[$extra]}"
  } >.venv/install.log 2>&1; then
    tail -n 40 .venv/install.log >&2
    echo "エラー: パッケージの導入に失敗しました（.venv/install.log を確認してください）。" >&2
    exit 1
  fi
  touch "$stamp"
fi
