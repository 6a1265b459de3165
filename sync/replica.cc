#include "sync/replica.h"

namespace shefu::sync {

Status Replica::Upsert(const FeedRow& row) {
  auto st = db_.Cached(
      "INSERT INTO sync_replica(entity, id, grp, value, hlc, node, seq, version, flags) "
      "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT(entity, id, grp) DO UPDATE SET"
      " value = excluded.value, hlc = excluded.hlc, node = excluded.node, seq = excluded.seq,"
      " version = excluded.version, flags = excluded.flags");
  st.Bind(1, row.entity).Bind(2, row.id).Bind(3, row.group).Bind(4, CanonicalJson(row.value));
  st.Bind(5, row.hlc.AsInt()).Bind(6, row.node).Bind(7, row.seq).Bind(8, row.version);
  st.Bind(9, row.flags);
  return st.Run();
}

Result<std::map<std::string, ReplicaCell, std::less<>>> Replica::Load(std::string_view entity,
                                                                      std::string_view id) {
  auto st = db_.Cached(
      "SELECT grp, value, hlc, node, seq, version, flags FROM sync_replica "
      "WHERE entity = ?1 AND id = ?2");
  st.Bind(1, entity).Bind(2, id);
  std::map<std::string, ReplicaCell, std::less<>> out;
  for (;;) {
    auto r = st.Step();
    if (!r.ok()) return r.status();
    if (!*r) break;
    out.emplace(st->Str(0), ReplicaCell{st->Str(1), Hlc::FromInt(st->Int(2)), st->Str(3),
                                        st->Int(4), st->Int(5), st->Int(6)});
  }
  return out;
}

Result<std::vector<std::string>> Replica::Ids(std::string_view entity) {
  auto st = db_.Cached("SELECT DISTINCT id FROM sync_replica WHERE entity = ?1 ORDER BY id");
  st.Bind(1, entity);
  std::vector<std::string> out;
  for (;;) {
    auto r = st.Step();
    if (!r.ok()) return r.status();
    if (!*r) break;
    out.push_back(st->Str(0));
  }
  return out;
}

Status Replica::Clear() {
  return db_.Exec("DELETE FROM sync_replica");
}

}  // namespace shefu::sync
