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
#include "server/server_keys.h"
#include "shared/wal_checkpointer.h"
#include "sync/sync_server.h"
#include "sync/upload_queue.h"

namespace shefu::server {

// The audit entry for a write the engine is about to commit (installed as the engine's
// before_commit hook, so audit and change commit together).
Status AuditSyncCommit(Db& db, int64_t now_ms, const sync::ServerOptions::CommitInfo& info);

// The engine's view of an authenticated caller.
sync::Principal PrincipalOf(const Caller& c);

class SyncService {
 public:
  // With `keys`, sealed resident ID numbers on needs are indexed by their keyed hash after every
  // write (resident_index.h), and needs left unindexed (a crash, a restore) are indexed at open.
  static Result<std::unique_ptr<SyncService>> Open(CentralStore& store, Clock& clock, Rng& rng,
                                                   const DomainContext& places,
                                                   sync::ServerOptions opt = {},
                                                   const ServerKeys* keys = nullptr);

  // Runs f(SyncServer&) under the store's write lock (f must not call WithWriter again).
  // Needs whose sealed ID numbers changed are re-indexed afterwards, under the same lock.
  template <typename F>
  auto WithWriter(F&& f) -> decltype(f(std::declval<sync::SyncServer&>())) {
    return store_.WithWriter([&](Db& db) {
      touched_needs_.clear();
      auto r = f(*writer_);
      IndexAfterWrite(db);
      return r;
    });
  }
  // A SyncServer on the calling thread's reader connection: downloads and queries only.
  Result<sync::SyncServer*> Reader();

  // An upload's bytes: decoded on the calling thread, then applied with the uploads of other
  // devices that arrive meanwhile, in one transaction (group commit: sync/upload_queue.h).
  sync::Reply Upload(const sync::Principal& p, std::string_view body);
  sync::Reply Anon(const sync::Principal& p, Json body);
  sync::Reply Download(const sync::Principal& p, Json body);

 private:
  SyncService(CentralStore& store, Clock& clock, Rng& rng, const DomainContext& places,
              sync::ServerOptions opt, const ServerKeys* keys)
      : store_(store),
        clock_(clock),
        rng_(rng),
        places_(places),
        opt_(std::move(opt)),
        keys_(keys) {}
  // Under the write lock, after a commit: index the needs that write touched.
  void IndexAfterWrite(Db& db);
  CentralStore& store_;
  Clock& clock_;
  Rng& rng_;
  const DomainContext& places_;
  sync::ServerOptions opt_;
  const ServerKeys* keys_;
  std::unique_ptr<sync::SyncServer> writer_;
  std::unique_ptr<WalCheckpointer> checkpointer_;  // null for an in-memory store
  // Flushes the WAL after the writer is handed on (shared/wal_sync.h); null for an in-memory
  // store. Declared before the queue, which calls it, so it outlives it.
  std::unique_ptr<WalSync> wal_sync_;
  std::unique_ptr<sync::UploadQueue> uploads_;
  // Needs written by the last commit (filled by the before_commit hook, under the write lock).
  std::vector<std::string> touched_needs_;
  std::mutex readers_mu_;
  std::map<std::thread::id, std::unique_ptr<sync::SyncServer>> readers_;
};

}  // namespace shefu::server
