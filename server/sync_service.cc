#include "server/sync_service.h"

#include "server/http_service.h"

namespace shefu::server {

sync::Principal PrincipalOf(const Caller& c) {
  sync::Principal p;
  p.client_id = c.client_id;
  p.user_id = c.user.id;
  p.role = c.user.role;
  p.scope = c.user.scope;
  return p;
}

Result<std::unique_ptr<SyncService>> SyncService::Open(CentralStore& store, Clock& clock, Rng& rng,
                                                       const DomainContext& places,
                                                       sync::ServerOptions opt) {
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
