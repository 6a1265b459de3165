// The server side of sync: what shefu-server calls. Transport-agnostic: the HTTP layer
// authenticates the request, turns the caller into a Principal, parses the body and calls
// Handle(route, principal, body); it sends back Reply::body with Reply::http_status.
//
// Besides the three protocol handlers (docs/protocol.md) it offers the staff side of the engine:
// local writes (the server is just another node writing through the same merge), the conflict
// log and its resolution (an ordinary write), record queries, and a new epoch after a restore.
//
// One SyncServer owns one Db connection and is NOT thread-safe: the server layer serialises calls
// (SQLite has one writer anyway). Every request is one SQLite transaction; the reply is built
// only after it commits.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "shared/db.h"
#include "shared/entity_types.h"
#include "shared/env.h"
#include "shared/wal_sync.h"
#include "sync/applier.h"
#include "sync/authorizer.h"
#include "sync/conflict_log.h"
#include "sync/hlc.h"
#include "sync/record_view.h"
#include "sync/server_store.h"
#include "sync/upload_decoder.h"
#include "sync/wire.h"

namespace shefu::sync {

struct ServerOptions {
  ClockOptions clock;              // max_future_ms: stamps further ahead are capped (5 min)
  std::string node_id = "server";  // origin of staff writes; client ids must differ from it
  VersionPolicy versions;          // N; N and N-1 accepted
  // SQLite page cache for this connection (PRAGMA cache_size), in MiB; 0 leaves it alone. The
  // default 2 MiB makes every merge re-read B-tree pages from the OS once the store grows.
  int cache_mib = 64;
  // WAL pages before an automatic checkpoint (PRAGMA wal_autocheckpoint); 0 leaves it alone.
  // Larger than SQLite's 1000 so a burst of uploads checkpoints a hot page once, not per batch.
  // The server moves these checkpoints off the writer (shared/wal_checkpointer.h, started by
  // server/sync_service.cc after Open) at the same threshold.
  int wal_autocheckpoint_pages = 10000;
  // Durability after the writer (shared/wal_sync.h), shared by the store's connections; null:
  // every COMMIT flushes the WAL itself (synchronous=FULL). When set, ApplyUploads commits
  // without flushing and its replies are acknowledgements only once MakeDurable() returns ok
  // (the UploadQueue and HandleUpload* call it); downloads flush before serving newer rows.
  WalSync* wal_sync = nullptr;
  // Test hook: called at named points of a request ("upload:before_commit",
  // "anon:before_commit", "local:before_commit"); returning true simulates a crash there — the
  // transaction rolls back and the request answers `internal`.
  std::function<bool(std::string_view point)> fault;
  // What a writing request changed, handed to before_commit.
  struct CommitInfo {
    std::string_view what;  // "upload", "anon", "local", "resolve"
    const Principal* principal = nullptr;
    // (entity, record id) of every record written, in order, without repeats; empty for
    // anonymous batches, which are audited only as counts.
    std::vector<std::pair<std::string, std::string>> records;
    int64_t applied = 0, refused = 0, conflicts = 0;
    int64_t first_seq = 0, last_seq = 0;  // upload
    int64_t conflict_id = 0;              // resolve
  };
  // Called inside every writing transaction just before it commits, with the same connection:
  // the server writes its audit entry here, so the entry commits exactly with the change it
  // records (or not at all). A failure rolls the whole transaction back.
  std::function<Status(Db& db, const CommitInfo& info)> before_commit;
};

struct Reply {
  int http_status = 200;
  Json body;
  bool ok() const { return http_status == 200; }
};

class SyncServer {
 public:
  // Migrates the sync tables on `db` and loads the clock. `auth` defaults to DefaultAuthorizer.
  // All references must outlive the SyncServer.
  static Result<std::unique_ptr<SyncServer>> Open(Db& db, Clock& clock, Rng& rng,
                                                  const DomainContext& ctx,
                                                  const Authorizer* auth = nullptr,
                                                  ServerOptions opt = {});

  // ---- Protocol (docs/protocol.md) ----
  // Dispatches on route (kRouteUpload, kRouteDownload, kRouteAnon); unknown route: bad_request.
  Reply Handle(std::string_view route, const Principal& p, Json request);
  Reply HandleUpload(const Principal& p, Json request);
  // The same from the request's bytes (upload_decoder.h: one pass, no document of the whole body).
  Reply HandleUploadBody(const Principal& p, std::string_view body);
  // Group commit: several decoded uploads (of any clients) applied in ONE transaction — one disk
  // flush for the group instead of one per upload (upload_queue.h). Every reply is set only
  // after that commit (an acknowledged upload is durable). An upload refused before it writes
  // (expected_seq, seq_reuse, ...) is answered and left out; one that fails after writing makes
  // the group roll back and each upload be applied alone, so it fails alone.
  struct UploadJob {
    const Principal* principal = nullptr;
    DecodedUpload decoded;
    Reply reply;  // out
  };
  void ApplyUploads(std::span<UploadJob> jobs);
  // Returns once every upload this writer has committed is durable (ok at once without a
  // wal_sync). Thread-safe: the upload queue calls it after handing the writer on.
  Status MakeDurable();
  // The part of applying an upload that reads nothing stored: each change's content hash and
  // its value's validation. Const and thread-safe (the domain context is read-only), so the
  // server runs it on the request's thread, outside the writer's lock. ApplyUploads prepares
  // an upload that was not.
  void PrepareUpload(DecodedUpload* d) const;
  // The protocol's error reply for `st` (a storage error becomes a retryable internal/busy).
  // Reads only the options: callable from any thread.
  Reply ErrorReplyFor(const Status& st, std::optional<int64_t> expected_seq = std::nullopt,
                      std::string reason = {}) const;
  Reply HandleDownload(const Principal& p, Json request);
  Reply HandleAnonUpload(const Principal& p, Json request);

  // ---- Staff writes ----
  struct LocalChange {
    std::string entity, id, group;
    Json value;
    // The version the writer saw; nullopt: the current one (the writer acts on what is there now).
    std::optional<int64_t> base;
  };
  struct LocalWriteResult {
    std::vector<int64_t> seqs;  // the server node's seq of each change
    std::vector<int64_t>
        versions;  // the group's version after each change (0: did not become current)
    std::vector<RecordResult> results;  // conflicts (a refusal fails the whole write instead)
  };
  // Applies `changes` atomically through the merge as the server node. Checked like a device
  // write (validation, scope — role checks belong to the staff API), except that a refusal fails
  // the whole call with the reason and stores nothing. Editing a deleted record: record_deleted.
  Result<LocalWriteResult> LocalWrite(const Principal& p, std::vector<LocalChange> changes);
  // Creates a record (UUIDv7 id) from its groups; the scope group is written first.
  Result<std::string> CreateRecord(const Principal& p, std::string_view entity,
                                   std::vector<std::pair<std::string, Json>> groups);

  // ---- Conflict log ----
  Result<std::vector<Conflict>> ListConflicts(const ConflictQuery& q);
  Result<std::optional<Conflict>> GetConflict(int64_t id);
  enum class ResolutionKind {
    kAccept,      // the standing value is right: status accepted, nothing written
    kTakeLoser,   // write the losing value (and restore the record for edit_vs_delete)
    kEnterValue,  // write a value the reviewer entered
  };
  struct Resolution {
    ResolutionKind kind = ResolutionKind::kAccept;
    Json value;  // kEnterValue only
  };
  // Resolving is an ordinary new write by `who` (recorded with the time and the write's
  // server_seq). Overriding needs an editable entity whose record exists. Errors:
  // conflict_not_found, conflict_closed, not_overridable, and any refusal of the write.
  Status Resolve(const Principal& who, int64_t conflict_id, const Resolution& r);

  // ---- Queries ----
  Result<std::optional<RecordView>> ReadRecord(std::string_view entity, std::string_view id);
  struct RecordQuery {
    std::string entity;
    std::optional<Scope> scope;  // only records the scope can see; nullopt = all
    bool include_deleted = false;
    std::string after_id;  // paging: ids sort as strings
    int limit = 100;
  };
  Result<std::vector<RecordView>> ListRecords(const RecordQuery& q);
  // Sum of the deltas of counter `entity` on `target` (e.g. need_support on a need id).
  Result<int64_t> CounterSum(std::string_view entity, std::string_view target);
  // The unique-key records that count (one per key) whose value has field = value
  // (e.g. the counted votes of ballot "b-17").
  Result<std::vector<RecordView>> CountedRecords(std::string_view entity, std::string_view field,
                                                 std::string_view value);
  // Values of anonymous items of `entity` whose field = value (e.g. secret choices of a ballot).
  Result<std::vector<Json>> AnonymousItems(std::string_view entity, std::string_view field,
                                           std::string_view value);

  // ---- Maintenance ----
  // Gives the store a new random epoch. Call right after restoring the database from a backup:
  // every device then resends what the restored store lacks and re-bootstraps (protocol.md §6).
  Result<std::string> SetNewEpoch();
  Result<std::string> Epoch();
  // The next seq the server expects from `client_id` (1 for an unknown client).
  Result<int64_t> ExpectedSeq(std::string_view client_id);
  HybridClock& clock() { return clock_; }
  const ServerOptions& options() const { return opt_; }

 private:
  SyncServer(Db& db, Clock& wall, Rng& rng, const DomainContext& ctx, const Authorizer* auth,
             ServerOptions opt, Hlc last);
  bool Fault(std::string_view point) { return opt_.fault && opt_.fault(point); }
  Status BeforeCommit(const ServerOptions::CommitInfo& info) {
    return opt_.before_commit ? opt_.before_commit(db_, info) : Status::Ok();
  }
  Reply ApplyUpload(const Principal& p, DecodedUpload decoded);
  Result<UploadReply> ApplyOneUpload(WriteContext& w, UploadJob& job, bool* wrote);
  Result<LocalWriteResult> LocalWriteInTx(WriteContext& w, const Principal& p,
                                          std::vector<LocalChange>& changes);
  Result<RecordView> ToView(std::string_view entity, std::string_view id, const StoredRecord& r);

  Db& db_;
  Clock& wall_;
  Rng& rng_;
  const DomainContext& ctx_;
  DefaultAuthorizer default_auth_;
  const Authorizer& auth_;
  ServerOptions opt_;
  HybridClock clock_;
  ServerStore store_;
  // The feed position (server_seq) of the last upload commit; only grows (written by the
  // writer, read by MakeDurable on any thread).
  std::atomic<int64_t> committed_mark_{0};
  ConflictLog log_;
  Applier applier_;
};

}  // namespace shefu::sync
