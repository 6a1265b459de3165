#include "server/staff_writes.h"

#include "server/audit_trail.h"
#include "server/staff_access.h"
#include "shared/civil_time.h"

namespace shefu::server {

Date TodayShanghai(ServerApp& app) {
  return ShanghaiDate(app.clock().NowMs());
}

Result<PolicyResolution> PolicyFor(const Date& day) {
  static const Result<PolicyBook> book = PolicyBook::LoadEmbedded();
  if (!book.ok()) return book.status();
  return book->Resolve(day);
}

Json PolicyJson(const PolicyResolution& r) {
  Json j = {{"version", r.version.id},
            {"doc_no", r.version.doc_no},
            {"assumed_extended", r.assumed_extended}};
  if (r.assumed_extended) {
    j["note_zh"] = r.note.zh;
    j["note_en"] = r.note.en;
  }
  return j;
}

Json WarningsJson(const Findings& f) {
  Json out = Json::array();
  for (const Finding& w : f.Warnings()) {
    Json j = {{"code", w.code}, {"message_zh", w.text.zh}, {"message_en", w.text.en}};
    if (!w.article.empty()) j["article"] = w.article;
    out.push_back(std::move(j));
  }
  return out;
}

Status AuditStaffWrite(ServerApp& app, const ApiRequest& req, const std::string& action,
                       const std::string& entity, const std::string& record_id, Json detail) {
  AuditEntry a;
  a.actor_user = req.caller ? req.caller->user.id : 0;
  a.actor_device = req.caller ? req.caller->client_id : "";
  a.request_id = req.request_id;
  a.action = action;
  a.entity = entity;
  a.record_id = record_id;
  a.detail = std::move(detail);
  return app.store().WithWriter([&](Db& db) -> Status {
    Tx tx(db);
    SHEFU_RETURN_IF_ERROR(tx.status());
    SHEFU_RETURN_IF_ERROR(AppendAudit(db, app.clock().NowMs(), a));
    return tx.Commit();
  });
}

Status RequireSessionUnlessDrafting(const Caller& c, bool drafting_route) {
  if (drafting_route && c.user.role == Role::kCommunityWorker) return Status::Ok();
  return RequireStaffSession(c);
}

}  // namespace shefu::server
