// One sync of a profile: the engine's SyncSession (upload, anonymous batches, download; retries
// with exponential backoff and jitter; resumable at any point) over HTTP, reported in the
// client's terms. With local_store.cc, the only place client/ touches the sync engine.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "client/http_client.h"
#include "client/local_store.h"

namespace shefu::client {

struct SyncOptions {
  int attempts = 6;  // per exchange, then the sync stops (and resumes next time)
  size_t batch = 200;
  int64_t backoff_base_ms = 500;
};

struct SyncRejection {
  std::string entity, id, group, code, detail;
  Text message;
};

struct SyncReport {
  // "ok", "rejected" (done, some records refused), "failed", "revoked", "reenrol", "upgrade"
  std::string result;
  Status error;
  int64_t uploaded = 0, downloaded = 0, conflicts = 0, flagged = 0, anon_batches = 0;
  std::vector<SyncRejection> rejected;
  std::optional<int64_t> clock_offset_ms;
};

// phase: "upload", "anon", "download", "retry", "done".
using ProgressFn = std::function<void(const char* phase, int64_t done, int64_t total)>;

SyncReport RunSync(LocalStore& store, HttpClient& http, Clock& clock, Rng& rng,
                   const SyncOptions& opt, const ProgressFn& progress);

}  // namespace shefu::client
