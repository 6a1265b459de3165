// One device sync, as an explicit state machine (docs/protocol.md §7):
//
//   kStart -> kUpload -> kUploadAnon -> kDownload -> kDone
//
// with kRewind (expected_seq), kReset (reset_required), kBackoff (no reply, 5xx, 429) and the
// final states kDone, kFailed, kNeedsReenrolment, kUpgradeRequired. Step() performs exactly one
// transition; Run() steps to a final state. Every transition that changes local state is one
// SQLite transaction in DeviceStore, so a device killed at any point resumes with a new session.
// Retries back off exponentially with jitter, through an injected Rng and Sleeper.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "shared/env.h"
#include "sync/device_store.h"
#include "sync/transport.h"

namespace shefu::sync {

enum class SessionState {
  kStart,
  kUpload,
  kRewind,
  kReset,
  kUploadAnon,
  kDownload,
  kBackoff,
  kDone,              // final: everything uploaded and downloaded
  kFailed,            // final: retries exhausted or the server rejected a request
  kNeedsReenrolment,  // final: seq_reuse / outbox_pruned — the client layer must re-enrol
  kUpgradeRequired,   // final: protocol_unsupported
};
const char* SessionStateName(SessionState s);
bool IsFinal(SessionState s);

class Sleeper {
 public:
  virtual ~Sleeper() = default;
  virtual void SleepMs(int64_t ms) = 0;
};
class RealSleeper final : public Sleeper {
 public:
  void SleepMs(int64_t ms) override;
};

struct SessionOptions {
  size_t upload_batch = 200;
  int page_limit = 500;
  int max_attempts = 6;  // per exchange, then kFailed (sync again later)
  int64_t backoff_base_ms = 500;
  int64_t backoff_max_ms = 60000;
  int max_transitions = 100000;  // guards against a server that keeps asking the impossible
  VersionPolicy versions;
};

struct Rejection {
  int64_t seq = 0;
  std::string entity, id, group, code, detail;
  Text message;
};

struct SyncSummary {
  SessionState final_state = SessionState::kStart;
  Status error;                     // why kFailed / kNeedsReenrolment / kUpgradeRequired
  int64_t uploaded = 0;             // outbox rows acknowledged in this session
  int64_t downloaded = 0;           // feed rows applied
  int64_t conflicts = 0;            // own writes that lost or were kept aside (in the conflict log)
  int64_t flagged = 0;              // own writes applied but flagged (clock skew)
  std::vector<Rejection> rejected;  // own writes refused, with the reason
  int64_t anon_batches = 0;
  int transitions = 0;
  int resets = 0;
};

struct Progress {
  SessionState from, to;
  const SyncSummary& summary;
};

class SyncSession {
 public:
  SyncSession(DeviceStore& store, Transport& transport, Rng& rng, Sleeper& sleeper,
              SessionOptions opt = {})
      : store_(store), transport_(transport), rng_(rng), sleeper_(sleeper), opt_(opt) {}

  void set_progress(std::function<void(const Progress&)> cb) { progress_ = std::move(cb); }
  // One transition. Returns false once the session is in a final state.
  bool Step();
  SyncSummary Run();
  SessionState state() const { return state_; }
  const SyncSummary& summary() const { return summary_; }

 private:
  // What to do with an exchange's outcome.
  enum class Exchange { kOk, kRetry, kError };
  Exchange Post(std::string_view route, const Json& body, Response* out);
  SessionState OnError(const Response& resp);
  SessionState DoUpload();
  SessionState DoUploadAnon();
  SessionState DoDownload();
  SessionState Fail(Status st);
  void Move(SessionState to);

  DeviceStore& store_;
  Transport& transport_;
  Rng& rng_;
  Sleeper& sleeper_;
  SessionOptions opt_;
  std::function<void(const Progress&)> progress_;
  SessionState state_ = SessionState::kStart;
  SessionState resume_ = SessionState::kUpload;  // where kBackoff returns to
  int attempts_ = 0;
  int64_t target_seq_ = 0;      // for kRewind / kReset
  bool store_restored_ = true;  // for kReset: a new epoch (true) or a new scope
  SyncSummary summary_;
};

}  // namespace shefu::sync
