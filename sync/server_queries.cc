// SyncServer's record queries: what the staff API and reports read from the sync store.
#include "sync/sync_server.h"
#include "sync/uuid.h"

namespace shefu::sync {

Result<RecordView> SyncServer::ToView(std::string_view entity, std::string_view id,
                                      const StoredRecord& r) {
  RecordView v;
  v.entity = std::string(entity);
  v.id = std::string(id);
  v.place = r.place;
  for (const auto& [g, c] : r.groups) {
    GroupView gv;
    auto value = ParseJson(c.cell.value, 64);
    if (!value.ok()) return value.status();
    gv.value = std::move(*value);
    gv.hlc = c.cell.hlc;
    gv.node = c.cell.node;
    gv.seq = c.cell.seq;
    gv.version = c.version;
    gv.flags = c.flags;
    if (g == kDeletedGroup) v.deleted = IsDeletedValue(&c.cell);
    if (g == kRecordGroup) v.counted = !(c.flags & kFlagNotCounted);
    v.groups.emplace(g, std::move(gv));
  }
  return v;
}

Result<std::optional<RecordView>> SyncServer::ReadRecord(std::string_view entity,
                                                         std::string_view id) {
  auto rec = store_.LoadRecord(entity, id);
  if (!rec.ok()) return rec.status();
  if (!rec->exists) return std::optional<RecordView>();
  auto v = ToView(entity, id, *rec);
  if (!v.ok()) return v.status();
  return std::optional<RecordView>(std::move(*v));
}

Result<std::vector<RecordView>> SyncServer::ListRecords(const RecordQuery& q) {
  auto st = db_.Cached(
      "SELECT DISTINCT id FROM sync_field WHERE entity = ?1 AND id > ?2"
      " AND (?3 = 0 OR ((?4 = '' OR district = '' OR district = ?4)"
      "  AND (?5 = '' OR town = '' OR town = ?5)"
      "  AND (?6 = '' OR community = '' OR community = ?6)))"
      " ORDER BY id LIMIT ?7");
  Scope s = q.scope.value_or(Scope{});
  st.Bind(1, q.entity).Bind(2, q.after_id).Bind(3, q.scope ? 1 : 0);
  st.Bind(4, s.district).Bind(5, s.town).Bind(6, s.community).Bind(7, q.limit);
  std::vector<std::string> ids;
  for (;;) {
    auto r = st.Step();
    if (!r.ok()) return r.status();
    if (!*r) break;
    ids.push_back(st->Str(0));
  }
  std::vector<RecordView> out;
  for (const auto& id : ids) {
    auto v = ReadRecord(q.entity, id);
    if (!v.ok()) return v.status();
    if (*v && (q.include_deleted || !(*v)->deleted)) out.push_back(std::move(**v));
  }
  return out;
}

Result<int64_t> SyncServer::CounterSum(std::string_view entity, std::string_view target) {
  const EntityTypeSpec* type = FindEntityType(entity);
  if (!type || type->kind != MergeKind::kCounter)
    return Status::Error("not_a_counter", "此类记录不是计数", "not a counter entity type");
  auto st = db_.Cached(
      "SELECT COALESCE(SUM(json_extract(value, ?3)), 0) FROM sync_field INDEXED BY sync_field_rkey "
      "WHERE entity = ?1 AND rkey = ?2 AND grp = 'record'");
  st.Bind(1, entity).Bind(2, target).Bind(3, "$." + std::string(type->counter_delta));
  auto r = st.Step();
  if (!r.ok()) return r.status();
  return *r ? st->Int(0) : int64_t{0};
}

Result<std::vector<RecordView>> SyncServer::CountedRecords(std::string_view entity,
                                                           std::string_view field,
                                                           std::string_view value) {
  if (!IsValidName(field)) return Status::Error("bad_field", "字段名无效", "invalid field name");
  auto st = db_.Cached(
      "SELECT id FROM sync_field WHERE entity = ?1 AND grp = 'record' AND (flags & 1) = 0"
      " AND json_extract(value, ?2) = ?3 ORDER BY id");
  st.Bind(1, entity).Bind(2, "$." + std::string(field)).Bind(3, value);
  std::vector<std::string> ids;
  for (;;) {
    auto r = st.Step();
    if (!r.ok()) return r.status();
    if (!*r) break;
    ids.push_back(st->Str(0));
  }
  std::vector<RecordView> out;
  for (const auto& id : ids) {
    auto v = ReadRecord(entity, id);
    if (!v.ok()) return v.status();
    if (*v) out.push_back(std::move(**v));
  }
  return out;
}

Result<std::vector<Json>> SyncServer::AnonymousItems(std::string_view entity,
                                                     std::string_view field,
                                                     std::string_view value) {
  if (!IsValidName(field)) return Status::Error("bad_field", "字段名无效", "invalid field name");
  auto st = db_.Cached(
      "SELECT value FROM sync_anon_item WHERE entity = ?1 AND json_extract(value, ?2) = ?3 "
      "ORDER BY id");
  st.Bind(1, entity).Bind(2, "$." + std::string(field)).Bind(3, value);
  std::vector<Json> out;
  for (;;) {
    auto r = st.Step();
    if (!r.ok()) return r.status();
    if (!*r) break;
    auto v = ParseJson(st->Str(0), 64);
    if (!v.ok()) return v.status();
    out.push_back(std::move(*v));
  }
  return out;
}

Result<std::vector<Conflict>> SyncServer::ListConflicts(const ConflictQuery& q) {
  return log_.List(q);
}

Result<std::optional<Conflict>> SyncServer::GetConflict(int64_t id) {
  return log_.Get(id);
}

}  // namespace shefu::sync
