#!/usr/bin/env bash
# Builds the fuzz preset (clang-14, libFuzzer, ASan + UBSan) and runs every
# fuzz target for SECONDS (default 30) on a scratch copy of its seed corpus.
#
#   scripts/fuzz.sh            # the CI smoke run: 30 s per target
#   scripts/fuzz.sh 3600       # an hour per target
#
# New interesting inputs stay in the scratch directory (FUZZ_WORK, default
# /tmp/candor-fuzz); a crash stops the run, leaves its input there and exits
# non-zero: copy it to tests/fuzz_regressions/<target>/ with the fix.
# FUZZER_PREFIX overrides where the fuzzer binaries are (to test this script).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-30}"
work="${FUZZ_WORK:-/tmp/candor-fuzz}"

bash scripts/setup.sh --fuzz
cmake --preset fuzz -DCANDOR_WERROR="${CANDOR_WERROR:-OFF}" >/dev/null
cmake --build --preset fuzz

mkdir -p "$work/artifacts"
for corpus in fuzz/corpus/*/; do
  target=$(basename "$corpus")
  mkdir -p "$work/$target"
  echo "== fuzz $target for ${seconds}s"
  status=0
  "${FUZZER_PREFIX:-build/fuzz/fuzz}/${target}_fuzzer" "$work/$target" "$corpus" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$work/artifacts/$target-" -print_final_stats=1 \
    > "$work/$target.log" 2>&1 || status=$?
  # The summary only; the fuzzer's own exit status decides.
  grep -E '^#[0-9]+.*DONE|stat::number_of_executed_units|ERROR|invariant' "$work/$target.log" || true
  if [[ $status -ne 0 ]]; then
    tail -n 30 "$work/$target.log" >&2
    echo "fuzz: $target failed (exit $status); inputs in $work/artifacts" >&2
    exit 1
  fi
done
