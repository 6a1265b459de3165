// Applies one incoming write to the server store through the merge (merge.h): the single path
// every write takes on the server — device uploads and staff writes alike ("the server is just
// another node"). It validates, authorises, caps future stamps, decides with the pure merge,
// writes the feed row, logs every losing, refused or flagged value, and re-emits the
// authoritative row after a refusal (compensating write).
//
// Runs inside the caller's WriteContext (one transaction per request). Not thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
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
  // The value's validation (ValidateGroupWrite) when it was done before the transaction
  // (SyncServer::PrepareUpload, on the request's own thread); null: the applier does it.
  const Status* validated = nullptr;
  // Likewise its unique key or counter target (RecordKey), for the kinds that have one.
  const std::optional<std::string>* rkey = nullptr;
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
  // Why a write is refused: decided before anything is written.
  struct Refusal {
    Rule rule;
    std::string detail;
    Text why;
  };
  // The checks every write passes, against the record as stored (`rec.exists` false: a create):
  // stream, validation, place, role and scope, the type's guard, server-only groups. Pure: no
  // side effects. Sets `place` to the record's place (a create's from its scope group).
  std::optional<Refusal> Check(const IncomingWrite& in, const EntityTypeSpec& type,
                               const StoredRecord& rec, Place* place) const;
  // The fast path for the common write: the first write of a record id this transaction has not
  // seen, to its scope group. Decided as a create and stored by InsertCell; false (nothing
  // written, nothing logged) when the write would be refused as a create or the id exists, and
  // the full path decides it from the stored record.
  Result<bool> TryCreate(WriteContext& w, const IncomingWrite& in, const EntityTypeSpec& type,
                         const Cell& incoming, ApplyResult* out);
  // Unique-key: after `ch` stored a record under `rkey` (having been under `previous_rkey`),
  // decides which record of the key counts, re-emits rows whose flag changes, logs duplicates.
  // `known`: the key's records as stored, `ch`'s included, when the caller has them already
  // (nullptr: read them).
  using KeyRows = std::vector<std::pair<std::string, StoredCell>>;
  Status CountOnce(WriteContext& w, const Change& ch, const Place& place, const Cell& incoming,
                   const std::string& rkey, const std::optional<std::string>& previous_rkey,
                   ApplyResult* out, const KeyRows* known = nullptr);
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
  // (entity, id) -> record, found by hashing without building strings. It holds the records this
  // transaction read or wrote; a record missing from it is read from the store (so a record
  // that is never written twice in a transaction — a vote, a visit — is not kept at all).
  struct CacheHash {
    using is_transparent = void;
    template <class P>
    size_t operator()(const P& k) const {
      std::hash<std::string_view> h;
      return h(std::string_view(k.first)) * 31 + h(std::string_view(k.second));
    }
  };
  struct CacheEq {
    using is_transparent = void;
    template <class A, class B>
    bool operator()(const A& a, const B& b) const {
      return std::string_view(a.first) == std::string_view(b.first) &&
             std::string_view(a.second) == std::string_view(b.second);
    }
  };
  std::unordered_map<std::pair<std::string, std::string>, StoredRecord, CacheHash, CacheEq> cache_;
};

// Resolves the place of a new record from its scope group's value (DomainContext).
bool PlaceOfNewRecord(const DomainContext& ctx, const EntityTypeSpec& type, const Json& value,
                      Place* out);

}  // namespace shefu::sync
