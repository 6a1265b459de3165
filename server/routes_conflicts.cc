// GET /v1/conflicts, GET /v1/conflicts/{id}, POST /v1/conflicts/{id}/resolve, GET /v1/directory.
//
// Conflicts are listed in the caller's scope (a town's staff see their town's). Resolving is an
// ordinary new write by the reviewer through the sync engine (SyncServer::Resolve): who and when
// are recorded with it, and it syncs to devices like any other change.
#include "server/audit_trail.h"
#include "server/routes.h"
#include "server/staff_access.h"
#include "server/sync_service.h"
#include "shared/civil_time.h"

namespace shefu::server {
namespace {

Result<int64_t> PathId(const ApiRequest& req) {
  const std::string& s = req.path_params.at(0);
  if (s.empty() || s.size() > 18)
    return Status::Error("not_found", "冲突不存在", "no such conflict");
  int64_t v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

Json ConflictJson(const sync::Conflict& c) {
  Json j = sync::ConflictToJson(c);
  j["detected"] = FormatUtcIso(c.detected_ms);
  j["place"] = {
      {"district", c.place.district}, {"town", c.place.town}, {"community", c.place.community}};
  return j;
}

}  // namespace

void RegisterConflictRoutes(HttpService& http, ServerApp& app, SyncService& sync) {
  http.Route("GET", "/v1/conflicts", Auth::kRequired, [&sync](ApiRequest& req) -> Result<ApiReply> {
    SHEFU_RETURN_IF_ERROR(RequireRole(*req.caller, {Role::kCityAdmin, Role::kDistrictAdmin,
                                                    Role::kTownStaff, Role::kCommunityWorker}));
    sync::ConflictQuery q;
    q.scope = req.caller->user.scope;
    if (auto it = req.query.find("status"); it != req.query.end()) {
      auto s = sync::ParseConflictStatus(it->second);
      if (!s)
        return FieldError("status", "取值无效（open/accepted/overridden）",
                          "must be open, accepted or overridden");
      q.status = *s;
    }
    if (auto it = req.query.find("entity"); it != req.query.end())
      q.entity = it->second.substr(0, 64);
    if (auto it = req.query.find("record"); it != req.query.end())
      q.record_id = it->second.substr(0, 64);
    if (auto it = req.query.find("after"); it != req.query.end()) {
      for (char c : it->second)
        if (c < '0' || c > '9') return FieldError("after", "必须是整数", "must be an integer");
      q.after_id = it->second.empty() || it->second.size() > 18 ? 0 : std::stoll(it->second);
    }
    q.limit = 200;
    auto r = sync.Reader();
    if (!r.ok()) return r.status();
    auto list = (*r)->ListConflicts(q);
    if (!list.ok()) return list.status();
    ApiReply out;
    out.body = {{"conflicts", Json::array()}};
    for (const auto& c : *list) out.body["conflicts"].push_back(ConflictJson(c));
    return out;
  });

  http.Route(
      "GET", R"(/v1/conflicts/(\d+))", Auth::kRequired,
      [&sync](ApiRequest& req) -> Result<ApiReply> {
        SHEFU_RETURN_IF_ERROR(RequireRole(*req.caller, {Role::kCityAdmin, Role::kDistrictAdmin,
                                                        Role::kTownStaff, Role::kCommunityWorker}));
        auto id = PathId(req);
        if (!id.ok()) return id.status();
        auto r = sync.Reader();
        if (!r.ok()) return r.status();
        auto c = (*r)->GetConflict(*id);
        if (!c.ok()) return c.status();
        if (!c->has_value() || !ScopeVisible(req.caller->user.scope, (*c)->place))
          return Status::Error("not_found", "冲突不存在", "no such conflict");
        ApiReply out;
        out.body = ConflictJson(**c);
        return out;
      });

  http.Route("POST", R"(/v1/conflicts/(\d+)/resolve)", Auth::kRequired,
             [&sync, &app](ApiRequest& req) -> Result<ApiReply> {
               // Resolving decides what the record says: town staff (or above) only, in their
               // scope.
               SHEFU_RETURN_IF_ERROR(RequireStaffSession(*req.caller));
               SHEFU_RETURN_IF_ERROR(RequireRole(
                   *req.caller, {Role::kCityAdmin, Role::kDistrictAdmin, Role::kTownStaff}));
               SHEFU_RETURN_IF_ERROR(CheckKeys(req.body, "action,value,reason"));
               auto id = PathId(req);
               if (!id.ok()) return id.status();
               auto action = GetString(req.body, "action", 32, 1);
               if (!action.ok()) return action.status();
               sync::SyncServer::Resolution res;
               if (*action == "accept") {
                 res.kind = sync::SyncServer::ResolutionKind::kAccept;
               } else if (*action == "take_loser") {
                 res.kind = sync::SyncServer::ResolutionKind::kTakeLoser;
               } else if (*action == "enter_value") {
                 res.kind = sync::SyncServer::ResolutionKind::kEnterValue;
                 if (!req.body.contains("value"))
                   return FieldError("value", "缺失（enter_value 需要填写的值）",
                                     "is missing (enter_value needs the value)");
                 res.value = req.body["value"];
               } else {
                 return FieldError("action", "取值无效（accept/take_loser/enter_value）",
                                   "must be accept, take_loser or enter_value");
               }
               const sync::Principal who = PrincipalOf(*req.caller);
               Status st = sync.WithWriter([&](sync::SyncServer& s) -> Status {
                 auto c = s.GetConflict(*id);
                 if (!c.ok()) return c.status();
                 if (!c->has_value() || !ScopeVisible(req.caller->user.scope, (*c)->place))
                   return Status::Error("not_found", "冲突不存在", "no such conflict");
                 return s.Resolve(who, *id, res);
               });
               if (!st.ok()) return st;
               // Audited inside the resolution's own transaction (sync.resolve, hook).
               auto r = sync.Reader();
               if (!r.ok()) return r.status();
               auto c = (*r)->GetConflict(*id);
               if (!c.ok()) return c.status();
               ApiReply out;
               out.body = c->has_value() ? ConflictJson(**c) : Json::object();
               return out;
             });

  // Names of the people behind device ids in the caller's town, so a device can say "王社工 5月3日
  // 把人数改成 4" instead of showing a client id. Staff names only; no residents.
  http.Route("GET", "/v1/directory", Auth::kRequired, [&app](ApiRequest& req) -> Result<ApiReply> {
    auto db = app.store().Reader();
    if (!db.ok()) return db.status();
    auto st = (*db)->Prepare(
        "SELECT d.client_id, u.display_name, u.district, u.town FROM device d "
        "JOIN user u ON u.id = d.user_id");
    if (!st.ok()) return st.status();
    ApiReply out;
    out.body = {{"devices", Json::object()}, {"server", "镇街工作人员"}};
    const Scope& sc = req.caller->user.scope;
    for (;;) {
      auto r = st->Step();
      if (!r.ok()) return r.status();
      if (!*r) break;
      Place p{st->Str(2), st->Str(3), ""};
      if (!ScopeVisible(Scope{sc.district, sc.town, "", ""}, p)) continue;
      out.body["devices"][st->Str(0)] = st->Str(1);
    }
    return out;
  });
}

}  // namespace shefu::server
