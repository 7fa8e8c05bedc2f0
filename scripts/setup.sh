#!/usr/bin/env bash
# Installs the Debian packages candor's build needs, and only those missing.
# python3-cryptography runs the independent check of the frozen session
# vectors (tests/vectors/verify_session_vectors.py).
# Idempotent: on a machine that already has everything it changes nothing and
# does not touch the network. Used by scripts/test.sh and scripts/demo.sh.
#
#   scripts/setup.sh            # build + test dependencies
#   scripts/setup.sh --fuzz     # also clang-14 and its sanitizer/fuzzer runtime
set -euo pipefail

packages=(
  g++ cmake ninja-build pkg-config git
  libsodium-dev
  libprotobuf-dev protobuf-compiler
  googletest libgtest-dev libgmock-dev
  libbenchmark-dev
  python3 python3-cryptography
  libssl-dev
)
if [[ "${1:-}" == "--fuzz" ]]; then
  packages+=(clang-14 libclang-rt-14-dev)
fi

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "setup: installing missing Debian packages: ${missing[*]}" >&2
as_root=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "setup: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  as_root=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
