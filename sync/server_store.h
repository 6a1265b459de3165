// The server's sync tables and the statements over them (design A in docs/sync-design.md).
//
//   sync_meta      one row: store epoch (random, new after every restore), last server_seq,
//                  last local (staff) write seq
//   sync_field     the compacted feed: one row per (entity, id, group) holding its current value,
//                  stamp, origin, `version` (server_seq when the value last changed) and `sseq`
//                  (its feed position: fresh on every change or re-emission), the record's place
//                  (immutable, fixed at creation), `rkey` (unique key / counter target) and flags
//   sync_conflict  the conflict log (conflict_log.h)
//   sync_client    per client: last applied seq (client_progress)
//   sync_batch     per applied upload batch: per-seq content hashes and the per-record results,
//                  so a retry is answered from storage and a reused seq is recognised
//   sync_anon_item anonymous items: entity, value, day, place — no device, no order, no time
//   sync_anon_batch SHA-256 of each anonymous batch id seen, with its reply
// All writes happen inside one transaction per request, through a WriteContext.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/db.h"
#include "shared/entity_types.h"
#include "shared/env.h"
#include "sync/merge.h"

namespace shefu::sync {

struct StoreMeta {
  std::string epoch;
  int64_t last_sseq = 0;
  int64_t local_seq = 0;
};

struct StoredCell {
  Cell cell;
  int64_t version = 0;
  int64_t sseq = 0;
  int64_t flags = 0;
  std::optional<std::string> rkey;
};

struct StoredRecord {
  bool exists = false;
  Place place;
  std::map<std::string, StoredCell, std::less<>> groups;
  const StoredCell* Find(std::string_view g) const {
    auto it = groups.find(g);
    return it == groups.end() ? nullptr : &it->second;
  }
};

// One feed row as stored.
struct FeedRecord {
  std::string entity, id, group, value;
  Hlc hlc;
  std::string node;
  int64_t seq = 0, version = 0, flags = 0, sseq = 0;
};

class ServerStore {
 public:
  explicit ServerStore(Db& db) : db_(db) {}
  // Creates or upgrades the tables; a new store gets a random epoch.
  static Status Migrate(Db& db, Rng& rng);
  Db& db() { return db_; }

  Result<StoreMeta> LoadMeta();
  Status SaveMeta(const StoreMeta& m);

  Result<StoredRecord> LoadRecord(std::string_view entity, std::string_view id);
  Status PutCell(std::string_view entity, std::string_view id, std::string_view group,
                 const StoredCell& c, const Place& place);
  // Overwrites a row known to be stored (the applier has read it in this transaction): one
  // lookup by key, where PutCell's upsert makes two (its conflict check, then its update).
  // False when no such row exists — nothing written; the caller falls back to PutCell.
  Result<bool> UpdateCell(std::string_view entity, std::string_view id, std::string_view group,
                          const StoredCell& c);
  // Stores the first row of a new record: false (nothing written) when (entity, id, group) is
  // already stored. Called for a record's scope group, which is always its first row (the
  // applier refuses any other group of an unknown record), so false means the record exists.
  Result<bool> InsertCell(std::string_view entity, std::string_view id, std::string_view group,
                          const StoredCell& c, const Place& place);
  // Moves a row to a new feed position (compensating write, counted flag change).
  Status Reemit(std::string_view entity, std::string_view id, std::string_view group, int64_t sseq,
                int64_t flags);
  // The records of `entity` whose rkey is `key` (unique-key records of one key), with ids.
  Result<std::vector<std::pair<std::string, StoredCell>>> RecordsForKey(std::string_view entity,
                                                                        std::string_view key);

  Result<int64_t> ClientLastSeq(std::string_view client_id);
  Status SetClientProgress(std::string_view client_id, int64_t last_seq, int64_t now_ms,
                           int64_t skew_ms);

  struct Batch {
    int64_t first_seq = 0, last_seq = 0;
    std::string hashes;   // 8 bytes (little endian) per seq
    std::string results;  // JSON array of the batch's per-record results
  };
  Result<std::vector<Batch>> BatchesOverlapping(std::string_view client_id, int64_t from,
                                                int64_t to);
  Status PutBatch(std::string_view client_id, const Batch& b, int64_t now_ms);

  // Feed rows with after < sseq <= upto that `scope` may read (ScopeVisible), in sseq order.
  Result<std::vector<FeedRecord>> ReadFeed(int64_t after, int64_t upto, const Scope& scope,
                                           int limit);

  Result<std::optional<std::string>> AnonBatchReply(std::string_view batch_hash);
  Status PutAnonBatch(std::string_view batch_hash, std::string_view day, std::string_view reply);
  Status PutAnonItem(std::string_view item_id, std::string_view entity, std::string_view value,
                     std::string_view day, const Place& place);

 private:
  Db& db_;
};

// One server write transaction's bookkeeping: the meta row, read at the start and saved at the
// end, hands out server_seqs.
struct WriteContext {
  ServerStore& store;
  StoreMeta meta;
  int64_t now_ms = 0;
  int64_t NextSseq() { return ++meta.last_sseq; }
};

}  // namespace shefu::sync
