#!/usr/bin/env bash
# Builds the benchmarks (RelWithDebInfo = -O2, as shipped; build-bench/) and runs them. They print
# figures beside a raw SQLite ceiling measured in the same run; nothing is asserted.
#   scripts/bench.sh                 100,000 changes from 20 devices in batches of 1000
#   scripts/bench.sh --changes 20000 --batch 200
#   scripts/bench.sh --group-only    the devices-at-once merge alone, three times (for profilers)
#   scripts/bench.sh --ceiling-only  the raw SQLite ceiling alone, three times (for profilers)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSHEFU_BENCH=ON -DSHEFU_TESTS=OFF >/dev/null
cmake --build build-bench -j "${SHEFU_JOBS:-$(nproc)}" --target sync_bench
./build-bench/bench/sync_bench "$@"
