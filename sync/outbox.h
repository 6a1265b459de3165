// The device outbox (table sync_outbox): every local write, in order, appended in the same
// SQLite transaction as the write itself (DESIGN.md item 2). Sync never scans data tables: it
// uploads the outbox. Rows are keyed (client, seq); seq is monotonic per client id and never
// reused. Acknowledged rows keep their outcome and stay for the retention period, so a server
// restored from a backup can ask for them again.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/db.h"
#include "shared/i18n.h"
#include "sync/hlc.h"
#include "sync/rules.h"

namespace shefu::sync {

struct OutboxEntry {
  std::string client;
  int64_t seq = 0;
  int64_t local_id = 0;  // stable identity on this device, survives renumbering
  std::string entity, id, group, value;
  Hlc hlc;
  int64_t base = 0;
  int64_t created_ms = 0;
  std::optional<int64_t> acked_ms;
  int64_t checkpoint = 0;  // the server's write checkpoint in the acknowledgement
  std::string outcome;     // "" while pending; "applied", "conflict", "refused", "flagged"
  std::string code, detail;
  Text message;
  bool pending() const { return !acked_ms; }
};

class Outbox {
 public:
  explicit Outbox(Db& db) : db_(db) {}

  Status Append(const OutboxEntry& e);
  // Unacknowledged rows of `client` in seq order, at most `limit`.
  Result<std::vector<OutboxEntry>> Pending(std::string_view client, size_t limit);
  Result<int64_t> PendingCount();
  // Marks client's rows up to `acked_seq` acknowledged ("applied") with the write checkpoint.
  Status Ack(std::string_view client, int64_t acked_seq, int64_t now_ms, int64_t checkpoint);
  // Records a reported outcome for one row (a worse outcome never gives way to a milder one).
  Status SetOutcome(std::string_view client, int64_t seq, Outcome outcome, const std::string& code,
                    const std::string& detail, const Text& message);
  // Marks client's rows from `from_seq` on unacknowledged again (the server asks for them).
  Status Unack(std::string_view client, int64_t from_seq);
  // Sets base = 0 on client's unacknowledged rows from `from_seq` on (their versions belong to
  // a lost epoch).
  Status ZeroBases(std::string_view client, int64_t from_seq);
  Status ClearCheckpoints();
  Result<bool> Has(std::string_view client, int64_t seq);
  // Moves client's unacknowledged rows to `to_client`, numbered from 1. Returns how many.
  Result<int64_t> Renumber(std::string_view client, std::string_view to_client);
  // After a server restore: rows still retained under earlier client ids of this device (before a
  // re-enrolment) are queued again under `client`, from `next_seq` on, oldest first, base 0.
  // Returns how many.
  Result<int64_t> Adopt(std::string_view client, int64_t next_seq);
  // Deletes acknowledged rows acknowledged before `before_ms` whose checkpoint the replica has
  // reached.
  Status Prune(int64_t before_ms, int64_t replica_checkpoint);
  // The device's own writes the server has not confirmed to it yet: pending rows, and applied
  // rows whose write checkpoint is beyond the replica's. Oldest first.
  Result<std::vector<OutboxEntry>> Unconfirmed(std::string_view entity, std::string_view id,
                                               int64_t replica_checkpoint);
  // Ids of records of `entity` with unconfirmed rows.
  Result<std::vector<std::string>> UnconfirmedIds(std::string_view entity,
                                                  int64_t replica_checkpoint);
  // All rows, newest first (for the worker's "what happened to my writes" view).
  Result<std::vector<OutboxEntry>> All(size_t limit);

 private:
  Db& db_;
};

}  // namespace shefu::sync
