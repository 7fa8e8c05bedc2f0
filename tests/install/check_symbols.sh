#!/usr/bin/env bash
# The shared library exports exactly the committed C ABI (capi/abi/symbols.txt).
#   check_symbols.sh LIBRARY SYMBOL_LIST
set -euo pipefail
actual=$(nm -D --defined-only "$1" | awk '{print $3}' | sed 's/@.*//' | grep -v '^CANDOR_1$' | sort)
if ! diff -u "$2" <(echo "$actual"); then
  echo "exported symbols differ from $2 (update it only with a deliberate ABI change)" >&2
  exit 1
fi
echo "ABI: $(echo "$actual" | wc -l) symbols, all candor_*"
