#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test with CTest.
#   scripts/test.sh          plain build
#   scripts/test.sh asan     the same suite under AddressSanitizer + UBSan
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${1:-plain}
bash scripts/install-deps.sh
bash scripts/build.sh "$kind"
dir=build; [[ "$kind" == asan ]] && dir=build-asan
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
ctest --test-dir "$dir" -j "${SHEFU_JOBS:-$(nproc)}" --output-on-failure --timeout 900
