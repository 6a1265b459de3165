#include "sync/outbox.h"

namespace shefu::sync {
namespace {

constexpr const char* kOutboxColumns =
    "client, seq, local_id, entity, id, grp, value, hlc, base, created_ms, acked_ms, checkpoint,"
    " outcome, code, detail, msg_zh, msg_en";

OutboxEntry ReadOutboxRow(Stmt& st) {
  OutboxEntry e;
  e.client = st.Str(0);
  e.seq = st.Int(1);
  e.local_id = st.Int(2);
  e.entity = st.Str(3);
  e.id = st.Str(4);
  e.group = st.Str(5);
  e.value = st.Str(6);
  e.hlc = Hlc::FromInt(st.Int(7));
  e.base = st.Int(8);
  e.created_ms = st.Int(9);
  e.acked_ms = st.OptInt(10);
  e.checkpoint = st.Int(11);
  e.outcome = st.Str(12);
  e.code = st.Str(13);
  e.detail = st.Str(14);
  e.message = {st.Str(15), st.Str(16)};
  return e;
}

Result<std::vector<OutboxEntry>> ReadAll(StmtRef& st) {
  std::vector<OutboxEntry> out;
  for (;;) {
    auto r = st.Step();
    if (!r.ok()) return r.status();
    if (!*r) break;
    out.push_back(ReadOutboxRow(*st));
  }
  return out;
}

int Severity(std::string_view outcome) {
  if (outcome == "refused") return 3;
  if (outcome == "conflict") return 2;
  if (outcome == "flagged") return 1;
  return 0;
}

}  // namespace

Status Outbox::Append(const OutboxEntry& e) {
  auto st = db_.Cached(
      "INSERT INTO sync_outbox(client, seq, local_id, entity, id, grp, value, hlc, base,"
      " created_ms) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
  st.Bind(1, e.client).Bind(2, e.seq).Bind(3, e.local_id).Bind(4, e.entity).Bind(5, e.id);
  st.Bind(6, e.group).Bind(7, e.value).Bind(8, e.hlc.AsInt()).Bind(9, e.base);
  st.Bind(10, e.created_ms);
  return st.Run();
}

Result<std::vector<OutboxEntry>> Outbox::Pending(std::string_view client, size_t limit) {
  static const std::string sql = std::string("SELECT ") + kOutboxColumns +
                                 " FROM sync_outbox WHERE client = ?1 AND acked_ms IS NULL"
                                 " ORDER BY seq LIMIT ?2";
  auto st = db_.Cached(sql.c_str());
  st.Bind(1, client).Bind(2, static_cast<int64_t>(limit));
  return ReadAll(st);
}

Result<int64_t> Outbox::PendingCount() {
  auto st = db_.Cached("SELECT count(*) FROM sync_outbox WHERE acked_ms IS NULL");
  auto r = st.Step();
  if (!r.ok()) return r.status();
  return st->Int(0);
}

Status Outbox::Ack(std::string_view client, int64_t acked_seq, int64_t now_ms, int64_t checkpoint) {
  auto st = db_.Cached(
      "UPDATE sync_outbox SET acked_ms = ?3, checkpoint = ?4, outcome = 'applied' "
      "WHERE client = ?1 AND seq <= ?2 AND acked_ms IS NULL");
  st.Bind(1, client).Bind(2, acked_seq).Bind(3, now_ms).Bind(4, checkpoint);
  return st.Run();
}

Status Outbox::SetOutcome(std::string_view client, int64_t seq, Outcome outcome,
                          const std::string& code, const std::string& detail, const Text& message) {
  auto cur = db_.Cached("SELECT outcome FROM sync_outbox WHERE client = ?1 AND seq = ?2");
  cur.Bind(1, client).Bind(2, seq);
  auto r = cur.Step();
  if (!r.ok()) return r.status();
  if (!*r || Severity(cur->Str(0)) > Severity(OutcomeCode(outcome))) return Status::Ok();
  auto st = db_.Cached(
      "UPDATE sync_outbox SET outcome = ?3, code = ?4, detail = ?5, msg_zh = ?6, msg_en = ?7 "
      "WHERE client = ?1 AND seq = ?2");
  st.Bind(1, client).Bind(2, seq).Bind(3, OutcomeCode(outcome)).Bind(4, code).Bind(5, detail);
  st.Bind(6, message.zh).Bind(7, message.en);
  return st.Run();
}

Status Outbox::Unack(std::string_view client, int64_t from_seq) {
  auto st = db_.Cached(
      "UPDATE sync_outbox SET acked_ms = NULL, checkpoint = 0, outcome = '', code = '',"
      " detail = '', msg_zh = '', msg_en = '' WHERE client = ?1 AND seq >= ?2");
  st.Bind(1, client).Bind(2, from_seq);
  return st.Run();
}

Status Outbox::ZeroBases(std::string_view client, int64_t from_seq) {
  auto st = db_.Cached(
      "UPDATE sync_outbox SET base = 0 WHERE client = ?1 AND seq >= ?2 AND acked_ms IS NULL");
  st.Bind(1, client).Bind(2, from_seq);
  return st.Run();
}

Status Outbox::ClearCheckpoints() {
  auto st = db_.Cached("UPDATE sync_outbox SET checkpoint = 0 WHERE checkpoint != 0");
  return st.Run();
}

Result<bool> Outbox::Has(std::string_view client, int64_t seq) {
  auto st = db_.Cached("SELECT 1 FROM sync_outbox WHERE client = ?1 AND seq = ?2");
  st.Bind(1, client).Bind(2, seq);
  return st.Step();
}

Result<int64_t> Outbox::Renumber(std::string_view client, std::string_view to_client) {
  auto rows = Pending(client, static_cast<size_t>(INT64_MAX));
  if (!rows.ok()) return rows.status();
  int64_t n = 0;
  for (const auto& e : *rows) {
    auto st =
        db_.Cached("UPDATE sync_outbox SET client = ?3, seq = ?4 WHERE client = ?1 AND seq = ?2");
    st.Bind(1, client).Bind(2, e.seq).Bind(3, to_client).Bind(4, ++n);
    SHEFU_RETURN_IF_ERROR(st.Run());
  }
  return n;
}

Result<int64_t> Outbox::Adopt(std::string_view client, int64_t next_seq) {
  std::vector<std::pair<std::string, int64_t>> rows;
  {
    auto st = db_.Cached("SELECT client, seq FROM sync_outbox WHERE client != ?1 ORDER BY hlc");
    st.Bind(1, client);
    for (;;) {
      auto r = st.Step();
      if (!r.ok()) return r.status();
      if (!*r) break;
      rows.emplace_back(st->Str(0), st->Int(1));
    }
  }
  int64_t n = 0;
  for (const auto& [old_client, old_seq] : rows) {
    auto st = db_.Cached(
        "UPDATE sync_outbox SET client = ?3, seq = ?4, base = 0, acked_ms = NULL, checkpoint = 0,"
        " outcome = '', code = '', detail = '', msg_zh = '', msg_en = '' "
        "WHERE client = ?1 AND seq = ?2");
    st.Bind(1, old_client).Bind(2, old_seq).Bind(3, client).Bind(4, next_seq + n);
    SHEFU_RETURN_IF_ERROR(st.Run());
    ++n;
  }
  return n;
}

Status Outbox::Prune(int64_t before_ms, int64_t replica_checkpoint) {
  auto st = db_.Cached(
      "DELETE FROM sync_outbox WHERE acked_ms IS NOT NULL AND acked_ms < ?1 AND checkpoint <= ?2");
  st.Bind(1, before_ms).Bind(2, replica_checkpoint);
  return st.Run();
}

Result<std::vector<OutboxEntry>> Outbox::Unconfirmed(std::string_view entity, std::string_view id,
                                                     int64_t replica_checkpoint) {
  static const std::string sql =
      std::string("SELECT ") + kOutboxColumns +
      " FROM sync_outbox WHERE entity = ?1 AND id = ?2 AND (acked_ms IS NULL OR"
      " (outcome IN ('applied', 'flagged') AND checkpoint > ?3)) ORDER BY hlc";
  auto st = db_.Cached(sql.c_str());
  st.Bind(1, entity).Bind(2, id).Bind(3, replica_checkpoint);
  return ReadAll(st);
}

Result<std::vector<std::string>> Outbox::UnconfirmedIds(std::string_view entity,
                                                        int64_t replica_checkpoint) {
  auto st = db_.Cached(
      "SELECT DISTINCT id FROM sync_outbox WHERE entity = ?1 AND (acked_ms IS NULL OR"
      " (outcome IN ('applied', 'flagged') AND checkpoint > ?2)) ORDER BY id");
  st.Bind(1, entity).Bind(2, replica_checkpoint);
  std::vector<std::string> out;
  for (;;) {
    auto r = st.Step();
    if (!r.ok()) return r.status();
    if (!*r) break;
    out.push_back(st->Str(0));
  }
  return out;
}

Result<std::vector<OutboxEntry>> Outbox::All(size_t limit) {
  static const std::string sql =
      std::string("SELECT ") + kOutboxColumns + " FROM sync_outbox ORDER BY hlc DESC LIMIT ?1";
  auto st = db_.Cached(sql.c_str());
  st.Bind(1, static_cast<int64_t>(limit));
  return ReadAll(st);
}

}  // namespace shefu::sync
