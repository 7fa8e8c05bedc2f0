#!/usr/bin/env bash
# Builds the Release preset and runs candor's benchmarks (docs/performance.md).
#
#   scripts/bench.sh            # candor and its in-binary floors
#   scripts/bench.sh --peers    # also libsignal-protocol-c and Olm, back to back
#
# --peers builds ../shared/peers out of tree (it is read-only) in
# ${PEERS_BUILD:-/tmp/candor-peers-build}, installing the peer libraries'
# Debian packages if missing. They are only ever linked into the peers'
# own benchmark binaries, never into candor.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${CANDOR_BENCH_OUT:-build/bench-results}"
mkdir -p "$out"
# Repetitions of different benchmarks are interleaved at random, so a slow
# stretch of the machine (fsync latency, a busy neighbour) does not land on
# one side of a ratio only.
reps=(--benchmark_repetitions=5 --benchmark_report_aggregates_only=true --benchmark_min_time=0.5
      --benchmark_enable_random_interleaving=true)

bash scripts/setup.sh
cmake --preset release -DCANDOR_BUILD_TESTS=OFF >/dev/null
cmake --build --preset release --target candor_bench

if [[ "${1:-}" == "--peers" ]]; then
  peers_src="$(pwd)/../shared/peers"
  peers_build="${PEERS_BUILD:-/tmp/candor-peers-build}"
  need=()
  for p in libolm-dev libsignal-protocol-c-dev libssl-dev; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
  done
  if [[ ${#need[@]} -gt 0 ]]; then
    sudo_cmd=(); [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${need[@]}" >/dev/null
  fi
  cmake -S "$peers_src" -B "$peers_build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$peers_build" --target bench_signal bench_olm
  "$peers_build/bench_signal" --benchmark_filter='signal/(one_way_msg|ping_pong_msg|group_one_way_msg)$' "${reps[@]}" \
    --benchmark_out="$out/signal.json" --benchmark_out_format=json
  "$peers_build/bench_olm" --benchmark_filter='olm/(one_way_msg|ping_pong_msg|group_one_way_msg)$' "${reps[@]}" \
    --benchmark_out="$out/olm.json" --benchmark_out_format=json || true
fi

build/release/bench/candor_bench "${reps[@]}" \
  --benchmark_out="$out/candor.json" --benchmark_out_format=json
python3 bench/ratios.py "$out"
