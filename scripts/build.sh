#!/usr/bin/env bash
# Configures and builds shefu. Usage: scripts/build.sh [plain|asan] (default plain)
#   plain -> build/        RelWithDebInfo, -Werror
#   asan  -> build-asan/   AddressSanitizer + UndefinedBehaviorSanitizer
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${1:-plain}
jobs=${SHEFU_JOBS:-$(nproc)}
case "$kind" in
  plain) dir=build; flags=() ;;
  asan)  dir=build-asan; flags=(-DSHEFU_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug -DSHEFU_BENCH=OFF) ;;
  *) echo "usage: scripts/build.sh [plain|asan]" >&2; exit 2 ;;
esac
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "${flags[@]}" >/dev/null
cmake --build "$dir" -j "$jobs"
