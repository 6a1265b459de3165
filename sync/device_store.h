// The device side of sync: the store API every local write goes through, the reads the client
// shows, and the plumbing SyncSession drives.
//
// Writes: Create / Write / Delete / Restore validate (ValidateGroupWrite with the device's
// DomainContext), refuse what can never be right (editing an immutable group, editing a deleted
// record — restore first, rewriting an append-only record), stamp an HLC and append outbox rows —
// all in ONE SQLite transaction (so there is no moment where a write exists without its outbox
// row). The client layer keeps its own tables in the same database file.
//
// Reads: the server-confirmed replica overlaid with the device's own writes the server has not
// confirmed yet (pending, or acknowledged but not yet downloaded). A download therefore never
// overwrites a pending edit, and once the download passes the acknowledgement's checkpoint the
// server's decision shows.
//
// Not thread-safe: one DeviceStore per Db, used from one thread.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/db.h"
#include "shared/entity_types.h"
#include "shared/env.h"
#include "sync/anon_outbox.h"
#include "sync/conflict_log.h"
#include "sync/hlc.h"
#include "sync/outbox.h"
#include "sync/record_view.h"
#include "sync/replica.h"
#include "sync/wire.h"

namespace shefu::sync {

struct DeviceOptions {
  ClockOptions clock;
  // Acknowledged outbox rows and anonymous batches are kept this long (a server restored from a
  // backup up to this old can ask for them again).
  int64_t retention_ms = 90LL * 24 * 3600 * 1000;
  // Test hook: called at named points ("ack:before_commit", "page:before_commit",
  // "write:before_commit"); returning true simulates the process being killed there — the
  // transaction rolls back and the call fails with `crashed`.
  std::function<bool(std::string_view point)> fault;
};

enum class DeviceHealth {
  kOk,
  // The server saw this client's seqs with other content (seq_reuse: restored from an old
  // backup) or asked for rows already pruned (outbox_pruned). Writes still work; sync waits for
  // Reenrol() with a new client id from the client layer.
  kNeedsReenrolment,
};

struct GroupWrite {
  std::string group;
  Json value;
};

class DeviceStore {
 public:
  // Migrates the sync tables on `db` and loads the state. References must outlive the store.
  static Result<std::unique_ptr<DeviceStore>> Open(Db& db, Clock& clock, Rng& rng,
                                                   const DomainContext& ctx,
                                                   DeviceOptions opt = {});

  // ---- Identity ----
  const std::string& client_id() const { return state_.client_id; }
  // First enrolment: rows written before it are assigned to `client_id`. Error: already_enrolled.
  Status SetClientId(std::string_view client_id);
  // A new identity after seq_reuse / outbox_pruned: pending rows are renumbered from 1 under it.
  Status Reenrol(std::string_view new_client_id);
  DeviceHealth health() const { return state_.health; }
  const std::string& health_code() const { return state_.health_code; }

  // ---- Local writes (each one transaction with its outbox rows) ----
  // Creates a record with a new UUIDv7 id. Every group required on creation must be given; the
  // scope group is written first. Append-only, unique-key and counter types take {"record", v}.
  Result<std::string> Create(std::string_view entity, std::vector<GroupWrite> groups);
  Status CreateWithId(std::string_view entity, std::string_view id, std::vector<GroupWrite> groups);
  // Edits one group of an existing editable record.
  Status Write(std::string_view entity, std::string_view id, std::string_view group, Json value);
  Status Delete(std::string_view entity, std::string_view id);   // tombstone; no-op if deleted
  Status Restore(std::string_view entity, std::string_view id);  // no-op if not deleted

  // ---- Anonymous stream ----
  // Adds a secret-ballot choice / anonymous answer to the open batch of `session`.
  Status AnonAdd(std::string_view session, std::string_view entity, Json value);
  // Several items of one session at once, all or none (a survey answer and its contact).
  Status AnonAddAll(std::string_view session, std::vector<std::pair<std::string, Json>> items);
  // Seals the session's batch (shuffled, random id, today's date). Returns its item count.
  Result<int64_t> AnonClose(std::string_view session);

  // ---- Reads ----
  Result<std::optional<RecordView>> Read(std::string_view entity, std::string_view id);
  Result<std::vector<RecordView>> List(std::string_view entity, bool include_deleted = false);
  // Confirmed deltas plus the device's unconfirmed ones.
  Result<int64_t> CounterSum(std::string_view entity, std::string_view target);
  // Conflict-log entries about records in this device's scope (from the feed).
  Result<std::vector<Conflict>> Conflicts(bool open_only = true);
  // The outbox, newest first: what happened to this device's writes (outcome, reason).
  Result<std::vector<OutboxEntry>> OutboxEntries(size_t limit = 1000);
  Result<int64_t> PendingCount();

  // ---- Sync plumbing (used by SyncSession) ----
  // The next upload batch (at most `max` rows from the first unacknowledged seq); nullopt when
  // nothing is pending. Error not_enrolled without a client id.
  Result<std::optional<UploadRequest>> NextUploadBatch(size_t max);
  Status ApplyUploadReply(const UploadReply& reply);
  // expected_seq: rows from `expected_seq` on are sent again. Error outbox_pruned (and health
  // kNeedsReenrolment) when they are no longer retained.
  Status Rewind(int64_t expected_seq);
  // reset_required: every retained row is sent again (the restored store answers those it has
  // from storage and applies the rest), base versions of unacknowledged rows set to 0, replica
  // and cursor dropped, anonymous batches queued again — one transaction. Error outbox_pruned
  // when rows from expected_seq on are no longer retained.
  // `store_restored` false (the scope changed): only the replica and cursor are dropped.
  Status Reset(int64_t expected_seq, bool store_restored = true);
  Status MarkNeedsReenrolment(std::string_view code);
  DownloadRequest NextDownload(int limit) const;
  Status ApplyDownloadPage(const DownloadReply& page);
  Result<std::optional<AnonUploadRequest>> NextAnonBatch();
  Status ApplyAnonReply(const AnonUploadReply& reply);
  // Deletes acknowledged rows and batches older than the retention period.
  Status Prune();

  const std::string& epoch() const { return state_.epoch; }
  const std::string& cursor() const { return state_.cursor; }
  int64_t checkpoint() const { return state_.checkpoint; }
  std::optional<int64_t> last_sync_ms() const { return state_.last_sync_ms; }
  int64_t next_seq() const { return state_.next_seq; }
  HybridClock& clock() { return clock_; }
  Db& db() { return db_; }

 private:
  struct State {
    std::string client_id;
    int64_t next_seq = 1;
    std::string cursor, epoch;
    int64_t checkpoint = 0;
    std::optional<int64_t> last_sync_ms;
    int64_t clock_offset_ms = 0;
    DeviceHealth health = DeviceHealth::kOk;
    std::string health_code;
  };
  DeviceStore(Db& db, Clock& clock, Rng& rng, const DomainContext& ctx, DeviceOptions opt,
              State state, Hlc last);
  static Result<State> LoadState(Db& db);
  Status SaveState(const State& s);
  bool Fault(std::string_view point) { return opt_.fault && opt_.fault(point); }
  Status Crashed();
  Status WriteGroups(std::string_view entity, std::string_view id, std::vector<GroupWrite> groups,
                     bool create);
  Status CommitWith(Tx& tx, const State& next);
  void ReceiveServerStamp(Hlc server_hlc, State* next);

  Db& db_;
  Clock& wall_;
  Rng& rng_;
  const DomainContext& ctx_;
  DeviceOptions opt_;
  State state_;
  HybridClock clock_;
  Outbox outbox_;
  Replica replica_;
  AnonOutbox anon_;
};

}  // namespace shefu::sync
