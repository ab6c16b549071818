#!/usr/bin/env bash
# Installs Yakuba from a wheelhouse made by scripts/wheelhouse.sh, with no network:
# checks SHA256SUMS, creates a virtual environment and installs the locked, hash-checked
# wheels with `pip --no-index`. In the wheelhouse this script is install.sh.
#
#   bash install.sh [--wheelhouse DIR] [--venv DIR]
#   (defaults: the folder this script is in, /opt/yakuba/.venv)
#
# Needs Python 3.11 or later with venv (Debian: python3 python3-venv).
set -euo pipefail

wheelhouse="$(cd "$(dirname "$0")" && pwd)"
venv="/opt/yakuba/.venv"
while [ $# -gt 0 ]; do
  case "$1" in
    --wheelhouse) wheelhouse="$(cd "$2" && pwd)"; shift 2 ;;
    --venv) venv="$2"; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "エラー: 不明なオプション $1（--help で使い方を表示）" >&2; exit 2 ;;
  esac
done
python="${PYTHON:-python3}"

if ! "$python" -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "エラー: Python 3.11 以上と venv が必要です（Debian: apt-get install python3 python3-venv）。" >&2
  exit 1
fi
if [ ! -f "$wheelhouse/requirements.lock" ]; then
  echo "エラー: $wheelhouse に requirements.lock がありません（scripts/wheelhouse.sh で作成したフォルダを指定してください）。" >&2
  exit 1
fi
if [ -f "$wheelhouse/SHA256SUMS" ]; then
  echo "== 持ち込んだファイルを SHA256SUMS で照合しています…"
  (cd "$wheelhouse" && sha256sum --quiet -c SHA256SUMS) || {
    echo "エラー: ファイルが壊れているか差し替えられています。wheelhouse を作り直して運び直してください。" >&2
    exit 1
  }
fi

echo "== 仮想環境 $venv を作成しています…"
"$python" -m venv "$venv"
pip=("$venv/bin/python" -m pip --disable-pip-version-check --no-input)
offline=(--no-index --find-links "$wheelhouse")

shopt -s nullglob
torch_wheels=("$wheelhouse"/torch-*.whl)
yakuba_wheels=("$wheelhouse"/yakuba-*.whl)
if [ "${#yakuba_wheels[@]}" -ne 1 ]; then
  echo "エラー: $wheelhouse に Yakuba の wheel がちょうど 1 個必要です（${#yakuba_wheels[@]} 個）。" >&2
  exit 1
fi
# PyTorch (only with --with-st) comes from its own index, outside the hash-checked lock.
if [ "${#torch_wheels[@]}" -gt 0 ]; then
  echo "== PyTorch（CPU 版）を導入しています…"
  "${pip[@]}" install --quiet "${offline[@]}" "${torch_wheels[0]}"
fi
echo "== 依存パッケージを導入しています（ネットワークは使いません）…"
"${pip[@]}" install --quiet "${offline[@]}" --require-hashes --no-deps \
  -r "$wheelhouse/requirements.lock"
"${pip[@]}" install --quiet "${offline[@]}" --no-deps "${yakuba_wheels[0]}"
"${pip[@]}" check

echo
echo "完了: $venv/bin/yakuba"
echo "設定は deploy/README.md の「設定」を参照してください（例: /etc/yakuba/yakuba.env）。"
