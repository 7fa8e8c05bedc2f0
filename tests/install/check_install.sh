#!/usr/bin/env bash
# Installs the build into a temporary prefix, then builds examples/ against
# it both ways — find_package(candor CONFIG) and pkg-config — and runs them.
#   check_install.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build="$1"
src="$2"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cmake --install "$build" --prefix "$work/prefix" >/dev/null
libdir=$(find "$work/prefix" -name 'libcandor.so' -printf '%h\n' | head -n1)
test -f "$work/prefix/include/candor/candor.h"
test -f "$libdir/pkgconfig/candor.pc"

# 1. CMake package.
cmake -S "$src/examples" -B "$work/cmake-build" -G Ninja -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/cmake-build" >/dev/null
mkdir -p "$work/run-c" "$work/run-cpp"
LD_LIBRARY_PATH="$libdir" "$work/cmake-build/two_party_c" "$work/run-c"
LD_LIBRARY_PATH="$libdir" "$work/cmake-build/two_party_cpp" "$work/run-cpp"

# 2. pkg-config.
export PKG_CONFIG_PATH="$libdir/pkgconfig"
cc -std=c11 -Wall -Werror "$src/examples/two_party.c" $(pkg-config --cflags --libs candor) -o "$work/c-pc"
c++ -std=c++17 -Wall -Werror "$src/examples/two_party.cpp" $(pkg-config --cflags --libs candor) -o "$work/cpp-pc"
mkdir -p "$work/run-c2" "$work/run-cpp2"
LD_LIBRARY_PATH="$libdir" "$work/c-pc" "$work/run-c2" >/dev/null
LD_LIBRARY_PATH="$libdir" "$work/cpp-pc" "$work/run-cpp2" >/dev/null
echo "install check: CMake package and pkg-config builds of both examples ran"
