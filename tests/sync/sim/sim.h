// A deterministic simulation of one server and 3-8 devices in one process (DESIGN.md "How to test
// it"; Realm's fuzz tester, Chromium's FakeServer). Every device runs the real DeviceStore on its
// own SQLite file, the server runs the real SyncServer, and they talk through LoopbackTransports
// that drop, duplicate, hold back and reorder messages. Between random creates, edits, deletes,
// restores, votes, visits, counter deltas and secret choices, the simulation partitions devices,
// skews their clocks by days, restarts devices and the server (also at crash points: between
// "apply page" and "save cursor", between "merge" and "reply"), restores the server from an old
// backup (new epoch) and devices from old backups (seq_reuse, re-enrolment).
//
// After a final full sync it checks:
//   - every device's replica equals the server's rows in its scope;
//   - every write acknowledged anywhere is live on the server, in its conflict log, or was
//     knowingly superseded by a later write whose author had seen it;
//   - no record is doubled (counters, counted votes, anonymous items);
//   - a naive oracle, fed with what the server applied, agrees with the server's state, its
//     refusals and its clock-skew flags.
// Everything follows from the seed: a failing seed reproduces from its number.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace shefu::sync::sim {

struct SimOptions {
  uint64_t seed = 1;
  int steps = 150;  // random actions before the final sync
  int min_devices = 3;
  int max_devices = 8;
  bool trace = false;  // print every action to stderr
};

struct SimStats {
  int devices = 0, writes = 0, sync_steps = 0, sessions = 0;
  int device_restarts = 0, server_restarts = 0, crashes = 0;
  int server_restores = 0, device_restores = 0, reenrolments = 0;
  int held_delivered = 0, conflicts = 0, refusals = 0, anon_items = 0;
  int acked_checked = 0, superseded = 0, double_failure_skipped = 0;
};

struct SimResult {
  uint64_t seed = 0;
  std::vector<std::string> failures;
  SimStats stats;
  bool ok() const { return failures.empty(); }
  std::string Summary() const;
};

SimResult RunSimulation(const SimOptions& opt);

}  // namespace shefu::sync::sim
