#include "server/resident_index.h"

#include <map>

#include "shared/crypto.h"
#include "shared/masking.h"

namespace shefu::server {
namespace {

std::string SealedOf(const sync::RecordView& v) {
  const sync::GroupView* g = v.Find("contact");
  if (!g || !g->value.is_object()) return "";
  auto it = g->value.find("id_sealed");
  return it != g->value.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

Result<IndexOutcome> IndexResidentIds(Db& db, sync::SyncServer& s, const ServerKeys& keys,
                                      const std::vector<std::string>& need_ids, int64_t now_ms) {
  IndexOutcome out;
  for (const auto& id : need_ids) {
    auto rec = s.ReadRecord("need", id);
    if (!rec.ok()) return rec.status();
    std::string sealed_b64 = rec->has_value() && !(*rec)->deleted ? SealedOf(**rec) : "";
    if (sealed_b64.empty()) {
      SHEFU_RETURN_IF_ERROR(
          db.Cached("DELETE FROM resident_id_key WHERE entity = 'need' AND record_id = ?1")
              .Bind(1, id)
              .Run());
      out.removed += db.Changes();
      continue;
    }
    std::string sealed, number;
    auto opened = crypto::FromBase64(sealed_b64, &sealed)
                      ? crypto::Unseal(keys.seal_private_pem, sealed)
                      : Result<std::string>(Status::Error("unseal_failed", "", ""));
    if (!opened.ok() || !CheckIdNumber(*opened).ok()) {
      ++out.unreadable;
      continue;
    }
    std::string key = keys.IdNumberKey(*opened);
    // The number itself goes no further than this stack frame.
    std::fill(opened->begin(), opened->end(), '\0');
    SHEFU_RETURN_IF_ERROR(
        db.Cached("INSERT INTO resident_id_key(entity, record_id, id_key, indexed_ms) "
                  "VALUES('need', ?1, ?2, ?3) ON CONFLICT(entity, record_id) DO UPDATE SET "
                  "id_key = excluded.id_key, indexed_ms = excluded.indexed_ms")
            .Bind(1, id)
            .Bind(2, key)
            .Bind(3, now_ms)
            .Run());
    ++out.indexed;
  }
  return out;
}

Result<std::vector<std::string>> UnindexedNeeds(sync::SyncServer& s, Db& db) {
  std::vector<std::string> out;
  sync::SyncServer::RecordQuery q;
  q.entity = "need";
  q.limit = 500;
  for (;;) {
    auto page = s.ListRecords(q);
    if (!page.ok()) return page.status();
    if (page->empty()) break;
    for (const auto& v : *page) {
      if (SealedOf(v).empty()) continue;
      auto st = db.Cached("SELECT 1 FROM resident_id_key WHERE entity = 'need' AND record_id = ?1");
      st.Bind(1, v.id);
      auto r = st.Step();
      if (!r.ok()) return r.status();
      if (!*r) out.push_back(v.id);
    }
    q.after_id = page->back().id;
  }
  return out;
}

Result<std::vector<std::vector<std::string>>> DuplicateResidents(Db& db) {
  auto st = db.Prepare(
      "SELECT id_key, record_id FROM resident_id_key WHERE id_key IN "
      "(SELECT id_key FROM resident_id_key GROUP BY id_key HAVING count(*) > 1) "
      "ORDER BY id_key, record_id");
  if (!st.ok()) return st.status();
  std::map<std::string, std::vector<std::string>> groups;
  for (;;) {
    auto r = st->Step();
    if (!r.ok()) return r.status();
    if (!*r) break;
    groups[st->Str(0)].push_back(st->Str(1));
  }
  std::vector<std::vector<std::string>> out;
  for (auto& [k, ids] : groups) out.push_back(std::move(ids));
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.size() > b.size(); });
  return out;
}

}  // namespace shefu::server
