// shefu_sync_sim_long: runs the sync simulation for many seeds (not part of CTest).
//
//   shefu_sync_sim_long [--seeds N] [--first S] [--steps K] [--trace]
//
// Defaults: 10000 seeds from 1, 150 steps each. Prints a line per failing seed and a summary;
// exits 1 if any seed failed. Reproduce one with: shefu_sync_sim_long --first S --seeds 1 --trace
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "tests/sync/sim/sim.h"

int main(int argc, char** argv) {
  shefu::sync::sim::SimOptions opt;
  uint64_t first = 1, seeds = 10000;
  for (int i = 1; i < argc; ++i) {
    auto next = [&]() -> const char* { return i + 1 < argc ? argv[++i] : "0"; };
    if (!strcmp(argv[i], "--seeds"))
      seeds = strtoull(next(), nullptr, 10);
    else if (!strcmp(argv[i], "--first"))
      first = strtoull(next(), nullptr, 10);
    else if (!strcmp(argv[i], "--steps"))
      opt.steps = atoi(next());
    else if (!strcmp(argv[i], "--trace"))
      opt.trace = true;
    else {
      fprintf(stderr, "usage: %s [--seeds N] [--first S] [--steps K] [--trace]\n", argv[0]);
      return 2;
    }
  }
  auto start = std::chrono::steady_clock::now();
  uint64_t failed = 0;
  for (uint64_t s = first; s < first + seeds; ++s) {
    opt.seed = s;
    auto r = shefu::sync::sim::RunSimulation(opt);
    if (!r.ok()) {
      ++failed;
      printf("%s\n", r.Summary().c_str());
      fflush(stdout);
    } else if (opt.trace || seeds == 1) {
      printf("%s\n", r.Summary().c_str());
    }
    if ((s - first + 1) % 500 == 0) {
      double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      fprintf(stderr, "... %llu seeds, %llu failed, %.0f s\n",
              static_cast<unsigned long long>(s - first + 1),
              static_cast<unsigned long long>(failed), secs);
    }
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  printf("shefu_sync_sim_long: seeds %llu..%llu, %llu failed, %.1f s\n",
         static_cast<unsigned long long>(first), static_cast<unsigned long long>(first + seeds - 1),
         static_cast<unsigned long long>(failed), secs);
  return failed ? 1 : 0;
}
