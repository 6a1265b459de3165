#include "sync/anon_outbox.h"

namespace shefu::sync {

Status AnonOutbox::Add(std::string_view session, std::string_view entity,
                       const std::string& value_text) {
  auto st =
      db_.Cached("INSERT INTO sync_anon_open(session, pos, entity, value) VALUES(?1, ?2, ?3, ?4)");
  st.Bind(1, session).Bind(2, static_cast<int64_t>(rng_.Next64() >> 1)).Bind(3, entity);
  st.Bind(4, value_text);
  return st.Run();
}

Result<int64_t> AnonOutbox::Close(std::string_view session, std::string_view day) {
  std::vector<AnonItem> items;
  {
    auto st =
        db_.Cached("SELECT entity, value FROM sync_anon_open WHERE session = ?1 ORDER BY pos");
    st.Bind(1, session);
    for (;;) {
      auto r = st.Step();
      if (!r.ok()) return r.status();
      if (!*r) break;
      auto v = ParseJson(st->Str(1), 64);
      if (!v.ok()) return v.status();
      items.push_back(AnonItem{st->Str(0), std::move(*v)});
    }
  }
  if (items.empty()) return int64_t{0};
  for (size_t i = items.size() - 1; i > 0; --i) {  // Fisher-Yates
    size_t j = static_cast<size_t>(rng_.Uniform(i + 1));
    std::swap(items[i], items[j]);
  }
  Json arr = Json::array();
  for (auto& it : items) {
    Json o = Json::object();
    o["entity"] = std::move(it.entity);
    o["value"] = std::move(it.value);
    arr.push_back(std::move(o));
  }
  auto ins = db_.Cached("INSERT INTO sync_anon_batch(batch_id, day, items) VALUES(?1, ?2, ?3)");
  ins.Bind(1, rng_.Hex(16)).Bind(2, day).Bind(3, DumpJson(arr));
  SHEFU_RETURN_IF_ERROR(ins.Run());
  auto del = db_.Cached("DELETE FROM sync_anon_open WHERE session = ?1");
  del.Bind(1, session);
  SHEFU_RETURN_IF_ERROR(del.Run());
  return static_cast<int64_t>(items.size());
}

Result<std::optional<AnonUploadRequest>> AnonOutbox::Next() {
  auto st =
      db_.Cached("SELECT batch_id, day, items FROM sync_anon_batch WHERE acked_ms IS NULL LIMIT 1");
  auto r = st.Step();
  if (!r.ok()) return r.status();
  if (!*r) return std::optional<AnonUploadRequest>();
  AnonUploadRequest req;
  req.batch_id = st->Str(0);
  req.date = st->Str(1);
  auto items = ParseJson(st->Str(2), 64);
  if (!items.ok() || !items->is_array())
    return Status::Error("storage_error", "匿名批次数据损坏", "corrupt anonymous batch");
  for (auto& o : *items) {
    if (!o.is_object() || !o.contains("entity") || !o["entity"].is_string())
      return Status::Error("storage_error", "匿名批次数据损坏", "corrupt anonymous batch");
    req.items.push_back(AnonItem{o["entity"].get<std::string>(), o["value"]});
  }
  return std::optional<AnonUploadRequest>(std::move(req));
}

Status AnonOutbox::Ack(const AnonUploadReply& reply, int64_t now_ms) {
  auto st = db_.Cached(
      "UPDATE sync_anon_batch SET acked_ms = ?2, accepted = ?3, refused = ?4 WHERE batch_id = ?1");
  st.Bind(1, reply.batch_id).Bind(2, now_ms).Bind(3, reply.accepted);
  st.Bind(4, DumpJson(ResultsToJson(reply.refused)));
  return st.Run();
}

Status AnonOutbox::UnackAll() {
  return db_.Exec("UPDATE sync_anon_batch SET acked_ms = NULL WHERE acked_ms IS NOT NULL");
}

Status AnonOutbox::Prune(int64_t before_ms) {
  auto st = db_.Cached("DELETE FROM sync_anon_batch WHERE acked_ms IS NOT NULL AND acked_ms < ?1");
  st.Bind(1, before_ms);
  return st.Run();
}

Result<int64_t> AnonOutbox::OpenItemCount(std::string_view session) {
  auto st = db_.Cached("SELECT count(*) FROM sync_anon_open WHERE session = ?1");
  st.Bind(1, session);
  auto r = st.Step();
  if (!r.ok()) return r.status();
  return st->Int(0);
}

}  // namespace shefu::sync
