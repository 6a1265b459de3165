// The sync engine inside the server: one SyncServer on the store's single writer connection for
// everything that writes (uploads, anonymous batches, staff writes, conflict resolution), and one
// per HTTP worker thread on that thread's reader connection for downloads — so a device pulling
// pages never waits behind another device's upload (WAL readers see the last committed state).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "server/accounts.h"
#include "server/central_store.h"
#include "sync/sync_server.h"

namespace shefu::server {

// The audit entry for a write the engine is about to commit (installed as the engine's
// before_commit hook, so audit and change commit together).
Status AuditSyncCommit(Db& db, int64_t now_ms, const sync::ServerOptions::CommitInfo& info);

// The engine's view of an authenticated caller.
sync::Principal PrincipalOf(const Caller& c);

class SyncService {
 public:
  static Result<std::unique_ptr<SyncService>> Open(CentralStore& store, Clock& clock, Rng& rng,
                                                   const DomainContext& places,
                                                   sync::ServerOptions opt = {});

  // Runs f(SyncServer&) under the store's write lock (f must not call WithWriter again).
  template <typename F>
  auto WithWriter(F&& f) -> decltype(f(std::declval<sync::SyncServer&>())) {
    return store_.WithWriter([&](Db&) { return f(*writer_); });
  }
  // A SyncServer on the calling thread's reader connection: downloads and queries only.
  Result<sync::SyncServer*> Reader();

  sync::Reply Upload(const sync::Principal& p, Json body);
  sync::Reply Anon(const sync::Principal& p, Json body);
  sync::Reply Download(const sync::Principal& p, Json body);

 private:
  SyncService(CentralStore& store, Clock& clock, Rng& rng, const DomainContext& places,
              sync::ServerOptions opt)
      : store_(store), clock_(clock), rng_(rng), places_(places), opt_(std::move(opt)) {}
  CentralStore& store_;
  Clock& clock_;
  Rng& rng_;
  const DomainContext& places_;
  sync::ServerOptions opt_;
  std::unique_ptr<sync::SyncServer> writer_;
  std::mutex readers_mu_;
  std::map<std::thread::id, std::unique_ptr<sync::SyncServer>> readers_;
};

}  // namespace shefu::server
