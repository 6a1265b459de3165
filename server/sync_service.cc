#include "server/sync_service.h"

#include "server/audit_trail.h"
#include "server/http_service.h"
#include "server/request_context.h"

namespace shefu::server {

sync::Principal PrincipalOf(const Caller& c) {
  sync::Principal p;
  p.client_id = c.client_id;
  p.user_id = c.user.id;
  p.role = c.user.role;
  p.scope = c.user.scope;
  return p;
}

// The audit entry of every write the engine commits, written inside its transaction: actor,
// device, request id, what happened, the ids of the records written — never their values.
// Anonymous batches are audited only as counts (no record ids exist for them anyway).
Status AuditSyncCommit(Db& db, int64_t now_ms, const sync::ServerOptions::CommitInfo& info) {
  AuditEntry a;
  if (info.principal) {
    a.actor_user = info.principal->user_id;
    a.actor_device = info.principal->client_id;
  }
  a.request_id = CurrentRequest().request_id;
  a.action = "sync." + std::string(info.what);
  if (info.records.size() == 1) {
    a.entity = info.records[0].first;
    a.record_id = info.records[0].second;
  }
  a.detail = {{"applied", info.applied}, {"refused", info.refused}, {"conflicts", info.conflicts}};
  if (info.what == "upload") {
    a.detail["first_seq"] = info.first_seq;
    a.detail["last_seq"] = info.last_seq;
  }
  if (info.conflict_id) a.detail["conflict"] = info.conflict_id;
  if (info.what != "anon" && info.records.size() > 1) {
    Json ids = Json::array();
    for (const auto& [entity, id] : info.records) ids.push_back(Json::array({entity, id}));
    a.detail["records"] = std::move(ids);
  }
  return AppendAudit(db, now_ms, a);
}

Result<std::unique_ptr<SyncService>> SyncService::Open(CentralStore& store, Clock& clock, Rng& rng,
                                                       const DomainContext& places,
                                                       sync::ServerOptions opt) {
  if (!opt.before_commit) {
    opt.before_commit = [&clock](Db& db, const sync::ServerOptions::CommitInfo& info) {
      return AuditSyncCommit(db, clock.NowMs(), info);
    };
  }
  std::unique_ptr<SyncService> s(new SyncService(store, clock, rng, places, std::move(opt)));
  auto w = store.WithWriter(
      [&](Db& db) { return sync::SyncServer::Open(db, clock, rng, places, nullptr, s->opt_); });
  if (!w.ok()) return w.status();
  s->writer_ = std::move(w.value());
  return s;
}

Result<sync::SyncServer*> SyncService::Reader() {
  auto db = store_.Reader();
  if (!db.ok()) return db.status();
  std::lock_guard<std::mutex> lock(readers_mu_);
  auto& slot = readers_[std::this_thread::get_id()];
  if (!slot) {
    auto r = sync::SyncServer::Open(**db, clock_, rng_, places_, nullptr, opt_);
    if (!r.ok()) return r.status();
    slot = std::move(r.value());
  }
  return slot.get();
}

sync::Reply SyncService::Upload(const sync::Principal& p, Json body) {
  return WithWriter([&](sync::SyncServer& s) { return s.HandleUpload(p, std::move(body)); });
}

sync::Reply SyncService::Anon(const sync::Principal& p, Json body) {
  return WithWriter([&](sync::SyncServer& s) { return s.HandleAnonUpload(p, std::move(body)); });
}

sync::Reply SyncService::Download(const sync::Principal& p, Json body) {
  auto r = Reader();
  if (!r.ok()) return sync::Reply{503, ErrorJson(r.status())};
  return (*r)->HandleDownload(p, std::move(body));
}

}  // namespace shefu::server
