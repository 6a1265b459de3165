// Applies one incoming write to the server store through the merge (merge.h): the single path
// every write takes on the server — device uploads and staff writes alike ("the server is just
// another node"). It validates, authorises, caps future stamps, decides with the pure merge,
// writes the feed row, logs every losing, refused or flagged value, and re-emits the
// authoritative row after a refusal (compensating write).
//
// Runs inside the caller's WriteContext (one transaction per request). Not thread-safe.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "shared/entity_types.h"
#include "sync/authorizer.h"
#include "sync/conflict_log.h"
#include "sync/hlc.h"
#include "sync/server_store.h"
#include "sync/wire.h"

namespace shefu::sync {

// One write as the applier sees it.
struct IncomingWrite {
  const Change& change;   // entity, id, group, value (+ canonical text), hlc, base, seq
  std::string_view node;  // origin: the uploading client id, or the server's node id
  const Principal& principal;
  bool from_device = true;  // device writes need a device_writers role; staff writes only scope
};

struct ApplyResult {
  bool applied = false;               // the write is stored (as current value or as a logged loser)
  bool refused = false;               // refused; logged; nothing applied
  int64_t version = 0;                // the group's version after the write, when it became current
  std::vector<RecordResult> results;  // what the writer is told (only non-ok outcomes)
  int64_t ahead_ms = 0;               // how far the stamp was ahead of the server's physical time
};

class Applier {
 public:
  Applier(ServerStore& store, ConflictLog& log, HybridClock& clock, const DomainContext& ctx,
          const Authorizer& auth)
      : store_(store), log_(log), clock_(clock), ctx_(ctx), auth_(auth) {}

  // Forget cached records: call at the start of every transaction.
  void Begin() { cache_.clear(); }
  Result<ApplyResult> Apply(WriteContext& w, const IncomingWrite& in);

 private:
  Result<StoredRecord*> Load(std::string_view entity, std::string_view id);
  Status Put(std::string_view entity, std::string_view id, std::string_view group, StoredCell c,
             StoredRecord* rec);
  Status Refuse(WriteContext& w, const IncomingWrite& in, StoredRecord* rec, Rule rule,
                std::string detail, Text why, ApplyResult* out);
  // Logs `loser` (and the `winner` that stands, if any) about record (entity, id) at `place`.
  Status Log(WriteContext& w, std::string_view entity, std::string_view id, std::string_view group,
             const Place& place, Rule rule, const Cell* winner, const Cell& loser,
             std::string detail = {}, Text why = {});
  Status ApplyEditable(WriteContext& w, const IncomingWrite& in, const EntityTypeSpec& type,
                       StoredRecord* rec, const Place& place, const Cell& incoming,
                       ApplyResult* out);
  Status ApplyAppendLike(WriteContext& w, const IncomingWrite& in, const EntityTypeSpec& type,
                         StoredRecord* rec, const Place& place, const Cell& incoming,
                         ApplyResult* out);
  // Unique-key: re-decides which record counts for `key`, re-emitting rows whose flag changes.
  // Returns the id of the counting record.
  Result<std::string> Recount(WriteContext& w, std::string_view entity, const std::string& key);

  ServerStore& store_;
  ConflictLog& log_;
  HybridClock& clock_;
  const DomainContext& ctx_;
  const Authorizer& auth_;
  std::map<std::pair<std::string, std::string>, StoredRecord, std::less<>> cache_;
};

// Resolves the place of a new record from its scope group's value (DomainContext).
bool PlaceOfNewRecord(const DomainContext& ctx, const EntityTypeSpec& type, const Json& value,
                      Place* out);

}  // namespace shefu::sync
