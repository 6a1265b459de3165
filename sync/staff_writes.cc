// SyncServer's staff side: local writes (the server is just another node and writes through the
// same merge) and the resolution of conflict-log entries (an ordinary write).
#include "sync/sync_server.h"
#include "sync/uuid.h"

#include <algorithm>

namespace shefu::sync {

Result<SyncServer::LocalWriteResult> SyncServer::LocalWriteInTx(WriteContext& w, const Principal& p,
                                                                std::vector<LocalChange>& changes) {
  LocalWriteResult out;
  applier_.Begin();
  for (LocalChange& lc : changes) {
    if (!IsValidName(lc.entity) || !IsValidRecordId(lc.id) || !IsValidName(lc.group))
      return Status::Error("bad_field", "记录类型、编号或字段组格式无效",
                           "malformed entity, id or group");
    auto rec = store_.LoadRecord(lc.entity, lc.id);
    if (!rec.ok()) return rec.status();
    const StoredCell* del = rec->Find(kDeletedGroup);
    if (lc.group != kDeletedGroup && IsDeletedValue(del ? &del->cell : nullptr))
      return Status::Error("record_deleted", "记录已删除，请先恢复",
                           "the record is deleted; restore it first");
    Change c;
    c.seq = ++w.meta.local_seq;
    c.entity = lc.entity;
    c.id = lc.id;
    c.group = lc.group;
    c.value_text = CanonicalJson(lc.value);
    c.value = std::move(lc.value);
    c.hlc = clock_.Now();
    if (lc.base) {
      c.base = *lc.base;
    } else if (lc.group == kDeletedGroup) {
      for (const auto& [g, cell] : rec->groups) c.base = std::max(c.base, cell.version);
    } else {
      const StoredCell* cur = rec->Find(lc.group);
      c.base = cur ? cur->version : 0;
    }
    auto r = applier_.Apply(w, IncomingWrite{c, opt_.node_id, p, false});
    if (!r.ok()) return r.status();
    if (r->refused) {
      const RecordResult& why = r->results.front();
      return Status::Error(why.detail.empty() ? why.code : why.detail, why.message.zh,
                           why.message.en);
    }
    out.seqs.push_back(c.seq);
    out.versions.push_back(r->version);
    for (auto& rr : r->results) out.results.push_back(std::move(rr));
  }
  return out;
}

Result<SyncServer::LocalWriteResult> SyncServer::LocalWrite(const Principal& p,
                                                            std::vector<LocalChange> changes) {
  Tx tx(db_);
  SHEFU_RETURN_IF_ERROR(tx.status());
  auto meta = store_.LoadMeta();
  if (!meta.ok()) return meta.status();
  WriteContext w{store_, *meta, wall_.NowMs()};
  auto out = LocalWriteInTx(w, p, changes);
  if (!out.ok()) return out.status();
  SHEFU_RETURN_IF_ERROR(SaveHlc(db_, clock_.last()));
  SHEFU_RETURN_IF_ERROR(store_.SaveMeta(w.meta));
  {
    ServerOptions::CommitInfo info;
    info.what = "local";
    info.principal = &p;
    for (const auto& c : changes) {
      std::pair<std::string, std::string> key{c.entity, c.id};
      if (std::find(info.records.begin(), info.records.end(), key) == info.records.end())
        info.records.push_back(std::move(key));
    }
    info.applied = static_cast<int64_t>(out->seqs.size());
    info.conflicts = static_cast<int64_t>(out->results.size());
    SHEFU_RETURN_IF_ERROR(BeforeCommit(info));
  }
  if (Fault("local:before_commit")) return ProtocolError(kInternal);
  SHEFU_RETURN_IF_ERROR(tx.Commit());
  return out;
}

Result<std::string> SyncServer::CreateRecord(const Principal& p, std::string_view entity,
                                             std::vector<std::pair<std::string, Json>> groups) {
  const EntityTypeSpec* type = FindEntityType(entity);
  if (!type) return Status::Error("unknown_entity", "未知的记录类型", "unknown entity type");
  std::string id = NewUuidV7(wall_, rng_);
  std::vector<LocalChange> changes;
  for (auto& [g, v] : groups) {
    LocalChange lc{std::string(entity), id, g, std::move(v), 0};
    if (g == type->scope_group)
      changes.insert(changes.begin(), std::move(lc));
    else
      changes.push_back(std::move(lc));
  }
  for (const auto& g : type->groups) {
    if (!g.required_on_create) continue;
    bool found = false;
    for (const auto& c : changes) found = found || c.group == g.name;
    if (!found)
      return Status::Error("missing_group", "缺少必填字段组“" + std::string(g.name) + "”",
                           "required group '" + std::string(g.name) + "' is missing");
  }
  auto r = LocalWrite(p, std::move(changes));
  if (!r.ok()) return r.status();
  return id;
}

Status SyncServer::Resolve(const Principal& who, int64_t conflict_id, const Resolution& r) {
  auto found = log_.Get(conflict_id);
  if (!found.ok()) return found.status();
  if (!*found) return Status::Error("conflict_not_found", "冲突记录不存在", "no such conflict");
  const Conflict& c = **found;
  if (c.status != ConflictStatus::kOpen)
    return Status::Error("conflict_closed", "此冲突已处理", "this conflict is already resolved");

  Tx tx(db_);
  SHEFU_RETURN_IF_ERROR(tx.status());
  auto meta = store_.LoadMeta();
  if (!meta.ok()) return meta.status();
  WriteContext w{store_, *meta, wall_.NowMs()};
  const std::string resolver = std::to_string(who.user_id);
  if (r.kind == ResolutionKind::kAccept) {
    SHEFU_RETURN_IF_ERROR(log_.MarkResolved(w, c.id, ConflictStatus::kAccepted, resolver, w.now_ms,
                                            "accept", std::nullopt));
  } else {
    const EntityTypeSpec* type = FindEntityType(c.entity);
    auto rec = store_.LoadRecord(c.entity, c.record_id);
    if (!rec.ok()) return rec.status();
    if (!type || type->kind != MergeKind::kEditable || !rec->exists) {
      return Status::Error("not_overridable", "只能接受此冲突：无法用另一值覆盖",
                           "this conflict can only be accepted, not overridden");
    }
    Json value;
    if (r.kind == ResolutionKind::kTakeLoser) {
      auto v = ParseJson(c.loser.value);
      if (!v.ok()) return v.status();
      value = std::move(*v);
    } else {
      value = r.value;
    }
    std::vector<LocalChange> changes;
    const StoredCell* del = rec->Find(kDeletedGroup);
    bool deleted = IsDeletedValue(del ? &del->cell : nullptr);
    if (c.group != kDeletedGroup && deleted && c.rule == Rule::kEditVsDelete)
      changes.push_back(LocalChange{c.entity, c.record_id, std::string(kDeletedGroup), false, {}});
    changes.push_back(LocalChange{c.entity, c.record_id, c.group, std::move(value), {}});
    auto out = LocalWriteInTx(w, who, changes);
    if (!out.ok()) return out.status();
    SHEFU_RETURN_IF_ERROR(log_.MarkResolved(
        w, c.id, ConflictStatus::kOverridden, resolver, w.now_ms,
        r.kind == ResolutionKind::kTakeLoser ? "take_loser" : "enter_value", w.meta.last_sseq));
  }
  SHEFU_RETURN_IF_ERROR(SaveHlc(db_, clock_.last()));
  SHEFU_RETURN_IF_ERROR(store_.SaveMeta(w.meta));
  ServerOptions::CommitInfo info;
  info.what = "resolve";
  info.principal = &who;
  info.records.emplace_back(c.entity, c.record_id);
  info.conflict_id = c.id;
  info.applied = r.kind == ResolutionKind::kAccept ? 0 : 1;
  SHEFU_RETURN_IF_ERROR(BeforeCommit(info));
  return tx.Commit();
}

}  // namespace shefu::sync
