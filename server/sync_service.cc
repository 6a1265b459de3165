#include "server/sync_service.h"

#include "server/audit_trail.h"
#include "server/http_service.h"
#include "server/request_context.h"
#include "server/resident_index.h"

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
                                                       sync::ServerOptions opt,
                                                       const ServerKeys* keys) {
  std::unique_ptr<SyncService> s(new SyncService(store, clock, rng, places, {}, keys));
  if (!opt.before_commit) {
    SyncService* self = s.get();
    opt.before_commit = [&clock, self](Db& db, const sync::ServerOptions::CommitInfo& info) {
      for (const auto& [entity, id] : info.records)
        if (entity == "need") self->touched_needs_.push_back(id);
      return AuditSyncCommit(db, clock.NowMs(), info);
    };
  }
  s->opt_ = std::move(opt);
  {
    // Upload groups commit without flushing; the leader flushes after handing the writer on.
    std::string path = store.WithWriter([](Db& db) { return db.path(); });
    if (path != ":memory:" && !path.empty()) {
      s->wal_sync_ = WalSync::Open(path, 0);
      s->opt_.wal_sync = s->wal_sync_.get();
    }
  }
  auto w = store.WithWriter(
      [&](Db& db) { return sync::SyncServer::Open(db, clock, rng, places, nullptr, s->opt_); });
  if (!w.ok()) return w.status();
  s->writer_ = std::move(w.value());
  if (s->opt_.wal_autocheckpoint_pages > 0) {
    // WAL checkpoints on a thread of their own, not inside an upload's commit
    // (shared/wal_checkpointer.h). After SyncServer::Open, whose PRAGMA would undo the hook.
    const int pages = s->opt_.wal_autocheckpoint_pages;
    auto ck = store.WithWriter([&](Db& db) -> Result<std::unique_ptr<WalCheckpointer>> {
      if (db.path() == ":memory:") return std::unique_ptr<WalCheckpointer>();
      return WalCheckpointer::Start(db, {pages, 4 * pages});
    });
    if (!ck.ok()) return ck.status();
    s->checkpointer_ = std::move(ck.value());
  }
  {
    SyncService* self = s.get();
    s->uploads_ = std::make_unique<sync::UploadQueue>(
        [self](std::span<sync::SyncServer::UploadJob> jobs) {
          self->WithWriter([&](sync::SyncServer& srv) {
            srv.ApplyUploads(jobs);
            return 0;
          });
        },
        sync::UploadQueue::Limits{}, [self] { return self->writer_->MakeDurable(); });
  }
  if (keys) {
    // Repair: needs whose index was lost (crash after commit, restore) are indexed now.
    Status st = store.WithWriter([&](Db& db) -> Status {
      auto missing = UnindexedNeeds(*s->writer_, db);
      if (!missing.ok()) return missing.status();
      if (missing->empty()) return Status::Ok();
      Tx tx(db);
      SHEFU_RETURN_IF_ERROR(tx.status());
      auto r = IndexResidentIds(db, *s->writer_, *keys, *missing, clock.NowMs());
      if (!r.ok()) return r.status();
      return tx.Commit();
    });
    if (!st.ok()) return st;
  }
  return s;
}

void SyncService::IndexAfterWrite(Db& db) {
  if (!keys_ || touched_needs_.empty()) return;
  std::vector<std::string> ids;
  ids.swap(touched_needs_);
  // Derived data: if this fails the needs stay unindexed until the next open repairs them. For
  // the same reason it does not flush the WAL itself when the upload path flushes after the
  // writer (a power cut before that flush leaves needs the next open indexes).
  CommitsWithoutFlush deferred(db, wal_sync_ != nullptr);
  Tx tx(db);
  if (!tx.status().ok()) return;
  auto r = IndexResidentIds(db, *writer_, *keys_, ids, clock_.NowMs());
  if (r.ok()) (void)tx.Commit();
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

sync::Reply SyncService::Upload(const sync::Principal& p, std::string_view body) {
  // Decoding needs no lock: many devices' bodies are decoded at once, on their HTTP threads.
  auto decoded = sync::DecodeUploadBody(body, writer_->options().versions);
  if (!decoded.ok()) return writer_->ErrorReplyFor(decoded.status());
  writer_->PrepareUpload(&*decoded);
  // WithWriter (in the queue's apply) indexes sealed ID numbers of the needs the group wrote.
  return uploads_->Submit(p, std::move(*decoded));
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
