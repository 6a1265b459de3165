#include "sync/device_store.h"

#include <algorithm>
#include <map>

#include "shared/civil_time.h"
#include "sync/device_schema.h"
#include "sync/merge.h"
#include "sync/uuid.h"

namespace shefu::sync {

DeviceStore::DeviceStore(Db& db, Clock& clock, Rng& rng, const DomainContext& ctx,
                         DeviceOptions opt, State state, Hlc last)
    : db_(db),
      wall_(clock),
      rng_(rng),
      ctx_(ctx),
      opt_(std::move(opt)),
      state_(std::move(state)),
      clock_(clock, last, opt_.clock),
      outbox_(db),
      replica_(db),
      anon_(db, rng) {
  clock_.set_offset_ms(state_.clock_offset_ms);
}

Result<std::unique_ptr<DeviceStore>> DeviceStore::Open(Db& db, Clock& clock, Rng& rng,
                                                       const DomainContext& ctx,
                                                       DeviceOptions opt) {
  SHEFU_RETURN_IF_ERROR(MigrateClockSchema(db));
  SHEFU_RETURN_IF_ERROR(MigrateDeviceSchema(db));
  auto state = LoadState(db);
  if (!state.ok()) return state.status();
  auto last = LoadHlc(db);
  if (!last.ok()) return last.status();
  return std::unique_ptr<DeviceStore>(
      new DeviceStore(db, clock, rng, ctx, std::move(opt), std::move(*state), *last));
}

Result<DeviceStore::State> DeviceStore::LoadState(Db& db) {
  auto st = db.Cached(
      "SELECT client_id, next_seq, cursor, epoch, checkpoint, last_sync_ms, clock_offset_ms,"
      " health, health_code FROM sync_state WHERE id = 1");
  auto r = st.Step();
  if (!r.ok()) return r.status();
  if (!*r) return Status::Error("storage_error", "同步状态缺失", "sync state row is missing");
  State s;
  s.client_id = st->Str(0);
  s.next_seq = st->Int(1);
  s.cursor = st->Str(2);
  s.epoch = st->Str(3);
  s.checkpoint = st->Int(4);
  s.last_sync_ms = st->OptInt(5);
  s.clock_offset_ms = st->Int(6);
  s.health = st->Str(7) == "ok" ? DeviceHealth::kOk : DeviceHealth::kNeedsReenrolment;
  s.health_code = st->Str(8);
  return s;
}

Status DeviceStore::SaveState(const State& s) {
  auto st = db_.Cached(
      "UPDATE sync_state SET client_id = ?1, next_seq = ?2, cursor = ?3, epoch = ?4,"
      " checkpoint = ?5, last_sync_ms = ?6, clock_offset_ms = ?7, health = ?8, health_code = ?9 "
      "WHERE id = 1");
  st.Bind(1, s.client_id).Bind(2, s.next_seq).Bind(3, s.cursor).Bind(4, s.epoch);
  st.Bind(5, s.checkpoint).Bind(6, s.last_sync_ms).Bind(7, s.clock_offset_ms);
  st.Bind(8, s.health == DeviceHealth::kOk ? "ok" : "needs_reenrolment").Bind(9, s.health_code);
  return st.Run();
}

Status DeviceStore::Crashed() {
  return Status::Error("crashed", "模拟的进程中断", "simulated crash (test hook)");
}

Status DeviceStore::CommitWith(Tx& tx, const State& next) {
  SHEFU_RETURN_IF_ERROR(SaveState(next));
  SHEFU_RETURN_IF_ERROR(SaveHlc(db_, clock_.last()));
  SHEFU_RETURN_IF_ERROR(tx.Commit());
  state_ = next;
  return Status::Ok();
}

void DeviceStore::ReceiveServerStamp(Hlc server_hlc, State* next) {
  // The server is the authority: its stamp is merged even when far ahead of our wall clock, and
  // a wall clock wrong by more than the bound is corrected by the offset the server shows.
  clock_.Receive(server_hlc, /*trusted=*/true);
  int64_t diff = server_hlc.ms() - wall_.NowMs();
  next->clock_offset_ms =
      (diff > opt_.clock.max_future_ms || -diff > opt_.clock.max_future_ms) ? diff : 0;
  clock_.set_offset_ms(next->clock_offset_ms);
}

// ---- identity --------------------------------------------------------------------------------

Status DeviceStore::SetClientId(std::string_view client_id) {
  if (!state_.client_id.empty())
    return Status::Error("already_enrolled", "设备已登记", "this device is already enrolled");
  if (!IsValidRecordId(client_id))
    return Status::Error("bad_client_id", "设备编号格式无效", "malformed client id");
  Tx tx(db_);
  SHEFU_RETURN_IF_ERROR(tx.status());
  auto st = db_.Cached("UPDATE sync_outbox SET client = ?1 WHERE client = ''");
  st.Bind(1, client_id);
  SHEFU_RETURN_IF_ERROR(st.Run());
  State next = state_;
  next.client_id = std::string(client_id);
  return CommitWith(tx, next);
}

Status DeviceStore::Reenrol(std::string_view new_client_id) {
  if (!IsValidRecordId(new_client_id) || new_client_id == state_.client_id)
    return Status::Error("bad_client_id", "新的设备编号无效", "the new client id is not valid");
  Tx tx(db_);
  SHEFU_RETURN_IF_ERROR(tx.status());
  auto n = outbox_.Renumber(state_.client_id, new_client_id);
  if (!n.ok()) return n.status();
  State next = state_;
  next.client_id = std::string(new_client_id);
  next.next_seq = *n + 1;
  next.health = DeviceHealth::kOk;
  next.health_code.clear();
  return CommitWith(tx, next);
}

Status DeviceStore::MarkNeedsReenrolment(std::string_view code) {
  Tx tx(db_);
  SHEFU_RETURN_IF_ERROR(tx.status());
  State next = state_;
  next.health = DeviceHealth::kNeedsReenrolment;
  next.health_code = std::string(code);
  return CommitWith(tx, next);
}

// ---- local writes ----------------------------------------------------------------------------

Status DeviceStore::WriteGroups(std::string_view entity, std::string_view id,
                                std::vector<GroupWrite> groups, bool create) {
  const EntityTypeSpec* type = FindEntityType(entity);
  if (!type)
    return Status::Error("unknown_entity", "未知的记录类型：" + std::string(entity.substr(0, 64)),
                         "unknown entity type: " + std::string(entity.substr(0, 64)));
  if (type->stream != Stream::kAttributed)
    return Status::Error("wrong_stream", type->label.zh + "只能通过匿名通道提交（AnonAdd）",
                         "a " + type->label.en + " goes through the anonymous stream (AnonAdd)");
  if (!IsValidRecordId(id))
    return Status::Error("bad_id", "记录编号格式无效", "malformed record id");
  if (groups.empty()) return Status::Error("missing_group", "没有要写入的内容", "nothing to write");
  for (const auto& g : groups) {
    if (!IsValidName(g.group))
      return Status::Error("unknown_group", "字段组名称无效", "malformed group name");
    SHEFU_RETURN_IF_ERROR(ValidateGroupWrite(ctx_, *type, g.group, g.value));
  }
  Tx tx(db_);
  SHEFU_RETURN_IF_ERROR(tx.status());
  auto view = Read(entity, id);
  if (!view.ok()) return view.status();
  if (create) {
    if (*view) return Status::Error("record_exists", "记录已存在", "the record already exists");
    for (const auto& spec : type->groups) {
      if (!spec.required_on_create) continue;
      bool found = std::any_of(groups.begin(), groups.end(),
                               [&](const GroupWrite& g) { return g.group == spec.name; });
      if (!found)
        return Status::Error("missing_group", "缺少必填字段组“" + std::string(spec.name) + "”",
                             "required group '" + std::string(spec.name) + "' is missing");
    }
    for (size_t i = 0; i < groups.size(); ++i) {
      if (groups[i].group == kDeletedGroup)
        return Status::Error("unknown_group", "新建记录不能带删除标记",
                             "a new record cannot carry '_deleted'");
      for (size_t j = 0; j < i; ++j)
        if (groups[j].group == groups[i].group)
          return Status::Error("duplicate_group", "字段组重复", "a group is given twice");
    }
    // The scope group first: the server learns the record's place from it.
    std::stable_partition(groups.begin(), groups.end(),
                          [&](const GroupWrite& g) { return g.group == type->scope_group; });
  } else {
    if (!*view) return Status::Error("record_not_found", "记录不存在", "no such record");
    if (type->kind != MergeKind::kEditable)
      return Status::Error("record_exists", type->label.zh + "写入后不能修改，请追加更正记录",
                           "a " + type->label.en + " cannot change once written; add a correction");
    for (const auto& g : groups) {
      if (g.group != kDeletedGroup && (*view)->deleted)
        return Status::Error("record_deleted", "记录已删除，请先恢复",
                             "the record is deleted; restore it first");
      const FieldGroupSpec* spec = type->FindGroup(g.group);
      if (spec && spec->immutable)
        return Status::Error("immutable_group", "字段组“" + g.group + "”创建后不能修改",
                             "group '" + g.group + "' cannot change after creation");
    }
  }
  if (type->guard) {
    // The same state-dependent rules the server applies, so a refusal shows at once.
    RecordState current;
    if (*view) {
      current.exists = true;
      current.deleted = (*view)->deleted;
      for (const auto& [g, gv] : (*view)->groups) current.groups.emplace(g, gv.value);
    }
    for (const auto& g : groups) {
      SHEFU_RETURN_IF_ERROR(type->guard(ctx_, current, g.group, g.value, /*from_device=*/true));
      current.exists = true;
      current.groups[g.group] = g.value;
    }
  }
  // What the user has seen of each group: the confirmed version — unless the group shows the
  // device's own unconfirmed write, which hides the confirmed value; then what that write had
  // seen. (Claiming to have seen a hidden value would let the server supersede it unlogged.)
  auto confirmed = replica_.Load(entity, id);
  if (!confirmed.ok()) return confirmed.status();
  auto unconfirmed = outbox_.Unconfirmed(entity, id, state_.checkpoint);
  if (!unconfirmed.ok()) return unconfirmed.status();
  std::map<std::string, int64_t> seen;
  for (const auto& [g, c] : *confirmed) seen[g] = c.version;
  for (const OutboxEntry& e : *unconfirmed) seen[e.group] = e.base;  // oldest first: latest wins
  int64_t max_seen = 0;
  for (const auto& [g, v] : seen) max_seen = std::max(max_seen, v);

  State next = state_;
  for (auto& g : groups) {
    OutboxEntry e;
    e.client = state_.client_id;
    e.seq = next.next_seq++;
    e.local_id = static_cast<int64_t>(rng_.Next64() >> 1);
    e.entity = std::string(entity);
    e.id = std::string(id);
    e.group = g.group;
    e.value = CanonicalJson(g.value);
    e.hlc = clock_.Now();
    if (!create) {
      if (g.group == kDeletedGroup) {
        e.base = max_seen;
      } else {
        auto it = seen.find(g.group);
        e.base = it == seen.end() ? 0 : it->second;
      }
    }
    e.created_ms = clock_.PhysicalMs();
    SHEFU_RETURN_IF_ERROR(outbox_.Append(e));
  }
  if (Fault("write:before_commit")) return Crashed();
  return CommitWith(tx, next);
}

Result<std::string> DeviceStore::Create(std::string_view entity, std::vector<GroupWrite> groups) {
  std::string id = NewUuidV7(wall_, rng_);
  SHEFU_RETURN_IF_ERROR(CreateWithId(entity, id, std::move(groups)));
  return id;
}

Status DeviceStore::CreateWithId(std::string_view entity, std::string_view id,
                                 std::vector<GroupWrite> groups) {
  return WriteGroups(entity, id, std::move(groups), /*create=*/true);
}

Status DeviceStore::Write(std::string_view entity, std::string_view id, std::string_view group,
                          Json value) {
  std::vector<GroupWrite> g;
  g.push_back(GroupWrite{std::string(group), std::move(value)});
  return WriteGroups(entity, id, std::move(g), /*create=*/false);
}

Status DeviceStore::Delete(std::string_view entity, std::string_view id) {
  auto view = Read(entity, id);
  if (!view.ok()) return view.status();
  if (*view && (*view)->deleted) return Status::Ok();
  return Write(entity, id, kDeletedGroup, true);
}

Status DeviceStore::Restore(std::string_view entity, std::string_view id) {
  auto view = Read(entity, id);
  if (!view.ok()) return view.status();
  if (*view && !(*view)->deleted) return Status::Ok();
  return Write(entity, id, kDeletedGroup, false);
}

// ---- anonymous stream ------------------------------------------------------------------------

Status DeviceStore::AnonAdd(std::string_view session, std::string_view entity, Json value) {
  const EntityTypeSpec* type = FindEntityType(entity);
  if (!type || type->stream != Stream::kAnonymous)
    return Status::Error("wrong_stream", "此类记录不属于匿名通道",
                         "this kind of record is not anonymous");
  if (session.empty() || session.size() > 128)
    return Status::Error("bad_session", "会话标识无效", "invalid session key");
  SHEFU_RETURN_IF_ERROR(ValidateGroupWrite(ctx_, *type, kRecordGroup, value));
  Tx tx(db_);
  SHEFU_RETURN_IF_ERROR(tx.status());
  SHEFU_RETURN_IF_ERROR(anon_.Add(session, entity, CanonicalJson(value)));
  return tx.Commit();
}

Status DeviceStore::AnonAddAll(std::string_view session,
                               std::vector<std::pair<std::string, Json>> items) {
  if (session.empty() || session.size() > 128)
    return Status::Error("bad_session", "会话标识无效", "invalid session key");
  for (const auto& [entity, value] : items) {
    const EntityTypeSpec* type = FindEntityType(entity);
    if (!type || type->stream != Stream::kAnonymous)
      return Status::Error("wrong_stream", "此类记录不属于匿名通道",
                           "this kind of record is not anonymous");
    SHEFU_RETURN_IF_ERROR(ValidateGroupWrite(ctx_, *type, kRecordGroup, value));
  }
  Tx tx(db_);
  SHEFU_RETURN_IF_ERROR(tx.status());
  for (const auto& [entity, value] : items)
    SHEFU_RETURN_IF_ERROR(anon_.Add(session, entity, CanonicalJson(value)));
  return tx.Commit();
}

Result<int64_t> DeviceStore::AnonClose(std::string_view session) {
  Tx tx(db_);
  SHEFU_RETURN_IF_ERROR(tx.status());
  auto n = anon_.Close(session, FormatDate(ShanghaiDate(clock_.PhysicalMs())));
  if (!n.ok()) return n.status();
  SHEFU_RETURN_IF_ERROR(tx.Commit());
  return *n;
}

// ---- reads -----------------------------------------------------------------------------------

Result<std::optional<RecordView>> DeviceStore::Read(std::string_view entity, std::string_view id) {
  auto confirmed = replica_.Load(entity, id);
  if (!confirmed.ok()) return confirmed.status();
  auto local = outbox_.Unconfirmed(entity, id, state_.checkpoint);
  if (!local.ok()) return local.status();
  if (confirmed->empty() && local->empty()) return std::optional<RecordView>();
  RecordView v;
  v.entity = std::string(entity);
  v.id = std::string(id);
  for (const auto& [g, c] : *confirmed) {
    GroupView gv;
    auto value = ParseJson(c.value, 64);
    if (!value.ok()) return value.status();
    gv.value = std::move(*value);
    gv.hlc = c.hlc;
    gv.node = c.node;
    gv.seq = c.seq;
    gv.version = c.version;
    gv.flags = c.flags;
    v.groups.emplace(g, std::move(gv));
  }
  for (const OutboxEntry& e : *local) {  // oldest first: the latest write per group stays
    GroupView gv;
    auto value = ParseJson(e.value, 64);
    if (!value.ok()) return value.status();
    gv.value = std::move(*value);
    gv.hlc = e.hlc;
    gv.seq = e.seq;
    auto it = confirmed->find(e.group);
    gv.version = it == confirmed->end() ? 0 : it->second.version;
    gv.local = true;
    v.groups.insert_or_assign(e.group, std::move(gv));
  }
  if (const GroupView* d = v.Find(kDeletedGroup))
    v.deleted = d->value.is_boolean() && d->value.get<bool>();
  if (const GroupView* r = v.Find(kRecordGroup)) v.counted = !(r->flags & kFlagNotCounted);
  return std::optional<RecordView>(std::move(v));
}

Result<std::vector<RecordView>> DeviceStore::List(std::string_view entity, bool include_deleted) {
  auto ids = replica_.Ids(entity);
  if (!ids.ok()) return ids.status();
  auto local = outbox_.UnconfirmedIds(entity, state_.checkpoint);
  if (!local.ok()) return local.status();
  std::vector<std::string> all = std::move(*ids);
  all.insert(all.end(), local->begin(), local->end());
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  std::vector<RecordView> out;
  for (const auto& id : all) {
    auto v = Read(entity, id);
    if (!v.ok()) return v.status();
    if (*v && (include_deleted || !(*v)->deleted)) out.push_back(std::move(**v));
  }
  return out;
}

Result<int64_t> DeviceStore::CounterSum(std::string_view entity, std::string_view target) {
  const EntityTypeSpec* type = FindEntityType(entity);
  if (!type || type->kind != MergeKind::kCounter)
    return Status::Error("not_a_counter", "此类记录不是计数", "not a counter entity type");
  // Per record id, so a delta both confirmed and still overlaid counts once.
  auto records = List(entity, true);
  if (!records.ok()) return records.status();
  int64_t sum = 0;
  for (const auto& r : *records) {
    const GroupView* g = r.Find(kRecordGroup);
    if (!g) continue;
    auto key = RecordKey(*type, g->value);
    if (key && *key == target) sum += sync::CounterDelta(*type, g->value);
  }
  return sum;
}

Result<std::vector<Conflict>> DeviceStore::Conflicts(bool open_only) {
  auto ids = replica_.Ids(kConflictEntity);
  if (!ids.ok()) return ids.status();
  std::vector<Conflict> out;
  for (const auto& id : *ids) {
    auto rows = replica_.Load(kConflictEntity, id);
    if (!rows.ok()) return rows.status();
    auto it = rows->find(kRecordGroup);
    if (it == rows->end()) continue;
    auto j = ParseJson(it->second.value, 64);
    if (!j.ok()) continue;
    auto c = ConflictFromJson(*j);
    if (!c.ok()) continue;
    if (open_only && c->status != ConflictStatus::kOpen) continue;
    out.push_back(std::move(*c));
  }
  std::sort(out.begin(), out.end(),
            [](const Conflict& a, const Conflict& b) { return a.id < b.id; });
  return out;
}

Result<std::vector<OutboxEntry>> DeviceStore::OutboxEntries(size_t limit) {
  return outbox_.All(limit);
}

Result<int64_t> DeviceStore::PendingCount() {
  return outbox_.PendingCount();
}

// ---- sync plumbing ---------------------------------------------------------------------------

Result<std::optional<UploadRequest>> DeviceStore::NextUploadBatch(size_t max) {
  if (state_.client_id.empty())
    return Status::Error("not_enrolled", "设备尚未登记，不能同步",
                         "device not enrolled; cannot sync");
  if (state_.health != DeviceHealth::kOk)
    return Status::Error("needs_reenrolment", "设备需要重新登记后才能上传",
                         "the device must be enrolled again before it can upload");
  auto rows = outbox_.Pending(state_.client_id, max);
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<UploadRequest>();
  UploadRequest req;
  req.client_id = state_.client_id;
  req.epoch = state_.epoch;
  req.first_seq = rows->front().seq;
  for (OutboxEntry& e : *rows) {
    if (e.seq != req.first_seq + static_cast<int64_t>(req.changes.size())) break;
    Change c;
    c.seq = e.seq;
    c.entity = std::move(e.entity);
    c.id = std::move(e.id);
    c.group = std::move(e.group);
    auto v = ParseJson(e.value, 64);
    if (!v.ok()) return v.status();
    c.value = std::move(*v);
    c.value_text = std::move(e.value);
    c.hlc = e.hlc;
    c.base = e.base;
    req.changes.push_back(std::move(c));
  }
  req.last_seq = req.changes.back().seq;
  return std::optional<UploadRequest>(std::move(req));
}

Status DeviceStore::ApplyUploadReply(const UploadReply& reply) {
  Tx tx(db_);
  SHEFU_RETURN_IF_ERROR(tx.status());
  SHEFU_RETURN_IF_ERROR(
      outbox_.Ack(state_.client_id, reply.acked_seq, clock_.PhysicalMs(), reply.checkpoint));
  for (const RecordResult& r : reply.results) {
    SHEFU_RETURN_IF_ERROR(
        outbox_.SetOutcome(state_.client_id, r.seq, r.outcome, r.code, r.detail, r.message));
  }
  State next = state_;
  // A device that has never downloaded learns the store's epoch here, so a restore of the server
  // is noticed before its next exchange even then.
  if (next.epoch.empty()) next.epoch = reply.epoch;
  ReceiveServerStamp(reply.server_hlc, &next);
  if (Fault("ack:before_commit")) return Crashed();
  return CommitWith(tx, next);
}

Status DeviceStore::Rewind(int64_t expected_seq) {
  if (expected_seq >= state_.next_seq)
    return Status::Error("bad_expected_seq", "服务器要求的序号超出本设备的记录",
                         "the server asks for a seq this device never wrote");
  Tx tx(db_);
  SHEFU_RETURN_IF_ERROR(tx.status());
  auto has = outbox_.Has(state_.client_id, expected_seq);
  if (!has.ok()) return has.status();
  State next = state_;
  if (!*has) {
    next.health = DeviceHealth::kNeedsReenrolment;
    next.health_code = "outbox_pruned";
    SHEFU_RETURN_IF_ERROR(CommitWith(tx, next));
    return Status::Error("outbox_pruned", "服务器要求的变更已超过保留期被清除",
                         "the changes the server asks for are past the retention period");
  }
  SHEFU_RETURN_IF_ERROR(outbox_.Unack(state_.client_id, expected_seq));
  return CommitWith(tx, next);
}

Status DeviceStore::Reset(int64_t expected_seq, bool store_restored) {
  Tx tx(db_);
  SHEFU_RETURN_IF_ERROR(tx.status());
  State next = state_;
  bool pruned = false;
  if (store_restored) {
    if (expected_seq < state_.next_seq) {
      auto has = outbox_.Has(state_.client_id, expected_seq);
      if (!has.ok()) return has.status();
      pruned = !*has;
    }
    // Every retained row goes again, not only those from expected_seq: the restored store
    // answers the ones it has from storage — their outcome in THAT store — and applies the rest.
    // Outcomes recorded from the lost store would otherwise stay on the device.
    SHEFU_RETURN_IF_ERROR(outbox_.Unack(state_.client_id, 0));
    // Rows acknowledged under this device's earlier client ids may be lost too; the device can
    // only speak as its current id, so they are queued again under it.
    auto adopted = outbox_.Adopt(state_.client_id, next.next_seq);
    if (!adopted.ok()) return adopted.status();
    next.next_seq += *adopted;
    // Versions of the lost epoch mean nothing now; 0 makes the server log rather than supersede.
    SHEFU_RETURN_IF_ERROR(outbox_.ZeroBases(state_.client_id, 0));
    SHEFU_RETURN_IF_ERROR(anon_.UnackAll());
    next.epoch.clear();
  }
  SHEFU_RETURN_IF_ERROR(outbox_.ClearCheckpoints());
  SHEFU_RETURN_IF_ERROR(replica_.Clear());
  next.cursor.clear();
  next.checkpoint = 0;
  if (pruned) {
    next.health = DeviceHealth::kNeedsReenrolment;
    next.health_code = "outbox_pruned";
  }
  SHEFU_RETURN_IF_ERROR(CommitWith(tx, next));
  if (pruned)
    return Status::Error("outbox_pruned", "服务器要求的变更已超过保留期被清除",
                         "the changes the server asks for are past the retention period");
  return Status::Ok();
}

DownloadRequest DeviceStore::NextDownload(int limit) const {
  DownloadRequest r;
  r.cursor = state_.cursor;
  r.epoch = state_.epoch;
  r.limit = limit;
  return r;
}

Status DeviceStore::ApplyDownloadPage(const DownloadReply& page) {
  Tx tx(db_);
  SHEFU_RETURN_IF_ERROR(tx.status());
  for (const FeedRow& row : page.changes) SHEFU_RETURN_IF_ERROR(replica_.Upsert(row));
  State next = state_;
  next.cursor = page.next_cursor;
  next.epoch = page.epoch;
  next.checkpoint = page.checkpoint;
  next.last_sync_ms = wall_.NowMs();
  ReceiveServerStamp(page.server_hlc, &next);
  // The page and its cursor commit together: a crash here loses both, never one.
  if (Fault("page:before_commit")) return Crashed();
  return CommitWith(tx, next);
}

Result<std::optional<AnonUploadRequest>> DeviceStore::NextAnonBatch() {
  return anon_.Next();
}

Status DeviceStore::ApplyAnonReply(const AnonUploadReply& reply) {
  Tx tx(db_);
  SHEFU_RETURN_IF_ERROR(tx.status());
  SHEFU_RETURN_IF_ERROR(anon_.Ack(reply, clock_.PhysicalMs()));
  return tx.Commit();
}

Status DeviceStore::Prune() {
  Tx tx(db_);
  SHEFU_RETURN_IF_ERROR(tx.status());
  int64_t before = clock_.PhysicalMs() - opt_.retention_ms;
  SHEFU_RETURN_IF_ERROR(outbox_.Prune(before, state_.checkpoint));
  SHEFU_RETURN_IF_ERROR(anon_.Prune(before));
  return tx.Commit();
}

}  // namespace shefu::sync
