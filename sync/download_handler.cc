// SyncServer::HandleDownload — the download protocol (docs/protocol.md §3): pages of the
// compacted feed after an opaque cursor, filtered by the principal's scope. From the empty cursor
// the pages are a snapshot of the scope's current state.
#include "sync/cursor.h"
#include "sync/sync_server.h"

namespace shefu::sync {

Reply SyncServer::HandleDownload(const Principal& p, Json request) {
  const VersionPolicy answer_in = ReplyVersions(request, opt_.versions);
  auto req = DecodeDownloadRequest(request, opt_.versions);
  if (!req.ok()) return ErrorReplyFor(req.status());
  auto cursor = Cursor::Decode(req->cursor);
  if (!cursor.ok()) return ErrorReplyFor(cursor.status());

  // One read transaction: the high-water mark and the rows come from the same snapshot, so no
  // row below the new cursor can appear later.
  Tx tx(db_, Tx::Mode::kDeferred);
  if (!tx.status().ok()) return ErrorReplyFor(tx.status());
  auto meta = store_.LoadMeta();
  if (!meta.ok()) return ErrorReplyFor(meta.status());
  const std::string scope = ScopeHash(p.scope);
  // The device knows the store by another epoch (from its cursor, or from an acknowledgement):
  // the store was restored from a backup since.
  const bool other_epoch = (!cursor->empty() && cursor->epoch != meta->epoch) ||
                           (!req->epoch.empty() && req->epoch != meta->epoch);
  if (other_epoch || (!cursor->empty() && cursor->scope != scope)) {
    auto last = store_.ClientLastSeq(p.client_id);
    if (!last.ok()) return ErrorReplyFor(last.status());
    bool restored = other_epoch;
    return ErrorReplyFor(
        ProtocolError(kResetRequired, restored ? "服务器数据已从备份恢复" : "同步范围已变更",
                      restored ? "the server store was restored from a backup"
                               : "the scope of this account changed"),
        *last + 1, restored ? "restored" : "scope");
  }
  auto rows = store_.ReadFeed(cursor->position, meta->last_sseq, p.scope, req->limit + 1);
  if (!rows.ok()) return ErrorReplyFor(rows.status());
  tx.Rollback();  // read only

  DownloadReply reply;
  reply.epoch = meta->epoch;
  reply.has_more = rows->size() > static_cast<size_t>(req->limit);
  if (reply.has_more) rows->pop_back();
  reply.checkpoint = reply.has_more ? rows->back().sseq : meta->last_sseq;
  reply.changes.reserve(rows->size());
  for (FeedRecord& f : *rows) {
    FeedRow r;
    auto v = ParseJson(f.value, 64);
    if (!v.ok()) return ErrorReplyFor(v.status());
    r.entity = std::move(f.entity);
    r.id = std::move(f.id);
    r.group = std::move(f.group);
    r.value = std::move(*v);
    r.hlc = f.hlc;
    r.node = std::move(f.node);
    r.seq = f.seq;
    r.version = f.version;
    r.flags = f.flags;
    reply.changes.push_back(std::move(r));
  }
  // A committed upload is visible before it is flushed when the WAL is flushed after the writer
  // (ServerOptions::wal_sync): nothing is served that a power cut could still take back — its
  // server_seq could be reused for other content, behind this device's cursor.
  if (opt_.wal_sync) {
    Status durable = opt_.wal_sync->SyncUpTo(reply.checkpoint);
    if (!durable.ok()) return ErrorReplyFor(durable);
  }
  reply.next_cursor = Cursor{meta->epoch, reply.checkpoint, scope}.Encode();
  // Not a new event: the latest stamp, or physical time if later (nothing to persist).
  reply.server_hlc = std::max(clock_.last(), Hlc::Make(clock_.PhysicalMs(), 0));
  return Reply{200, Encode(reply, answer_in)};
}

}  // namespace shefu::sync
