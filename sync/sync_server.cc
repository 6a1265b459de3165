#include "sync/sync_server.h"

namespace shefu::sync {

SyncServer::SyncServer(Db& db, Clock& wall, Rng& rng, const DomainContext& ctx,
                       const Authorizer* auth, ServerOptions opt, Hlc last)
    : db_(db),
      wall_(wall),
      rng_(rng),
      ctx_(ctx),
      auth_(auth ? *auth : default_auth_),
      opt_(std::move(opt)),
      clock_(wall, last, opt_.clock),
      store_(db),
      log_(store_),
      applier_(store_, log_, clock_, ctx_, auth_) {}

Result<std::unique_ptr<SyncServer>> SyncServer::Open(Db& db, Clock& clock, Rng& rng,
                                                     const DomainContext& ctx,
                                                     const Authorizer* auth, ServerOptions opt) {
  if (opt.cache_mib > 0) {
    // A fixed statement (no input): the size is an integer we format ourselves.
    SHEFU_RETURN_IF_ERROR(db.Exec("PRAGMA cache_size = -" + std::to_string(opt.cache_mib * 1024)));
  }
  if (opt.wal_autocheckpoint_pages > 0) {
    SHEFU_RETURN_IF_ERROR(
        db.Exec("PRAGMA wal_autocheckpoint = " + std::to_string(opt.wal_autocheckpoint_pages)));
  }
  SHEFU_RETURN_IF_ERROR(MigrateClockSchema(db));
  SHEFU_RETURN_IF_ERROR(ServerStore::Migrate(db, rng));
  auto last = LoadHlc(db);
  if (!last.ok()) return last.status();
  return std::unique_ptr<SyncServer>(
      new SyncServer(db, clock, rng, ctx, auth, std::move(opt), *last));
}

Reply SyncServer::Handle(std::string_view route, const Principal& p, Json request) {
  if (route == kRouteUpload) return HandleUpload(p, std::move(request));
  if (route == kRouteDownload) return HandleDownload(p, std::move(request));
  if (route == kRouteAnon) return HandleAnonUpload(p, std::move(request));
  return ErrorReplyFor(ProtocolError(kBadRequest, "未知的同步接口", "unknown sync route"));
}

Reply SyncServer::ErrorReplyFor(const Status& st, std::optional<int64_t> expected_seq,
                                std::string reason) const {
  Status s = st;
  if (!FindError(s.code())) {
    // Storage trouble is the server's, never the device's: retryable, nothing was committed.
    s = s.code() == "storage_busy" ? ProtocolError(kServerBusy)
                                   : ProtocolError(kInternal, st.zh(), st.en());
  }
  Reply r;
  r.http_status = FindError(s.code())->http_status;
  r.body = Encode(ToErrorReply(s, expected_seq, std::move(reason)), opt_.versions);
  return r;
}

Result<std::string> SyncServer::SetNewEpoch() {
  Tx tx(db_);
  SHEFU_RETURN_IF_ERROR(tx.status());
  auto meta = store_.LoadMeta();
  if (!meta.ok()) return meta.status();
  std::string epoch;
  do {
    epoch = rng_.Hex(8);
  } while (epoch == meta->epoch);
  meta->epoch = epoch;
  SHEFU_RETURN_IF_ERROR(store_.SaveMeta(*meta));
  SHEFU_RETURN_IF_ERROR(tx.Commit());
  return epoch;
}

Result<std::string> SyncServer::Epoch() {
  auto meta = store_.LoadMeta();
  if (!meta.ok()) return meta.status();
  return meta->epoch;
}

Result<int64_t> SyncServer::ExpectedSeq(std::string_view client_id) {
  auto last = store_.ClientLastSeq(client_id);
  if (!last.ok()) return last.status();
  return *last + 1;
}

}  // namespace shefu::sync
