// Needs collected on devices (第九条) as the town and district see them:
//   GET /v1/needs?community=&town=&category=&state=&after=&limit=
//   GET /v1/needs/summary?by=community|town|category (same filters)
// The records come from devices through sync (entity "need", shared/need.h). Listings show what
// staff need to follow a need up and no more (个人信息保护法 第6条): phones masked (MaskPhone),
// only the masked ID number — the sealed full number never leaves the store here.
#include <map>

#include "server/projects.h"
#include "server/resident_index.h"
#include "server/routes.h"
#include "server/staff_access.h"
#include "server/sync_service.h"
#include "shared/masking.h"
#include "shared/need.h"
#include "shared/service_catalogue.h"

namespace shefu::server {
namespace {

struct NeedFilter {
  std::string community, town, category, state;
};

Status NeedReaders(const Caller& c) {
  SHEFU_RETURN_IF_ERROR(RequireRole(
      c, {Role::kCityAdmin, Role::kDistrictAdmin, Role::kTownStaff, Role::kCommunityWorker}));
  return RequireStaffSession(c);
}

const Json& G(const sync::RecordView& v, std::string_view group) {
  static const Json empty = Json::object();
  const sync::GroupView* g = v.Find(group);
  return g && g->value.is_object() ? g->value : empty;
}

std::string NeedState(const sync::RecordView& v) {
  std::string s = JStr(G(v, "status"), "state");
  return s.empty() ? "open" : s;
}

bool Matches(const sync::RecordView& v, const NeedFilter& f) {
  if (!f.community.empty() && v.place.community != f.community) return false;
  if (!f.town.empty() && v.place.town != f.town) return false;
  if (!f.category.empty() && JStr(G(v, "category"), "category") != f.category) return false;
  if (!f.state.empty() && NeedState(v) != f.state) return false;
  return true;
}

Result<std::vector<sync::RecordView>> NeedsInScope(sync::SyncServer& s, const Caller& c,
                                                   const NeedFilter& f, const std::string& after) {
  sync::SyncServer::RecordQuery q;
  q.entity = "need";
  q.scope = c.user.scope;
  q.after_id = after;
  auto all = ListAll(s, q);
  if (!all.ok()) return all.status();
  std::vector<sync::RecordView> out;
  for (auto& v : *all)
    if (Matches(v, f)) out.push_back(std::move(v));
  return out;
}

Json NeedJson(const sync::RecordView& v, int64_t supporters) {
  const Json& place = G(v, "place");
  const Json& cat = G(v, "category");
  Json j = {{"id", v.id},
            {"place",
             {{"district", v.place.district},
              {"town", v.place.town},
              {"community", v.place.community},
              {"building", JStr(place, "building")},
              {"unit", JStr(place, "unit")},
              {"room", JStr(place, "room")}}},
            {"category", JStr(cat, "category")},
            {"sub_item", JStr(cat, "sub_item")},
            {"description", JStr(G(v, "description"), "text")},
            {"people", JInt(G(v, "people"), "count")},
            {"urgency", JStr(G(v, "urgency"), "level")},
            {"state", NeedState(v)},
            {"supporters", supporters}};
  const Json& contact = G(v, "contact");
  if (std::string phone = JStr(contact, "phone"); !phone.empty())
    j["phone_masked"] = MaskPhone(phone);
  // Stored masked already (the validator refuses a full number); masked again for safety.
  if (std::string id = JStr(contact, "id_masked"); !id.empty())
    j["id_masked"] = IsMaskedIdNumber(id) ? id : MaskIdNumber(id);
  return j;
}

}  // namespace

void RegisterNeedRoutes(HttpService& http, ServerApp& app, SyncService& sync) {
  http.Route("GET", "/v1/needs", Auth::kRequired, [&sync](ApiRequest& req) -> Result<ApiReply> {
    const Caller& c = *req.caller;
    SHEFU_RETURN_IF_ERROR(NeedReaders(c));
    NeedFilter f{QueryParam(req, "community"), QueryParam(req, "town"), QueryParam(req, "category"),
                 QueryParam(req, "state")};
    int limit = 200;
    if (std::string l = QueryParam(req, "limit"); !l.empty()) {
      if (l.size() > 3 || l.find_first_not_of("0123456789") != std::string::npos ||
          std::stoi(l) < 1 || std::stoi(l) > 500)
        return FieldError("limit", "须为 1–500", "must be 1 to 500");
      limit = std::stoi(l);
    }
    auto r = sync.Reader();
    if (!r.ok()) return r.status();
    auto needs = NeedsInScope(**r, c, f, QueryParam(req, "after"));
    if (!needs.ok()) return needs.status();
    ApiReply out;
    out.body = {{"needs", Json::array()}};
    for (const auto& v : *needs) {
      if (static_cast<int>(out.body["needs"].size()) == limit) {
        out.body["next_after"] = out.body["needs"].back()["id"];
        break;
      }
      auto support = (*r)->CounterSum("need_support", v.id);
      if (!support.ok()) return support.status();
      out.body["needs"].push_back(NeedJson(v, *support));
    }
    return out;
  });

  // Needs that name the same resident (the server's keyed hash of the sealed ID number, see
  // resident_index.h), for follow-up: one household counted once. Masked numbers only.
  http.Route("GET", "/v1/needs/duplicates", Auth::kRequired,
             [&sync, &app](ApiRequest& req) -> Result<ApiReply> {
               const Caller& c = *req.caller;
               SHEFU_RETURN_IF_ERROR(NeedReaders(c));
               auto db = app.store().Reader();
               if (!db.ok()) return db.status();
               auto groups = DuplicateResidents(**db);
               if (!groups.ok()) return groups.status();
               auto r = sync.Reader();
               if (!r.ok()) return r.status();
               ApiReply out;
               out.body = {{"groups", Json::array()}};
               for (const auto& ids : *groups) {
                 Json g = Json::array();
                 for (const auto& id : ids) {
                   auto v = (*r)->ReadRecord("need", id);
                   if (!v.ok()) return v.status();
                   if (!v->has_value() || !ScopeVisible(c.user.scope, (*v)->place)) continue;
                   g.push_back(NeedJson(**v, 0));
                 }
                 if (g.size() > 1) out.body["groups"].push_back(std::move(g));
               }
               return out;
             });

  http.Route("GET", "/v1/needs/summary", Auth::kRequired,
             [&app, &sync](ApiRequest& req) -> Result<ApiReply> {
               const Caller& c = *req.caller;
               SHEFU_RETURN_IF_ERROR(NeedReaders(c));
               const std::string by = QueryParam(req, "by");
               if (by != "community" && by != "town" && by != "category")
                 return FieldError("by", "取值无效（community/town/category）",
                                   "must be community, town or category");
               NeedFilter f{QueryParam(req, "community"), QueryParam(req, "town"),
                            QueryParam(req, "category"), QueryParam(req, "state")};
               auto r = sync.Reader();
               if (!r.ok()) return r.status();
               auto needs = NeedsInScope(**r, c, f, "");
               if (!needs.ok()) return needs.status();
               struct Row {
                 int64_t needs = 0, people = 0, supporters = 0;
               };
               std::map<std::string, Row> rows;
               for (const auto& v : *needs) {
                 std::string key = by == "community" ? v.place.community
                                   : by == "town"    ? v.place.town
                                                     : JStr(G(v, "category"), "category");
                 auto support = (*r)->CounterSum("need_support", v.id);
                 if (!support.ok()) return support.status();
                 Row& row = rows[key];
                 ++row.needs;
                 row.people += JInt(G(v, "people"), "count");
                 row.supporters += *support;
               }
               ApiReply out;
               out.body = {{"by", by}, {"groups", Json::array()}};
               for (const auto& [key, row] : rows) {
                 std::string name;
                 if (by == "community") {
                   if (const Community* x = app.places().FindCommunity(key)) name = x->name;
                 } else if (by == "town") {
                   if (const Town* x = app.places().FindTown(key)) name = x->name;
                 } else if (const ServiceCategory* x = FindServiceCategory(key)) {
                   name = x->name.zh;
                 }
                 out.body["groups"].push_back({{"key", key},
                                               {"name", name},
                                               {"needs", row.needs},
                                               {"people", row.people},
                                               {"supporters", row.supporters}});
               }
               return out;
             });
}

}  // namespace shefu::server
