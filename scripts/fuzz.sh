#!/usr/bin/env bash
# Builds the libFuzzer targets with clang 14 in build-fuzz/ (ASan + UBSan) and runs each for a
# bounded time. Fails if any target crashes; the crashing input is saved in
# tests/fuzz/crashes/<target>/ (commit it: the suite replays it forever after).
#   scripts/fuzz.sh            60 s per target
#   FUZZ_SECONDS=600 scripts/fuzz.sh
#   FUZZ_MERGE_CORPUS=1 scripts/fuzz.sh   also keep the new interesting inputs in the corpus
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --fuzz
seconds=${FUZZ_SECONDS:-60}
jobs=${SHEFU_JOBS:-$(nproc)}
targets=(fuzz_wire_decode fuzz_merge)
cmake -S . -B build-fuzz -DSHEFU_FUZZ=ON -DSHEFU_BENCH=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" -DCMAKE_UNITY_BUILD=ON -DCMAKE_UNITY_BUILD_BATCH_SIZE=8 \
  -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 >/dev/null
cmake --build build-fuzz -j "$jobs" --target "${targets[@]}"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
status=0
for t in "${targets[@]}"; do
  work=$(mktemp -d)
  cp -r "tests/fuzz/corpus/$t/." "$work/"
  mkdir -p "tests/fuzz/crashes/$t"
  echo "== $t: ${seconds} s =="
  if ! "build-fuzz/tests/fuzz/$t" "$work" -max_total_time="$seconds" -timeout=10 \
       -rss_limit_mb=2048 -max_len=8192 -print_final_stats=1 \
       -artifact_prefix="tests/fuzz/crashes/$t/" 2>"build-fuzz/$t.log"; then
    echo "$t FAILED — see build-fuzz/$t.log; input saved in tests/fuzz/crashes/$t/" >&2
    tail -40 "build-fuzz/$t.log" >&2
    status=1
  else
    grep -E "stat::number_of_executed_units|cov:" "build-fuzz/$t.log" | tail -2
  fi
  if [[ "${FUZZ_MERGE_CORPUS:-0}" == 1 ]]; then
    "build-fuzz/tests/fuzz/$t" -merge=1 "tests/fuzz/corpus/$t" "$work" 2>/dev/null
  fi
  rm -rf "$work"
done
exit $status
