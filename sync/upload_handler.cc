// SyncServer::HandleUpload — the upload protocol (docs/protocol.md §2): idempotent ordered
// batches keyed by (client_id, client_seq), applied with their feed rows, conflict rows, batch
// record and client progress in one transaction.
#include <algorithm>
#include <cstring>

#include "sync/content_hash.h"
#include "sync/sync_server.h"
#include "sync/upload_decoder.h"

#include <optional>
#include <set>
#include <span>

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
  DecodedUpload d;
  d.spoke = ReplyVersions(request, opt_.versions);
  auto req = DecodeUploadRequest(std::move(request), opt_.versions);
  if (!req.ok()) return ErrorReplyFor(req.status());
  d.request = std::move(*req);
  return ApplyUpload(p, std::move(d));
}

Reply SyncServer::HandleUploadBody(const Principal& p, std::string_view body) {
  auto d = DecodeUploadBody(body, opt_.versions);
  if (!d.ok()) return ErrorReplyFor(d.status());
  return ApplyUpload(p, std::move(*d));
}

void SyncServer::PrepareUpload(DecodedUpload* d) const {
  const std::vector<Change>& changes = d->request.changes;
  d->hashes.resize(changes.size());
  d->validated.resize(changes.size());
  d->rkeys.resize(changes.size());
  for (size_t i = 0; i < changes.size(); ++i) {
    const Change& c = changes[i];
    d->hashes[i] = ChangeHash(c);
    // Unknown and anonymous-stream entities are refused before validation: nothing to do.
    const EntityTypeSpec* type = FindEntityType(c.entity);
    if (type && type->stream != Stream::kAnonymous)
      d->validated[i] = ValidateGroupWrite(ctx_, *type, c.group, c.value);
    if (type && type->kind != MergeKind::kEditable) d->rkeys[i] = RecordKey(*type, c.value);
  }
}

Reply SyncServer::ApplyUpload(const Principal& p, DecodedUpload decoded) {
  UploadJob job{&p, std::move(decoded), {}};
  ApplyUploads(std::span<UploadJob>(&job, 1));
  if (job.reply.ok()) {
    Status durable = MakeDurable();
    if (!durable.ok()) return ErrorReplyFor(durable);
  }
  return std::move(job.reply);
}

Status SyncServer::MakeDurable() {
  return opt_.wal_sync ? opt_.wal_sync->SyncUpTo(committed_mark_.load()) : Status::Ok();
}

void SyncServer::ApplyUploads(std::span<UploadJob> jobs) {
  auto fail_all = [&](const Status& st) {
    for (UploadJob& j : jobs) j.reply = ErrorReplyFor(st);
  };
  // With a WalSync the group's COMMIT does not flush the WAL: MakeDurable does, after the
  // writer is handed on.
  CommitsWithoutFlush deferred(db_, opt_.wal_sync != nullptr);
  Tx tx(db_);
  if (!tx.status().ok()) return fail_all(tx.status());
  auto meta = store_.LoadMeta();
  if (!meta.ok()) return fail_all(meta.status());
  // Only the writer stores the mark; MakeDurable reads it on any thread.
  auto committed = [this](int64_t sseq) {
    if (sseq > committed_mark_.load()) committed_mark_.store(sseq);
  };
  // What is committed already (a retry answered from a stored batch acknowledges it too).
  committed(meta->last_sseq);
  WriteContext w{store_, *meta, wall_.NowMs()};
  applier_.Begin();
  // Replies are final only after the one COMMIT below; until then `pending` holds them.
  std::vector<std::optional<UploadReply>> pending(jobs.size());
  for (size_t i = 0; i < jobs.size(); ++i) {
    const DecodedUpload& d = jobs[i].decoded;
    const size_t n = d.request.changes.size();
    if (d.hashes.size() != n || d.validated.size() != n || d.rkeys.size() != n)
      PrepareUpload(&jobs[i].decoded);
    bool wrote = false;
    Result<UploadReply> r = ApplyOneUpload(w, jobs[i], &wrote);
    if (r.ok()) {
      pending[i] = std::move(*r);
    } else if (wrote) {
      // It failed after writing (storage trouble, its audit entry refused): nothing of it may
      // commit, and its rows cannot be told from the others', so the transaction is rolled back
      // and, in a group, every upload of it applied alone. Rare; refusals decided before any
      // write (expected_seq, seq_reuse, ...) do not come here and simply leave the upload out.
      tx.Rollback();
      if (jobs.size() > 1)
        for (UploadJob& j : jobs) ApplyUploads(std::span<UploadJob>(&j, 1));
      return;
    }
  }
  // Every upload refused before writing: nothing to commit, and nothing (not even the clock
  // row) may change.
  if (std::none_of(pending.begin(), pending.end(), [](const auto& r) { return r.has_value(); }))
    return;
  Status st = SaveHlc(db_, clock_.last());
  if (st.ok()) st = store_.SaveMeta(w.meta);
  if (st.ok()) st = tx.Commit();
  if (!st.ok()) {
    for (size_t i = 0; i < jobs.size(); ++i)
      if (pending[i]) jobs[i].reply = ErrorReplyFor(st);
    return;
  }
  committed(w.meta.last_sseq);
  for (size_t i = 0; i < jobs.size(); ++i) {
    if (!pending[i]) continue;
    pending[i]->epoch = w.meta.epoch;
    pending[i]->checkpoint = w.meta.last_sseq;
    jobs[i].reply = Reply{200, Encode(*pending[i], jobs[i].decoded.spoke)};
  }
}

// One upload inside the group's transaction. An error leaves its reply in job.reply and returns
// a non-ok status; *wrote says whether it had written anything by then.
Result<UploadReply> SyncServer::ApplyOneUpload(WriteContext& w, UploadJob& job, bool* wrote) {
  const Principal& p = *job.principal;
  const UploadRequest* req = &job.decoded.request;
  auto refuse = [&](Reply r) -> Result<UploadReply> {
    job.reply = std::move(r);
    return Status::Error("upload_refused", "上传未应用", "upload not applied");
  };
  if (req->client_id != p.client_id || p.client_id.empty() || p.client_id == opt_.node_id)
    return refuse(ErrorReplyFor(ProtocolError(kClientMismatch)));
  auto last_or = store_.ClientLastSeq(p.client_id);
  if (!last_or.ok()) return refuse(ErrorReplyFor(last_or.status()));
  const int64_t last = *last_or;

  // The device's base versions belong to another epoch: the store was restored from a backup.
  if (!req->epoch.empty() && req->epoch != w.meta.epoch)
    return refuse(ErrorReplyFor(ProtocolError(kResetRequired, "服务器数据已从备份恢复",
                                              "the server store was restored from a backup"),
                                last + 1, "restored"));
  if (req->first_seq > last + 1)
    return refuse(ErrorReplyFor(ProtocolError(kExpectedSeq), last + 1));

  // Seqs already applied must repeat exactly what was applied: a retry gets the stored answer,
  // other content under the same seqs is a device restored from an old backup.
  std::vector<RecordResult> results;
  if (req->first_seq <= last) {
    const int64_t to = std::min(last, req->last_seq);
    auto batches = store_.BatchesOverlapping(p.client_id, req->first_seq, to);
    if (!batches.ok()) return refuse(ErrorReplyFor(batches.status()));
    size_t bi = 0;
    for (int64_t seq = req->first_seq; seq <= to; ++seq) {
      while (bi < batches->size() && (*batches)[bi].last_seq < seq) ++bi;
      const ServerStore::Batch* b = bi < batches->size() ? &(*batches)[bi] : nullptr;
      bool same = b && b->first_seq <= seq &&
                  b->hashes.size() >= static_cast<size_t>(seq - b->first_seq + 1) * 8 &&
                  HashAt(b->hashes, static_cast<size_t>(seq - b->first_seq)) ==
                      job.decoded.hashes[static_cast<size_t>(seq - req->first_seq)];
      if (!same) {
        return refuse(ErrorReplyFor(
            ProtocolError(kSeqReuse, "序号 " + std::to_string(seq), "seq " + std::to_string(seq))));
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

  *wrote = true;  // from here on, a failure may leave rows behind
  ServerStore::Batch batch;
  std::vector<RecordResult> fresh;
  int64_t max_ahead = 0;
  for (size_t i = 0; i < req->changes.size(); ++i) {
    const Change& c = req->changes[i];
    if (c.seq <= last) continue;
    if (batch.hashes.empty()) batch.first_seq = c.seq;
    auto r = applier_.Apply(w, IncomingWrite{c, p.client_id, p, true, &job.decoded.validated[i],
                                             &job.decoded.rkeys[i]});
    if (!r.ok()) return refuse(ErrorReplyFor(r.status()));
    AppendHash(&batch.hashes, job.decoded.hashes[i]);
    max_ahead = std::max(max_ahead, r->ahead_ms);
    for (auto& rr : r->results) fresh.push_back(std::move(rr));
  }
  if (!batch.hashes.empty()) {
    batch.last_seq = req->last_seq;
    batch.results = DumpJson(ResultsToJson(fresh));
    Status st = store_.PutBatch(p.client_id, batch, w.now_ms);
    if (st.ok()) st = store_.SetClientProgress(p.client_id, req->last_seq, w.now_ms, max_ahead);
    if (!st.ok()) return refuse(ErrorReplyFor(st));
  }
  UploadReply reply;
  reply.server_hlc = clock_.Now();
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
    Status st = BeforeCommit(info);
    if (!st.ok()) return refuse(ErrorReplyFor(st));
  }
  if (Fault("upload:before_commit")) return refuse(ErrorReplyFor(ProtocolError(kInternal)));

  reply.acked_seq = req->last_seq;
  reply.results = std::move(results);
  for (auto& r : fresh) reply.results.push_back(std::move(r));
  return reply;
}

}  // namespace shefu::sync
