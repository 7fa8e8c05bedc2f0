#!/usr/bin/env bash
# The README's test command: installs what is missing, configures, builds and
# runs every test through ctest.
#
#   scripts/test.sh               # preset "dev" (g++ 12, RelWithDebInfo)
#   scripts/test.sh asan-ubsan    # the same tests under AddressSanitizer + UBSan
#
# CANDOR_WERROR=ON turns warnings into errors (CI sets it).
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-dev}"

bash scripts/setup.sh
cmake --preset "$preset" -DCANDOR_WERROR="${CANDOR_WERROR:-OFF}" >/dev/null
cmake --build --preset "$preset"
ctest --preset "$preset"

# How many Wycheproof cases ran, per vector file (ctest hides passing output).
ctest --preset "$preset" -R '^Wycheproof\.' --verbose 2>/dev/null | grep -o '\[wycheproof\].*' || true
