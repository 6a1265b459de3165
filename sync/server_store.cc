#include "sync/server_store.h"

namespace shefu::sync {
namespace {

const Migration kServerSchema[] = {
    {1,
     "CREATE TABLE sync_meta("
     " id INTEGER PRIMARY KEY CHECK (id = 1),"
     " epoch TEXT NOT NULL,"
     " last_sseq INTEGER NOT NULL,"
     " local_seq INTEGER NOT NULL);"
     "CREATE TABLE sync_field("
     " entity TEXT NOT NULL, id TEXT NOT NULL, grp TEXT NOT NULL,"
     " value TEXT NOT NULL, hlc INTEGER NOT NULL, node TEXT NOT NULL, seq INTEGER NOT NULL,"
     " version INTEGER NOT NULL, sseq INTEGER NOT NULL,"
     " district TEXT NOT NULL, town TEXT NOT NULL, community TEXT NOT NULL,"
     " rkey TEXT, flags INTEGER NOT NULL DEFAULT 0,"
     " PRIMARY KEY (entity, id, grp)) WITHOUT ROWID;"
     "CREATE UNIQUE INDEX sync_field_sseq ON sync_field(sseq);"
     "CREATE INDEX sync_field_rkey ON sync_field(entity, rkey) WHERE rkey IS NOT NULL;"
     "CREATE TABLE sync_conflict("
     " id INTEGER PRIMARY KEY,"
     " entity TEXT NOT NULL, record_id TEXT NOT NULL, grp TEXT NOT NULL,"
     " rule TEXT NOT NULL, detail TEXT NOT NULL, message_zh TEXT NOT NULL, message_en TEXT NOT "
     "NULL,"
     " winner_value TEXT, winner_hlc INTEGER, winner_node TEXT, winner_seq INTEGER,"
     " loser_value TEXT NOT NULL, loser_hlc INTEGER NOT NULL, loser_node TEXT NOT NULL,"
     " loser_seq INTEGER NOT NULL,"
     " detected_ms INTEGER NOT NULL, status TEXT NOT NULL DEFAULT 'open',"
     " resolver TEXT NOT NULL DEFAULT '', resolved_ms INTEGER, resolution TEXT NOT NULL DEFAULT '',"
     " resolution_sseq INTEGER,"
     " district TEXT NOT NULL, town TEXT NOT NULL, community TEXT NOT NULL);"
     "CREATE INDEX sync_conflict_record ON sync_conflict(entity, record_id);"
     "CREATE INDEX sync_conflict_loser ON sync_conflict(loser_node, loser_seq);"
     "CREATE INDEX sync_conflict_status ON sync_conflict(status, id);"
     "CREATE TABLE sync_client("
     " client_id TEXT PRIMARY KEY,"
     " last_seq INTEGER NOT NULL,"
     " first_seen_ms INTEGER NOT NULL, last_seen_ms INTEGER NOT NULL,"
     " last_skew_ms INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;"
     "CREATE TABLE sync_batch("
     " client_id TEXT NOT NULL, first_seq INTEGER NOT NULL, last_seq INTEGER NOT NULL,"
     " hashes BLOB NOT NULL, results TEXT NOT NULL, received_ms INTEGER NOT NULL,"
     " PRIMARY KEY (client_id, first_seq)) WITHOUT ROWID;"
     // Random ids and no rowid: the table's order says nothing about arrival.
     "CREATE TABLE sync_anon_item("
     " id TEXT PRIMARY KEY, entity TEXT NOT NULL, value TEXT NOT NULL, day TEXT NOT NULL,"
     " district TEXT NOT NULL, town TEXT NOT NULL, community TEXT NOT NULL) WITHOUT ROWID;"
     "CREATE TABLE sync_anon_batch("
     " batch_hash TEXT PRIMARY KEY, day TEXT NOT NULL, reply TEXT NOT NULL) WITHOUT ROWID;"},
    // The conflict log is read by id only: ConflictLog::Get, and ConflictLog::List, which walks
    // ids upwards and tests its optional filters on each row (a planner cannot use an index
    // for "?2 = '' OR status = ?2"). These three indexes were never used by a query, and each
    // cost a B-tree insert per logged conflict — on the upload path, where a busy meeting logs
    // hundreds of duplicate votes (bench/sync_bench).
    {2,
     "DROP INDEX IF EXISTS sync_conflict_record;"
     "DROP INDEX IF EXISTS sync_conflict_loser;"
     "DROP INDEX IF EXISTS sync_conflict_status;"},
};

}  // namespace

Status ServerStore::Migrate(Db& db, Rng& rng) {
  SHEFU_RETURN_IF_ERROR(shefu::Migrate(db, "sync_server", kServerSchema));
  Tx tx(db);
  SHEFU_RETURN_IF_ERROR(tx.status());
  auto st = db.Cached(
      "INSERT INTO sync_meta(id, epoch, last_sseq, local_seq) VALUES(1, ?1, 0, 0) "
      "ON CONFLICT(id) DO NOTHING");
  st.Bind(1, rng.Hex(8));
  SHEFU_RETURN_IF_ERROR(st.Run());
  return tx.Commit();
}

Result<StoreMeta> ServerStore::LoadMeta() {
  auto st = db_.Cached("SELECT epoch, last_sseq, local_seq FROM sync_meta WHERE id = 1");
  auto r = st.Step();
  if (!r.ok()) return r.status();
  if (!*r) return Status::Error("storage_error", "同步元数据缺失", "sync metadata row is missing");
  return StoreMeta{st->Str(0), st->Int(1), st->Int(2)};
}

Status ServerStore::SaveMeta(const StoreMeta& m) {
  auto st =
      db_.Cached("UPDATE sync_meta SET epoch = ?1, last_sseq = ?2, local_seq = ?3 WHERE id = 1");
  st.Bind(1, m.epoch).Bind(2, m.last_sseq).Bind(3, m.local_seq);
  return st.Run();
}

Result<StoredRecord> ServerStore::LoadRecord(std::string_view entity, std::string_view id) {
  auto st = db_.Cached(
      "SELECT grp, value, hlc, node, seq, version, sseq, flags, rkey, district, town, community "
      "FROM sync_field WHERE entity = ?1 AND id = ?2");
  st.BindView(1, entity).BindView(2, id);  // read and reset before this function returns
  StoredRecord rec;
  for (;;) {
    auto r = st.Step();
    if (!r.ok()) return r.status();
    if (!*r) break;
    StoredCell c;
    c.cell.value = st->Str(1);
    c.cell.hlc = Hlc::FromInt(st->Int(2));
    c.cell.node = st->Str(3);
    c.cell.seq = st->Int(4);
    c.version = st->Int(5);
    c.sseq = st->Int(6);
    c.flags = st->Int(7);
    c.rkey = st->OptStr(8);
    if (!rec.exists) {
      rec.exists = true;
      rec.place = Place{st->Str(9), st->Str(10), st->Str(11)};
    }
    rec.groups.emplace(st->Str(0), std::move(c));
  }
  return rec;
}

namespace {

// The row of one cell: the statement's ?1..?14 in column order.
#define SHEFU_INSERT_CELL                                                         \
  "INSERT INTO sync_field(entity, id, grp, value, hlc, node, seq, version, sseq," \
  " district, town, community, rkey, flags) "                                     \
  "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) "
void BindCell(StmtRef& st, std::string_view entity, std::string_view id, std::string_view group,
              const StoredCell& c, const Place& place) {
  st.Bind(1, entity).Bind(2, id).Bind(3, group).Bind(4, c.cell.value).Bind(5, c.cell.hlc.AsInt());
  st.Bind(6, c.cell.node).Bind(7, c.cell.seq).Bind(8, c.version).Bind(9, c.sseq);
  st.Bind(10, place.district).Bind(11, place.town).Bind(12, place.community);
  st.Bind(13, c.rkey).Bind(14, c.flags);
}

}  // namespace

Status ServerStore::PutCell(std::string_view entity, std::string_view id, std::string_view group,
                            const StoredCell& c, const Place& place) {
  auto st = db_.Cached(SHEFU_INSERT_CELL
                       "ON CONFLICT(entity, id, grp) DO UPDATE SET value = excluded.value,"
                       " hlc = excluded.hlc, node = excluded.node, seq = excluded.seq,"
                       " version = excluded.version, sseq = excluded.sseq, rkey = excluded.rkey,"
                       " flags = excluded.flags");
  BindCell(st, entity, id, group, c, place);
  return st.Run();
}

Result<bool> ServerStore::UpdateCell(std::string_view entity, std::string_view id,
                                     std::string_view group, const StoredCell& c) {
  // The place columns are left as they are: a record's place is fixed by its first row (PutCell
  // leaves them too).
  auto st = db_.Cached(
      "UPDATE sync_field SET value = ?4, hlc = ?5, node = ?6, seq = ?7, version = ?8, sseq = ?9,"
      " rkey = ?10, flags = ?11 WHERE entity = ?1 AND id = ?2 AND grp = ?3");
  st.Bind(1, entity).Bind(2, id).Bind(3, group).Bind(4, c.cell.value).Bind(5, c.cell.hlc.AsInt());
  st.Bind(6, c.cell.node).Bind(7, c.cell.seq).Bind(8, c.version).Bind(9, c.sseq);
  st.Bind(10, c.rkey).Bind(11, c.flags);
  SHEFU_RETURN_IF_ERROR(st.Run());
  return db_.Changes() == 1;
}

Result<bool> ServerStore::InsertCell(std::string_view entity, std::string_view id,
                                     std::string_view group, const StoredCell& c,
                                     const Place& place) {
  auto st = db_.Cached(SHEFU_INSERT_CELL "ON CONFLICT(entity, id, grp) DO NOTHING");
  BindCell(st, entity, id, group, c, place);
  SHEFU_RETURN_IF_ERROR(st.Run());
  return db_.Changes() == 1;
}
#undef SHEFU_INSERT_CELL

Status ServerStore::Reemit(std::string_view entity, std::string_view id, std::string_view group,
                           int64_t sseq, int64_t flags) {
  auto st = db_.Cached(
      "UPDATE sync_field SET sseq = ?4, flags = ?5 WHERE entity = ?1 AND id = ?2 AND grp = ?3");
  st.Bind(1, entity).Bind(2, id).Bind(3, group).Bind(4, sseq).Bind(5, flags);
  return st.Run();
}

Result<std::vector<std::pair<std::string, StoredCell>>> ServerStore::RecordsForKey(
    std::string_view entity, std::string_view key) {
  auto st = db_.Cached(
      // Without statistics SQLite would scan the entity's primary-key range instead.
      "SELECT id, value, hlc, node, seq, version, sseq, flags, rkey FROM sync_field "
      "INDEXED BY sync_field_rkey WHERE entity = ?1 AND rkey = ?2 AND grp = 'record'");
  st.BindView(1, entity).BindView(2, key);  // read and reset before this function returns
  std::vector<std::pair<std::string, StoredCell>> out;
  for (;;) {
    auto r = st.Step();
    if (!r.ok()) return r.status();
    if (!*r) break;
    StoredCell c;
    c.cell.value = st->Str(1);
    c.cell.hlc = Hlc::FromInt(st->Int(2));
    c.cell.node = st->Str(3);
    c.cell.seq = st->Int(4);
    c.version = st->Int(5);
    c.sseq = st->Int(6);
    c.flags = st->Int(7);
    c.rkey = st->OptStr(8);
    out.emplace_back(st->Str(0), std::move(c));
  }
  return out;
}

Result<int64_t> ServerStore::ClientLastSeq(std::string_view client_id) {
  auto st = db_.Cached("SELECT last_seq FROM sync_client WHERE client_id = ?1");
  st.Bind(1, client_id);
  auto r = st.Step();
  if (!r.ok()) return r.status();
  return *r ? st->Int(0) : int64_t{0};
}

Status ServerStore::SetClientProgress(std::string_view client_id, int64_t last_seq, int64_t now_ms,
                                      int64_t skew_ms) {
  auto st = db_.Cached(
      "INSERT INTO sync_client(client_id, last_seq, first_seen_ms, last_seen_ms, last_skew_ms) "
      "VALUES(?1, ?2, ?3, ?3, ?4) ON CONFLICT(client_id) DO UPDATE SET "
      "last_seq = max(last_seq, excluded.last_seq), last_seen_ms = excluded.last_seen_ms,"
      " last_skew_ms = excluded.last_skew_ms");
  st.Bind(1, client_id).Bind(2, last_seq).Bind(3, now_ms).Bind(4, skew_ms);
  return st.Run();
}

Result<std::vector<ServerStore::Batch>> ServerStore::BatchesOverlapping(std::string_view client_id,
                                                                        int64_t from, int64_t to) {
  auto st = db_.Cached(
      "SELECT first_seq, last_seq, hashes, results FROM sync_batch "
      "WHERE client_id = ?1 AND first_seq <= ?3 AND last_seq >= ?2 ORDER BY first_seq");
  st.Bind(1, client_id).Bind(2, from).Bind(3, to);
  std::vector<Batch> out;
  for (;;) {
    auto r = st.Step();
    if (!r.ok()) return r.status();
    if (!*r) break;
    out.push_back(Batch{st->Int(0), st->Int(1), st->Blob(2), st->Str(3)});
  }
  return out;
}

Status ServerStore::PutBatch(std::string_view client_id, const Batch& b, int64_t now_ms) {
  auto st = db_.Cached(
      "INSERT INTO sync_batch(client_id, first_seq, last_seq, hashes, results, received_ms) "
      "VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
  st.Bind(1, client_id).Bind(2, b.first_seq).Bind(3, b.last_seq);
  st.BindBlob(4, b.hashes.data(), b.hashes.size());
  st.Bind(5, b.results).Bind(6, now_ms);
  return st.Run();
}

Result<std::vector<FeedRecord>> ServerStore::ReadFeed(int64_t after, int64_t upto,
                                                      const Scope& scope, int limit) {
  // ScopeVisible in SQL: at each level, either side empty or both equal.
  auto st = db_.Cached(
      "SELECT entity, id, grp, value, hlc, node, seq, version, flags, sseq FROM sync_field "
      "WHERE sseq > ?1 AND sseq <= ?2"
      " AND (?3 = '' OR district = '' OR district = ?3)"
      " AND (?4 = '' OR town = '' OR town = ?4)"
      " AND (?5 = '' OR community = '' OR community = ?5) "
      "ORDER BY sseq LIMIT ?6");
  st.Bind(1, after).Bind(2, upto).Bind(3, scope.district).Bind(4, scope.town);
  st.Bind(5, scope.community).Bind(6, limit);
  std::vector<FeedRecord> out;
  for (;;) {
    auto r = st.Step();
    if (!r.ok()) return r.status();
    if (!*r) break;
    FeedRecord f;
    f.entity = st->Str(0);
    f.id = st->Str(1);
    f.group = st->Str(2);
    f.value = st->Str(3);
    f.hlc = Hlc::FromInt(st->Int(4));
    f.node = st->Str(5);
    f.seq = st->Int(6);
    f.version = st->Int(7);
    f.flags = st->Int(8);
    f.sseq = st->Int(9);
    out.push_back(std::move(f));
  }
  return out;
}

Result<std::optional<std::string>> ServerStore::AnonBatchReply(std::string_view batch_hash) {
  auto st = db_.Cached("SELECT reply FROM sync_anon_batch WHERE batch_hash = ?1");
  st.Bind(1, batch_hash);
  auto r = st.Step();
  if (!r.ok()) return r.status();
  if (!*r) return std::optional<std::string>();
  return std::optional<std::string>(st->Str(0));
}

Status ServerStore::PutAnonBatch(std::string_view batch_hash, std::string_view day,
                                 std::string_view reply) {
  auto st = db_.Cached("INSERT INTO sync_anon_batch(batch_hash, day, reply) VALUES(?1, ?2, ?3)");
  st.Bind(1, batch_hash).Bind(2, day).Bind(3, reply);
  return st.Run();
}

Status ServerStore::PutAnonItem(std::string_view item_id, std::string_view entity,
                                std::string_view value, std::string_view day, const Place& place) {
  auto st = db_.Cached(
      "INSERT INTO sync_anon_item(id, entity, value, day, district, town, community) "
      "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  st.Bind(1, item_id).Bind(2, entity).Bind(3, value).Bind(4, day);
  st.Bind(5, place.district).Bind(6, place.town).Bind(7, place.community);
  return st.Run();
}

}  // namespace shefu::sync
