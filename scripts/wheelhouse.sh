#!/usr/bin/env bash
# Builds the wheelhouse for an air-gapped (LGWAN) install, on a machine that reaches the
# package index: every locked dependency as a hash-checked wheel, Yakuba's own wheel, the
# lock, the installer and SHA256SUMS. Carry the folder (or its tar) to the closed network
# and run its install.sh there (deploy/README.md, "Air-gapped install").
#
#   bash scripts/wheelhouse.sh [--out DIR] [--with-st]
#                              [--python-version 3.11 --platform manylinux_2_28_x86_64]
#
# --with-st adds sentence-transformers (local embedding or reranker models) and the CPU
# build of PyTorch from TORCH_INDEX_URL (default: PyTorch's CPU wheel index; set it empty
# to use pip's configured index). --python-version/--platform fetch wheels for a server
# whose Python or architecture differs from this machine's (both are needed together).
set -euo pipefail
cd "$(dirname "$0")/.."

out="dist/wheelhouse"
with_st=0
target=()
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --with-st) with_st=1; shift ;;
    --python-version) target+=(--python-version "$2"); shift 2 ;;
    --platform) target+=(--platform "$2"); shift 2 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "エラー: 不明なオプション $1（--help で使い方を表示）" >&2; exit 2 ;;
  esac
done
torch_version="2.13.0"
torch_index="${TORCH_INDEX_URL-https://download.pytorch.org/whl/cpu}"
python="${PYTHON:-python3}"
if [ -x .venv/bin/python ] && [ -z "${PYTHON:-}" ]; then python=.venv/bin/python; fi

lock="deploy/airgap/requirements.lock"
[ "$with_st" = 1 ] && lock="deploy/airgap/requirements-st.lock"

if [ -e "$out" ] && [ -n "$(ls -A "$out")" ]; then
  echo "エラー: $out は空ではありません。削除するか --out で別のフォルダを指定してください。" >&2
  exit 1
fi
mkdir -p "$out"
pip=("$python" -m pip --disable-pip-version-check)

echo "== 依存パッケージ（$(grep -c '==' "$lock") 件、ハッシュ照合）を $out に取得しています…"
# --no-deps: the lock is complete; wheels only, so nothing is compiled on either side.
"${pip[@]}" download --quiet --no-deps --only-binary=:all: --require-hashes \
  "${target[@]}" -r "$lock" -d "$out"

if [ "$with_st" = 1 ]; then
  echo "== PyTorch $torch_version（CPU 版）を取得しています…"
  index=()
  [ -n "$torch_index" ] && index=(--index-url "$torch_index")
  "${pip[@]}" download --quiet --only-binary=:all: "${index[@]}" "${target[@]}" \
    "torch==$torch_version" -d "$out"
fi

echo "== Yakuba 本体の wheel を作成しています…"
# The build backend's chatter goes to a log; on failure its tail is shown.
log="$(mktemp)"
if ! "${pip[@]}" wheel --no-deps -w "$out" . >"$log" 2>&1; then
  tail -n 30 "$log" >&2
  echo "エラー: Yakuba の wheel を作成できませんでした。" >&2
  exit 1
fi
rm -f "$log"

cp "$lock" "$out/requirements.lock"
cp scripts/airgap-install.sh "$out/install.sh"
(cd "$out" && sha256sum -- *.whl requirements.lock install.sh >SHA256SUMS)
echo
echo "完了: $out（$(ls "$out"/*.whl | wc -l) 個の wheel、$(du -sh "$out" | cut -f1)）"
echo "閉域網のサーバーへ運び、そこで: bash $out/install.sh --venv /opt/yakuba/.venv"
