#!/usr/bin/env bash
# The main job on embedded defaults: install, index the bundled laws, answer a question.
# No external service, no internet beyond the package registry, no API key.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
# The same data directory every later `yakuba` command uses (YAKUBA_DATA_DIR, or
# ~/.local/share/yakuba), so the README's next commands find this index.
question="${1:-行政手続法で、申請に対する審査基準の公表はどう定められていますか}"

.venv/bin/yakuba ingest samples/
echo
echo "質問: $question"
echo
.venv/bin/yakuba ask "$question"
