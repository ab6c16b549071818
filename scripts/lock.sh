#!/usr/bin/env bash
# Regenerates the air-gapped install's locks (deploy/airgap/*.lock) from pyproject.toml,
# pinned to the versions installed in .venv, which are the versions the tests ran on.
# Needs the package index and uv (in the `dev` extra). Run it after changing dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."
uv="${UV:-.venv/bin/uv}"
tested="$(mktemp)"
excludes="$(mktemp)"
trap 'rm -f "$tested" "$excludes"' EXIT

# The tested versions as constraints; torch's local label (+cpu) is no PyPI version.
.venv/bin/python -m pip freeze --exclude-editable 2>/dev/null |
  grep -v ' @ ' | grep -iv '^torch==' >"$tested"
# torch is fetched from PyTorch's CPU index by scripts/wheelhouse.sh: its PyPI metadata
# would add the CUDA packages to the lock.
echo torch >"$excludes"

common=(--universal --python-version 3.11 --generate-hashes --no-annotate
  --custom-compile-command "bash scripts/lock.sh" -c "$tested" --quiet)
"$uv" pip compile pyproject.toml "${common[@]}" -o deploy/airgap/requirements.lock
"$uv" pip compile pyproject.toml --extra st --excludes "$excludes" "${common[@]}" \
  -o deploy/airgap/requirements-st.lock
grep -c '==' deploy/airgap/requirements.lock deploy/airgap/requirements-st.lock
