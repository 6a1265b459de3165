#include "server/audit_trail.h"

#include "shared/crypto.h"

namespace shefu::server {
namespace {

const char* kGenesis = "0000000000000000000000000000000000000000000000000000000000000000";

std::string EntryHash(const std::string& prev, int64_t seq, int64_t at, int64_t actor,
                      const std::string& device, const std::string& request,
                      const std::string& action, const std::string& entity,
                      const std::string& record, const std::string& detail) {
  // Length-prefixed fields: no two different entries serialise to the same bytes.
  std::string buf;
  auto put = [&](const std::string& s) {
    buf += std::to_string(s.size());
    buf += ':';
    buf += s;
  };
  put(prev);
  put(std::to_string(seq));
  put(std::to_string(at));
  put(std::to_string(actor));
  put(device);
  put(request);
  put(action);
  put(entity);
  put(record);
  put(detail);
  return crypto::Sha256Hex(buf);
}

}  // namespace

Status AppendAudit(Db& db, int64_t now_ms, const AuditEntry& e) {
  int64_t seq = 1;
  std::string prev = kGenesis;
  {
    auto head = db.Cached("SELECT seq, hash FROM audit_head WHERE id = 1");
    auto r = head.Step();
    if (!r.ok()) return r.status();
    if (*r) {
      seq = head->Int(0) + 1;
      prev = head->Str(1);
    }
  }
  std::string detail = DumpJson(e.detail);
  std::string hash = EntryHash(prev, seq, now_ms, e.actor_user, e.actor_device, e.request_id,
                               e.action, e.entity, e.record_id, detail);
  SHEFU_RETURN_IF_ERROR(
      db.Cached("INSERT INTO audit(seq, at_ms, actor_user, actor_device, request_id, action, "
                "entity, record_id, detail, prev_hash, hash) "
                "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)")
          .Bind(1, seq)
          .Bind(2, now_ms)
          .Bind(3, e.actor_user)
          .Bind(4, e.actor_device)
          .Bind(5, e.request_id)
          .Bind(6, e.action)
          .Bind(7, e.entity)
          .Bind(8, e.record_id)
          .Bind(9, detail)
          .Bind(10, prev)
          .Bind(11, hash)
          .Run());
  return db
      .Cached(
          "INSERT INTO audit_head(id, seq, hash) VALUES(1, ?1, ?2) "
          "ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash")
      .Bind(1, seq)
      .Bind(2, hash)
      .Run();
}

Result<AuditReport> VerifyAudit(Db& db) {
  AuditReport rep;
  auto fail = [&](int64_t seq, std::string zh, std::string en) {
    rep.ok = false;
    rep.first_bad_seq = seq;
    rep.problem_zh = std::move(zh);
    rep.problem_en = std::move(en);
    return rep;
  };
  auto st = db.Prepare(
      "SELECT seq, at_ms, actor_user, actor_device, request_id, action, entity, record_id, "
      "detail, prev_hash, hash FROM audit ORDER BY seq");
  if (!st.ok()) return st.status();
  std::string prev = kGenesis;
  int64_t expected_seq = 1;
  for (;;) {
    auto r = st->Step();
    if (!r.ok()) return r.status();
    if (!*r) break;
    int64_t seq = st->Int(0);
    std::string s = std::to_string(seq);
    if (seq != expected_seq) {
      return fail(expected_seq, "审计记录 #" + std::to_string(expected_seq) + " 缺失（被删除）",
                  "audit entry #" + std::to_string(expected_seq) + " is missing (deleted)");
    }
    if (st->Str(9) != prev) {
      return fail(seq, "审计记录 #" + s + " 的前序哈希不符（链被改动）",
                  "audit entry #" + s + " does not link to its predecessor (chain altered)");
    }
    std::string h = EntryHash(prev, seq, st->Int(1), st->Int(2), st->Str(3), st->Str(4), st->Str(5),
                              st->Str(6), st->Str(7), st->Str(8));
    if (h != st->Str(10)) {
      return fail(seq, "审计记录 #" + s + " 的内容被改动", "audit entry #" + s + " was altered");
    }
    prev = h;
    ++expected_seq;
    ++rep.entries;
  }
  auto head = db.Prepare("SELECT seq, hash FROM audit_head WHERE id = 1");
  if (!head.ok()) return head.status();
  auto r = head->Step();
  if (!r.ok()) return r.status();
  int64_t head_seq = *r ? head->Int(0) : 0;
  std::string head_hash = *r ? head->Str(1) : kGenesis;
  if (head_seq != rep.entries || head_hash != prev) {
    return fail(rep.entries + 1, "审计链末尾的记录被删除（链头不符）",
                "audit entries were removed from the end (head does not match)");
  }
  return rep;
}

}  // namespace shefu::server
