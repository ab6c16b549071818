#!/usr/bin/env bash
# Installs the test tools and runs every check: lint, format, types, tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh dev

echo "== ruff (lint, format)"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "== mypy (strict)"
.venv/bin/mypy
echo "== pytest"
# pytest exits 5 when it collects no test; set -e turns that into a failure, as it should.
.venv/bin/pytest -q "$@"
