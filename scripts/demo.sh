#!/usr/bin/env bash
# The README's main-job command: installs what is missing, builds the candor
# command (preset "dev") and runs `candor demo`. Extra arguments go to the
# demo, e.g. `scripts/demo.sh --keep /tmp/candor-demo` or `--json`.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
cmake --preset dev -DCANDOR_WERROR="${CANDOR_WERROR:-OFF}" >/dev/null
cmake --build --preset dev --target candor >/dev/null
exec build/dev/cli/candor demo "$@"
