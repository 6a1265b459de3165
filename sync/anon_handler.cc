// SyncServer::HandleAnonUpload — the anonymous stream (docs/protocol.md §4). Secret-ballot
// choices and anonymous survey answers arrive as shuffled batches with a random id and a day; the
// server keeps each accepted item with its day and place only, and of the batch only a SHA-256 of
// its id (to answer a retry). Nothing here records the device, the seq or the time.
#include <openssl/evp.h>

#include "sync/sync_server.h"

namespace shefu::sync {
namespace {

std::string Sha256Hex(std::string_view s) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(s.data(), s.size(), md, &n, EVP_sha256(), nullptr);
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < n; ++i) {
    out.push_back(kDigits[md[i] >> 4]);
    out.push_back(kDigits[md[i] & 15]);
  }
  return out;
}

}  // namespace

Reply SyncServer::HandleAnonUpload(const Principal& p, Json request) {
  const VersionPolicy answer_in = ReplyVersions(request, opt_.versions);
  auto req = DecodeAnonUploadRequest(std::move(request), opt_.versions);
  if (!req.ok()) return ErrorReplyFor(req.status());
  const std::string hash = Sha256Hex(req->batch_id);

  Tx tx(db_);
  if (!tx.status().ok()) return ErrorReplyFor(tx.status());
  auto stored = store_.AnonBatchReply(hash);
  if (!stored.ok()) return ErrorReplyFor(stored.status());
  if (*stored) {
    auto j = ParseJson(**stored);
    if (!j.ok()) return ErrorReplyFor(j.status());
    return Reply{200, std::move(*j)};
  }
  auto meta = store_.LoadMeta();
  if (!meta.ok()) return ErrorReplyFor(meta.status());
  WriteContext w{store_, *meta, wall_.NowMs()};

  AnonUploadReply reply;
  reply.batch_id = req->batch_id;
  for (size_t i = 0; i < req->items.size(); ++i) {
    const AnonItem& item = req->items[i];
    std::optional<Rule> refusal;
    std::string detail;
    Text why;
    Place place;
    const EntityTypeSpec* type = FindEntityType(item.entity);
    if (!type || type->stream != Stream::kAnonymous) {
      refusal = Rule::kValidationReject;
      detail = "wrong_stream";
      why = {"此类记录不属于匿名通道", "this kind of record is not anonymous"};
    } else if (Status v = ValidateGroupWrite(ctx_, *type, kRecordGroup, item.value); !v.ok()) {
      refusal = Rule::kValidationReject;
      detail = v.code();
      why = {v.zh(), v.en()};
    } else if (!PlaceOfNewRecord(ctx_, *type, item.value, &place)) {
      refusal = Rule::kValidationReject;
      detail = "unknown_place";
      why = {"无法确定所在地", "cannot tell where it belongs"};
    } else if (AuthVerdict a = auth_.CanWrite(p, *type, place); !a.ok()) {
      refusal = a.refusal;
      detail = *a.refusal == Rule::kPermissionReject ? "role" : "scope";
      why = a.why;
    }
    std::string value = CanonicalJson(item.value);
    if (refusal) {
      // Logged like any refusal, but with nothing that links it to a device or a moment.
      Conflict c;
      c.entity = item.entity;
      c.record_id = "anonymous";
      c.group = std::string(kRecordGroup);
      c.rule = *refusal;
      c.detail = detail;
      c.message = why;
      c.loser = ConflictSide{value, Hlc(), "anonymous", 0};
      c.detected_ms = (w.now_ms / 86400000) * 86400000;
      c.place = place.community.empty() ? PlaceOfScope(p.scope) : place;
      auto id = log_.Add(w, std::move(c));
      if (!id.ok()) return ErrorReplyFor(id.status());
      RecordResult r;
      r.seq = static_cast<int64_t>(i);
      r.outcome = Outcome::kRefused;
      r.code = RuleCode(*refusal);
      r.detail = detail;
      r.message = why;
      reply.refused.push_back(std::move(r));
      continue;
    }
    Status st = store_.PutAnonItem(rng_.Hex(16), item.entity, value, req->date, place);
    if (!st.ok()) return ErrorReplyFor(st);
    ++reply.accepted;
  }
  Json body = Encode(reply, answer_in);
  Status st = store_.PutAnonBatch(hash, req->date, DumpJson(body));
  if (st.ok()) st = store_.SaveMeta(w.meta);
  if (!st.ok()) return ErrorReplyFor(st);
  {
    ServerOptions::CommitInfo info;
    info.what = "anon";
    info.principal = &p;
    info.applied = reply.accepted;
    info.refused = static_cast<int64_t>(reply.refused.size());
    st = BeforeCommit(info);
    if (!st.ok()) return ErrorReplyFor(st);
  }
  if (Fault("anon:before_commit")) return ErrorReplyFor(ProtocolError(kInternal));
  st = tx.Commit();
  if (!st.ok()) return ErrorReplyFor(st);
  return Reply{200, std::move(body)};
}

}  // namespace shefu::sync
