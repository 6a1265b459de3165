// SyncServer::HandleUpload — the upload protocol (docs/protocol.md §2): idempotent ordered
// batches keyed by (client_id, client_seq), applied with their feed rows, conflict rows, batch
// record and client progress in one transaction.
#include <cstring>

#include "sync/content_hash.h"
#include "sync/sync_server.h"

#include <set>

namespace shefu::sync {
namespace {

// The identity of one change: what a retry must repeat exactly. (The base version is left out:
// the device rewrites it to 0 after a server restore, for seqs the restored store never saw.)
uint64_t ChangeHash(const Change& c) {
  return ContentHash()
      .Add(c.entity)
      .Add(c.id)
      .Add(c.group)
      .Add(c.value_text)
      .Add(static_cast<int64_t>(c.hlc.packed()))
      .value();
}

void AppendHash(std::string* out, uint64_t h) {
  char b[8];
  for (int i = 0; i < 8; ++i) b[i] = static_cast<char>((h >> (8 * i)) & 0xFF);
  out->append(b, 8);
}

uint64_t HashAt(const std::string& hashes, size_t index) {
  uint64_t h = 0;
  for (int i = 0; i < 8; ++i)
    h |= static_cast<uint64_t>(
             static_cast<unsigned char>(hashes[index * 8 + static_cast<size_t>(i)]))
         << (8 * i);
  return h;
}

}  // namespace

Reply SyncServer::HandleUpload(const Principal& p, Json request) {
  const VersionPolicy answer_in = ReplyVersions(request, opt_.versions);
  auto req = DecodeUploadRequest(std::move(request), opt_.versions);
  if (!req.ok()) return ErrorReplyFor(req.status());
  if (req->client_id != p.client_id || p.client_id.empty() || p.client_id == opt_.node_id)
    return ErrorReplyFor(ProtocolError(kClientMismatch));

  Tx tx(db_);
  if (!tx.status().ok()) return ErrorReplyFor(tx.status());
  auto meta = store_.LoadMeta();
  if (!meta.ok()) return ErrorReplyFor(meta.status());
  WriteContext w{store_, *meta, wall_.NowMs()};
  auto last_or = store_.ClientLastSeq(p.client_id);
  if (!last_or.ok()) return ErrorReplyFor(last_or.status());
  const int64_t last = *last_or;

  // The device's base versions belong to another epoch: the store was restored from a backup.
  if (!req->epoch.empty() && req->epoch != meta->epoch)
    return ErrorReplyFor(ProtocolError(kResetRequired, "服务器数据已从备份恢复",
                                       "the server store was restored from a backup"),
                         last + 1, "restored");
  if (req->first_seq > last + 1) return ErrorReplyFor(ProtocolError(kExpectedSeq), last + 1);

  // Seqs already applied must repeat exactly what was applied: a retry gets the stored answer,
  // other content under the same seqs is a device restored from an old backup.
  std::vector<RecordResult> results;
  if (req->first_seq <= last) {
    const int64_t to = std::min(last, req->last_seq);
    auto batches = store_.BatchesOverlapping(p.client_id, req->first_seq, to);
    if (!batches.ok()) return ErrorReplyFor(batches.status());
    size_t bi = 0;
    for (int64_t seq = req->first_seq; seq <= to; ++seq) {
      while (bi < batches->size() && (*batches)[bi].last_seq < seq) ++bi;
      const ServerStore::Batch* b = bi < batches->size() ? &(*batches)[bi] : nullptr;
      bool same = b && b->first_seq <= seq &&
                  b->hashes.size() >= static_cast<size_t>(seq - b->first_seq + 1) * 8 &&
                  HashAt(b->hashes, static_cast<size_t>(seq - b->first_seq)) ==
                      ChangeHash(req->changes[static_cast<size_t>(seq - req->first_seq)]);
      if (!same) {
        return ErrorReplyFor(
            ProtocolError(kSeqReuse, "序号 " + std::to_string(seq), "seq " + std::to_string(seq)));
      }
    }
    for (const auto& b : *batches) {
      auto stored = ParseJson(b.results);
      std::vector<RecordResult> rs;
      if (stored.ok()) (void)ResultsFromJson(*stored, &rs);
      for (auto& r : rs)
        if (r.seq >= req->first_seq && r.seq <= to) results.push_back(std::move(r));
    }
  }

  applier_.Begin();
  ServerStore::Batch batch;
  std::vector<RecordResult> fresh;
  int64_t max_ahead = 0;
  for (const Change& c : req->changes) {
    if (c.seq <= last) continue;
    if (batch.hashes.empty()) batch.first_seq = c.seq;
    auto r = applier_.Apply(w, IncomingWrite{c, p.client_id, p, true});
    if (!r.ok()) return ErrorReplyFor(r.status());
    AppendHash(&batch.hashes, ChangeHash(c));
    max_ahead = std::max(max_ahead, r->ahead_ms);
    for (auto& rr : r->results) fresh.push_back(std::move(rr));
  }
  if (!batch.hashes.empty()) {
    batch.last_seq = req->last_seq;
    batch.results = DumpJson(ResultsToJson(fresh));
    Status st = store_.PutBatch(p.client_id, batch, w.now_ms);
    if (st.ok()) st = store_.SetClientProgress(p.client_id, req->last_seq, w.now_ms, max_ahead);
    if (!st.ok()) return ErrorReplyFor(st);
  }
  UploadReply reply;
  reply.server_hlc = clock_.Now();
  Status st = SaveHlc(db_, clock_.last());
  if (st.ok()) st = store_.SaveMeta(w.meta);
  if (!st.ok()) return ErrorReplyFor(st);
  if (!batch.hashes.empty() && opt_.before_commit) {
    ServerOptions::CommitInfo info;
    info.what = "upload";
    info.principal = &p;
    info.first_seq = batch.first_seq;
    info.last_seq = req->last_seq;
    std::set<std::pair<std::string, std::string>> seen;
    for (const Change& c : req->changes) {
      if (c.seq <= last) continue;
      if (seen.insert({c.entity, c.id}).second) info.records.emplace_back(c.entity, c.id);
    }
    for (const RecordResult& r : fresh) {
      if (r.outcome == Outcome::kRefused) ++info.refused;
      if (r.outcome == Outcome::kConflict) ++info.conflicts;
    }
    info.applied = (req->last_seq - batch.first_seq + 1) - info.refused;
    st = BeforeCommit(info);
    if (!st.ok()) return ErrorReplyFor(st);
  }
  if (Fault("upload:before_commit")) return ErrorReplyFor(ProtocolError(kInternal));
  st = tx.Commit();
  if (!st.ok()) return ErrorReplyFor(st);

  reply.epoch = w.meta.epoch;
  reply.acked_seq = req->last_seq;
  reply.checkpoint = w.meta.last_sseq;
  reply.results = std::move(results);
  for (auto& r : fresh) reply.results.push_back(std::move(r));
  return Reply{200, Encode(reply, answer_in)};
}

}  // namespace shefu::sync
