#include "client/local_store.h"

#include "sync/conflict_log.h"
#include "sync/device_store.h"
#include "sync/rules.h"

namespace shefu::client {
namespace {

StoredRecord FromView(const sync::RecordView& v) {
  StoredRecord r;
  r.entity = v.entity;
  r.id = v.id;
  r.deleted = v.deleted;
  r.counted = v.counted;
  for (const auto& [name, g] : v.groups) {
    StoredGroup s;
    s.value = g.value;
    s.unconfirmed = g.local;
    s.node = g.node;
    s.stamp_ms = g.hlc.ms();
    r.groups.emplace(name, std::move(s));
  }
  return r;
}

ConflictSideView FromSide(const sync::ConflictSide& s) {
  ConflictSideView v;
  auto j = ParseJson(s.value, 64);
  v.value = j.ok() ? std::move(*j) : Json(s.value);
  v.node = s.node;
  v.stamp_ms = s.hlc.ms();
  return v;
}

}  // namespace

LocalStore::LocalStore(Db& db, std::unique_ptr<sync::DeviceStore> s)
    : db_(db), store_(std::move(s)) {}
LocalStore::~LocalStore() = default;

Result<std::unique_ptr<LocalStore>> LocalStore::Open(Db& db, Clock& clock, Rng& rng,
                                                     const DomainContext& ctx) {
  auto s = sync::DeviceStore::Open(db, clock, rng, ctx);
  if (!s.ok()) return s.status();
  return std::unique_ptr<LocalStore>(new LocalStore(db, std::move(*s)));
}

const std::string& LocalStore::client_id() const {
  return store_->client_id();
}
Status LocalStore::SetClientId(const std::string& id) {
  return store_->SetClientId(id);
}
Status LocalStore::Reenrol(const std::string& new_id) {
  return store_->Reenrol(new_id);
}
StoreHealth LocalStore::health() const {
  return store_->health() == sync::DeviceHealth::kOk ? StoreHealth::kOk
                                                     : StoreHealth::kNeedsReenrolment;
}

Result<std::string> LocalStore::Create(const std::string& entity,
                                       std::vector<std::pair<std::string, Json>> groups) {
  std::vector<sync::GroupWrite> w;
  for (auto& [g, v] : groups) w.push_back(sync::GroupWrite{g, std::move(v)});
  return store_->Create(entity, std::move(w));
}

Status LocalStore::Write(const std::string& entity, const std::string& id, const std::string& group,
                         Json value) {
  return store_->Write(entity, id, group, std::move(value));
}

Status LocalStore::Delete(const std::string& entity, const std::string& id) {
  return store_->Delete(entity, id);
}

Result<std::optional<StoredRecord>> LocalStore::Read(const std::string& entity,
                                                     const std::string& id) {
  auto v = store_->Read(entity, id);
  if (!v.ok()) return v.status();
  if (!*v) return std::optional<StoredRecord>();
  return std::optional<StoredRecord>(FromView(**v));
}

Result<std::vector<StoredRecord>> LocalStore::List(const std::string& entity,
                                                   bool include_deleted) {
  auto v = store_->List(entity, include_deleted);
  if (!v.ok()) return v.status();
  std::vector<StoredRecord> out;
  out.reserve(v->size());
  for (const auto& r : *v) out.push_back(FromView(r));
  return out;
}

Result<int64_t> LocalStore::CounterSum(const std::string& entity, const std::string& target) {
  return store_->CounterSum(entity, target);
}

Status LocalStore::AnonAdd(const std::string& session, const std::string& entity, Json value) {
  return store_->AnonAdd(session, entity, std::move(value));
}

Status LocalStore::AnonAddAll(const std::string& session,
                              std::vector<std::pair<std::string, Json>> items) {
  return store_->AnonAddAll(session, std::move(items));
}

Result<int64_t> LocalStore::AnonClose(const std::string& session) {
  return store_->AnonClose(session);
}

// The aggregate reads below go to the engine's tables directly (sync/device_schema.cc): the
// engine has no count API for them, and scanning every row through OutboxEntries() to count a
// few would be slow on a device with a long retained outbox.
Result<int64_t> LocalStore::AnonUnsent() {
  auto open = db_.QueryInt("SELECT count(*) FROM sync_anon_open");
  if (!open.ok()) return open.status();
  auto sealed = db_.QueryInt(
      "SELECT coalesce(sum(json_array_length(items)), 0) FROM sync_anon_batch "
      "WHERE acked_ms IS NULL");
  if (!sealed.ok()) return sealed.status();
  return open->value_or(0) + sealed->value_or(0);
}

Result<std::vector<std::string>> LocalStore::UnsentIds(const std::string& entity) {
  auto st =
      db_.Cached("SELECT DISTINCT id FROM sync_outbox WHERE entity = ?1 AND acked_ms IS NULL");
  st.Bind(1, entity);
  std::vector<std::string> out;
  for (;;) {
    auto r = st.Step();
    if (!r.ok()) return r.status();
    if (!*r) break;
    out.push_back(st->Str(0));
  }
  return out;
}

Result<std::optional<int64_t>> LocalStore::OldestUnsentMs() {
  return db_.QueryInt("SELECT min(created_ms) FROM sync_outbox WHERE acked_ms IS NULL");
}

Result<int64_t> LocalStore::PendingCount() {
  return store_->PendingCount();
}

Result<std::vector<StoredConflict>> LocalStore::Conflicts(bool open_only) {
  auto list = store_->Conflicts(open_only);
  if (!list.ok()) return list.status();
  std::vector<StoredConflict> out;
  for (const sync::Conflict& c : *list) {
    StoredConflict s;
    s.id = c.id;
    s.entity = c.entity;
    s.record_id = c.record_id;
    s.group = c.group;
    s.rule = sync::RuleCode(c.rule);
    s.detail = c.detail;
    s.message = c.message;
    if (c.winner) s.winner = FromSide(*c.winner);
    s.loser = FromSide(c.loser);
    s.detected_ms = c.detected_ms;
    s.status = sync::ConflictStatusCode(c.status);
    out.push_back(std::move(s));
  }
  return out;
}

Result<std::vector<OutboxRow>> LocalStore::Outbox(size_t limit) {
  auto rows = store_->OutboxEntries(limit);
  if (!rows.ok()) return rows.status();
  std::vector<OutboxRow> out;
  for (const sync::OutboxEntry& e : *rows) {
    OutboxRow o;
    o.seq = e.seq;
    o.entity = e.entity;
    o.id = e.id;
    o.group = e.group;
    o.created_ms = e.created_ms;
    o.acked_ms = e.acked_ms;
    o.outcome = e.outcome;
    o.code = e.code;
    o.detail = e.detail;
    o.message = e.message;
    out.push_back(std::move(o));
  }
  return out;
}

}  // namespace shefu::client
