// Client: sync, conflicts, the outbox, export.
#include <algorithm>
#include <set>

#include "client/client.h"
#include "client/conflict_words.h"
#include "client/export_csv.h"
#include "client/need_form.h"
#include "shared/civil_time.h"
#include "shared/entity_types.h"

namespace shefu::client {

SyncReport Client::Sync(const SyncOptions& opt, const ProgressFn& progress) {
  if (Status st = RequireEnrolled(); !st.ok()) {
    SyncReport r;
    r.result = "failed";
    r.error = st;
    return r;
  }
  // Conflicts about this device's records that this sync brought to light: an own write can
  // lose later, when another device's upload beats it, so the upload replies alone undercount.
  auto mine = [&]() {
    std::set<int64_t> ids;
    auto list = store_->Conflicts(/*open_only=*/true);
    if (list.ok())
      for (const StoredConflict& c : *list)
        if (ConflictRole(c, config_.client_id) != "none") ids.insert(c.id);
    return ids;
  };
  const std::set<int64_t> before = mine();
  HttpClient http(HttpOptions{config_.server_url, config_.token, config_.pin});
  SyncReport r =
      RunSync(*store_, http, SystemClock::Instance(), SystemRng::Instance(), opt, progress);
  int64_t surfaced = 0;
  for (int64_t id : mine()) surfaced += before.count(id) == 0;
  r.conflicts = std::max(r.conflicts, surfaced);
  const int64_t now = SystemClock::Instance().NowMs();
  config_.last_sync_result = r.result;
  if (r.clock_offset_ms) config_.clock_offset_ms = r.clock_offset_ms;
  if (r.result == "ok" || r.result == "rejected") {
    config_.last_sync_ms = now;
    config_.revoked_ms.reset();
    // Names for plain-language conflicts. Best effort: a sync without them is still a sync.
    auto dir = http.Get("/v1/directory");
    if (dir.ok() && dir->status == 200 && dir->body.is_object()) {
      if (auto d = dir->body.find("devices"); d != dir->body.end() && d->is_object())
        config_.directory = *d;
      if (auto s = dir->body.find("server"); s != dir->body.end() && s->is_string())
        config_.server_name = s->get<std::string>();
    }
  }
  if (r.result == "revoked" && !config_.revoked_ms) config_.revoked_ms = now;
  if (r.error.code() == "unauthenticated") {
    // The token expired or was replaced: only a new enrolment helps (its unsent records move).
    config_.last_sync_result = "unauthenticated";
    r.error =
        Status::Error("unauthenticated",
                      "服务器不再接受此设备的凭证（可能已过期）：请向镇街工作人员申请新的注册码，"
                      "再运行 shefu enrol；未上传的记录会保留",
                      "the server no longer accepts this device's credential (expired?): "
                      "ask town staff for a new code and run shefu enrol; unsent records "
                      "are kept");
  }
  if (Status st = SaveConfig(); !st.ok() && r.error.ok()) r.error = st;
  return r;
}

Json Client::SyncReportJson(const SyncReport& r) const {
  Json rejected = Json::array();
  for (const SyncRejection& j : r.rejected) {
    rejected.push_back({{"entity", j.entity},
                        {"id", j.id},
                        {"short_id", ShortId(j.id)},
                        {"field", j.group},
                        {"field_name", NeedFieldName(j.group).in(lang_)},
                        {"code", j.code},
                        {"detail", j.detail},
                        {"message", j.message.in(lang_)}});
  }
  Json error =
      r.error.ok() ? Json() : Json{{"code", r.error.code()}, {"message", r.error.message(lang_)}};
  return Json{{"result", r.result},         {"uploaded", r.uploaded},
              {"downloaded", r.downloaded}, {"conflicts", r.conflicts},
              {"flagged", r.flagged},       {"anon_batches", r.anon_batches},
              {"rejected", rejected},       {"error", error}};
}

Result<Json> Client::Conflicts(int flags) {
  SHEFU_RETURN_IF_ERROR(Usable());
  auto list = store_->Conflicts(!(flags & kConflictsResolved));
  if (!list.ok()) return list.status();
  ConflictWordsContext ctx{config_.client_id, config_.directory, config_.server_name, lang_};
  Json out = Json::array();
  for (const StoredConflict& c : *list) {
    if (!(flags & kConflictsAll) && ConflictRole(c, config_.client_id) == "none") continue;
    out.push_back(ConflictJson(c, ctx));
  }
  return out;
}

Result<Json> Client::Outbox(int limit) {
  SHEFU_RETURN_IF_ERROR(Usable());
  auto rows = store_->Outbox(limit > 0 ? static_cast<size_t>(limit) : 1000);
  if (!rows.ok()) return rows.status();
  Json out = Json::array();
  for (const OutboxRow& o : *rows) {
    out.push_back({{"seq", o.seq},
                   {"entity", o.entity},
                   {"id", o.id},
                   {"short_id", ShortId(o.id)},
                   {"field", o.group},
                   {"field_name", NeedFieldName(o.group).in(lang_)},
                   {"state", o.pending() ? "pending" : (o.outcome.empty() ? "applied" : o.outcome)},
                   {"code", o.code},
                   {"message", o.message.in(lang_)},
                   {"created", FormatUtcIso(o.created_ms)},
                   {"acked", o.acked_ms ? Json(FormatUtcIso(*o.acked_ms)) : Json()}});
  }
  return out;
}

Result<std::string> Client::ExportCsv(const std::string& entity_in, int flags) {
  SHEFU_RETURN_IF_ERROR(Usable());
  const std::string entity = entity_in.empty() ? "need" : entity_in;
  const bool only_unsent = flags & kExportUnsent;
  if (entity == "need") {
    const bool full_phone = flags & kExportFullPhone;
    auto list = NeedList(Json{{"withdrawn", true}, {"unsent", only_unsent}}, full_phone);
    if (!list.ok()) return list.status();
    std::vector<Json> rows(list->begin(), list->end());
    return NeedsCsv(rows, lang_, full_phone);
  }
  if (!FindEntityType(entity))
    return Status::Error("unknown_entity", "未知的记录类型：" + entity.substr(0, 64),
                         "unknown entity type: " + entity.substr(0, 64));
  auto list = store_->List(entity, false);
  if (!list.ok()) return list.status();
  auto unsent = store_->UnsentIds(entity);
  if (!unsent.ok()) return unsent.status();
  std::vector<StoredRecord> rows;
  for (auto& r : *list)
    if (!only_unsent || std::find(unsent->begin(), unsent->end(), r.id) != unsent->end())
      rows.push_back(std::move(r));
  return RecordsCsv(rows, *unsent, lang_);
}

}  // namespace shefu::client
